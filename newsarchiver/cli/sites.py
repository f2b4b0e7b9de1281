"""``sites``, ``runs`` and ``schedule``: configured sites, their run history, the scheduler."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import SiteConfigError
from ..schedule.runs import RunLog
from ..schedule.sites import Site, load_sites, save_sites, sites_path
from .common import (
    key_prefix_option,
    knob_options,
    knob_values,
    main,
    out,
    output_option,
    redis_option,
)
from .formats import FORMATS, write_rows

F = TypeVar("F", bound=Callable[..., Any])

sites_file_option = click.option(
    "--sites-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sites config [default: OUTPUT/sites.toml].",
)


def _load(sites_file: Path | None, output: Path) -> tuple[Path, dict[str, Site]]:
    path = sites_path(output, sites_file)
    return path, load_sites(path)


def load_site(name: str, sites_file: Path | None, output: Path) -> Site:
    path, sites = _load(sites_file, output)
    if name not in sites:
        known = ", ".join(sorted(sites)) or "none yet; add one with `newsarchiver sites add`"
        raise SiteConfigError(f"no site {name!r} in {path} (sites: {known})")
    return sites[name]


def _site_options(*, adding: bool) -> Callable[[F], F]:
    """The options `sites add` and `sites edit` share; edit changes only those given."""

    def decorate(function: F) -> F:
        many: dict[str, Any] = {"multiple": True, "default": None if not adding else ()}
        options = [
            click.option("--every", help="Run every period: 30m, 2h, 1d."),
            click.option("--cron", help='Run on a cron schedule, e.g. "*/30 * * * *".'),
            click.option("--feed", "feeds", help="A feed of the site (repeatable).", **many),
            click.option("--sitemap", "sitemaps", help="A sitemap (repeatable).", **many),
            click.option("--domain", "allowed_domains", help="Another domain of the site.", **many),
            click.option("--allow", help="Article URL pattern (regex, repeatable).", **many),
            click.option("--deny", help="URL pattern never fetched (regex, repeatable).", **many),
            click.option(
                "--drop", "drop_selectors", help="CSS selector removed before extraction.", **many
            ),
            click.option("--recheck-hours", type=click.FloatRange(min=0), help="Re-check window."),
        ]
        for option in reversed(options):
            function = option(function)
        return knob_options(function)

    return decorate


def _changes(values: dict[str, Any]) -> dict[str, Any]:
    knobs = knob_values(values)
    return knobs | {
        k: list(v) if isinstance(v, tuple) else v
        for k, v in values.items()
        if v is not None and v != ()
    }


@main.group()
def sites() -> None:
    """Sites to crawl on a schedule, kept in OUTPUT/sites.toml."""


@sites.command("add")
@click.argument("name")
@click.argument("urls", nargs=-1, required=True)
@_site_options(adding=True)
@sites_file_option
@output_option
def sites_add(
    name: str, urls: tuple[str, ...], sites_file: Path | None, output: Path, **values: Any
) -> None:
    """Add a site: NAME, its start URLS, and how often to crawl it.

    \b
    Example:
      newsarchiver sites add tagesblatt https://www.tagesblatt.example/ --every 30m
      newsarchiver sites add tagesblatt https://www.tagesblatt.example/ --cron "*/30 * * * *"
    """
    path, known = _load(sites_file, output)
    if name in known:
        raise click.ClickException(f"site {name!r} exists in {path}; change it with `sites edit`")
    site = Site(name=name, start_urls=list(urls)).changed(**_changes(values))
    _save(path, {**known, name: site}, site)
    out.print(f"added {name} ({site.schedule}) to {path}", highlight=False, soft_wrap=True)


@sites.command("edit")
@click.argument("name")
@click.option("--url", "start_urls", multiple=True, default=None, help="Replace the start URLs.")
@click.option("--by-hand", is_flag=True, help="Remove the schedule: run only with crawl --site.")
@_site_options(adding=False)
@sites_file_option
@output_option
def sites_edit(
    name: str, by_hand: bool, sites_file: Path | None, output: Path, **values: Any
) -> None:
    """Change some settings of a site; list options (--feed, --deny…) replace the list.

    \b
    Example:
      newsarchiver sites edit tagesblatt --every 2h --deny /video/ --drop .newsletter-box
    """
    path, known = _load(sites_file, output)
    site = load_site(name, sites_file, output)
    changes = _changes(values)
    if changes.get("every"):
        changes["cron"] = None
    if changes.get("cron"):
        changes["every"] = None
    if by_hand:
        changes |= {"every": None, "cron": None}
    edited = site.changed(**changes)
    _save(path, {**known, name: edited}, edited)
    out.print(f"changed {name} in {path}", highlight=False, soft_wrap=True)


@sites.command("remove")
@click.argument("name")
@sites_file_option
@output_option
def sites_remove(name: str, sites_file: Path | None, output: Path) -> None:
    """Remove a site from the config (its archive and run history stay).

    \b
    Example:
      newsarchiver sites remove tagesblatt
    """
    path, known = _load(sites_file, output)
    load_site(name, sites_file, output)
    save_sites(path, {k: v for k, v in known.items() if k != name})
    out.print(f"removed {name} from {path}", highlight=False, soft_wrap=True)


def _save(path: Path, sites: dict[str, Site], changed: Site) -> None:
    changed.check()
    save_sites(path, sites)


def _local(iso: str | None) -> str:
    return iso.replace("+00:00", "Z") if iso else ""


@sites.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@sites_file_option
@output_option
def sites_list(fmt: str, sites_file: Path | None, output: Path) -> None:
    """Every site: start URLs, schedule, last run, next run, articles so far.

    \b
    Example:
      newsarchiver sites list
    """
    from ..schedule.scheduler import due_times

    path, known = _load(sites_file, output)
    if not known:
        out.print(f"no sites in {path}; add one with `newsarchiver sites add NAME URL --every 1h`")
        return
    rows = []
    with RunLog(output) as runs:
        for due in sorted(
            due_times(known, runs, datetime.now(timezone.utc)), key=lambda d: d.site.name
        ):
            rows.append(
                {
                    "site": due.site.name,
                    "start_urls": due.site.start_urls,
                    "schedule": due.site.schedule,
                    "last_run": _local(due.last_started),
                    "last_status": due.last_status or "",
                    "next_run": _local(due.next_run.isoformat(timespec="seconds"))
                    if due.next_run
                    else "",
                    "articles": runs.articles_so_far(due.site.name),
                }
            )
    fields = ["site", "start_urls", "schedule", "last_run", "last_status", "next_run", "articles"]
    write_rows(rows, fields, fmt)


@main.command()
@click.option("--site", help="Only this site's runs.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@output_option
def runs(site: str | None, limit: int, fmt: str, output: Path) -> None:
    """Run history: start, end, status, pages, new articles, errors, and the run's log.

    \b
    Example:
      newsarchiver runs --site tagesblatt
    """
    with RunLog(output) as log:
        log.close_orphans()
        found = log.runs(site, limit)
    if not found:
        out.print("no runs yet" + (f" of {site}" if site else ""))
        return
    fields = ["site", "started", "ended", "status", "pages", "articles", "unchanged", "skipped",
              "errors", "crawl_id", "log_file"]  # fmt: skip
    rows = [
        {
            **dataclasses.asdict(r),
            "started": _local(r.started_at),
            "ended": _local(r.ended_at),
        }
        for r in found
    ]
    write_rows(rows, fields, fmt)


@main.group()
def schedule() -> None:
    """Run configured sites when they are due."""


@schedule.command("run")
@click.option("--max-parallel", type=click.IntRange(min=1), default=2, show_default=True,
              help="Crawls at most at a time.")  # fmt: skip
@click.option("--once", is_flag=True, help="Run the sites due now, then exit (for cron).")
@redis_option(required=False)
@key_prefix_option
@sites_file_option
@output_option
def schedule_run(
    max_parallel: int,
    once: bool,
    redis_url: str | None,
    key_prefix: str,
    sites_file: Path | None,
    output: Path,
) -> None:
    """Run in the foreground: start each site's crawl when it is due.

    Stop with Ctrl-C or SIGTERM: running crawls close cleanly and resume next time. With
    --redis-url, a due site is seeded into the crawl shared through Redis instead, and the
    workers there (`crawl --worker`) crawl it.

    \b
    Example:
      newsarchiver schedule run --max-parallel 2
      newsarchiver schedule run --redis-url redis://queue-host:6379/0
    """
    from ..schedule.scheduler import Scheduler

    path, known = _load(sites_file, output)
    if not known:
        raise click.ClickException(f"no sites in {path}; add one with `newsarchiver sites add`")

    def event(message: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        out.print(f"{stamp} {message}", highlight=False, soft_wrap=True)

    out.print(f"scheduler: {len(known)} sites from {path}; Ctrl-C stops", highlight=False)
    from .scaleout import shared_seeder

    seed = shared_seeder(redis_url, key_prefix) if redis_url else None
    Scheduler(output, path, max_parallel=max_parallel, on_event=event, seed=seed).run(once=once)
    event("stopped")


@schedule.command("status")
@sites_file_option
@output_option
def schedule_status(sites_file: Path | None, output: Path) -> None:
    """What runs next, what ran last and how it ended.

    \b
    Example:
      newsarchiver schedule status
    """
    from ..schedule.scheduler import due_times

    path, known = _load(sites_file, output)
    with RunLog(output) as log:
        log.close_orphans()
        dues = due_times(known, log, datetime.now(timezone.utc))
        rows = []
        for due in dues:
            last = log.last(due.site.name)
            rows.append(
                {
                    "next_run": _local(due.next_run.isoformat(timespec="seconds"))
                    if due.next_run
                    else "by hand",
                    "site": due.site.name,
                    "schedule": due.site.schedule,
                    "last_run": _local(last.started_at) if last else "never",
                    "status": last.status if last else "",
                    "pages": last.pages if last else None,
                    "articles": last.articles if last else None,
                    "errors": last.errors if last else None,
                }
            )
    if not rows:
        out.print(f"no sites in {path}")
        return
    fields = ["next_run", "site", "schedule", "last_run", "status", "pages", "articles", "errors"]
    write_rows(rows, fields, "table")

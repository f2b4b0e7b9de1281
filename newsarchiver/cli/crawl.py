"""``newsarchiver crawl``, ``demo``, ``sample-site``: thin commands over crawl.py, sample_site."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click
from rich.live import Live
from rich.table import Table

from ..articles.jsonl import iter_jsonl
from ..crawl.job import job_key
from ..crawl.summary import CrawlSummary, Progress, ended_as
from ..errors import CrawlError
from ..layout import ArchiveLayout
from .common import (
    console,
    human_size,
    knob_options,
    knob_values,
    main,
    out,
    output_option,
    redis_option,
)
from .sites import load_site, sites_file_option

if TYPE_CHECKING:
    from ..scaleout.sites import SiteRecord


def _check_url(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[str]:
    for value in values:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise click.BadParameter(f"{value!r} is not an http(s) URL", ctx, param)
    return list(values)


def _parse_settings(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    settings = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", ctx, param)
        settings[name.strip()] = setting
    return settings


@main.command()
@click.argument("urls", nargs=-1, callback=_check_url)
@click.option("--site", "site_name", help="Crawl this configured site, with its settings.")
@sites_file_option
@output_option
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    callback=_check_url,
    help="An RSS/Atom feed to read as well (repeatable).",
)
@click.option(
    "--sitemap",
    "sitemaps",
    multiple=True,
    callback=_check_url,
    help="A sitemap or sitemap index to read as well (repeatable).",
)
@knob_options
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    callback=_parse_settings,
    metavar="NAME=VALUE",
    help="Any Scrapy setting, e.g. -s DOWNLOAD_TIMEOUT=10.",
)
@click.option(
    "--fresh",
    is_flag=True,
    help="Start over: drop what an interrupted run of the same crawl left to resume.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a live progress line [default: when stderr is a terminal].",
)
@click.option(
    "--format",
    "text_format",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: rows also get a `markdown` field keeping headings, lists and quotes.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Processes extracting articles [default: one per core; 0: threads of the crawl].",
)
@redis_option(required=False)
@click.option(
    "--worker",
    is_flag=True,
    help="Work on the crawl shared through --redis-url (seeded with `seed`) until stopped.",
)
@click.option(
    "--until-done",
    is_flag=True,
    help="With --worker: stop once the shared frontier is empty and no worker is busy.",
)
def crawl(
    urls: list[str],
    site_name: str | None,
    sites_file: Path | None,
    output: Path,
    feeds: list[str],
    sitemaps: list[str],
    settings: dict[str, str],
    progress: bool | None,
    text_format: str,
    fresh: bool,
    workers: int | None,
    redis_url: str | None,
    worker: bool,
    until_done: bool,
    **knobs: Any,
) -> None:
    """Crawl news sites from their home pages (URLS) into OUTPUT.

    With --site, crawl a site configured with `newsarchiver sites add`, incrementally: only new
    articles, and those in their re-check window, are fetched; the run is recorded.

    \b
    Example:
      newsarchiver crawl https://www.example-news.com/ --output output/ --max-articles 100
      newsarchiver crawl --site tagesblatt
      newsarchiver crawl --redis-url redis://queue-host:6379/0 --worker -o /shared/output

    With --redis-url (or REDIS_URL), the crawl is shared through Redis: URLS or --site are
    seeded into it and this process works on it until it is done; with --worker it takes
    whatever is seeded, by `seed` or the scheduler, until stopped (--until-done: until the
    shared frontier is empty).
    """
    from ..crawl.options import CrawlKnobs, CrawlOptions
    from ..crawl.run import run_crawl

    if workers is not None:
        settings = {**settings, "EXTRACTION_WORKERS": str(workers)}
    if worker and not redis_url:
        raise click.UsageError("--worker needs --redis-url (or REDIS_URL in the environment)")
    if redis_url:
        from .scaleout import site_records

        names = (site_name,) if site_name else ()
        records = site_records(urls, feeds, sitemaps, names, False, sites_file, output)
        markdown = text_format == "markdown"
        _shared(records, output, settings, progress, markdown, redis_url, worker, until_done, knobs)
        return
    if site_name:
        if urls:
            raise click.UsageError("give URLS or --site, not both")
        markdown = text_format == "markdown"
        _crawl_site(site_name, sites_file, output, progress, markdown, settings, fresh)
        return
    if not urls:
        raise click.UsageError("give the URLs to crawl, or --site NAME")

    options = CrawlOptions(
        start_urls=urls,
        output=output,
        feeds=feeds,
        sitemaps=sitemaps,
        knobs=CrawlKnobs(**knob_values(knobs)),
        settings={**settings, "EXTRACTION_MARKDOWN": str(text_format == "markdown")},
        # the same command again resumes an interrupted run of it (crawl/job.py)
        job_dir=ArchiveLayout(output).plain_job_dir(job_key(urls, feeds, sitemaps)),
        job_name="a crawl of the same URLs",
        fresh=fresh,
    )
    summary = _run(partial(run_crawl, options), progress)
    if summary.write_error:
        raise CrawlError(f"the crawl stopped: {summary.write_error}")
    if summary.pages == 0:
        raise CrawlError(f"no page could be fetched; see {summary.log_file}")


def _shared(
    records: list[SiteRecord],
    output: Path,
    settings: dict[str, str],
    progress: bool | None,
    markdown: bool,
    redis_url: str,
    worker: bool,
    until_done: bool,
    knobs: dict[str, Any],
) -> None:
    """A worker of the crawl shared through Redis, after seeding what was asked for."""
    from ..crawl.options import CrawlKnobs, CrawlOptions
    from ..crawl.run import run_crawl
    from ..layout import new_crawl_id
    from ..scaleout.connection import DEFAULT_PREFIX, worker_suffix
    from .scaleout import SEEN_HOURS, reachable, seed_records

    prefix = settings.get("SCALEOUT_KEY_PREFIX", DEFAULT_PREFIX)
    server = reachable(redis_url)
    if records:
        seed_records(
            server, prefix, records, float(settings.get("SCALEOUT_SEEN_HOURS", SEEN_HOURS))
        )
    elif not worker:
        raise click.UsageError("give URLS or --site to seed, or --worker to take seeded work")
    options = CrawlOptions(
        start_urls=[],
        output=output,
        knobs=CrawlKnobs(**knob_values(knobs)),
        crawl_id=f"{new_crawl_id()}-{worker_suffix()}",
        settings={**settings, "EXTRACTION_MARKDOWN": str(markdown)},
        redis_url=redis_url,
        until_done=until_done or not worker,
    )
    summary = _run(partial(run_crawl, options), progress)
    if summary.write_error:
        raise CrawlError(f"the crawl stopped: {summary.write_error}")


def _crawl_site(
    name: str,
    sites_file: Path | None,
    output: Path,
    progress: bool | None,
    markdown: bool,
    settings: dict[str, str],
    fresh: bool,
) -> None:
    from ..schedule.siterun import run_site

    site = load_site(name, sites_file, output)
    start = partial(run_site, site, output, markdown=markdown, settings=settings, fresh=fresh)
    summary = _run(start, progress)
    if summary.write_error:
        raise CrawlError(f"the run failed: {summary.write_error}")
    if summary.status == "failed":
        raise CrawlError(f"the run failed; see {summary.log_file}")


def _run(start: Callable[..., CrawlSummary], progress: bool | None) -> CrawlSummary:
    """Run a crawl (``start(on_progress=…)``) with a live progress line."""
    show = console.is_terminal if progress is None else progress
    started = time.monotonic()
    live = Live(console=console, transient=True, refresh_per_second=4, redirect_stderr=False)

    def update(stats: Progress) -> None:
        live.update(
            f"[bold]crawling[/] · pages {stats.pages} · articles {stats.articles} · "
            f"errors {stats.errors} · {human_size(stats.bytes)} · "
            f"{time.monotonic() - started:.0f}s"
        )

    if show:
        live.start()
    try:
        summary = start(on_progress=update if show else None)
    finally:
        if show:
            live.stop()
    _print_summary(summary, time.monotonic() - started)
    return summary


#: why pages were left out of the text archive, in words
_REASONS = {
    "listing": "listings",
    "too_little_text": "too little text",
    "no_text": "no text",
    "service_page": "service pages",
    "not_html": "not HTML",
}


def _print_summary(summary: CrawlSummary, seconds: float) -> None:
    root = Path(summary.output)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_column()
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(summary.errors_by_kind.items()))
    table.add_row("pages fetched", str(summary.pages), human_size(summary.bytes))
    table.add_row(
        "articles",
        str(summary.articles),
        "one JSON line each"
        + (f"; {summary.uncertain} uncertain (query --uncertain)" if summary.uncertain else ""),
    )
    if summary.paywalled or summary.blocked:
        table.add_row(
            "not readable",
            str(summary.paywalled + summary.blocked),
            f"paywalled {summary.paywalled}, blocked {summary.blocked} (see access)",
        )
    reasons = ", ".join(
        f"{_REASONS.get(k, k)} {v}" for k, v in sorted(summary.not_article_by_reason.items())
    )
    table.add_row(
        "not articles",
        str(summary.pages_not_article),
        (reasons or "listing, section and other pages") + " (in the WARC only)",
    )
    if summary.skipped or summary.rechecked or summary.unchanged:
        table.add_row(
            "already archived",
            str(summary.skipped + summary.unchanged),
            f"{summary.skipped} not fetched again, {summary.unchanged} fetched and unchanged "
            f"(no new row); {summary.rechecked} re-checked",
        )
    table.add_row("robots.txt", str(summary.robots_forbidden), "URLs not fetched, as asked")
    if summary.out_of_reach:
        table.add_row(
            "out of reach",
            str(summary.out_of_reach),
            "not fetched: another port or a private address",
        )
    table.add_row("errors", str(summary.errors), kinds)
    revisits = summary.warc_revisits
    table.add_row(
        "WARC records",
        str(summary.warc_records),
        "requests and responses"
        + (f"; {revisits} unchanged (revisit records)" if revisits else ""),
    )
    out.print(f"Crawl {summary.crawl_id} {ended_as(summary.finish_reason)} in {seconds:.1f}s")
    out.print(table)
    if summary.jsonl_file:
        out.print(f"JSONL  {root / summary.jsonl_file}", soft_wrap=True)
    for warc in summary.warc_files:
        out.print(f"WARC   {root / warc}", soft_wrap=True)
    out.print(f"log    {summary.log_file}", soft_wrap=True)


#: the sample site is ours, on this machine: no politeness delay
_NO_DELAY = ("--delay", "0")
#: the sample site's port in the demo, as the README's examples have it
DEMO_PORT = 8000


@main.command()
@output_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEMO_PORT,
    show_default=True,
    help="The sample site's port: the README's examples name it (busy: any free port).",
)
def demo(output: Path, port: int) -> None:
    """Serve the bundled sample news site on 127.0.0.1 and crawl it into OUTPUT, twice: the
    second crawl finds one article corrected (a new version) and the rest unchanged.

    \b
    Example:
      newsarchiver demo --output output/
    """
    from ..crawl.options import CrawlKnobs, CrawlOptions
    from ..crawl.run import run_crawl
    from ..dates import fetched_at, now
    from ..sample_site import serve_sample_site
    from ..sample_site.content import CORRECTED_PATH, corrected

    with ExitStack() as serving:
        try:
            site = serving.enter_context(serve_sample_site(port))
        except OSError as error:  # taken: any free port (the README's URLs then differ)
            console.print(f"port {port} is busy ({error.strerror}); serving on a free port")
            site = serving.enter_context(serve_sample_site(0))
        out.print(f"Serving the sample news site at {site.url}")
        site_url = site.url
        options = CrawlOptions([site.url], output=output, knobs=CrawlKnobs(delay=0.0))
        summary = _run(partial(run_crawl, options), None)
        time.sleep(1.1)  # captures are dated to the second: the next crawl's are later
        site.site_articles = corrected(site.site_articles, fetched_at(now()))
        out.print("\nA second crawl, after the site corrected one article:")
        # a process of its own: Twisted's reactor runs once per process
        again = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsarchiver",
                "crawl",
                site.url,
                "-o",
                str(output),
                *_NO_DELAY,
            ],
            check=False,
        )
        if again.returncode != 0:
            raise click.ClickException("the demo's second crawl failed (see the lines above)")
    if not summary.jsonl_file:
        raise click.ClickException(f"the demo crawl archived no article; see {summary.log_file}")
    jsonl = Path(summary.output) / summary.jsonl_file
    table = Table(title="Archived articles", title_justify="left")
    for column in ("published", "lang", "title", "authors"):
        table.add_column(column)
    for row in sorted(iter_jsonl(jsonl), key=lambda r: r.get("published") or ""):
        table.add_row(
            (row.get("published") or "")[:10],
            row.get("language") or "",
            row.get("title") or "",
            ", ".join(row.get("authors") or []),
        )
    out.print(table)
    warc = Path(summary.output) / summary.warc_files[0]
    article = site_url.rstrip("/") + CORRECTED_PATH
    next_steps = [
        "[bold]What to try next[/]",
        f"  head -n 1 {jsonl} | python3 -m json.tool      # one article row",
        f"  .venv/bin/warcio index {warc} | head      # the WARC records",
        f"  .venv/bin/warcio check -v {warc}          # every digest verified",
        f"  .venv/bin/newsarchiver query hafen -o {output}                # full-text search",
        f"  .venv/bin/newsarchiver query --count-by site,day -o {output}  # counts",
        f"  .venv/bin/newsarchiver serve -o {output}                      # search, read, replay",
        f"  .venv/bin/newsarchiver changes -o {output}                    # what changed",
        f"  .venv/bin/newsarchiver diff {article} -o {output}",
        f"  .venv/bin/newsarchiver captures {site_url} -o {output}   # every capture",
        f"  .venv/bin/newsarchiver replay {site_url} --headers -o {output}",
        f"  .venv/bin/newsarchiver export wacz archive.wacz -o {output}   # for replayweb.page",
        "  .venv/bin/newsarchiver crawl https://www.example-news.com/ --max-articles 50",
        "  .venv/bin/newsarchiver sites add mysite https://www.example-news.com/ --every 1h"
        "   # then: schedule run",
        "  (README.md: every example under Query, Replay and History runs on this archive)",
    ]
    for line in next_steps:
        out.print(line, soft_wrap=True)


@main.command("sample-site")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--faults",
    is_flag=True,
    help="Also serve bad pages: binary, 500, 404, redirect loop, slow, huge.",
)
def sample_site(port: int, faults: bool) -> None:
    """Serve the bundled sample news site on 127.0.0.1 until interrupted.

    \b
    Example:
      newsarchiver sample-site --port 8000
    """
    from ..sample_site import SampleSiteServer

    server = SampleSiteServer(port, faults=faults)
    out.print(f"Serving the sample news site at {server.url} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

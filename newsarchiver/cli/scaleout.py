"""``newsarchiver seed`` and ``workers``: a crawl shared through Redis (scaleout/)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
import redis
from rich.table import Table

from ..addon import DEFAULTS
from ..errors import CrawlError
from ..scaleout.connection import RedisKeys, connect
from ..scaleout.sites import SiteRecord
from ..schedule.sites import Site
from .common import console, key_prefix_option, main, out, output_option, redis_option
from .crawl import _check_url
from .sites import _load, load_site, sites_file_option


def reachable(url: str) -> redis.Redis:
    """A client of the shared crawl's Redis, once one ping without retries answered: a wrong
    URL fails at once, not after the minute a running worker rides out a restart for."""
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=5) as probe:
            probe.ping()
    except (redis.RedisError, ValueError) as error:
        raise CrawlError(f"cannot reach Redis at {url}: {error}") from None
    return connect(url)


#: how long a seeded start page counts as seen, unless a crawl's settings say otherwise
SEEN_HOURS = float(DEFAULTS["SCALEOUT_SEEN_HOURS"])


def seed_records(
    server: redis.Redis, key_prefix: str, records: list[SiteRecord], seen_hours: float = SEEN_HOURS
) -> None:
    from ..scaleout.seed import seed

    for seeded in seed(server, RedisKeys(key_prefix), records, seen_hours):
        out.print(f"seeded {seeded.site}: {seeded.requests} start requests", highlight=False)


def shared_seeder(redis_url: str, key_prefix: str) -> Callable[[Site], str]:
    """What the scheduler calls for a due site when it seeds a shared crawl."""
    from ..scaleout.seed import seed

    server = reachable(redis_url)

    def seed_site(site: Site) -> str:
        try:
            [seeded] = seed(server, RedisKeys(key_prefix), [SiteRecord.of_site(site)], SEEN_HOURS)
        except redis.RedisError as error:
            raise CrawlError(f"cannot reach Redis at {redis_url}: {error}") from None
        return f"{redis_url} ({seeded.requests} start requests)"

    return seed_site


@main.command("seed")
@click.argument("urls", nargs=-1, callback=_check_url)
@redis_option(required=True)
@key_prefix_option
@click.option("--site", "site_names", multiple=True, help="A configured site (repeatable).")
@click.option("--all-sites", is_flag=True, help="Every configured site.")
@click.option(
    "--feed",
    "feeds",
    multiple=True,
    callback=_check_url,
    help="A feed to read as well (repeatable).",
)
@click.option("--sitemap", "sitemaps", multiple=True, callback=_check_url,
              help="A sitemap to read (repeatable).")  # fmt: skip
@sites_file_option
@output_option
def seed_command(
    urls: list[str],
    redis_url: str,
    key_prefix: str,
    site_names: tuple[str, ...],
    all_sites: bool,
    feeds: list[str],
    sitemaps: list[str],
    sites_file: Path | None,
    output: Path,
) -> None:
    """Put sites into the crawl shared through Redis; workers (`crawl --worker`) crawl them.

    \b
    Example:
      newsarchiver seed --redis-url redis://queue-host:6379/0 https://site-a/ https://site-b/
      newsarchiver seed --redis-url redis://queue-host:6379/0 --all-sites
    """
    records = site_records(
        list(urls), list(feeds), list(sitemaps), site_names, all_sites, sites_file, output
    )
    if not records:
        raise click.UsageError("give URLs, --site NAME or --all-sites")
    seed_records(reachable(redis_url), key_prefix, records)


def site_records(
    urls: list[str],
    feeds: list[str],
    sitemaps: list[str],
    site_names: tuple[str, ...],
    all_sites: bool,
    sites_file: Path | None,
    output: Path,
) -> list[SiteRecord]:
    """What `seed` and `crawl --redis-url` were asked to put into the shared crawl: the URLs
    given (a site per host) and configured sites."""
    records = SiteRecord.of_urls(urls, feeds, sitemaps)
    if all_sites:
        records += [SiteRecord.of_site(site) for site in _load(sites_file, output)[1].values()]
    records += [SiteRecord.of_site(load_site(name, sites_file, output)) for name in site_names]
    return records


@main.command("workers")
@redis_option(required=True)
@key_prefix_option
def workers_command(redis_url: str, key_prefix: str) -> None:
    """The shared crawl now: frontier size per site, seen URLs, and every worker's pages/s,
    articles, errors and when it was last seen.

    \b
    Example:
      newsarchiver workers --redis-url redis://queue-host:6379/0
    """
    from ..scaleout.status import ago, status

    now = status(reachable(redis_url), RedisKeys(key_prefix))
    more = "+" if now.partly_counted else ""
    out.print(
        f"frontier {now.frontier} requests · seen {now.seen} URLs · "
        f"{sum(w.state == 'running' for w in now.workers)} workers running",
        highlight=False,
        soft_wrap=True,
    )
    sites = Table("site", "queued", box=None)
    for site, count in now.frontier_by_site.items():
        sites.add_row(site, f"{count}{more}")
    if now.frontier_by_site:
        out.print(sites)
    table = Table(
        "worker", "state", "pages", "pages/s", "articles", "errors", "in flight", "last seen",
        box=None,
    )  # fmt: skip
    for worker in now.workers:
        table.add_row(
            worker.worker,
            worker.state,
            str(worker.pages),
            f"{worker.pages_per_s:.1f}",
            str(worker.articles),
            str(worker.errors),
            str(worker.leases),
            ago(worker.last_seen),
        )
    if now.workers:
        out.print(table)
    else:
        console.print("no worker has joined yet: start one with `newsarchiver crawl --worker`")

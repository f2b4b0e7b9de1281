"""One run of a configured site: its settings, an incremental crawl, a record in the run log.

The same whoever starts it (``crawl --site``, the scheduler, cron, a service manager): the run
is recorded when it starts and when it ends, with what the crawl did. A run stopped by
SIGINT/SIGTERM ends "interrupted" and keeps its Scrapy job directory (pending requests, seen
URLs), so the next run of the site resumes it; a finished run removes it, so the next run
starts from the site's pages again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..crawl.options import CrawlOptions
from ..crawl.run import crawl_layout, run_crawl
from ..crawl.summary import CrawlSummary, Progress
from ..errors import SiteBusy
from ..layout import ArchiveLayout, new_crawl_id
from .runs import FAILED, FINISHED, INTERRUPTED, ORPHANED, RunLog, status_of
from .sites import Site

logger = logging.getLogger(__name__)


def site_options(
    site: Site,
    output: Path,
    runs: RunLog,
    markdown: bool = False,
    settings: dict[str, Any] | None = None,
    crawl_id: str | None = None,
) -> CrawlOptions:
    """The crawl a site's config asks for, incremental, resuming an interrupted run."""
    # lists as they are: patterns may hold commas, which `-a deny=a,b` would split on
    spider_args: dict[str, Any] = {
        "deny": site.deny,
        "allow": site.allow,
        "domains": site.allowed_domains,
    }
    last = runs.last_finished(site.name)
    if last is not None:  # feeds and sitemap entries older than the last full run are known
        spider_args["since"] = last.started_at
    return CrawlOptions(
        start_urls=site.start_urls,
        output=output,
        feeds=site.feeds,
        sitemaps=site.sitemaps,
        knobs=site.knobs,
        crawl_id=crawl_id or new_crawl_id(),
        settings={
            "INCREMENTAL_ENABLED": True,
            "INCREMENTAL_RECHECK_HOURS": site.recheck_hours,
            "EXTRACTION_DROP_SELECTORS": json.dumps(site.drop_selectors),
            "EXTRACTION_MARKDOWN": markdown,
            "JOBDIR": str(ArchiveLayout(output).job_dir(site.name)),
            **(settings or {}),  # -s NAME=VALUE on the command line still has the last word
        },
        spider_args=spider_args,
    )


@contextmanager
def site_lock(output: Path, site: str) -> Iterator[None]:
    """One crawl of a site at a time, whoever starts it (scheduler, cron, by hand): they would
    share the job directory. The lock goes with the process, however it ends."""
    path = ArchiveLayout(output).site_lock(site)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SiteBusy(f"site {site!r} is being crawled now (by pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def forget_untrusted_job(output: Path, site: str, runs: RunLog) -> None:
    """After a run that was killed outright, its Scrapy job state is half there (the seen
    URLs, not the queue): resuming it would fetch nothing. Start from the site's pages again
    instead; the archive (incremental lookups, one row per version) skips what is done."""
    last = runs.last(site)
    job = ArchiveLayout(output).job_dir(site)
    if last and last.status == INTERRUPTED and last.detail == ORPHANED and job.exists():
        logger.warning(
            "the last run of %s was killed: its job state is not trusted; rediscovering from "
            "the start pages, feeds and sitemaps (archived articles are skipped)",
            site,
        )
        shutil.rmtree(job)


def run_site(
    site: Site,
    output: Path,
    *,
    markdown: bool = False,
    settings: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    crawl_id: str | None = None,
) -> CrawlSummary:
    """Crawl the site once; returns the crawl summary with the run's ``status``.

    Raises SiteBusy when the site is being crawled by another process.
    """
    with site_lock(output, site.name), RunLog(output) as runs:
        runs.close_orphans()
        forget_untrusted_job(output, site.name, runs)
        options = site_options(site, output, runs, markdown, settings, crawl_id)
        log_file = crawl_layout(options).log_file
        run_id = runs.start(site.name, options.crawl_id, log_file=str(log_file))
        job = ArchiveLayout(output).job_dir(site.name)
        try:
            summary = run_crawl(options, on_progress=on_progress)
        except BaseException as error:
            runs.finish(run_id, FAILED, None, f"{type(error).__name__}: {error}")
            shutil.rmtree(job, ignore_errors=True)  # written by a failing crawl: not trusted
            raise
        summary.status = status_of(summary.finish_reason)
        runs.finish(run_id, summary.status, summary, summary.write_error or summary.finish_reason)
        # kept only to resume a run stopped by a signal; finished, or failed (a full disk),
        # the next run starts from the site's pages, and the archive skips what is done
        if summary.status in (FINISHED, FAILED):
            shutil.rmtree(job, ignore_errors=True)
    return summary

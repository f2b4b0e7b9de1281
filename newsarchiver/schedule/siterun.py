"""One run of a configured site: its settings, an incremental crawl, a record in the run log.

The same whoever starts it (``crawl --site``, the scheduler, cron, a service manager): the run
is recorded when it starts and when it ends, with what the crawl did. A run stopped by
SIGINT/SIGTERM ends "interrupted" and keeps its Scrapy job directory (pending requests, seen
URLs), so the next run of the site resumes it; a finished run removes it, so the next run
starts from the site's pages again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..crawl.job import holding
from ..crawl.options import CrawlOptions
from ..crawl.run import crawl_layout, run_held
from ..crawl.summary import CrawlSummary, Progress
from ..layout import ArchiveLayout, new_crawl_id
from .runs import FAILED, RunLog, status_of
from .sites import Site

logger = logging.getLogger(__name__)


def site_options(
    site: Site,
    output: Path,
    runs: RunLog,
    markdown: bool = False,
    settings: dict[str, Any] | None = None,
    crawl_id: str | None = None,
    fresh: bool = False,
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
            **(settings or {}),  # -s NAME=VALUE on the command line still has the last word
        },
        spider_args=spider_args,
        job_dir=ArchiveLayout(output).job_dir(site.name),
        job_name=f"site {site.name!r}",
        fresh=fresh,
    )


def run_site(
    site: Site,
    output: Path,
    *,
    markdown: bool = False,
    settings: dict[str, Any] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    crawl_id: str | None = None,
    fresh: bool = False,
) -> CrawlSummary:
    """Crawl the site once; returns the crawl summary with the run's ``status``.

    Raises CrawlBusy when the site is being crawled by another process.
    """
    job = ArchiveLayout(output).job_dir(site.name)
    with holding(job, f"site {site.name!r}"), RunLog(output) as runs:
        runs.close_orphans()
        options = site_options(site, output, runs, markdown, settings, crawl_id, fresh)
        log_file = crawl_layout(options).log_file
        run_id = runs.start(site.name, options.crawl_id, log_file=str(log_file))
        try:  # its job state is kept only to resume a run stopped by a signal (crawl/job.py)
            summary = run_held(options, on_progress=on_progress)
        except BaseException as error:
            runs.finish(run_id, FAILED, None, f"{type(error).__name__}: {error}")
            raise
        summary.status = status_of(summary.finish_reason)
        runs.finish(run_id, summary.status, summary, summary.write_error or summary.finish_reason)
    return summary

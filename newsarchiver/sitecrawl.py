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
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .crawl import CrawlOptions, run_crawl
from .runs import FAILED, FINISHED, RunLog, status_of
from .sites import Site


def job_dir(output: Path, site: str) -> Path:
    return output / "schedule" / "jobs" / site


def site_options(site: Site, output: Path, runs: RunLog, markdown: bool = False) -> CrawlOptions:
    """The crawl a site's config asks for, incremental, resuming an interrupted run."""
    spider_args = {}
    for key in ("deny", "allow"):
        if patterns := getattr(site, key):
            spider_args[key] = ",".join(patterns)
    if site.allowed_domains:
        spider_args["domains"] = ",".join(site.allowed_domains)
    last = runs.last_finished(site.name)
    if last is not None:  # feeds and sitemap entries older than the last full run are known
        spider_args["since"] = last.started_at
    return CrawlOptions(
        start_urls=site.start_urls,
        output=output,
        feeds=site.feeds,
        sitemaps=site.sitemaps,
        max_articles=site.max_articles,
        max_pages=site.max_pages,
        depth=site.depth,
        user_agent=site.user_agent,
        delay=site.delay,
        concurrency=site.concurrency,
        obey_robots=site.obey_robots,
        settings={
            "INCREMENTAL_ENABLED": True,
            "INCREMENTAL_RECHECK_HOURS": site.recheck_hours,
            "EXTRACTION_DROP_SELECTORS": json.dumps(site.drop_selectors),
            "EXTRACTION_MARKDOWN": markdown,
            "JOBDIR": str(job_dir(output, site.name)),
        },
        spider_args=spider_args,
    )


def run_site(
    site: Site,
    output: Path,
    *,
    markdown: bool = False,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    console_handler: logging.Handler | None = None,
) -> dict[str, Any]:
    """Crawl the site once; returns the crawl summary with the run's ``status``."""
    with RunLog(output) as runs:
        runs.close_orphans()
        options = site_options(site, output, runs, markdown)
        run_id = runs.start(site.name, options.crawl_id)
        try:
            summary = run_crawl(options, on_progress=on_progress, console_handler=console_handler)
        except BaseException as error:
            runs.finish(run_id, FAILED, None, f"{type(error).__name__}: {error}")
            raise
        status = status_of(summary["finish_reason"])
        runs.finish(run_id, status, summary, summary["finish_reason"])
    if status == FINISHED:
        shutil.rmtree(job_dir(output, site.name), ignore_errors=True)
    summary["status"] = status
    return summary

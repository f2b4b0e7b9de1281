"""Run one crawl in this process: the library call under ``newsarchiver crawl``.

Scrapy's reactor cannot be restarted, so this runs once per process (the scheduler starts one
process per site run). Logging is Scrapy's own: everything goes to the crawl's ``crawl.log``
(``LOG_FILE``); an application adds its console handler to the root logger, as the CLI does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import task

from ..errors import ArchiveWriteError, CrawlError
from ..layout import ArchiveLayout, CrawlLayout
from ..spiders.news import NewsSpider
from ..spiders.shared import SharedNewsSpider
from .job import close_job, holding, open_job
from .options import CrawlOptions
from .summary import CrawlSummary, Progress


def crawl_layout(options: CrawlOptions) -> CrawlLayout:
    return ArchiveLayout(options.output).crawl(options.crawl_id)


def crawl_settings(options: CrawlOptions) -> Settings:
    settings = Settings()
    settings.setmodule("newsarchiver.settings", priority="project")
    layout = crawl_layout(options)
    try:
        layout.crawl_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a read-only or full output directory: one line, at once
        raise ArchiveWriteError.of(layout.crawl_dir, error) from None
    values: dict[str, Any] = {
        "NEWSARCHIVER_OUTPUT": str(options.output),
        "NEWSARCHIVER_CRAWL_ID": options.crawl_id,
        "LOG_FILE": str(layout.log_file),
        **options.knobs.settings(),
    }
    if options.redis_url:  # the frontier lives in Redis, not in a job directory
        values["REDIS_URL"] = options.redis_url
        values["SCALEOUT_UNTIL_DONE"] = options.until_done
        values["INCREMENTAL_ENABLED"] = True  # recurring runs skip what is archived
    elif options.job_dir is not None:
        values["JOBDIR"] = str(options.job_dir)
    settings.setdict(values, priority="cmdline")
    settings.setdict(options.settings, priority="cmdline")
    return settings


def run_crawl(
    options: CrawlOptions, *, on_progress: Callable[[Progress], None] | None = None
) -> CrawlSummary:
    """Crawl until done; returns the crawl summary (also written to summary.json). With a job
    directory, resumes an interrupted run of the same crawl; raises CrawlBusy while another
    process runs it."""
    if options.job_dir is None or options.redis_url:
        return _crawl(options, on_progress)
    with holding(options.job_dir, options.job_name):
        return run_held(options, on_progress=on_progress)


def run_held(
    options: CrawlOptions, *, on_progress: Callable[[Progress], None] | None = None
) -> CrawlSummary:
    """:func:`run_crawl` for a caller that holds the job already (a site run)."""
    assert options.job_dir is not None
    open_job(options.job_dir, fresh=options.fresh)
    reason: str | None = None
    try:
        summary = _crawl(options, on_progress)
        reason = summary.finish_reason
    finally:
        close_job(options.job_dir, reason)
    return summary


def _crawl(options: CrawlOptions, on_progress: Callable[[Progress], None] | None) -> CrawlSummary:
    settings = crawl_settings(options)
    process = CrawlerProcess(settings)
    shared = bool(settings.get("REDIS_URL"))
    crawler: Crawler = process.create_crawler(SharedNewsSpider if shared else NewsSpider)
    if shared:  # its work is in the shared frontier (``seed``)
        process.crawl(crawler)
    else:
        process.crawl(
            crawler,
            start_urls=options.start_urls,
            feeds=options.feeds,
            sitemaps=options.sitemaps,
            **options.spider_args,
        )
    if on_progress is not None:
        ticker = task.LoopingCall(
            lambda: on_progress(Progress.of(crawler.stats.get_stats() if crawler.stats else {}))
        )
        ticker.start(0.5, now=False)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    layout = crawl_layout(options)
    if not layout.summary_file.exists():  # a full disk: say what failed, not only "no summary"
        cause = stats.get("newsarchiver/write_error") or stats.get("newsarchiver/summary_error")
        if cause:
            raise CrawlError(f"the crawl stopped: {cause}")
    return CrawlSummary.read(layout)

"""Run one crawl in this process: the library call under ``newsarchiver crawl``.

Scrapy's reactor cannot be restarted, so this runs once per process (the scheduler of a later
issue starts one process per crawl).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import task

from ..extensions.crawlsummary import progress_counts
from ..layout import OutputLayout, new_crawl_id
from ..spiders.news import NewsSpider

#: loggers whose warnings repeat what the spider's one-line error already says
_REPEATS_SPIDER_ERROR = (
    "scrapy.downloadermiddlewares.retry",
    "scrapy.core.downloader.handlers.http11",
)


@dataclass
class CrawlOptions:
    start_urls: list[str]
    output: Path = Path("output")
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    max_articles: int = 0
    max_pages: int = 0
    depth: int | None = None
    user_agent: str | None = None
    delay: float | None = None
    concurrency: int | None = None
    obey_robots: bool = True
    crawl_id: str = field(default_factory=new_crawl_id)
    #: any other Scrapy setting, as with ``scrapy crawl -s NAME=VALUE``
    settings: dict[str, Any] = field(default_factory=dict)
    #: more arguments of the news spider (deny, allow, domains, since)
    spider_args: dict[str, Any] = field(default_factory=dict)


def crawl_settings(options: CrawlOptions) -> Settings:
    settings = Settings()
    settings.setmodule("newsarchiver.settings", priority="project")
    values: dict[str, Any] = {
        "NEWSARCHIVER_OUTPUT": str(options.output),
        "NEWSARCHIVER_CRAWL_ID": options.crawl_id,
        "ROBOTSTXT_OBEY": options.obey_robots,
        "CLOSESPIDER_ITEMCOUNT": options.max_articles,
        "CLOSESPIDER_PAGECOUNT": options.max_pages,
        "LOG_FILE": None,
        "LOG_INSTALL_ROOT_HANDLER": False,  # run_crawl sets up its own handlers
    }
    if options.depth is not None:
        values["DEPTH_LIMIT"] = options.depth
    if options.user_agent:
        values["USER_AGENT"] = options.user_agent
    if options.delay is not None:
        values["DOWNLOAD_DELAY"] = options.delay
        values["AUTOTHROTTLE_START_DELAY"] = options.delay
    if options.concurrency is not None:
        values["CONCURRENT_REQUESTS_PER_DOMAIN"] = options.concurrency
    settings.setdict(values, priority="cmdline")
    settings.setdict(options.settings, priority="cmdline")
    return settings


class _ConsoleFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.name not in _REPEATS_SPIDER_ERROR


def _configure_logging(
    settings: Settings, log_file: Path, console: logging.Handler | None
) -> list[logging.Handler]:
    """Everything to the crawl's log file; warnings (one line each) to the console."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    file_handler.setFormatter(
        logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
    )
    file_handler.setLevel(settings.get("LOG_LEVEL"))
    handlers: list[logging.Handler] = [file_handler]
    if console is None:
        console = logging.StreamHandler(sys.stderr)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console.setLevel(logging.WARNING)
    console.addFilter(_ConsoleFilter())
    handlers.append(console)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if settings.get("LOG_LEVEL") == "DEBUG" else logging.INFO)
    for handler in handlers:
        root.addHandler(handler)
    return handlers


def run_crawl(
    options: CrawlOptions,
    *,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
    console_handler: logging.Handler | None = None,
) -> dict[str, Any]:
    """Crawl until done; returns the crawl summary (also written to summary.json)."""
    settings = crawl_settings(options)
    layout = OutputLayout.from_settings(settings)
    handlers = _configure_logging(settings, layout.crawl_dir / "crawl.log", console_handler)
    process = CrawlerProcess(settings)
    crawler: Crawler = process.create_crawler(NewsSpider)
    process.crawl(
        crawler,
        start_urls=options.start_urls,
        feeds=options.feeds,
        sitemaps=options.sitemaps,
        **options.spider_args,
    )
    if on_progress is not None:
        ticker = task.LoopingCall(
            lambda: on_progress(progress_counts(crawler.stats.get_stats() if crawler.stats else {}))
        )
        ticker.start(0.5, now=False)
    try:
        process.start()
    finally:
        for handler in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    return read_summary(layout)


def read_summary(layout: OutputLayout) -> dict[str, Any]:
    if not layout.summary_file.exists():
        raise RuntimeError(f"the crawl ended without a summary; see {layout.crawl_dir}/crawl.log")
    summary: dict[str, Any] = json.loads(layout.summary_file.read_text())
    summary["log_file"] = str(layout.crawl_dir / "crawl.log")
    return summary

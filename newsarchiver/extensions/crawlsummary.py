"""``OUTPUT/crawls/CRAWL_ID/summary.json``: what a crawl did, where its files went.

Written when the spider closes, atomically (temporary file, then rename), so the CLI, the
scheduler and users read either the whole summary or none.
"""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from ..crawl.summary import CrawlSummary
from ..errors import ArchiveWriteError
from ..files import replacing
from ..layout import CrawlLayout


class CrawlSummaryWriter:
    def __init__(self, layout: CrawlLayout, stats: StatsCollector) -> None:
        self.layout = layout
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummaryWriter:
        extension = cls(CrawlLayout.from_settings(crawler.settings), crawler.stats)
        # after the WARC writer has closed its files (signal handlers run in connection order)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        summary = CrawlSummary.of(self.stats.get_stats(), self.layout, reason)
        try:
            with replacing(self.layout.summary_file) as temporary:
                temporary.write_text(summary.to_json(), encoding="utf-8")
        except ArchiveWriteError as error:  # the crawl's caller says what went wrong
            self.stats.set_value("newsarchiver/summary_error", str(error))

"""ArchivedArticle → one line of ``OUTPUT/articles/YYYY-MM/CRAWL_ID.jsonl``.

Each line goes to the file in one ``write`` on a descriptor opened for appending, so a crash
leaves every earlier line whole, and at worst one torn last line that readers skip.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from ..crawl.failures import stop_for_write_error
from ..errors import ArchiveWriteError
from ..files import AppendOnlyFile
from ..items import ArchivedArticle
from ..layout import CrawlLayout

logger = logging.getLogger(__name__)


class JsonlWriter:
    def __init__(self, layout: CrawlLayout, crawler: Crawler, max_articles: int = 0) -> None:
        self.layout = layout
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self.max_articles = max_articles
        self.written = 0
        self._file: AppendOnlyFile | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlWriter:
        return cls(
            CrawlLayout.from_settings(crawler.settings),
            crawler,
            crawler.settings.getint("CLOSESPIDER_ITEMCOUNT"),
        )

    def open_spider(self) -> None:
        self.stats.set_value(
            "newsarchiver/jsonl_file",
            self.layout.archive.relative(self.layout.articles_file),
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArchivedArticle):
            return item
        if self.max_articles and self.written >= self.max_articles:
            raise DropItem(
                f"max_articles ({self.max_articles}) reached: {item.url}", log_level="DEBUG"
            )
        if self.stats.get_value("newsarchiver/write_error"):
            raise DropItem(f"not written (the crawl is stopping): {item.url}", log_level="DEBUG")
        try:
            if self._file is None:
                self._file = AppendOnlyFile(self.layout.articles_file)
            self._file.append(item.to_json_line())
        except ArchiveWriteError as error:  # the file is as it was before this row
            stop_for_write_error(self.crawler, error)
            raise DropItem(f"not written: {item.url}", log_level="DEBUG") from None
        self.written += 1
        self.stats.inc_value("newsarchiver/articles")
        return item

    def close_spider(self) -> None:
        if self._file is not None:
            try:
                self._file.close()
            except ArchiveWriteError as error:
                logger.error("%s", error)
            self._file = None

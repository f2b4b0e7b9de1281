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

from ..files import AppendOnlyFile
from ..items import ArchivedArticle
from ..layout import CrawlLayout

logger = logging.getLogger(__name__)


class JsonlWriter:
    def __init__(self, layout: CrawlLayout, stats: StatsCollector, max_articles: int = 0) -> None:
        self.layout = layout
        self.stats = stats
        self.max_articles = max_articles
        self.written = 0
        self._file: AppendOnlyFile | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JsonlWriter:
        return cls(
            CrawlLayout.from_settings(crawler.settings),
            crawler.stats,
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
        if self._file is None:
            self._file = AppendOnlyFile(self.layout.articles_file)
        self._file.append(item.to_json_line())
        self.written += 1
        self.stats.inc_value("newsarchiver/articles")
        return item

    def close_spider(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

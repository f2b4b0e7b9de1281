"""The article index follows the crawl: new JSONL rows are indexed when the spider closes.

Only the lines the crawl appended are read (see index.py), so this costs what the crawl added,
not the archive's size. Queries catch up on their own too; this makes the first one fast.
"""

from __future__ import annotations

import logging
import sqlite3

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from ..articles.index import ArticleIndex, UpdateReport
from ..layout import OutputLayout

logger = logging.getLogger(__name__)


def update_index(layout: OutputLayout) -> UpdateReport | None:
    try:
        with ArticleIndex(layout.root) as index:
            return index.update()
    except sqlite3.Error as error:  # the archive is safe in JSONL; the index can be rebuilt
        logger.warning("article index not updated (%s); `newsarchiver reindex` rebuilds it", error)
        return None


class ArticleIndexUpdate:
    def __init__(self, layout: OutputLayout) -> None:
        self.layout = layout

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleIndexUpdate:
        if not crawler.settings.getbool("INDEX_ENABLED"):
            raise NotConfigured("INDEX_ENABLED is off")
        extension = cls(OutputLayout.from_settings(crawler.settings))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    async def spider_closed(self, spider: Spider, reason: str) -> UpdateReport | None:
        # after the JSONL writer has closed its file (pipelines close before this signal);
        # in a thread, as SQLite and FTS5 indexing is blocking CPU work
        result: UpdateReport | None = await maybe_deferred_to_future(
            deferToThread(update_index, self.layout)
        )
        return result

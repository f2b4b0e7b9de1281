"""The article index follows the crawl: caught up as the crawl opens, and again as it ends.

At open, so an incremental crawl's lookups see every row earlier runs wrote (a killed run's
too); at the end, so the first query after a crawl is fast. Only the lines added since the
last update are read (see articles/index.py), so this costs what was added, not the archive.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from ..articles.index import UpdateReport, catch_up
from ..errors import IndexUnavailable
from ..layout import ArchiveLayout

logger = logging.getLogger(__name__)


def update_index(output: Path) -> UpdateReport | None:
    try:
        return catch_up(output)
    except IndexUnavailable as error:  # the archive is safe in JSONL; the index can be rebuilt
        logger.warning("article index not updated (%s)", error)
        return None


class ArticleIndexUpdate:
    def __init__(self, layout: ArchiveLayout) -> None:
        self.layout = layout

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleIndexUpdate:
        if not crawler.settings.getbool("INDEX_ENABLED"):
            raise NotConfigured("INDEX_ENABLED is off")
        extension = cls(ArchiveLayout.from_settings(crawler.settings))
        # extensions are built before the engine and its downloader middlewares, and before
        # any request: the incremental lookups then read an index that is up to date
        update_index(extension.layout.root)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    async def spider_closed(self, spider: Spider, reason: str) -> UpdateReport | None:
        # after the JSONL writer has closed its file (pipelines close before this signal);
        # in a thread, as SQLite and FTS5 indexing is blocking CPU work
        result: UpdateReport | None = await maybe_deferred_to_future(
            deferToThread(update_index, self.layout.root)
        )
        return result

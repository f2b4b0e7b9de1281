"""FetchedPage → ArchivedArticle, or dropped as clearly not an article (counted by reason).

Extraction is CPU work: it runs in worker processes, one per core (``EXTRACTION_WORKERS``;
extraction/workers.py), so downloads and the WARC capture keep going on the reactor thread
while pages are parsed on every core.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from ..articles.rows import archived_article
from ..articles.versions import VersionClaims, VersionLedger
from ..crawl.failures import describe, report_error
from ..extraction import Article, NotAnArticle, rejection_reason
from ..extraction.workers import ExtractionWorkers, default_workers
from ..items import ArchivedArticle, FetchedPage
from ..layout import ArchiveLayout

logger = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


class ExtractionPipeline:
    def __init__(
        self,
        crawl_id: str,
        stats: StatsCollector,
        *,
        output: Path | None = None,
        markdown: bool = False,
        drop_selectors: Sequence[str] = (),
        workers: int | None = None,
        shared_versions: VersionClaims | None = None,
    ) -> None:
        self.crawl_id = crawl_id
        self.shared_versions = shared_versions
        self.stats = stats
        self.output = output
        self.versions: VersionLedger | None = None
        self.markdown = markdown
        self.drop_selectors = tuple(drop_selectors)
        self.worker_count = default_workers() if workers is None else workers
        self._workers: ExtractionWorkers | None = None

    @property
    def workers(self) -> ExtractionWorkers:
        """Started on the first page: a crawl that finds nothing starts no process."""
        if self._workers is None:
            self._workers = ExtractionWorkers(
                self.worker_count, markdown=self.markdown, drop_selectors=self.drop_selectors
            )
        return self._workers

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        return cls(
            settings.get("NEWSARCHIVER_CRAWL_ID"),
            crawler.stats,
            output=ArchiveLayout.from_settings(settings).root,
            markdown=settings.getbool("EXTRACTION_MARKDOWN"),
            drop_selectors=_selectors(settings.get("EXTRACTION_DROP_SELECTORS")),
            workers=None
            if settings.get("EXTRACTION_WORKERS") in (None, "")
            else settings.getint("EXTRACTION_WORKERS"),
            shared_versions=_shared_versions(crawler),
        )

    def open_spider(self) -> None:
        if self.output is not None:
            self.versions = VersionLedger(self.output, self.shared_versions)

    def close_spider(self) -> None:
        if self.versions is not None:
            self.versions.close()
        if self._workers is not None:
            self._workers.close()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        self._check_charset(item)
        if rejection := rejection_reason(item.html):
            report_error(
                self.stats, rejection.kind, f"not extracted: {rejection.message}", item.url
            )
            raise DropItem(f"{rejection.message}: {item.url}", log_level="DEBUG")
        try:
            article = await maybe_deferred_to_future(
                _deferred(self.workers.submit(item.html, item.url))
            )
        # a bug of ours or a library's on one page must not stop the crawl or print its HTML:
        # one line with the URL, counted; the page stays in the WARC for a later re-extraction
        except Exception as error:
            report_error(
                self.stats, "extraction_failed", f"extraction failed: {describe(error)}", item.url
            )
            raise DropItem(f"extraction failed: {item.url}", log_level="DEBUG") from None
        return self._to_row(article, item)

    def _to_row(self, article: Article | NotAnArticle, page: FetchedPage) -> ArchivedArticle:
        if isinstance(article, NotAnArticle):  # counted by reason; the WARC keeps the page
            self.stats.inc_value("newsarchiver/pages_not_article")
            self.stats.inc_value(f"newsarchiver/not_article/{article.reason}")
            raise DropItem(f"not an article ({article.reason}): {page.url}", log_level="DEBUG")
        row = archived_article(page, article, self.crawl_id)
        if self.versions is not None:
            placed = self.versions.place(row)
            if placed is None:  # the same text as its newest row: the WARC has the capture
                self.stats.inc_value("newsarchiver/incremental/unchanged")
                raise DropItem(f"unchanged since it was archived: {page.url}", log_level="DEBUG")
            row = placed
        if article.page_type == "uncertain":
            self.stats.inc_value("newsarchiver/articles_uncertain")
        if article.access == "open":
            self.stats.inc_value("newsarchiver/articles_extracted")
        else:  # still a row, marked, so nobody takes a teaser or a wall for the article
            self.stats.inc_value(f"newsarchiver/access/{article.access}")
            what = (
                "a paywall teaser"
                if article.access == "paywalled"
                else "a consent wall or bot check"
            )
            logger.warning("%s in place of the article: %s", what, page.url)
        return row

    def _check_charset(self, page: FetchedPage) -> None:
        """A charset name nobody knows: say which one was used instead."""
        match = _CHARSET.search(page.content_type)
        if not match:
            return
        try:
            codecs.lookup(match.group(1))
        except LookupError:
            self.stats.inc_value("newsarchiver/charset_fallbacks")
            logger.warning(
                "unknown charset %r, decoded as %s: %s", match.group(1), page.encoding, page.url
            )


def _deferred(future: Future[Any]) -> Deferred[Any]:
    """A Deferred that fires on the reactor thread when the worker's future is done."""
    from twisted.internet import reactor

    deferred: Deferred[Any] = Deferred()

    def settle(done: Future[Any]) -> None:
        if done.cancelled():  # the pool shut down under it: the page is not extracted
            deferred.errback(CancelledError(f"extraction cancelled: {done!r}"))
            return
        error = done.exception()
        if error is not None:
            deferred.errback(error)
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(settle, done))
    return deferred


def _shared_versions(crawler: Crawler) -> VersionClaims | None:
    """The worker's shared ledger in a crawl shared through Redis (the one that settles the
    claims as rows are written); None for a crawl of its own."""
    if not crawler.settings.get("REDIS_URL"):
        return None
    from ..scaleout.presence import WorkerPresence

    return WorkerPresence.of(crawler).ledger


def _selectors(value: Any) -> list[str]:
    """A list, or a JSON list in a string (``-s`` on the command line): selectors hold commas."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return [str(v) for v in value or []]

"""FetchedPage → ArchivedArticle, or dropped as not an article.

Extraction is CPU work: it runs in the reactor's thread pool so downloads and the WARC capture
keep going while a page is parsed.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from base64 import b32encode
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from ..crawlerrors import report_error
from ..extraction import Article, extract_article, rejection_reason
from ..items import ArchivedArticle, FetchedPage

logger = logging.getLogger(__name__)

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\s;\"']+)", re.I)


def text_digest(text: str) -> str:
    """SHA-1 in base32, as WARC payload digests are written, of the article text."""
    return "sha1:" + b32encode(hashlib.sha1(text.encode()).digest()).decode()


def archived_article(page: FetchedPage, article: Article, crawl_id: str) -> ArchivedArticle:
    """The JSONL row: the extracted article, completed by what feeds and sitemaps said."""
    hint_source = page.hints.get("source", "feed")
    for name in ("title", "published", "language"):  # the page's own word comes first
        article.fill(name, page.hints.get(name), hint_source)
    return ArchivedArticle(
        url=page.url,
        canonical_url=article.canonical_url,
        title=article.title,
        authors=article.authors,
        published=article.published,
        modified=article.modified,
        language=article.language,
        site_name=article.site_name,
        description=article.description,
        tags=article.tags,
        section=article.section,
        image=article.image,
        text=article.text,
        access=article.access,
        metadata_sources=article.metadata_sources,
        fetched_at=page.fetched_at,
        status=page.status,
        discovered_via=page.discovered_via,
        crawl_id=crawl_id,
        warc_file=page.warc_file,
        warc_record_id=page.warc_record_id,
        warc_offset=page.warc_offset,
        payload_digest=page.payload_digest,
        content_digest=text_digest(article.text),
        markdown=article.markdown,
    )


class ExtractionPipeline:
    def __init__(self, crawl_id: str, stats: StatsCollector, *, markdown: bool = False) -> None:
        self.crawl_id = crawl_id
        self.stats = stats
        self.markdown = markdown

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        return cls(
            settings.get("NEWSARCHIVER_CRAWL_ID"),
            crawler.stats,
            markdown=settings.getbool("EXTRACTION_MARKDOWN"),
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        self._check_charset(item)
        if reason := rejection_reason(item.html):
            kind = reason.split(" (")[0].replace(" ", "_")  # "binary body" -> binary_body
            report_error(self.stats, kind, f"not extracted: {reason}", item.url)
            raise DropItem(f"{reason}: {item.url}", log_level="DEBUG")
        article = await maybe_deferred_to_future(
            deferToThread(extract_article, item.html, item.url, markdown=self.markdown)
        )
        return self._to_row(article, item)

    def _to_row(self, article: Article | None, page: FetchedPage) -> ArchivedArticle:
        if article is None:
            self.stats.inc_value("newsarchiver/pages_not_article")
            raise DropItem(f"not an article: {page.url}", log_level="DEBUG")
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
        return archived_article(page, article, self.crawl_id)

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

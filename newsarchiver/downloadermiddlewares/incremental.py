"""Incremental crawls: an article already archived is not downloaded again, unless it may
have changed.

Listing pages, feeds and sitemaps are always fetched; an article page (a URL with a row in
the archive) is fetched again only when

- it is within the re-check window (published, or first archived, less than
  ``INCREMENTAL_RECHECK_HOURS`` ago: news gets corrected), or
- a feed or sitemap says it changed after we last fetched it (``<lastmod>``, ``<updated>``).

Then it is fetched conditionally, with the validators its last capture was served with
(``If-None-Match``, ``If-Modified-Since``): a 304 becomes a WARC revisit record and no new row;
a changed page a new row with the next ``version``. Everything else is skipped, and counted.
What is archived comes from the article index, read-only here: the crawl brings it up to date
as it opens (ArticleIndexUpdate, which runs before this middleware is built).
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.statscollectors import StatsCollector

from ..articles.index import connect_readonly
from ..dates import parse_iso
from ..errors import ArchiveReadError
from ..items import Meta
from ..layout import ArchiveLayout
from ..urls import article_key
from ..warc.writer import Original, read_record_at

logger = logging.getLogger(__name__)

#: requests for pages that may be articles; start pages, feeds and sitemaps are always fetched
_ARTICLE_SOURCES = ("link", "feed", "sitemap")


class AlreadyArchived(IgnoreRequest):
    """Not fetched: archived before and, by its dates, unchanged. Not an error."""


@dataclass(frozen=True)
class Archived:
    """What the archive holds of a URL: enough to decide, and to ask conditionally."""

    first_fetched: datetime
    last_fetched: datetime
    published: datetime | None
    version: int
    content_digest: str | None
    warc_file: str | None
    warc_offset: int | None


#: every row of a URL (as fetched, or by its canonical key); both columns are indexed, so this
#: is two index searches per article request, not a scan
ARCHIVED_SQL = (
    "SELECT fetched_at, published_utc, version, content_digest, warc_file, warc_offset "
    "FROM article_versions WHERE url = ? OR article_key = ? ORDER BY fetched_at"
)


def archived(db: sqlite3.Connection, url: str) -> Archived | None:
    rows = db.execute(ARCHIVED_SQL, (url, article_key(url))).fetchall()
    if not rows:
        return None
    first, last = rows[0], rows[-1]
    return Archived(
        first_fetched=parse_iso(first[0]) or datetime.min.replace(tzinfo=timezone.utc),
        last_fetched=parse_iso(last[0]) or datetime.min.replace(tzinfo=timezone.utc),
        published=parse_iso(last[1]),
        version=max(int(r[2] or 1) for r in rows),
        content_digest=last[3],
        warc_file=last[4],
        warc_offset=last[5],
    )


def last_capture(output: Path, found: Archived) -> tuple[Original | None, list[tuple[str, str]]]:
    """The last capture's record (for a revisit to refer to) and its validators."""
    if not found.warc_file or found.warc_offset is None:
        return None, []
    path = output / found.warc_file
    if not path.exists():
        path = path.with_name(path.name + ".open")
    try:
        record, _ = read_record_at(path, found.warc_offset)
    except ArchiveReadError:
        return None, []
    original = Original.of(record)
    http = record.http_headers
    validators = []
    if http is not None:
        if etag := http.get_header("ETag"):
            validators.append(("If-None-Match", etag))
        if modified := http.get_header("Last-Modified"):
            validators.append(("If-Modified-Since", modified))
    return original, validators


class IncrementalFetch:
    def __init__(self, output: Path, recheck: timedelta, stats: StatsCollector) -> None:
        self.output = output
        self.recheck = recheck
        self.stats = stats
        self.db: sqlite3.Connection | None = None
        #: article URLs let through in this run: feed and sitemap requests that say a page
        #: changed bypass Scrapy's duplicate filter (a link to the page may have been skipped
        #: first), so repeats are stopped here instead
        self.fetched: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalFetch:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED"):
            raise NotConfigured  # no message: Scrapy would log a warning on every crawl
        layout = ArchiveLayout.from_settings(settings)
        middleware = cls(
            layout.root,
            timedelta(hours=settings.getfloat("INCREMENTAL_RECHECK_HOURS")),
            crawler.stats,
        )
        middleware.open()
        return middleware

    def open(self) -> None:
        """The archive as it stands now, read-only (the crawl caught the index up already)."""
        path = ArchiveLayout(self.output).article_index
        if not path.exists():
            return
        try:
            self.db = connect_readonly(path)
            self.db.execute("SELECT 1 FROM article_versions LIMIT 1")
        except sqlite3.Error as error:
            logger.warning("incremental crawl off: the article index is unreadable (%s)", error)

    def process_request(self, request: Request) -> None:
        if (
            request.method != "GET"
            or request.meta.get(Meta.DISCOVERED_VIA) not in _ARTICLE_SOURCES
            or Meta.RECHECKED in request.meta  # a redirect or retry of one already decided
        ):
            return
        if request.url in self.fetched:
            raise AlreadyArchived("fetched already in this run")
        found = archived(self.db, request.url) if self.db is not None else None
        if found is None:
            self.fetched.add(request.url)
            return
        now = datetime.now(timezone.utc)
        age = now - (found.published or found.first_fetched)
        said_changed = parse_iso(request.meta.get(Meta.LASTMOD))
        changed = said_changed is not None and said_changed > found.last_fetched
        if age > self.recheck and not changed:
            self.stats.inc_value("newsarchiver/incremental/skipped")
            raise AlreadyArchived(f"archived {found.last_fetched:%Y-%m-%d %H:%M}, unchanged since")
        self.fetched.add(request.url)
        request.meta[Meta.RECHECKED] = True
        original, validators = last_capture(self.output, found)
        for name, value in validators:
            request.headers[name] = value
        if original and validators:
            request.meta[Meta.NOT_MODIFIED_OF] = original
            statuses = request.meta.get("handle_httpstatus_list", [])
            request.meta["handle_httpstatus_list"] = [*statuses, 304]
        self.stats.inc_value("newsarchiver/incremental/rechecked")

    def process_response(self, request: Request, response: Any) -> Any:
        if response.status == 304 and Meta.NOT_MODIFIED_OF in request.meta:
            self.stats.inc_value("newsarchiver/incremental/unchanged")
        return response

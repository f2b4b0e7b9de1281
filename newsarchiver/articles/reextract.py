"""The text again from the record: the current extractor over the archive's own WARC files.

The WARC holds what was fetched; the JSONL rows are derived from it. When extraction improves,
``reextract`` reads every archived HTML response again (no fetching) and writes a row where the
text comes out different from the row that capture has (or where the capture has no row yet: a
page an older extractor left out), into ``OUTPUT/articles/YYYY-MM/REEXTRACT_ID.jsonl``.

A new row for a capture keeps that capture's version number and fetch time, so history stays
the history of the page (history.py reads the newest extraction of each version); a row for a
capture that had none is placed as a crawl would place it (versions.py). Every row says which
extractor made it (``extractor``).
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..crawl.failures import describe
from ..extraction import Article, NotAnArticle, rejection_reason
from ..extraction.workers import ExtractionWorkers, default_workers
from ..files import AppendOnlyFile
from ..items import FetchedPage
from ..layout import ArchiveLayout, CrawlLayout, new_crawl_id
from ..urls import site_key, site_names
from ..warc.importer import html_pages
from .index import catch_up, connect_readonly
from .rows import archived_article
from .sametext import comparable
from .versions import VersionLedger

logger = logging.getLogger(__name__)


@dataclass
class ReextractReport:
    #: archived HTML responses read (after --site and --since)
    pages: int = 0
    #: rows written: captures whose text came out different, and captures that had no row
    changed: int = 0
    added: int = 0
    #: captures whose text came out as it was (no row written)
    unchanged: int = 0
    #: pages the extractor judges not to be articles (they stay in the WARC only)
    not_articles: int = 0
    failed: int = 0
    jsonl_file: Path | None = None


@dataclass(frozen=True)
class _Row:
    """What the archive holds for one capture: its newest row (its text is read only when
    the digests differ, so memory does not grow with the archive's text)."""

    id: int
    version: int
    content_digest: str
    discovered_via: str


class Reextraction:
    """One re-extraction run over ``output``; ``site`` and ``since`` (capture day) narrow it."""

    def __init__(
        self,
        output: Path,
        *,
        site: str | None = None,
        since: date | None = None,
        markdown: bool = False,
        workers: int | None = None,
    ) -> None:
        self.archive = ArchiveLayout(output).require()
        #: extraction processes (extraction/workers.py): one per core unless told
        self.workers = default_workers() if workers is None else workers
        self.layout = CrawlLayout(self.archive, new_crawl_id())
        self.site = site
        self.since = since.isoformat() if since else None
        self.markdown = markdown
        self._db: sqlite3.Connection | None = None

    def run(self, progress: Callable[[ReextractReport], None] | None = None) -> ReextractReport:
        catch_up(self.archive.root)  # every row written so far is known below
        report = ReextractReport()
        rows = self._rows_by_capture()
        versions = VersionLedger(self.archive.root)
        jsonl: AppendOnlyFile | None = None
        index = self.archive.article_index
        self._db = connect_readonly(index) if index.exists() else None
        workers = ExtractionWorkers(self.workers, markdown=self.markdown)
        try:
            for page, result in workers.in_order(self._pages(report), lambda p: (p.html, p.url)):
                report.pages += 1
                before = rows.get(page.warc_record_id or "")
                row = self._row(page, result, before, versions, report)
                if row is not None:
                    if jsonl is None:
                        jsonl = AppendOnlyFile(self.layout.articles_file)
                        report.jsonl_file = jsonl.path
                    jsonl.append(row)
                if progress:
                    progress(report)
        finally:
            workers.close()
            versions.close()
            if self._db is not None:
                self._db.close()
            if jsonl is not None:
                jsonl.close()
        catch_up(self.archive.root)
        return report

    def _pages(self, report: ReextractReport) -> Iterator[FetchedPage]:
        for path in self.archive.warc_files():
            for page in html_pages(path, self.archive.relative(path)):
                if self.since and page.fetched_at[:10] < self.since:
                    continue
                if self.site and not site_names(self.site, site_key(page.url)):
                    continue
                if rejection_reason(page.html):  # empty, binary or huge: nothing to extract
                    report.pages += 1
                    report.not_articles += 1
                    continue
                yield page

    def _row(
        self,
        page: FetchedPage,
        article: Article | NotAnArticle | Exception,
        before: _Row | None,
        versions: VersionLedger,
        report: ReextractReport,
    ) -> bytes | None:
        if isinstance(article, Exception):  # as in a crawl: one line, the page stays in the WARC
            logger.warning("extraction failed: %s: %s", describe(article), page.url)
            report.failed += 1
            return None
        if not isinstance(article, Article):
            report.not_articles += 1
            return None
        page.discovered_via = before.discovered_via if before else "reextract"
        row = archived_article(page, article, self.layout.crawl_id)
        if before is None:
            placed = versions.place(row)
            if placed is None:  # the text of the article's newest row, from another capture
                report.unchanged += 1
                return None
            report.added += 1
            return placed.to_json_line()
        if row.content_digest == before.content_digest or self._same_text(before, row.text):
            report.unchanged += 1
            return None
        report.changed += 1
        return dataclasses.replace(row, version=before.version).to_json_line()

    def _same_text(self, before: _Row, text: str) -> bool:
        if self._db is None:
            return False
        found = self._db.execute("SELECT text FROM article_texts WHERE id = ?", (before.id,))
        old = found.fetchone()
        return old is not None and comparable(str(old[0] or "")) == comparable(text)

    def _rows_by_capture(self) -> dict[str, _Row]:
        """The newest row of each capture (by WARC record id), from the article index."""
        path = self.archive.article_index
        if not path.exists():
            return {}
        db = connect_readonly(path)
        try:
            found = db.execute(
                "SELECT warc_record_id, id, version, content_digest, discovered_via "
                "FROM article_versions WHERE warc_record_id IS NOT NULL ORDER BY id"
            )
            return {
                record: _Row(int(id_), int(version), str(digest or ""), str(via or "link"))
                for record, id_, version, digest, via in found
            }
        except sqlite3.Error:
            return {}
        finally:
            db.close()

"""Exactly one row per version of an article, whatever writes it (a crawl of any kind, import).

A new row whose text has the same digest as the article's newest archived row, or the same
text as sametext.py compares them (re-typeset quotes, spacing), is not written (its capture is
in the WARC, often as a revisit record); a changed text gets the next ``version``. "The
article" is the row's ``article_key`` (canonical URL, else URL; see urls.py), looked up in the
article index (read-only: the crawl or import caught it up as it started) and in the rows this
run wrote itself. Each lookup is one indexed SQLite read (two when the digest differs).
In a crawl shared by several workers, the version is then claimed in the shared ledger
(scaleout/ledger.py), which sees what the other workers wrote since this one started.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass
from hashlib import sha1
from pathlib import Path
from typing import Protocol

from ..items import ArchivedArticle
from ..layout import ArchiveLayout
from ..urls import article_key
from .index import connect_readonly
from .sametext import comparable

_NEWEST = (
    "SELECT max(version), (SELECT content_digest FROM article_versions WHERE article_key = ?1 "
    "ORDER BY fetched_at DESC, id DESC LIMIT 1) FROM article_versions WHERE article_key = ?1"
)
_NEWEST_TEXT = (
    "SELECT t.text FROM article_versions v JOIN article_texts t ON t.id = v.id "
    "WHERE v.article_key = ? ORDER BY v.fetched_at DESC, v.id DESC LIMIT 1"
)


@dataclass(frozen=True)
class LastVersion:
    version: int
    content_digest: str | None
    #: the text, when this run wrote it (made comparable only if the URL comes again: most
    #: never do, and making every row's text comparable was 2.6 % of a crawl process, py-spy)
    text: str | None = None


class VersionClaims(Protocol):
    """Versions claimed across processes (scaleout/ledger.py's SharedLedger)."""

    def claim(self, article_key: str, digest: str, text_hash: str, base_version: int) -> int: ...


class VersionLedger:
    def __init__(self, output: Path, shared: VersionClaims | None = None) -> None:
        self.shared = shared
        path = ArchiveLayout(output).article_index
        self._db: sqlite3.Connection | None = None
        if path.exists():
            try:
                self._db = connect_readonly(path)
                self._db.execute("SELECT 1 FROM article_versions LIMIT 1")
            except sqlite3.Error:  # no usable index: this run's own rows still count
                self._db = None
        self._written: dict[str, LastVersion] = {}

    def last(self, key: str) -> LastVersion | None:
        if key in self._written:
            return self._written[key]
        if self._db is None:
            return None
        version, digest = self._db.execute(_NEWEST, (key,)).fetchone()
        return LastVersion(int(version), digest) if version is not None else None

    def place(self, row: ArchivedArticle) -> ArchivedArticle | None:
        """The row with its version, or None when its text is the newest archived one."""
        key = article_key(row.canonical_url or row.url)
        last = self.last(key)
        if last is not None and (
            last.content_digest == row.content_digest or self._same_text(key, last, row.text)
        ):
            return None
        version = last.version + 1 if last else 1
        if self.shared is not None:
            text_hash = sha1(comparable(row.text).encode()).hexdigest()
            version = self.shared.claim(key, row.content_digest or "", text_hash, version - 1)
            if not version:  # another worker archived (or is writing) this text
                return None
        placed = dataclasses.replace(row, version=version)
        self._written[key] = LastVersion(placed.version, placed.content_digest, row.text)
        return placed

    def _same_text(self, key: str, last: LastVersion, text: str) -> bool:
        """Different bytes, same text (re-typeset quotes, spacing): no new version. Asked only
        when the digests differ, so an unchanged article costs no text read."""
        before = last.text
        if before is None and self._db is not None:
            found = self._db.execute(_NEWEST_TEXT, (key,)).fetchone()
            before = found[0] if found else None
        return before is not None and comparable(before) == comparable(text)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()

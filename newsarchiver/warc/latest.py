"""The newest capture of each URL, in one SQLite table: the revisit check in constant time.

Each 2xx response asks "what was this URL's last capture, and is the payload the same?".
Bisecting every CDXJ file costs one file open per WARC file ever written (4.8 ms per response at
200 files, 52 ms at 2,000: a site crawled every 30 minutes makes ~50 a day). This table answers
with one indexed read, whatever the archive's age.

``OUTPUT/index/latest.sqlite`` is derived from the CDXJ files, like them from the WARCs: as a
crawl opens it, the CDXJ files it has not seen (or that changed size) are read once, one
transaction each; captures of the running crawl are the writer's own to remember. ``reindex``
deletes it; it is built again on the next crawl.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..layout import ArchiveLayout
from .cdxj import Capture, surt_key

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS latest (
    urlkey TEXT PRIMARY KEY, timestamp TEXT NOT NULL, line TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cdxj_files (name TEXT PRIMARY KEY, size INTEGER NOT NULL);
"""
# a capture replaces the stored one only when it is as new or newer (files arrive in any order)
_UPSERT = (
    "INSERT INTO latest (urlkey, timestamp, line) VALUES (?, ?, ?) "
    "ON CONFLICT (urlkey) DO UPDATE SET timestamp = excluded.timestamp, line = excluded.line "
    "WHERE excluded.timestamp >= latest.timestamp"
)


class LatestCaptures:
    def __init__(self, output: Path) -> None:
        self.layout = ArchiveLayout(output)
        self.path = self.layout.index_dir / "latest.sqlite"
        self.db: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection | None:
        """The table, caught up with every CDXJ file; None where it cannot be written (a
        read-only archive: the check then finds no previous capture, and writes a response)."""
        if self.db is not None:
            return self.db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            logger.warning("no capture table at %s (%s): no revisit records", self.path, error)
            return None
        self.db = db
        self._catch_up(db)
        return db

    def _catch_up(self, db: sqlite3.Connection) -> None:
        known = dict(db.execute("SELECT name, size FROM cdxj_files").fetchall())
        directory = self.layout.cdxj_dir
        if not directory.is_dir():
            return
        for path in sorted(directory.glob("*.cdxj")):
            size = path.stat().st_size
            if known.get(path.name) != size:
                with path.open(encoding="utf-8") as lines:
                    self._add(db, path.name, size, (Capture.from_line(line) for line in lines))

    @staticmethod
    def _add(db: sqlite3.Connection, name: str, size: int, captures: Iterable[Capture]) -> None:
        with db:
            db.executemany(_UPSERT, ((c.urlkey, c.timestamp, c.to_line()) for c in captures))
            db.execute(
                "INSERT INTO cdxj_files (name, size) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET size = excluded.size",
                (name, size),
            )

    def get(self, url: str) -> Capture | None:
        """The URL's newest capture in an earlier WARC file (one indexed read)."""
        db = self._open()
        if db is None:
            return None
        found = db.execute("SELECT line FROM latest WHERE urlkey = ?", (surt_key(url),))
        row = found.fetchone()
        return Capture.from_line(row[0]) if row else None

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

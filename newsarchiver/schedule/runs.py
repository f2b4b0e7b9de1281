"""Run history: every crawl of a configured site, with how it ended and what it did.

``OUTPUT/schedule/runs.sqlite``; written by the crawl itself (``crawl --site``), whether the
scheduler, cron, or a person started it, so every way of running a site leaves the same record.
Each write is one short transaction (WAL mode): a scheduler and several crawls share the file.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..crawl.job import SHUTDOWN
from ..crawl.summary import CrawlSummary
from ..dates import fetched_at, now, parse_iso
from ..errors import ArchiveWriteError
from ..layout import ArchiveLayout

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    crawl_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    pid INTEGER,
    pages INTEGER,
    articles INTEGER,
    unchanged INTEGER,
    skipped INTEGER,
    errors INTEGER,
    detail TEXT,
    log_file TEXT
);
CREATE INDEX IF NOT EXISTS runs_site ON runs (site, started_at);
"""
#: how a run ends: Scrapy's finish reason "finished" (or a limit reached) → finished;
#: "shutdown" (SIGINT/SIGTERM) → interrupted, resumed by the next run; anything else → failed
RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"
#: a run handed to a crawl shared through Redis (``schedule run --redis-url``): its workers
#: crawl it, and their own summaries say what they did
SEEDED = "seeded"
#: the detail of a run whose process vanished (kill -9, a power cut): its job state is not
#: to be trusted (Scrapy writes it only when it closes), unlike a run stopped by a signal
ORPHANED = "process gone before it ended"


def _now() -> str:
    return fetched_at(now())


@dataclass
class Run:
    id: int
    site: str
    crawl_id: str
    started_at: str
    ended_at: str | None
    status: str
    pid: int | None
    pages: int | None
    articles: int | None
    unchanged: int | None
    skipped: int | None
    errors: int | None
    detail: str | None
    #: the run's log: everything the crawl (and, run by the scheduler, its process) said
    log_file: str | None = None

    @property
    def started(self) -> datetime:
        started = parse_iso(self.started_at)
        assert started is not None, self.started_at  # written by _now()
        return started


def status_of(finish_reason: str) -> str:
    if finish_reason == SHUTDOWN:
        return INTERRUPTED
    if finish_reason == "finished" or finish_reason.startswith("closespider_"):
        return FINISHED
    return FAILED


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunLog:
    def __init__(self, output: Path) -> None:
        self.path = ArchiveLayout(output).runs_db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            columns = {row["name"] for row in self.db.execute("PRAGMA table_info(runs)")}
            if "log_file" not in columns:  # a history from before runs kept their log
                self.db.execute("ALTER TABLE runs ADD COLUMN log_file TEXT")
        except (OSError, sqlite3.Error) as error:
            message = f"cannot open the run history {self.path}: {error}"
            raise ArchiveWriteError(message, self.path) from None

    def close(self) -> None:
        self.db.close()

    def start(
        self, site: str, crawl_id: str, pid: int | None = None, log_file: str | None = None
    ) -> int:
        """Records a run as it starts; raises ArchiveWriteError when it cannot (so no run
        goes unrecorded)."""
        try:
            with self.db as db:
                cursor = db.execute(
                    "INSERT INTO runs (site, crawl_id, started_at, status, pid, log_file) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (site, crawl_id, _now(), RUNNING, pid or os.getpid(), log_file),
                )
                return int(cursor.lastrowid or 0)
        except sqlite3.Error as error:
            message = f"cannot record the run in {self.path}: {error}"
            raise ArchiveWriteError(message, self.path) from None

    def finish(self, run_id: int, status: str, summary: CrawlSummary | None, detail: str) -> None:
        """Records how a run ended; when that cannot be written (a full disk), the run stays
        "running" until its process is found gone, and is then closed as interrupted."""
        try:
            self._finish(run_id, status, summary, detail)
        except sqlite3.Error as error:
            logger.warning("run %d not recorded as %s in %s: %s", run_id, status, self.path, error)

    def _finish(self, run_id: int, status: str, summary: CrawlSummary | None, detail: str) -> None:
        with self.db as db:
            db.execute(
                "UPDATE runs SET ended_at = ?, status = ?, pages = ?, articles = ?, unchanged = ?,"
                " skipped = ?, errors = ?, detail = ? WHERE id = ?",
                (
                    _now(),
                    status,
                    summary.pages if summary else None,
                    summary.articles if summary else None,
                    summary.unchanged if summary else None,
                    summary.skipped if summary else None,
                    summary.errors if summary else None,
                    detail,
                    run_id,
                ),
            )

    def close_orphans(self) -> None:
        """Runs still marked running whose process is gone (killed, or the machine stopped)."""
        rows = self.db.execute("SELECT id, pid FROM runs WHERE status = ?", (RUNNING,)).fetchall()
        for row in rows:
            if not row["pid"] or not _alive(row["pid"]):
                self.finish(row["id"], INTERRUPTED, None, ORPHANED)

    def runs(self, site: str | None = None, limit: int = 50) -> list[Run]:
        where, args = ("WHERE site = ?", [site]) if site else ("", [])
        rows = self.db.execute(
            f"SELECT * FROM runs {where} ORDER BY started_at DESC, id DESC LIMIT ?",
            [*args, limit],
        ).fetchall()
        return [Run(**dict(row)) for row in rows]

    def last(self, site: str) -> Run | None:
        found = self.runs(site, limit=1)
        return found[0] if found else None

    def last_finished(self, site: str) -> Run | None:
        row = self.db.execute(
            "SELECT * FROM runs WHERE site = ? AND status = ? ORDER BY started_at DESC LIMIT 1",
            (site, FINISHED),
        ).fetchone()
        return Run(**dict(row)) if row else None

    def articles_so_far(self, site: str) -> int:
        row = self.db.execute("SELECT sum(articles) FROM runs WHERE site = ?", (site,)).fetchone()
        return int(row[0] or 0)

    def __enter__(self) -> RunLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

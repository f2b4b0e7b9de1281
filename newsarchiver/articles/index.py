"""The article index: a SQLite database derived from the JSONL archive, for fast search.

``OUTPUT/index/articles.sqlite`` is never the record: delete it and ``reindex`` (or the next
query) builds it again from ``OUTPUT/articles/**/*.jsonl``. It is brought up to date
incrementally: for each JSONL file the index remembers how many bytes it has read, and reads
only the complete lines after that (a line still being written is left for next time).

Only writers bring it up to date (:func:`catch_up`: a crawl as it opens and ends, ``import``,
``reindex``, ``query`` before it reads, ``serve`` in a background thread); readers
(:func:`open_index`: web requests, the incremental crawl's lookups) open it read-only.

Tables (also what ``query --sql`` sees):

- ``article_versions``: one row per JSONL row, metadata only (narrow, so counts scan fast);
  ``page_type`` is "article" or "uncertain" (queries show articles unless asked otherwise);
  ``current`` is 1 for the newest capture of each article: a row is superseded by a newer one
  with the same ``article_key`` (the canonical URL when given, else the URL, normalised) or the
  same text (``content_digest``). ``site_key`` is the site's registered domain, the one answer
  to "which site" (see urls.py).
- ``article_texts`` (id, title, text) and ``articles_fts``, an FTS5 index over them (external
  content, so the text is stored once; diacritics folded so "hafen" finds "Häfen").
- ``article_authors``, ``article_tags``: one row per author / tag, for exact filters.
- ``articles``: a view of the current versions with their text: what users query.
- ``sources``: JSONL files read so far and up to which byte.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import queue
import re
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..dates import iso_utc
from ..errors import ArchiveWriteError, IndexUnavailable
from ..files import unless_held
from ..layout import ArchiveLayout
from ..urls import article_key, site_key, site_names
from .jsonl import parse_line
from .stems import same_stem, stemmed_languages

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 6  # a different version on disk: the index is built again
#: user_version while an empty index is being filled in bulk: one left so by a kill is built
#: again from the start (its rows are not yet superseded and it has no indexes)
BUILDING = 1000 + SCHEMA_VERSION
#: a language is stemmed in searches when at least this share of the articles is in it
MAIN_SHARE = 0.1
#: rows per transaction while indexing: large enough to amortise commits, small enough that an
#: interrupted update loses little work
BATCH = 5000
#: FTS5's automerge (how many segments of one size it lets gather before merging them; its
#: default is 4) while an empty index is filled: each word list is merged fewer times. On
#: bench/query.py's 200,000 articles a build took 35 s instead of 45 s, with the same search
#: times afterwards; back to the default once built, so later updates merge as usual.
BULK_AUTOMERGE = 16
DEFAULT_AUTOMERGE = 4
_AUTOMERGE = "INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', ?)"

_TABLES = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    offset INTEGER NOT NULL,
    lines INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS article_versions (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    article_key TEXT NOT NULL,
    canonical_url TEXT,
    title TEXT,
    authors TEXT NOT NULL,
    agencies TEXT NOT NULL DEFAULT '[]',
    published TEXT,
    published_day TEXT,
    published_utc TEXT,
    modified TEXT,
    language TEXT,
    site_name TEXT,
    domain TEXT NOT NULL,
    site_key TEXT NOT NULL,
    description TEXT,
    tags TEXT NOT NULL,
    section TEXT,
    image TEXT,
    access TEXT NOT NULL,
    page_type TEXT NOT NULL DEFAULT 'article',
    page_evidence TEXT NOT NULL DEFAULT '{}',
    extractor TEXT,
    metadata_sources TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER,
    discovered_via TEXT,
    crawl_id TEXT,
    warc_file TEXT,
    warc_record_id TEXT,
    warc_offset INTEGER,
    payload_digest TEXT,
    content_digest TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    current INTEGER NOT NULL,
    source TEXT NOT NULL,
    line INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS article_texts (
    id INTEGER PRIMARY KEY, title TEXT, text TEXT, markdown TEXT
);
CREATE TABLE IF NOT EXISTS article_authors (article_id INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS article_tags (article_id INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='article_texts', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"""
#: the indexes on the tables: dropped while an empty index is filled and made once at the end
#: (a bulk load writes each B-tree once, in order, instead of row by row)
_INDEXES = """
CREATE INDEX IF NOT EXISTS versions_article_key ON article_versions (article_key);
CREATE INDEX IF NOT EXISTS versions_url ON article_versions (url);
CREATE INDEX IF NOT EXISTS versions_digest ON article_versions (content_digest) WHERE current = 1;
-- page_type too, so counts by site and day read this index alone (on the 200,000 rows of
-- bench/query.py 120 ms, against 470 through the index without it and 210 for a table scan)
DROP INDEX IF EXISTS versions_current_day;
CREATE INDEX IF NOT EXISTS versions_current_type_day
    ON article_versions (current, page_type, site_name, published_day, domain, language);
CREATE INDEX IF NOT EXISTS versions_changed ON article_versions (fetched_at) WHERE version > 1;
CREATE INDEX IF NOT EXISTS authors_name ON article_authors (name COLLATE NOCASE, article_id);
CREATE INDEX IF NOT EXISTS tags_tag ON article_tags (tag COLLATE NOCASE, article_id);
"""
_VIEWS = """
CREATE VIEW IF NOT EXISTS articles AS
    SELECT v.*, t.text AS text, t.markdown AS markdown
    FROM article_versions v LEFT JOIN article_texts t ON t.id = v.id
    WHERE v.current = 1;
"""
_SCHEMA = _TABLES + _INDEXES + _VIEWS
_INDEX_NAMES = re.findall(r"CREATE INDEX IF NOT EXISTS (\w+)", _INDEXES)

_VERSION_COLUMNS = (
    "url", "article_key", "canonical_url", "title", "authors", "agencies", "published",
    "published_day",
    "published_utc", "modified", "language", "site_name", "domain", "site_key", "description",
    "tags",
    "section", "image", "access", "page_type", "page_evidence", "extractor", "metadata_sources",
    "fetched_at", "status", "discovered_via",
    "crawl_id", "warc_file", "warc_record_id", "warc_offset", "payload_digest", "content_digest",
    "version", "current", "source", "line",
)  # fmt: skip
_INSERT_VERSION = (
    f"INSERT INTO article_versions (id, {', '.join(_VERSION_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in _VERSION_COLUMNS)})"
)


@dataclass
class UpdateReport:
    files: int = 0
    added: int = 0
    malformed: int = 0


def connect_readonly(path: Path) -> sqlite3.Connection:
    """The index opened for reading only. On a read-only archive (a read-only mount, a DVD, a
    copy someone may not change) SQLite cannot make the WAL's shared-memory file, so the file
    is opened as immutable there: nobody can be writing it."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(f"file:{path}?immutable=1", uri=True)


class ArticleIndex:
    def __init__(
        self,
        output: Path,
        *,
        readonly: bool = False,
        path: Path | None = None,
        private: bool = False,
    ) -> None:
        """``private``: a new file at ``path`` that no other connection opens (a build beside
        the index in place, see :func:`build_index`): written without a journal, which halves
        what a bulk load writes (a WAL writes each page twice); in WAL mode once built."""
        self.layout = ArchiveLayout(output)
        self.path = path or self.layout.article_index
        self.readonly = readonly
        self.private = private
        self._progress: Callable[[UpdateReport], None] | None = None
        self._vocabulary = False
        self._forms: dict[str, list[str]] = {}
        self._bulk = False
        self._build_lock: IO[str] | None = None
        if readonly:
            self.db = connect_readonly(self.path)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute(f"PRAGMA journal_mode={'OFF' if private else 'WAL'}")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version == BUILDING and not self._may_build():
                self.close()
                raise IndexUnavailable(
                    f"{self.path} is being built by another process; try again when it is done"
                )
            if version not in (0, SCHEMA_VERSION):  # written by another version, or a build
                self._drop_all(interrupted=version == BUILDING)  # cut off: built again
            self.db.executescript(_SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.db.row_factory = sqlite3.Row
        # "which site" in SQL is the same Python rule as everywhere else
        self.db.create_function("names_site", 3, site_names, deterministic=True)

    def close(self) -> None:
        self.db.close()
        self._release_build_lock()

    # -- searching ----------------------------------------------------------------------------

    def same_stem(self, word: str) -> list[str]:
        """``word`` and the indexed words with its stem in the archive's main languages;
        looked up once per word for this connection (a results page counts, then searches)."""
        if word not in self._forms:
            self._forms[word] = same_stem(word, self.search_languages, self._words_starting)
        return self._forms[word]

    @cached_property
    def search_languages(self) -> list[str]:
        """The languages a search word is stemmed in: those of at least a tenth of the
        articles (and always the most common), so a small share of another language does not
        add its stemmer's guesses to every search."""
        counts = self.db.execute(
            "SELECT language, count(*) FROM article_versions WHERE current = 1 "
            "AND language IS NOT NULL GROUP BY language ORDER BY 2 DESC"
        ).fetchall()
        total = sum(n for _, n in counts)
        main = [lang for i, (lang, n) in enumerate(counts) if i == 0 or n >= total * MAIN_SHARE]
        return stemmed_languages(main)

    def _words_starting(self, prefix: str, limit: int) -> list[str]:
        if not self._vocabulary:  # FTS5's own list of the index's words, for this connection
            self.db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_words "
                "USING fts5vocab(main, articles_fts, row)"
            )
            self._vocabulary = True
        rows = self.db.execute(
            "SELECT term FROM temp.articles_words WHERE term >= ? AND term < ? LIMIT ?",
            (prefix, prefix + "\U0010ffff", limit),
        )
        return [row[0] for row in rows]

    def _drop_all(self, *, interrupted: bool = False) -> None:
        why = "its build was interrupted" if interrupted else "it is from another version"
        logger.warning("the index at %s: %s; building it again", self.path, why)
        objects = self.db.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts_%'"
        ).fetchall()
        with self.db:
            for kind, name in objects:
                self.db.execute(f"DROP {kind.upper()} IF EXISTS {name}")

    def __enter__(self) -> ArticleIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building --------------------------------------------------------------------------

    def update(self, progress: Callable[[UpdateReport], None] | None = None) -> UpdateReport:
        """Read what the JSONL files gained since the last update; ``progress`` is told after
        each batch of rows."""
        report = UpdateReport()
        self._progress = progress
        self._bulk = self._is_empty()
        if self._bulk:
            self._start_bulk()
        forgotten = False
        known = {row["path"]: row for row in self.db.execute("SELECT * FROM sources")}
        for path in self.layout.jsonl_files():
            name = self.layout.relative(path)
            offset, lines = (
                (known[name]["offset"], known[name]["lines"]) if name in known else (0, 0)
            )
            size = path.stat().st_size
            if size < offset:  # replaced or truncated: read it again from the start
                logger.warning("%s shrank since it was indexed; indexing it again", path)
                self._forget(name)
                forgotten = True
                offset, lines = 0, 0
            if size == offset:
                continue
            report.files += 1
            self._read_file(path, name, offset, lines, report)
        if self._bulk:
            self._end_bulk()
        if forgotten:  # versions the forgotten rows had superseded may be current again
            with self.db:
                self.db.execute("UPDATE article_versions SET current = 1")
                self._supersede(0)
        return report

    def _is_empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM article_versions LIMIT 1").fetchone() is None

    def _may_build(self) -> bool:
        """Takes the build lock if no other process holds it: a BUILDING mark whose lock is
        free was left by a build that was killed; a held one is a build under way."""
        if self._build_lock is None:
            self._build_lock = self.path.with_name(self.path.name + ".building").open("a")
        try:
            fcntl.flock(self._build_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _start_bulk(self) -> None:
        """An empty index filled from scratch (a first build, ``reindex``): no secondary
        index and no superseding until the end, and no fsync per batch (a kill or a crash
        leaves the BUILDING mark, and the next open builds it again)."""
        if not self._may_build():
            raise IndexUnavailable(f"{self.path} is being built by another process")
        self.db.execute(f"PRAGMA user_version={BUILDING}")
        for name in _INDEX_NAMES:
            self.db.execute(f"DROP INDEX IF EXISTS {name}")
        self.db.execute("PRAGMA synchronous=OFF")
        with self.db:
            self.db.execute(_AUTOMERGE, (BULK_AUTOMERGE,))

    def _end_bulk(self) -> None:
        self.db.executescript(_INDEXES)
        with self.db:
            self._supersede(0)
            self.db.execute(_AUTOMERGE, (DEFAULT_AUTOMERGE,))
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.db.commit()
        if self.private:  # as every index is once in its place: readers do not block it
            self.db.execute("PRAGMA journal_mode=WAL")
        self._bulk = False
        self._release_build_lock(done=True)

    def _release_build_lock(self, *, done: bool = False) -> None:
        if self._build_lock is not None:
            if done:  # built: the lock's file goes (a killed build's stays, with its mark)
                Path(self._build_lock.name).unlink(missing_ok=True)
            self._build_lock.close()  # closing drops the lock
            self._build_lock = None

    def _forget(self, source: str) -> None:
        with self.db:
            ids = [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM article_versions WHERE source = ?", (source,)
                )
            ]
            for article_id in ids:
                row = self.db.execute(
                    "SELECT title, text FROM article_texts WHERE id = ?", (article_id,)
                ).fetchone()
                self.db.execute(
                    "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                    "VALUES ('delete', ?, ?, ?)",
                    (article_id, *row),
                )
            for table, column in (
                ("article_versions", "id"),
                ("article_texts", "id"),
                ("article_authors", "article_id"),
                ("article_tags", "article_id"),
            ):
                self.db.executemany(
                    f"DELETE FROM {table} WHERE {column} = ?",
                    [(i,) for i in ids],
                )
            self.db.execute("DELETE FROM sources WHERE path = ?", (source,))

    def _read_file(
        self, path: Path, name: str, offset: int, lines: int, report: UpdateReport
    ) -> None:
        """Rows from ``offset`` on, in batches; a thread reads and prepares the next batch
        while SQLite indexes the words of this one (one statement that lets go of the GIL, so
        the two run on two cores; the other inserts bind values in Python, and a reader
        working then would make both wait for the GIL)."""
        batches: _Batches = _Batches()
        reader = threading.Thread(
            target=_prepare_batches,
            args=(path, name, offset, lines, report, batches),
            name="newsarchiver-index-reader",
            daemon=True,
        )
        reader.start()
        try:
            while (batch := batches.items.get()) is not None:
                if isinstance(batch, BaseException):
                    raise batch
                report.added += self._insert(batch, name, batches.give_turn)
                if self._progress:
                    self._progress(report)
        finally:
            batches.stopped.set()  # a reader waiting to hand over a batch gives up
            reader.join()

    def _insert(self, batch: _Batch, source: str, indexing: Callable[[], None]) -> int:
        """Insert rows and record the file position in one transaction: all or nothing.
        ``indexing`` is called as the full-text indexing, most of the time, begins."""
        with self.db:
            first_id = (
                self.db.execute("SELECT max(id) FROM article_versions").fetchone()[0] or 0
            ) + 1
            ids = range(first_id, first_id + len(batch.rows))
            texts = [(i, *r.text) for i, r in zip(ids, batch.rows, strict=True)]
            self.db.executemany("INSERT INTO article_texts VALUES (?, ?, ?, ?)", texts)
            indexing()
            self.db.execute(
                "INSERT INTO articles_fts(rowid, title, text) "
                "SELECT id, title, text FROM article_texts WHERE id >= ?",
                (first_id,),
            )
            self.db.executemany(
                _INSERT_VERSION,
                [(i, *r.version) for i, r in zip(ids, batch.rows, strict=True)],
            )
            self.db.executemany(
                "INSERT INTO article_authors VALUES (?, ?)",
                [(i, a) for i, r in zip(ids, batch.rows, strict=True) for a in r.authors],
            )
            self.db.executemany(
                "INSERT INTO article_tags VALUES (?, ?)",
                [(i, t) for i, r in zip(ids, batch.rows, strict=True) for t in r.tags],
            )
            if not self._bulk:  # a bulk load supersedes once, at its end
                self._supersede(first_id)
            self.db.execute(
                "INSERT INTO sources VALUES (?, ?, ?) ON CONFLICT(path) "
                "DO UPDATE SET offset = excluded.offset, lines = excluded.lines",
                (source, batch.offset, batch.lines),
            )
        return len(batch.rows)

    def _supersede(self, first_new_id: int) -> None:
        """Only the newest capture of an article stays current: rows from first_new_id on may
        have put older ones, or each other, out of date."""
        for column in ("article_key", "content_digest"):
            self.db.execute(_SUPERSEDE.format(column=column), (first_new_id,))

    # -- reading ---------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM article_versions").fetchone()[0])


# Set-based, once per batch, driven by the batch's rows (n): in each group of current rows
# sharing n's article_key (then content_digest), a row (a) steps back when another (b) is newer
# (later fetched_at, then later id). Late arrivals of old captures step back themselves.
_SUPERSEDE = """
UPDATE article_versions SET current = 0
WHERE id IN (
    SELECT a.id FROM article_versions AS n
    JOIN article_versions AS a ON a.{column} = n.{column} AND a.current = 1
    JOIN article_versions AS b ON b.{column} = n.{column} AND b.current = 1 AND b.id != a.id
    WHERE n.id >= ?
      AND (b.fetched_at > a.fetched_at OR (b.fetched_at = a.fetched_at AND b.id > a.id))
)
"""


def _version_values(row: dict[str, Any], source: str, line: int) -> tuple[Any, ...]:
    """The article_versions columns of a JSONL row, in _VERSION_COLUMNS order."""
    published = row.get("published")
    derived = {
        "article_key": article_key(row.get("canonical_url") or row["url"]),
        "authors": json.dumps(row.get("authors") or [], ensure_ascii=False),
        "tags": json.dumps(row.get("tags") or [], ensure_ascii=False),
        "access": row.get("access") or "open",
        "agencies": json.dumps(row.get("agencies") or [], ensure_ascii=False),
        # rows from before page types were recorded were all judged articles
        "page_type": row.get("page_type") or "article",
        "page_evidence": json.dumps(row.get("page_evidence") or {}, ensure_ascii=False),
        "metadata_sources": json.dumps(row.get("metadata_sources") or {}, ensure_ascii=False),
        "published_day": published[:10] if published else None,
        "published_utc": iso_utc(published),
        "domain": (urlsplit(row["url"]).hostname or "").removeprefix("www."),
        "site_key": site_key(row["url"]),
        "version": row.get("version") or 1,
        "current": 1,
        "source": source,
        "line": line,
    }
    return tuple(derived[c] if c in derived else row.get(c) for c in _VERSION_COLUMNS)


@dataclass(frozen=True)
class _Row:
    """A JSONL row as the index's tables take it (its id is given when it is inserted)."""

    version: tuple[Any, ...]
    text: tuple[Any, ...]
    authors: list[str]
    tags: list[str]


@dataclass(frozen=True)
class _Batch:
    rows: list[_Row]
    #: where the file is read up to once these rows are in, in bytes and lines
    offset: int
    lines: int


@dataclass
class _Batches:
    """Prepared batches from the reading thread to the writer, one at most in waiting; the
    reader prepares one when it is given its turn."""

    items: queue.Queue[_Batch | BaseException | None] = field(
        default_factory=lambda: queue.Queue(maxsize=1)
    )
    stopped: threading.Event = field(default_factory=threading.Event)
    turns: threading.Semaphore = field(default_factory=lambda: threading.Semaphore(1))

    def give_turn(self) -> None:
        self.turns.release()

    def take_turn(self) -> bool:
        """Waits for the writer to give the reader its turn; False when it stopped."""
        while not self.stopped.is_set():
            if self.turns.acquire(timeout=0.1):
                return True
        return False

    def put(self, item: _Batch | BaseException | None) -> bool:
        """False when the writer stopped taking them."""
        while not self.stopped.is_set():
            try:
                self.items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False


def _prepare_batches(
    path: Path,
    name: str,
    offset: int,
    lines: int,
    report: UpdateReport,
    batches: _Batches,
) -> None:
    """The reading thread: whole lines from ``offset`` on, parsed and prepared, a batch at a
    time (an empty last one records where the file ends); None when done, or the error."""
    try:
        rows: list[_Row] = []
        if not batches.take_turn():
            return
        with path.open("rb") as stream:
            stream.seek(offset)
            for raw in _complete_lines(stream):
                lines += 1
                offset += len(raw)
                row = parse_line(raw, path, lines)
                if row is None:
                    report.malformed += int(bool(raw.strip()))
                    continue
                rows.append(
                    _Row(
                        _version_values(row, name, lines),
                        (row.get("title"), row.get("text") or "", row.get("markdown")),
                        list(row.get("authors") or []),
                        list(row.get("tags") or []),
                    )
                )
                if len(rows) >= BATCH:
                    if not batches.put(_Batch(rows, offset, lines)) or not batches.take_turn():
                        return
                    rows = []
        if batches.put(_Batch(rows, offset, lines)):
            batches.put(None)
    except BaseException as error:  # handed to the writer, which raises it
        batches.put(error)


def _complete_lines(stream: Any) -> Iterator[bytes]:
    """Whole lines only: a last line without its newline is still being written."""
    for raw in stream:
        if not raw.endswith(b"\n"):
            return
        yield raw


def open_index(output: Path) -> ArticleIndex:
    """The index of OUTPUT, read-only, as it stands: for readers, which never write."""
    layout = ArchiveLayout(output).require()
    if not layout.article_index.exists():
        raise IndexUnavailable(
            f"{output} has no article index yet: run `newsarchiver reindex` to build it"
        )
    try:
        index = ArticleIndex(output, readonly=True)
        index.count()
    except sqlite3.DatabaseError as error:
        raise IndexUnavailable(
            f"{layout.article_index} is damaged ({error}); run `newsarchiver reindex`"
        ) from None
    return index


def build_index(
    output: Path, progress: Callable[[UpdateReport], None] | None = None
) -> UpdateReport:
    """The article index built from every JSONL file (``reindex``; an archive's first index).

    Built beside the index in place, in a file of its own (no journal, no other reader: see
    ``private``), then put in its place whole. Until then queries read the old index, and a
    build that fails (a full disk, a kill) leaves it as it was. A damaged index in place is
    never opened, only replaced."""
    layout = ArchiveLayout(output)
    path = layout.article_index
    try:
        layout.index_dir.mkdir(parents=True, exist_ok=True)
        with _building_aside(path) as aside:
            building = aside / path.name
            with ArticleIndex(output, path=building, private=True) as index:
                report = index.update(progress)
            _put_in_place(building, path)
            return report
    except OSError as error:
        raise ArchiveWriteError.of(path, error) from None
    except sqlite3.DatabaseError as error:
        raise IndexUnavailable(f"cannot build the index {path}: {error}") from None


@contextmanager
def _swap_lock(path: Path) -> Iterator[None]:
    with path.with_name(path.name + ".swap").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def _building_aside(path: Path) -> Iterator[Path]:
    """A directory of its own beside ``path`` to build in, locked while it is used. One left
    by a build that was killed (as large as the index) is removed by the next build: its lock
    is free then. Made and swept under the swap lock, so no build sweeps another's new one."""
    with _swap_lock(path):
        for left in path.parent.glob(".building-*"):
            with suppress(FileNotFoundError), unless_held(left) as abandoned:
                if abandoned:
                    shutil.rmtree(left, ignore_errors=True)
                    logger.info("removed %s, left by an index build that was killed", left)
        aside = Path(tempfile.mkdtemp(dir=path.parent, prefix=".building-"))
        held = os.open(aside, os.O_RDONLY)
        fcntl.flock(held, fcntl.LOCK_EX)
    try:
        yield aside
    finally:
        shutil.rmtree(aside, ignore_errors=True)
        os.close(held)


def _put_in_place(built: Path, path: Path) -> None:
    """A finished index at ``path``. An index in use there gets the new pages through
    SQLite's backup API, in one transaction under its own locks: its readers see the old
    index or the new, never a mix. Renaming over a live one is not safe: its WAL and
    shared-memory files keep their names, and would be read as the new file's. Where there
    is no index, or a damaged one, the new file is renamed into place (after the old one's
    journal files, which would be applied to it)."""
    with _swap_lock(path):  # one swap at a time; the check below holds till it is done
        if _is_database(path):
            source, target = sqlite3.connect(built), sqlite3.connect(path, timeout=30)
            try:
                # NORMAL: a WAL that stays consistent without an fsync per commit; the
                # checkpoint below syncs it (7.5 s instead of 9.8 s for 1.35 GB here)
                target.execute("PRAGMA synchronous=NORMAL")
                source.backup(target)
                target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                source.close()
                target.close()
            return
        for journal in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + journal).unlink(missing_ok=True)
        with built.open("rb+") as written:
            os.fsync(written.fileno())
        built.replace(path)


def _is_database(path: Path) -> bool:
    """Whether ``path`` holds an SQLite database (busy or not), not nothing or a damaged file."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.OperationalError:  # locked, or not readable by this user: in use
        return True
    except sqlite3.DatabaseError:  # not a database, or malformed
        return False
    return True


def catch_up(output: Path) -> UpdateReport | None:
    """Index what the JSONL files gained (the writers' step). An archive that cannot be
    written (read-only, disk full) keeps the index as it is, with a warning; None then."""
    layout = ArchiveLayout(output)
    if not layout.articles_dir.is_dir():
        return None
    path = layout.article_index
    if path.exists() and not os.access(layout.index_dir, os.W_OK):
        return None  # a read-only archive: its index is read as it is
    try:
        if not path.exists() or path.stat().st_size == 0:
            # built aside and put into place: never left empty or half built by a full disk
            # or a kill
            return build_index(output)
        with ArticleIndex(output) as index:
            return index.update()
    except ArchiveWriteError as error:
        raise IndexUnavailable(f"cannot create the index: {error}") from None
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError) and layout.article_index.exists():
            logger.warning("article index not updated (%s); using it as it is", error)
            return None
        if not layout.article_index.exists():
            raise IndexUnavailable(
                f"cannot create the index at {layout.article_index}: {error}"
            ) from None
        raise IndexUnavailable(
            f"{layout.article_index} is damaged ({error}); run `newsarchiver reindex`"
        ) from None

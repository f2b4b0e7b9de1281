"""An article's versions and what changed between two of them.

Every row of an article (its ``article_key``: canonical URL, else URL) is a version: a crawl,
a re-check or an import writes one only when the text changed (articles/versions.py). This
module reads them back from the index and compares two: the headline, bylines, dates and tags
field by field, the text word by word (difflib over words; what sametext.py calls the same
text is no change, so a re-typeset sentence shows as unchanged).

difflib is enough: over words, a 2,000-word article compares in milliseconds, and it needs no
dependency; its SequenceMatcher runs with autojunk off, so common words are never skipped.
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

from ..errors import NotArchived, QueryError
from ..urls import article_key
from .index import ArticleIndex
from .query import Query, explained
from .sametext import comparable, comparable_word

#: the fields compared one by one, in the order they are shown
FIELDS = ("title", "authors", "published", "modified", "tags", "description")
_WORD = re.compile(r"\S+")

Op = Literal["=", "-", "+"]


@dataclass(frozen=True)
class Version:
    version: int
    fetched_at: str
    url: str
    text: str
    fields: dict[str, object]
    #: the capture the version came from, to check a diff against the faithful copy
    warc_file: str | None
    warc_offset: int | None
    warc_record_id: str | None


@dataclass(frozen=True)
class Change:
    older: Version
    newer: Version
    #: field → (before, after), for the fields that changed
    fields: dict[str, tuple[object, object]]
    #: the text as runs of unchanged ("="), removed ("-") and added ("+") words
    runs: list[tuple[Op, str]] = field(default_factory=list)

    @property
    def words_removed(self) -> int:
        return sum(len(text.split()) for op, text in self.runs if op == "-")

    @property
    def words_added(self) -> int:
        return sum(len(text.split()) for op, text in self.runs if op == "+")

    @property
    def headline_changed(self) -> bool:
        return "title" in self.fields

    @property
    def size(self) -> str:
        """ "+9 -1": words added and removed."""
        return f"+{self.words_added} -{self.words_removed}"


#: what a Version is read from, in order
_READ = ("version", "fetched_at", "url", "text", "title", "authors", "published", "modified",
         "tags", "description", "warc_file", "warc_offset", "warc_record_id")  # fmt: skip


def _columns(versions: str, texts: str) -> str:
    """The columns of :data:`_READ`, from the version table and text table named so."""
    return ", ".join(f"{texts if name == 'text' else versions}.{name}" for name in _READ)


_SELECT = (
    f"SELECT {_columns('v', 't')} FROM article_versions v "
    "LEFT JOIN article_texts t ON t.id = v.id "
    "WHERE v.article_key = ? ORDER BY v.version, v.fetched_at, v.id"
)


def versions(index: ArticleIndex, url: str) -> list[Version]:
    """Every version of the article at ``url`` (or whose canonical URL it is), oldest first.
    Raises NotArchived when the archive holds no article there."""
    keys = [article_key(url)]
    found = index.db.execute(
        "SELECT DISTINCT article_key FROM article_versions WHERE url = ? LIMIT 1", (url,)
    ).fetchone()
    if found and found[0] not in keys:
        keys.insert(0, found[0])
    for key in keys:
        rows = index.db.execute(_SELECT, (key,)).fetchall()
        if rows:
            # a version re-extracted (reextract.py) has more than one row: the newest counts
            newest = {int(str(row[0])): row for row in rows}
            return [_version(row) for row in newest.values()]
    raise NotArchived(f"no article archived at {url}")


def _version(row: tuple[object, ...]) -> Version:
    number, fetched, url, text, title, authors, published, modified, tags, description = row[:10]
    warc_file, warc_offset, record_id = row[10:]
    return Version(
        version=int(str(number)),
        fetched_at=str(fetched),
        url=str(url),
        text=str(text or ""),
        fields={
            "title": title,
            "authors": json.loads(str(authors or "[]")),
            "published": published,
            "modified": modified,
            "tags": json.loads(str(tags or "[]")),
            "description": description,
        },
        warc_file=str(warc_file) if warc_file else None,
        warc_offset=int(str(warc_offset)) if warc_offset is not None else None,
        warc_record_id=str(record_id) if record_id else None,
    )


def pick(all_versions: list[Version], number: int | None, default: int) -> Version:
    """Version ``number`` (negative: from the newest), or the one at index ``default``."""
    if number is None:
        return all_versions[default]
    for version in all_versions:
        if version.version == number:
            return version
    numbers = ", ".join(str(v.version) for v in all_versions)
    raise QueryError("version", f"no version {number} (this article has {numbers})", str(number))


def pair(
    all_versions: list[Version], older: int | None, newer: int | None
) -> tuple[Version, Version]:
    """The two versions to compare: ``newer`` (default the newest) and ``older`` (default the
    one before it). Raises QueryError naming a version the article does not have."""
    second = pick(all_versions, newer, -1)
    first = pick(all_versions, older, max(0, all_versions.index(second) - 1))
    return first, second


def compare(older: Version, newer: Version) -> Change:
    changed = {
        name: (older.fields[name], newer.fields[name])
        for name in FIELDS
        if _same(older.fields[name]) != _same(newer.fields[name])
    }
    return Change(older, newer, changed, word_runs(older.text, newer.text))


def _same(value: object) -> object:
    if isinstance(value, str):
        return comparable(value)
    if isinstance(value, list):
        return [_same(item) for item in value]
    return value


def word_runs(before: str, after: str) -> list[tuple[Op, str]]:
    """The text as runs of unchanged, removed and added words (paragraph breaks kept as
    "\n", so a new or removed paragraph shows as one).

    Paragraphs are matched first and words only inside the paragraphs that changed, as a word
    diff after a line diff does: an edit touches a few paragraphs, so a 2,000-word article is
    compared in a fraction of what one word-level pass over all of it costs."""
    old, new = _paragraphs(before), _paragraphs(after)
    matcher = difflib.SequenceMatcher(
        None,
        [comparable(" ".join(p)) for p in old],
        [comparable(" ".join(p)) for p in new],
        autojunk=False,
    )
    runs: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_words, new_words = _flat(old, i1, i2), _flat(new, j1, j2)
        if tag == "equal":
            runs.append(("=", _join(new_words)))
        elif tag == "replace":
            runs += _word_runs(old_words, new_words)
        elif tag == "delete":
            runs.append(("-", _join(old_words)))
        else:
            runs.append(("+", _join(new_words)))
    return _merged(runs)


def _word_runs(old: list[str], new: list[str]) -> list[tuple[Op, str]]:
    matcher = difflib.SequenceMatcher(
        None, [comparable_word(w) for w in old], [comparable_word(w) for w in new], autojunk=False
    )
    runs: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append(("=", _join(new[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("-", _join(old[i1:i2])))
        if j2 > j1:
            runs.append(("+", _join(new[j1:j2])))
    return runs


def _merged(runs: list[tuple[Op, str]]) -> list[tuple[Op, str]]:
    merged: list[tuple[Op, str]] = []
    for op, text in runs:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, _tidy(merged[-1][1] + " " + text))
        else:
            merged.append((op, text))
    return merged


def _paragraphs(text: str) -> list[tuple[str, ...]]:
    return [_words_of(p) for p in text.split("\n") if p.strip()]


@lru_cache(maxsize=1 << 14)  # a paragraph unchanged in the next version is split once
def _words_of(paragraph: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(paragraph))


def _flat(paragraphs: list[tuple[str, ...]], start: int, stop: int) -> list[str]:
    """The words of paragraphs ``start:stop``, each paragraph after the text's first led by a
    "\n" word."""
    words: list[str] = []
    for number in range(start, stop):
        if number:
            words.append("\n")
        words += paragraphs[number]
    return words


def _join(words: list[str]) -> str:
    return _tidy(" ".join(words))


def _tidy(text: str) -> str:
    return text.replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


#: unchanged words shown around a change; longer unchanged stretches are cut to "…"
CONTEXT_WORDS = 12


def shown_runs(change: Change, context: int = CONTEXT_WORDS) -> list[tuple[Op, str]]:
    """The runs as a reader is shown them: unchanged stretches cut to the ``context`` words
    next to the changes around them (a long article's diff stays readable)."""
    shown: list[tuple[Op, str]] = []
    last = len(change.runs) - 1
    for number, (op, words) in enumerate(change.runs):
        parts = words.split(" ")
        if op != "=" or len(parts) <= 2 * context:
            shown.append((op, words))
            continue
        head = [] if number == 0 else parts[:context]
        tail = [] if number == last else parts[-context:]
        shown.append(("=", " ".join([*head, "…", *tail])))
    return shown


def changes(
    index: ArticleIndex,
    *,
    since: date | datetime | None = None,
    site: str | None = None,
    text: str | None = None,
    min_words: int = 0,
    headline_only: bool = False,
    limit: int | None = None,
) -> Iterator[Change]:
    """Articles that changed (every version after the first), newest change first, each
    compared with the version before it. ``text``: only articles whose changed version matches
    this search; ``min_words``: only changes of at least that many added plus removed words (a
    changed headline counts whatever its size)."""
    query = Query(text=text, site=site, fetched_since=since, all_versions=True)
    conditions, args = query.where()
    match = query.match_in(index)
    if match:  # the changed version's title or text matches the search
        conditions.append("v.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        args.append(match)
    # each changed version with the one before it, in one statement read as it is consumed: a
    # page of 100 changes reads 100 pairs, not every change in the window
    sql = (
        f"SELECT {_columns('v', 't')}, {_columns('o', 'ot')} FROM article_versions v "
        "JOIN article_versions o ON o.article_key = v.article_key AND o.version = v.version - 1 "
        "LEFT JOIN article_texts t ON t.id = v.id LEFT JOIN article_texts ot ON ot.id = o.id "
        "WHERE v.version > 1"
        + "".join(f" AND {c}" for c in conditions)
        + " GROUP BY v.id ORDER BY v.fetched_at DESC, v.id DESC"
    )
    try:
        rows = index.db.execute(sql, args)
    except sqlite3.OperationalError as error:
        raise explained(error, "text", text) from None
    width = len(_READ)
    given = 0
    for row in rows:
        newer, older = _version(row[:width]), _version(row[width:])
        if headline_only and _same(older.fields["title"]) == _same(newer.fields["title"]):
            continue  # decided before the text is compared
        change = compare(older, newer)
        if not change.headline_changed and change.words_added + change.words_removed < min_words:
            continue
        yield change
        given += 1
        if limit is not None and given >= limit:
            return

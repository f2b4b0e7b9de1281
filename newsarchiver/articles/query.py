"""Searching the article index: full text, field filters, counts, raw SQL.

Filters become one parameterised SQL statement over ``article_versions`` (joined to the FTS5
index when there is a text query); nothing is filtered in Python, so a query over a large
archive reads only what SQLite's indexes point at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Literal

from ..dates import FETCHED_FORMAT, INDEX_UTC_FORMAT
from ..errors import QueryError
from ..items import ARTICLE_FIELDS, OPTIONAL_FIELDS
from .fts import match_expression
from .index import ArticleIndex

#: marks around matched words in snippets; control characters never occur in article text
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
SNIPPET_TOKENS = 24
#: ranking: a match in the title weighs as much as ten in the text
RANK = "bm25(articles_fts, 10.0, 1.0)"
#: a ranked page is picked from the best (page end × factor + extra) matches; see _best_candidates
CANDIDATE_FACTOR, CANDIDATE_EXTRA = 3, 40

_FETCHED_DAY = "substr(v.fetched_at, 1, 10)"

Sort = Literal["relevance", "newest", "oldest"]

#: what --count-by accepts, and the SQL expression each groups by
COUNT_KEYS = {
    "site": "coalesce(v.site_name, v.domain)",
    "site_key": "v.site_key",
    "domain": "v.domain",
    "language": "v.language",
    "day": "v.published_day",
    "month": "substr(v.published_day, 1, 7)",
    "year": "substr(v.published_day, 1, 4)",
    "fetched_day": "substr(v.fetched_at, 1, 10)",
    "crawl": "v.crawl_id",
    "author": "a.name",
    "tag": "t.tag",
}
#: fields a result row can carry: the JSONL contract plus what the index derives
RESULT_FIELDS = (*ARTICLE_FIELDS, *OPTIONAL_FIELDS, "domain", "site_key", "snippet")


@dataclass
class Query:
    text: str | None = None
    site: str | None = None
    domain: str | None = None
    url_prefix: str | None = None
    #: exactly this URL (as fetched): one indexed lookup, for pages that show one article
    url: str | None = None
    author: str | None = None
    language: str | None = None
    tags: list[str] = field(default_factory=list)
    access: str | None = None
    #: rows labelled "uncertain" (mixed evidence of being an article) are left out unless asked
    uncertain: bool = False
    since: date | datetime | None = None
    until: date | datetime | None = None
    fetched_since: date | datetime | None = None
    fetched_until: date | datetime | None = None
    all_versions: bool = False

    def match_in(self, index: ArticleIndex) -> str | None:
        """``text`` as an FTS5 MATCH argument for this index (articles/fts.py: each plain word
        with the index's words of the same stem); None: no text search."""
        if not self.text:
            return None
        expression = match_expression(self.text, index.same_stem)
        if expression is None:
            raise QueryError("text", "no word to search for", self.text)
        return expression

    def where(self) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``v`` (article_versions) and their parameters."""
        sql: list[str] = []
        args: list[Any] = []
        if not self.all_versions:
            sql.append("v.current = 1")
        if self.site:
            # a site name ("Tagesblatt"), its domain, a host or a label: urls.site_names
            sql.append("names_site(?, v.site_key, v.site_name)")
            args.append(self.site)
        if self.domain:
            domain = self.domain.lower().removeprefix("www.")
            sql.append("(v.domain = ? OR v.domain LIKE ?)")
            args += [domain, f"%.{domain}"]
        if self.url_prefix:
            sql.append("substr(v.url, 1, ?) = ?")
            args += [len(self.url_prefix), self.url_prefix]
        if self.url:
            sql.append("v.url = ?")
            args.append(self.url)
        if self.author:
            sql.append(
                "v.id IN (SELECT article_id FROM article_authors WHERE name = ? COLLATE NOCASE)"
            )
            args.append(self.author)
        if self.language:
            sql.append("v.language = ?")
            args.append(self.language.lower())
        if self.access:
            sql.append("v.access = ?")
            args.append(self.access)
        if not self.uncertain:
            sql.append("v.page_type = 'article'")
        for tag in self.tags:
            sql.append("v.id IN (SELECT article_id FROM article_tags WHERE tag = ? COLLATE NOCASE)")
            args.append(tag)
        for value, op, day_column, time_column, fmt in (
            (self.since, ">=", "v.published_day", "v.published_utc", INDEX_UTC_FORMAT),
            (self.until, "<=", "v.published_day", "v.published_utc", INDEX_UTC_FORMAT),
            (
                self.fetched_since,
                ">=",
                "substr(v.fetched_at, 1, 10)",
                "v.fetched_at",
                FETCHED_FORMAT,
            ),
            (
                self.fetched_until,
                "<=",
                "substr(v.fetched_at, 1, 10)",
                "v.fetched_at",
                FETCHED_FORMAT,
            ),
        ):
            if isinstance(value, datetime):
                utc = value.astimezone(timezone.utc) if value.tzinfo else value
                sql.append(f"{time_column} {op} ?")
                args.append(utc.strftime(fmt))
            elif isinstance(value, date):
                sql.append(f"{day_column} {op} ?")
                args.append(value.isoformat())
        return sql, args


def _from_clause(query: Query, index: ArticleIndex) -> tuple[str, list[str], list[Any]]:
    where, args = query.where()
    if query.text:
        return (
            "articles_fts f JOIN article_versions v ON v.id = f.rowid",
            ["articles_fts MATCH ?", *where],
            [query.match_in(index), *args],
        )
    return "article_versions v", where, args


#: what a failing statement is blamed on: the search text (with its value), or another argument
Argument = tuple[str, "str | None"]


def _argument(query: Query, otherwise: str) -> Argument:
    return ("text", query.text) if query.text else (otherwise, None)


#: how SQLite says a MATCH expression is malformed
_SYNTAX_ERRORS = (
    "fts5",
    "no such column",
    "unterminated string",
    "syntax error",
    "unknown special",
)


def _run(
    index: ArticleIndex, sql: str, args: list[Any], argument: str, value: str | None = None
) -> sqlite3.Cursor:
    try:
        return index.db.execute(sql, args)
    except sqlite3.OperationalError as error:
        raise explained(error, argument, value) from None


def explained(error: sqlite3.OperationalError, argument: str, value: str | None) -> QueryError:
    """A failed statement as the one-line QueryError a user is shown."""
    problem = str(error)
    if argument == "text" and any(sign in problem for sign in _SYNTAX_ERRORS):
        # the user wrote FTS5 syntax (articles/fts.py) and left it unfinished
        problem = (
            'not a complete search expression (close each "quote"; OR, AND, NOT go '
            "between words; prefix* and title:word are allowed)"
        )
    return QueryError(argument, problem, value)


def search(
    index: ArticleIndex,
    query: Query,
    *,
    fields: tuple[str, ...] = RESULT_FIELDS,
    sort: Sort | None = None,
    limit: int | None = 20,
    offset: int = 0,
) -> Iterator[dict[str, Any]]:
    """Matching articles, best first (relevance) or by publication date."""
    unknown = [f for f in fields if f not in RESULT_FIELDS]
    if unknown:
        raise QueryError(
            "fields", f"unknown field {unknown[0]!r} (choose from {', '.join(RESULT_FIELDS)})"
        )
    sort = sort or ("relevance" if query.text else "newest")
    if sort == "relevance" and not query.text:
        raise QueryError("sort", "relevance needs a search text")
    table, where, args = _from_clause(query, index)
    columns = ["v.id AS id"]
    for name in fields:
        if name in ("text", "markdown"):
            columns.append(f"(SELECT {name} FROM article_texts WHERE id = v.id) AS {name}")
        elif name == "snippet":
            columns.append(
                f"snippet(articles_fts, 1, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', "
                f"{SNIPPET_TOKENS}) AS snippet"
                if query.text
                else "v.description AS snippet"
            )
        else:
            columns.append(f"v.{name} AS {name}")
    order = {
        "relevance": f"{RANK}, v.published_utc DESC",
        "newest": "v.published_utc IS NULL, v.published_utc DESC, v.fetched_at DESC",
        "oldest": "v.published_utc IS NULL, v.published_utc ASC, v.fetched_at ASC",
    }[sort]
    where_sql = f" WHERE {' AND '.join(where)}" if where else ""
    argument = _argument(query, "query")
    page = [-1 if limit is None else limit, offset]
    rows: list[sqlite3.Row] | None = None
    if sort == "relevance" and limit is not None:
        rows = _best_candidates(index, query, columns, page, argument)
    if rows is None:
        sql = (
            f"SELECT {', '.join(columns)} FROM {table}{where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
        )
        rows = _run(index, sql, [*args, *page], *argument).fetchall()
    for row in rows:
        yield {name: _decode(name, row[name]) for name in fields}


def _best_candidates(
    index: ArticleIndex, query: Query, columns: list[str], page: list[int], argument: Argument
) -> list[sqlite3.Row] | None:
    """The top of a ranked search, from the best-ranked FTS matches only.

    Ranking inside FTS5 is cheap; joining every match to its metadata is what costs (a word
    in a fifth of 200,000 articles: 40,000 joins), and so are snippets. So the best matches are
    ranked first, only they are joined and filtered, and snippets are made for the page alone.
    When filters leave too few candidates, None sends the caller to the full query.
    """
    wanted = page[0] + page[1]
    candidates = wanted * CANDIDATE_FACTOR + CANDIDATE_EXTRA
    match = query.match_in(index)
    where, args = query.where()
    filters = f" WHERE {' AND '.join(where)}" if where else ""
    sql = (
        f"WITH hits(id, score) AS (SELECT rowid, {RANK} FROM articles_fts "
        f"WHERE articles_fts MATCH ? ORDER BY 2 LIMIT {candidates}), "
        "page(id, score) AS (SELECT v.id, hits.score FROM hits "
        f"JOIN article_versions v ON v.id = hits.id{filters} "
        "ORDER BY hits.score, v.published_utc DESC LIMIT ? OFFSET ?) "
        f"SELECT {', '.join(columns)} FROM page JOIN article_versions v ON v.id = page.id "
    )
    final_args = [match, *args, *page]
    if any("snippet(" in column for column in columns):  # snippets need the FTS row matched
        sql += "JOIN articles_fts f ON f.rowid = page.id WHERE articles_fts MATCH ? "
        final_args.append(match)
    rows = _run(index, sql + "ORDER BY page.score", final_args, *argument).fetchall()
    if len(rows) < page[0]:
        matches = _run(
            index,
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? "
            f"LIMIT {candidates + 1})",
            [match],
            *argument,
        ).fetchone()[0]
        if matches > candidates:
            return None  # filters dropped candidates: the full query must decide
    return rows


#: fields the index stores as JSON text, and what an empty one is
_JSON_FIELDS: dict[str, type] = {
    "authors": list,
    "agencies": list,
    "tags": list,
    "metadata_sources": dict,
    "page_evidence": dict,
}


def _decode(name: str, value: Any) -> Any:
    if name in _JSON_FIELDS:  # stored as JSON
        return json.loads(value) if value else _JSON_FIELDS[name]()
    return value


def count(index: ArticleIndex, query: Query) -> int:
    """How many articles match: the "of N" of a page of results."""
    table, where, args = _from_clause(query, index)
    sql = f"SELECT count(*) FROM {table}" + (f" WHERE {' AND '.join(where)}" if where else "")
    return int(_run(index, sql, args, *_argument(query, "query")).fetchone()[0])


def count_by(index: ArticleIndex, query: Query, keys: list[str]) -> list[dict[str, Any]]:
    """Article counts grouped by the given keys (``site``, ``day``, ``author``…)."""
    unknown = [k for k in keys if k not in COUNT_KEYS]
    if unknown or not keys:
        raise QueryError(
            "count_by",
            f"unknown key {(unknown or [''])[0]!r} (choose from {', '.join(COUNT_KEYS)})",
        )
    table, where, args = _from_clause(query, index)
    if "author" in keys:
        table += " JOIN article_authors a ON a.article_id = v.id"
    if "tag" in keys:
        table += " JOIN article_tags t ON t.article_id = v.id"
    groups = ", ".join(f"{COUNT_KEYS[k]} AS {k}" for k in keys)
    # an article is counted once per group: with authors or tags joined it has many rows
    counted = "count(DISTINCT v.id)" if {"author", "tag"} & set(keys) else "count(*)"
    sql = (
        f"SELECT {groups}, {counted} AS articles FROM {table}"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" GROUP BY {', '.join(keys)} ORDER BY {', '.join(keys)}"
    )
    argument = _argument(query, "count_by")
    return [dict(row) for row in _run(index, sql, args, *argument)]


def run_sql(index: ArticleIndex, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A read-only SQL statement over the index (tables: see index.py)."""
    index.db.execute("PRAGMA query_only = ON")
    try:
        cursor = _run(index, sql, [], "sql")
        columns = [d[0] for d in cursor.description or []]
        return columns, [tuple(row) for row in cursor]
    except sqlite3.DatabaseError as error:  # e.g. "attempt to write a readonly database"
        raise QueryError("sql", str(error)) from None
    finally:
        index.db.execute("PRAGMA query_only = OFF")


def site_keys(index: ArticleIndex, site: str) -> set[str]:
    """The keys of every site that ``site`` names by its name, domain or label (the rule in
    urls.site_names): how the WARC side learns that "Morning Post" is morningpost.example."""
    rows = index.db.execute(
        "SELECT DISTINCT site_key FROM article_versions WHERE names_site(?, site_key, site_name)",
        (site,),
    )
    return {row[0] for row in rows}

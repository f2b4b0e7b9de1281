"""``newsarchiver query``, ``reindex`` and ``export``: thin commands over index.py and query.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from ..articles.index import ArticleIndex, build_index, catch_up, open_index
from ..articles.query import COUNT_KEYS, RESULT_FIELDS, Query, Sort, run_sql, search
from ..articles.query import count_by as count_groups
from ..dates import parse_day_or_time
from ..items import ARTICLE_FIELDS
from ..layout import ArchiveLayout
from .common import console, main, out, output_option, print_error, progress
from .formats import FORMATS, write_rows

F = TypeVar("F", bound=Callable[..., Any])

#: what the table shows when --fields is not given
TABLE_FIELDS = ["published", "site_name", "title", "snippet", "url"]
#: rows the table shows when --limit is not given (machine formats give every match)
TABLE_LIMIT = 20


class DateOrTime(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | datetime:
        if isinstance(value, date):
            return value
        try:
            return parse_day_or_time(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time", param, ctx)


def filter_options(command: F) -> F:
    """The filters `query` and `export` share."""
    options = [
        click.option("--site", help="Site name or domain, e.g. tagesblatt or tagesblatt.de."),
        click.option("--domain", help="Domain; its subdomains match too."),
        click.option("--url-prefix", help="Only URLs starting with this."),
        click.option("--author", help="Author name, exactly (any case)."),
        click.option("--lang", "language", help="Language, ISO 639-1 (de, en, fr…)."),
        click.option("--tag", "tags", multiple=True, help="Tag (repeatable: all must match)."),
        click.option(
            "--access",
            type=click.Choice(["open", "paywalled", "blocked"]),
            help="Only rows whose article was readable, a paywall teaser, or blocked.",
        ),
        click.option(
            "--uncertain",
            is_flag=True,
            help="Also rows of pages whose evidence of being an article was mixed "
            "(page_type uncertain; see page_evidence).",
        ),
        click.option("--since", type=DateOrTime(), help="Published on or after this date."),
        click.option("--until", type=DateOrTime(), help="Published on or before this date."),
        click.option("--fetched-since", type=DateOrTime(), help="Archived on or after this date."),
        click.option("--fetched-until", type=DateOrTime(), help="Archived on or before this date."),
        click.option(
            "--all-versions",
            is_flag=True,
            help="Every capture, not only the newest of each article.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _query(text: str | None, **filters: Any) -> Query:
    return Query(text=text or None, tags=list(filters.pop("tags") or []), **filters)


def readable_index(output: Path) -> ArticleIndex:
    """The index, caught up with what crawls appended (a command is a writer of the derived
    index, so lines added since the last crawl or import are found), then read-only."""
    layout = ArchiveLayout(output).require()
    catch_up(output)
    index = open_index(output) if layout.article_index.exists() else None
    if index is None or index.count() == 0:
        from ..warc.cdxj import CaptureIndex

        if CaptureIndex(output).files():  # imported pages, none of them an article
            raise click.ClickException(
                f"the archive in {output} holds captures but no articles: list them with "
                "`newsarchiver captures URL`, or browse them under Sites in `newsarchiver serve`"
            )
        raise click.ClickException(
            f"the archive in {output} holds no articles yet: run `newsarchiver crawl` first"
        )
    return index


def _split(value: str, option: str, allowed: tuple[str, ...] | list[str]) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown name {(unknown or [value])[0]!r} (choose from {', '.join(allowed)})",
            param_hint=option,
        )
    return names


@main.command("query")
@click.argument("text", required=False)
@filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    help="Order [default: relevance with TEXT, else newest].",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help=f"At most this many rows, 0 for all [default: {TABLE_LIMIT} in a table, all otherwise].",
)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows.")
@click.option("--fields", help=f"Comma-separated, from: {', '.join(RESULT_FIELDS)}.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--count-by", help=f"Count articles by keys, from: {', '.join(COUNT_KEYS)}.")
@click.option("--sql", help="Run one read-only SQL statement over the index instead.")
@output_option
def query_command(
    text: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
    fields: str | None,
    fmt: str,
    count_by: str | None,
    sql: str | None,
    output: Path,
    **filters: Any,
) -> None:
    """Search the archived articles: full text (TEXT) and fields.

    TEXT uses SQLite FTS5 syntax: words (all must match), "a phrase", OR, NOT, prefix*,
    title:word. Matching ignores case and accents.

    \b
    Examples:
      newsarchiver query "klimaschutz AND hafen" --site tagesblatt --since 2024-05-01 --lang de
      newsarchiver query --author "Anna Weber" --fields url,title,published --format csv
      newsarchiver query putin --format jsonl | jq .title
      newsarchiver query --count-by site,day
      newsarchiver query --sql "SELECT site_name, count(*) FROM articles GROUP BY 1"
    """
    index = readable_index(output)
    search_query = _query(text, **filters)
    try:
        if sql:
            columns, records = run_sql(index, sql)
            write_rows((dict(zip(columns, r, strict=True)) for r in records), columns, fmt)
            return
        if count_by:
            keys = _split(count_by, "--count-by", list(COUNT_KEYS))
            counts = count_groups(index, search_query, keys)
            if not write_rows(counts, [*keys, "articles"], fmt) and fmt == "table":
                console.print("no articles match")
            return
        default = TABLE_FIELDS if fmt == "table" else list(ARTICLE_FIELDS)
        names = _split(fields, "--fields", RESULT_FIELDS) if fields else default
        if limit is None:
            limit = TABLE_LIMIT if fmt == "table" else 0
        rows = search(
            index,
            search_query,
            fields=tuple(names),
            sort=cast("Sort | None", sort),
            limit=limit or None,
            offset=offset,
        )
        written = write_rows(rows, names, fmt)
        if not written and fmt == "table":
            console.print("no articles match")
        elif fmt == "table" and written == limit:
            console.print(f"first {written} rows; --limit 0 shows all, --offset pages on")
    finally:
        index.close()


@main.command()
@output_option
def reindex(output: Path) -> None:
    """Rebuild both indexes: articles from the JSONL files, captures from the WARC files.

    The indexes (OUTPUT/index/articles.sqlite and OUTPUT/index/cdxj/) are derived: this reads
    every JSONL and WARC file again. Crawls and queries keep them up to date on their own;
    reindex is for a damaged or deleted index, or WARC files copied in by hand. A corrupt WARC
    file is named and skipped.

    \b
    Example:
      newsarchiver reindex --output output/
    """
    from ..errors import CorruptWarc
    from ..warc.cdxj import CaptureIndex

    layout = ArchiveLayout(output).require()
    started = time.monotonic()
    if layout.articles_dir.is_dir():
        with progress("indexing articles…") as note:
            report = build_index(output, lambda r: note(f"{r.added} articles indexed…"))
        skipped = f", {report.malformed} malformed lines skipped" if report.malformed else ""
        out.print(
            f"indexed {report.added} articles from {report.files} JSONL files{skipped} "
            f"in {time.monotonic() - started:.1f}s → {layout.article_index}"
        )
    started = time.monotonic()
    captures = files = failed = 0
    capture_index = CaptureIndex(output)
    with progress("indexing captures…") as note:
        for path, result in capture_index.rebuild():
            if isinstance(result, CorruptWarc):
                failed += 1
                print_error(str(result))
            else:
                files += 1
                captures += result
            note(f"{files + failed} WARC files read ({path.name}): {captures} captures…")
    out.print(
        f"indexed {captures} captures from {files} WARC files"
        + (f", {failed} unreadable skipped" if failed else "")
        + f" in {time.monotonic() - started:.1f}s → {capture_index.directory}"
    )


@main.group()
def export() -> None:
    """Export archived articles for other tools."""


@export.command("parquet")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("text", required=False)
@filter_options
@output_option
def export_parquet_command(path: Path, text: str | None, output: Path, **filters: Any) -> None:
    """Write the matching articles, every JSONL field, to a Parquet file at PATH.

    \b
    Example:
      newsarchiver export parquet articles.parquet --site tagesblatt --since 2024-05-01
      python3 -c "import pandas; print(pandas.read_parquet('articles.parquet').head())"
    """
    from ..articles.parquet import export_parquet

    index = readable_index(output)
    try:
        with progress("exporting…") as note:
            count = export_parquet(
                index, _query(text, **filters), path, lambda n: note(f"{n} articles written…")
            )
    finally:
        index.close()
    out.print(f"wrote {count} articles to {path}")

"""``newsarchiver history``, ``diff`` and ``changes``: how articles changed, version by version."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.text import Text

from ..articles.atom import changes_feed, summary
from ..articles.history import Change, Version, compare, pair, shown_runs, versions
from ..articles.history import changes as find_changes
from .common import main, out, output_option
from .formats import FORMATS, write_rows
from .query import DateOrTime, readable_index


def _capture(version: Version) -> str:
    return f"{version.warc_file}@{version.warc_offset}" if version.warc_file else ""


@main.command()
@click.argument("url")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@output_option
def history(url: str, fmt: str, output: Path) -> None:
    """Every version of the article at URL: when, what changed, and the capture it came from.

    \b
    Example:
      newsarchiver history https://www.tagesblatt.example/politik/2024/05/16/artikel/
    """
    with readable_index(output) as index:
        found = versions(index, url)
    rows: list[dict[str, Any]] = []
    for number, version in enumerate(found):
        change = compare(found[number - 1], version) if number else None
        rows.append(
            {
                "version": version.version,
                "fetched_at": version.fetched_at,
                "words": change.size if change else "",
                "changed": ", ".join(change.fields) if change else "first version",
                "title": version.fields["title"],
                "capture": _capture(version),
            }
        )
    write_rows(rows, ["version", "fetched_at", "words", "changed", "title", "capture"], fmt)


@main.command()
@click.argument("url")
@click.option(
    "--from", "from_version", type=int, help="The older version [default: the one before --to]."
)
@click.option("--to", "to_version", type=int, help="The newer version [default: the newest].")
@output_option
def diff(url: str, from_version: int | None, to_version: int | None, output: Path) -> None:
    """What changed in the article at URL between two versions: the fields (headline, bylines,
    dates, tags), then the text word by word, [-removed-] and {+added+}, with long unchanged
    stretches cut to "…".

    \b
    Example:
      newsarchiver diff https://www.tagesblatt.example/politik/2024/05/16/artikel/ --from 1 --to 3
    """
    with readable_index(output) as index:
        found = versions(index, url)
    if len(found) < 2:
        out.print(f"{url} has one version only: nothing to compare", markup=False)
        return
    _print_change(compare(*pair(found, from_version, to_version)))


def _print_change(change: Change) -> None:
    older, newer = change.older, change.newer
    out.print(
        f"version {older.version} ({older.fetched_at}, {_capture(older)}) → "
        f"version {newer.version} ({newer.fetched_at}, {_capture(newer)}): "
        f"{change.size} words",
        markup=False,
        highlight=False,
    )
    for name, (before, after) in change.fields.items():
        out.print(f"{name}: {_shown(before)!s} → {_shown(after)!s}", markup=False, highlight=False)
    if not change.words_added and not change.words_removed:
        out.print("text: unchanged", markup=False)
        return
    text = Text()
    for op, words in shown_runs(change):
        if op == "=":
            text.append(words)
        elif op == "-":
            text.append(f"[-{words}-]", style="red strike")
        else:
            text.append(f"{{+{words}+}}", style="green")
        text.append(" ")
    out.print(text)


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value) if value else "—"


@main.command()
@click.option("--since", type=DateOrTime(), help="Changes archived on or after this date.")
@click.option("--site", help="Only this site (name or domain).")
@click.option(
    "--min-words",
    type=click.IntRange(0),
    default=0,
    help="Only changes of this many words or more.",
)
@click.option("--query", "text", help="Only articles matching this search (as `query` takes it).")
@click.option("--headline-only", is_flag=True, help="Only changed headlines.")
@click.option("--limit", type=click.IntRange(1), help="At most this many changes.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--atom", is_flag=True, help="Write an Atom feed of the changes instead.")
@output_option
def changes(
    since: date | datetime | None,
    site: str | None,
    text: str | None,
    min_words: int,
    headline_only: bool,
    limit: int | None,
    fmt: str,
    atom: bool,
    output: Path,
) -> None:
    """Articles that changed after they were first archived, newest change first.

    \b
    Example:
      newsarchiver changes --since 2024-05-01 --site tagesblatt --min-words 5
      newsarchiver changes --headline-only --atom > changes.xml
    """
    with readable_index(output) as index:
        found = list(
            find_changes(
                index,
                since=since,
                site=site,
                text=text,
                min_words=min_words,
                headline_only=headline_only,
                limit=limit,
            )
        )
    if atom:
        feed_id = f"urn:newsarchiver:changes:{output.resolve()}"
        sys.stdout.write(changes_feed(found, feed_id=feed_id, title=f"Changes in {output}"))
        return
    rows = [
        {
            "changed_at": change.newer.fetched_at,
            "version": change.newer.version,
            "headline": "yes" if change.headline_changed else "",
            "summary": summary(change),
            "title": change.newer.fields["title"],
            "url": change.newer.url,
        }
        for change in found
    ]
    columns = ["changed_at", "version", "headline", "summary", "title", "url"]
    if not write_rows(rows, columns, fmt) and fmt == "table":
        out.print("No changed articles.")

"""Result rows to the terminal or a pipe: a rich table, JSON lines, CSV or one JSON array.

Machine formats stream row by row, so exporting a large archive uses little memory.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.table import Table
from rich.text import Text

from ..articles.query import HIGHLIGHT_END, HIGHLIGHT_START
from .common import out

FORMATS = ("table", "jsonl", "csv", "json")


def plain(value: Any) -> Any:
    """A value for machine formats: snippets without highlight marks."""
    if isinstance(value, str):
        return value.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    return value


def highlighted(value: Any) -> Text:
    """A cell for the table: matched words in bold yellow."""
    if isinstance(value, list):
        return Text(", ".join(map(str, value)))
    text = Text()
    if value is None:
        return text
    for i, part in enumerate(str(value).split(HIGHLIGHT_START)):
        matched, _, rest = part.partition(HIGHLIGHT_END) if i else ("", "", part)
        text.append(matched, style="bold yellow")
        text.append(rest)
    return text


def write_rows(
    rows: Iterable[dict[str, Any]], fields: list[str], fmt: str, *, title: str | None = None
) -> int:
    """Write rows in the format; returns how many were written."""
    count = 0
    if fmt == "table":
        table = Table(title=title, title_justify="left", show_lines=False)
        for name in fields:
            table.add_column(
                name, overflow="fold", justify="right" if name in ("articles", "count") else "left"
            )
        for row in rows:
            table.add_row(*(highlighted(row.get(name)) for name in fields))
            count += 1
        if count:
            out.print(table)
        return count
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        for row in rows:
            values = [plain(row.get(name)) for name in fields]
            writer.writerow(["; ".join(v) if isinstance(v, list) else v for v in values])
            count += 1
        return count
    if fmt == "json":
        sys.stdout.write("[")
    for row in rows:
        line = json.dumps({name: plain(row.get(name)) for name in fields}, ensure_ascii=False)
        if fmt == "json":
            sys.stdout.write(("," if count else "") + "\n  " + line)
        else:
            sys.stdout.write(line + "\n")
        count += 1
    if fmt == "json":
        sys.stdout.write("\n]\n" if count else "]\n")
    return count

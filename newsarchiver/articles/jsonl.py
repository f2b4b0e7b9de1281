"""Reading the JSONL archive back: the article rows of one file (``OUTPUT/articles/**``).

A malformed line (a torn last line after a crash, a hand edit) is reported with its file and
line number and skipped; it never stops the rest from being read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            row = parse_line(line, path, number)
            if row is not None:
                yield row


def parse_line(raw: bytes, path: Path, number: int) -> dict[str, Any] | None:
    """An article row, or None (with a warning naming file and line) for anything else."""
    if not raw.strip():
        return None
    try:
        row = json.loads(raw)
    except ValueError as error:
        logger.warning("%s:%d: skipped a malformed line (%s)", path, number, error)
        return None
    if not isinstance(row, dict) or not row.get("url") or not row.get("fetched_at"):
        logger.warning("%s:%d: skipped a line that is not an article row", path, number)
        return None
    return row

"""JSONL files a killed crawl left with a torn last line, made whole again.

Rows are appended whole, one ``write`` each, so a kill leaves at most one incomplete last line.
Readers skip it already; the next crawl, as it starts, also moves it aside (appended to
``FILE.jsonl.partial``, kept for a person to look at) so that the file ends on a whole row and
nothing ever glues a new row to the fragment. A file a running crawl is writing is locked by
it and left alone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..files import unless_held
from ..layout import ArchiveLayout

logger = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial"
_TAIL_CHUNK = 1 << 16


@dataclass(frozen=True)
class TornTail:
    path: Path
    #: where the fragment went
    partial: Path
    size: int


def _last_newline(path: Path) -> int:
    """The offset just after the last newline (0 when there is none)."""
    with path.open("rb") as stream:
        end = stream.seek(0, os.SEEK_END)
        while end > 0:
            start = max(0, end - _TAIL_CHUNK)
            stream.seek(start)
            chunk = stream.read(end - start)
            found = chunk.rfind(b"\n")
            if found >= 0:
                return start + found + 1
            end = start
    return 0


def set_aside_torn_tails(output: Path) -> list[TornTail]:
    found = []
    for path in ArchiveLayout(output).jsonl_files():
        size = path.stat().st_size
        if size == 0:
            continue
        with path.open("rb") as stream:
            stream.seek(size - 1)
            if stream.read(1) == b"\n":
                continue
        with unless_held(path) as orphaned:
            if not orphaned:
                continue
            cut = _last_newline(path)
            partial = path.with_name(path.name + PARTIAL_SUFFIX)
            with path.open("rb") as stream, partial.open("ab") as aside:
                stream.seek(cut)
                aside.write(stream.read() + b"\n")
                aside.flush()
                os.fsync(aside.fileno())
            os.truncate(path, cut)
            found.append(TornTail(path, partial, size - cut))
    return found

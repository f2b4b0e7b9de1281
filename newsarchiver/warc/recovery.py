"""WARC files a killed crawl left open, closed as the crawl would have closed them.

A crawl writes ``….warc.gz.open`` and renames it when it ends; killed (``kill -9``, a power
cut), it leaves the file open: every record in it is whole but perhaps the last, and it has no
CDXJ index yet, while the JSONL rows already name its final name. So the next crawl, as it
starts, cuts each such file after its last whole record, renames it to that final name and
indexes it: every row then points at a file that exists, and every page replays. A file
another running crawl is writing is locked by it and left alone.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorruptWarc
from ..files import unless_held
from ..layout import OPEN_SUFFIX, ArchiveLayout
from .cdxj import CaptureIndex, read_warc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecoveredWarc:
    path: Path  # its final name
    captures: int
    #: bytes cut off its end (a record the kill interrupted)
    cut: int


def close_orphaned_warcs(output: Path) -> list[RecoveredWarc]:
    layout = ArchiveLayout(output)
    index = CaptureIndex(output)
    recovered = []
    for path in layout.warc_files(with_open=True):
        if not path.name.endswith(OPEN_SUFFIX):
            continue
        with unless_held(path) as orphaned:
            if not orphaned:
                continue
            if path.stat().st_size == 0:  # created, nothing written: a full disk at once
                path.unlink()
                continue
            final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
            try:
                reading = read_warc(path, layout.warc_name(final))
            except CorruptWarc as error:  # not even one whole record: nothing to keep
                logger.warning("%s; left as it is", error)
                continue
            size = path.stat().st_size
            if reading.end < size:
                os.truncate(path, reading.end)
            path.replace(final)
            index.add(layout.warc_name(final), reading.captures)
            index.remove(layout.warc_name(path))  # a `reindex` may have indexed the open name
            recovered.append(RecoveredWarc(final, len(reading.captures), size - reading.end))
    return recovered

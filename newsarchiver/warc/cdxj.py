"""The capture index: pywb's CDXJ, one sorted file per WARC file, in ``OUTPUT/index/cdxj/``.

A line is ``SURT-KEY TIMESTAMP14 {"url", "mime", "status", "digest", "length", "offset",
"filename"}``, the format pywb's own ``cdx-indexer --cdxj`` writes, so pywb replays straight
from this directory and a lookup seeks to the record instead of reading WARC files.
``filename`` is relative to ``OUTPUT/warc/``. A WARC file's index is written when the file is
closed (or imported, or re-indexed), atomically, so readers never see half a file.
"""

from __future__ import annotations

import heapq
import io
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import redirect_stderr
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from ..dates import timestamp
from ..errors import CorruptWarc
from ..files import replacing
from ..layout import CDXJ_SUFFIX, ArchiveLayout

#: the record types a replay can show (and pywb's indexer lists)
INDEXED_TYPES = ("response", "revisit", "resource", "metadata")
REVISIT_MIME = "warc/revisit"


def surt_key(url: str) -> str:
    """pywb's lookup key: the SURT form (host reversed, lowercased, ``www.`` dropped)."""
    return str(surt.surt(url))


@dataclass(frozen=True)
class Capture:
    """One line of the index: where one capture of a URL lies."""

    urlkey: str
    timestamp: str
    url: str
    mime: str
    status: str
    digest: str
    length: int
    offset: int
    filename: str

    @property
    def is_revisit(self) -> bool:
        return self.mime == REVISIT_MIME

    def to_line(self) -> str:
        fields = {"url": self.url, "mime": self.mime}
        if self.status != "-":
            fields["status"] = self.status
        fields |= {
            "digest": self.digest,
            "length": str(self.length),
            "offset": str(self.offset),
            "filename": self.filename,
        }
        return f"{self.urlkey} {self.timestamp} {json.dumps(fields)}"

    @classmethod
    def from_line(cls, line: str) -> Capture:
        urlkey, timestamp, data = line.rstrip("\n").split(" ", 2)
        fields: dict[str, Any] = json.loads(data)
        return cls(
            urlkey=urlkey,
            timestamp=timestamp,
            url=fields["url"],
            mime=fields.get("mime", "-"),
            status=fields.get("status", "-"),
            digest=fields.get("digest", "-"),
            length=int(fields["length"]),
            offset=int(fields["offset"]),
            filename=fields["filename"],
        )


def capture_for_record(
    record: ArcWarcRecord, filename: str, offset: int, length: int
) -> Capture | None:
    """The index line for a record, or None for records a replay does not show."""
    if record.rec_type not in INDEXED_TYPES:
        return None
    headers = record.rec_headers
    if (headers.get_header("WARC-Profile") or "").endswith("/server-not-modified"):
        # A 304 to a re-check stays in the WARC but is not offered for replay: pywb would
        # answer the browser "304" with no body. The capture it confirms stands for it.
        return None
    url = headers.get_header("WARC-Target-URI") or ""
    if not url:
        return None
    http = record.http_headers
    if record.rec_type == "revisit":
        mime = REVISIT_MIME
    else:
        content_type = (http.get_header("Content-Type") if http else None) or (
            headers.get_header("Content-Type") or "unk"
        )
        mime = content_type.split(";")[0].strip() or "unk"
    # as pywb writes it: no status where there is no HTTP response of this record's own
    status = http.get_statuscode() if http and record.rec_type == "response" else "-"
    digest = headers.get_header("WARC-Payload-Digest") or "-"
    return Capture(
        urlkey=surt_key(url),
        timestamp=timestamp(headers.get_header("WARC-Date")),
        url=url,
        mime=mime,
        status=status or "-",
        digest=digest.split(":", 1)[-1],
        length=length,
        offset=offset,
        filename=filename,
    )


@dataclass
class WarcReading:
    """A WARC file read as far as its records are whole."""

    captures: list[Capture]
    #: where the last whole record ends (the file's size when nothing is wrong)
    end: int
    #: why the reading stopped before the end of the file, or None
    problem: str | None = None
    #: records warcio read with a warning (a record not followed by its blank lines: an
    #: invalid Content-Length), which it would have printed raw
    warnings: int = 0


def quietly(records: ArchiveIterator) -> Iterator[ArcWarcRecord]:
    """The records, with the warnings warcio writes to stderr itself while it reads (once per
    pass over a file) kept back: they are counted (``err_count``) and said in one line. Only
    warcio's reading is silenced, not what is logged between records."""
    iterator = iter(records)
    while True:
        with redirect_stderr(io.StringIO()):
            record = next(iterator, None)
        if record is None:
            return
        yield record


def read_warc(path: Path, filename: str) -> WarcReading:
    """Every replayable record of a WARC file (gzipped or not), as far as they are whole.

    warcio reads a cut-off gzip member without complaint, so the checks are ours: every
    record's block must be as long as its Content-Length says, and the records must reach the
    end of the file. Raises CorruptWarc only for a file that is not a WARC file at all.
    """
    captures: list[Capture] = []
    end = 0
    records: ArchiveIterator | None = None
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, check_digests=False)
            for record in quietly(records):
                with redirect_stderr(io.StringIO()):  # where warcio checks what follows it
                    records.read_to_end(record)
                offset, length = records.get_record_offset(), records.get_record_length()
                if not record.format.startswith("warc"):  # warcio guesses ARC for any text
                    raise CorruptWarc(f"{path}: not a WARC file (no WARC record header)")
                if record.rec_type is None or getattr(record.raw_stream, "limit", 0) > 0:
                    return WarcReading(
                        captures, end, f"truncated: the record at offset {offset} ends early"
                    )
                end = offset + length
                capture = capture_for_record(record, filename, offset, length)
                if capture:
                    captures.append(capture)
    # warcio trips over some cut-off headers with an AttributeError: a damaged file all the same
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError, zlib.error) as error:
        if not end:
            raise CorruptWarc(f"{path}: not a readable WARC file ({_first_line(error)})") from None
        return WarcReading(
            captures, end, f"truncated or damaged after offset {end} ({_first_line(error)})"
        )
    if end == 0 and size:
        raise CorruptWarc(f"{path}: not a readable WARC file (no WARC record in it)")
    warnings = records.err_count if records else 0
    if size - end > 4 and not _blank_tail(path, end):
        # a plain WARC's last record is followed by its two CRLFs (some tools write "\r\r\n")
        return WarcReading(
            captures, end, f"truncated or damaged after offset {end} ({size - end} bytes)", warnings
        )
    return WarcReading(captures, size, None, warnings)


def _blank_tail(path: Path, end: int) -> bool:
    """Whether what follows the last record is only line ends (at most a few hundred bytes)."""
    with path.open("rb") as stream:
        stream.seek(end)
        tail = stream.read(513)
    return len(tail) <= 512 and not tail.strip(b"\r\n \t")


def captures_in_warc(path: Path, filename: str) -> list[Capture]:
    """Every replayable record of a whole WARC file; raises CorruptWarc naming what is wrong."""
    return whole_warc(path, filename).captures


def whole_warc(path: Path, filename: str) -> WarcReading:
    """A whole WARC file read (its captures and warcio's warnings); raises CorruptWarc."""
    reading = read_warc(path, filename)
    if reading.problem:
        raise CorruptWarc(f"{path}: {reading.problem}")
    return reading


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def write_cdxj(path: Path, captures: Iterable[Capture]) -> None:
    """A sorted CDXJ file, replaced atomically."""
    lines = sorted(capture.to_line() + "\n" for capture in captures)
    with replacing(path) as temporary:
        temporary.write_text("".join(lines), encoding="utf-8")


def _search(stream: IO[bytes], key: bytes) -> Iterator[bytes]:
    """Lines starting with ``key`` in a sorted file, found by bisecting byte offsets.

    By hand because the one library that does it (pywb's binsearch) comes with pywb's pinned
    dependencies; this is twenty lines.
    """
    stream.seek(0, os.SEEK_END)
    low, high = 0, stream.tell()
    # invariant: every line starting before `low` sorts before key
    while high - low > 1:
        mid = (low + high) // 2
        stream.seek(mid)
        stream.readline()  # to the start of the next whole line
        line = stream.readline()
        if line and line < key:
            low = mid
        else:
            high = mid
    stream.seek(low)
    if low:
        stream.readline()
    for line in stream:
        if line.startswith(key):
            yield line
        elif line > key:
            return


class CaptureIndex:
    """Reads and writes the CDXJ files of one archive."""

    def __init__(self, output: Path) -> None:
        self.layout = ArchiveLayout(output)
        self.directory = self.layout.cdxj_dir

    def files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*" + CDXJ_SUFFIX))

    def add(self, warc_name: str, captures: Iterable[Capture]) -> Path:
        path = self.layout.cdxj_file(warc_name)
        write_cdxj(path, captures)
        return path

    def remove(self, warc_name: str) -> None:
        self.layout.cdxj_file(warc_name).unlink(missing_ok=True)

    def add_warc(self, warc_path: Path) -> list[Capture]:
        """(Re)index one WARC file under OUTPUT/warc; raises CorruptWarc."""
        name = self.layout.warc_name(warc_path)
        captures = captures_in_warc(warc_path, name)
        self.add(name, captures)
        return captures

    def lookup(self, url: str) -> list[Capture]:
        """Every capture of the URL, oldest first: the one rule for "the captures of this
        URL", everywhere (CLI, web, revisits, WACZ). The SURT key, as pywb matches, so the
        command line and the web replay agree: ``www.``, scheme and case do not matter."""
        key = (surt_key(url) + " ").encode()
        found: list[Capture] = []
        for path in self.files():
            with path.open("rb") as stream:
                found.extend(Capture.from_line(line.decode()) for line in _search(stream, key))
        return sorted(found, key=lambda c: (c.timestamp, c.filename, c.offset))

    def at_record(self, warc_name: str, offset: int) -> Capture | None:
        """The capture of one record (a row's WARC file and offset): how a row whose address was
        normalised (urls.crawl_url) finds the address it was archived under."""
        path = self.layout.cdxj_file(warc_name)
        if not path.exists():
            return None
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and (capture := Capture.from_line(line)).offset == offset:
                    return capture
        return None

    def __iter__(self) -> Iterator[Capture]:
        """Every capture in the archive, in key order (the files merged)."""
        streams = [path.open(encoding="utf-8") for path in self.files()]
        try:
            for line in heapq.merge(*streams):
                if line.strip():
                    yield Capture.from_line(line)
        finally:
            for stream in streams:
                stream.close()

    def warc_path(self, capture: Capture) -> Path:
        return self.layout.warc_dir / capture.filename

    def rebuild(self) -> Iterator[tuple[Path, int | CorruptWarc]]:
        """Index every WARC file again; yields each file with its capture count or error.

        A corrupt file is reported and skipped: the others are still indexed and served. A
        ``….open`` file a killed crawl left is indexed under that name, so its pages replay.
        """
        # the capture table (latest.py) is derived from these files: built again from them
        for suffix in ("", "-wal", "-shm"):
            (self.layout.index_dir / f"latest.sqlite{suffix}").unlink(missing_ok=True)
        wanted = set()
        for path in self.layout.warc_files(with_open=True):
            name = self.layout.warc_name(path)
            wanted.add(self.layout.cdxj_file(name))
            try:
                yield path, len(self.add_warc(path))
            except CorruptWarc as error:
                self.remove(name)
                yield path, error
        for stale in self.files():
            if stale not in wanted:
                stale.unlink()

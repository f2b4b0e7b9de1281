"""An archived page back out of the WARC files: the capture nearest a time, revisits resolved.

The CDXJ index finds the record; warcio reads it from its offset. A revisit record holds only
the HTTP headers of an unchanged page, so its body comes from the original capture it refers to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from w3lib.encoding import html_to_unicode
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_timestamp

from .cdxj import Capture, CaptureIndex
from .writer import UnreadableRecord, read_record_at

_STAMP = re.compile(
    r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T ]?(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)?)?)?"
    r"(?:Z|[+-]00:?00)?$"
)


class NotArchived(LookupError):
    """No capture of the URL in this archive."""


class ArchiveReadError(Exception):
    """The index points at a record that cannot be read (a moved, truncated or corrupt WARC)."""


def parse_timestamp(value: str) -> str:
    """``2024``, ``2024-05-16``, ``2024-05-16T08:30``, ``20240516083000``… → 14 digits (UTC).

    Missing parts are the start of the period, so ``--at 2024-05`` means 1 May 2024, 00:00.
    Raises ValueError for anything else.
    """
    match = _STAMP.match(value.strip())
    if not match:
        raise ValueError(f"not a date or timestamp: {value!r} (try 2024-05-16 or 20240516083000)")
    defaults = (0, 1, 1, 0, 0, 0)
    y, mo, d, h, mi, s = (
        int(p) if p else default for p, default in zip(match.groups(), defaults, strict=True)
    )
    try:
        when = datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc)
    except ValueError as error:
        raise ValueError(f"not a date or timestamp: {value!r} ({error})") from None
    return when.strftime("%Y%m%d%H%M%S")


def timestamp_iso(timestamp: str) -> str:
    """``20240516083000`` → ``2024-05-16T08:30:00Z``."""
    t = timestamp.ljust(14, "0")
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


def nearest(captures: list[Capture], timestamp: str | None) -> Capture:
    """The capture closest in time (the newest without a time), as a wayback machine picks."""
    if timestamp is None:
        return captures[-1]
    target = _seconds(timestamp)
    return min(captures, key=lambda c: (abs(_seconds(c.timestamp) - target), c.timestamp))


def _seconds(timestamp: str) -> float:
    return datetime.strptime(timestamp.ljust(14, "0"), "%Y%m%d%H%M%S").timestamp()


@dataclass
class ArchivedPage:
    capture: Capture
    #: the capture the payload came from: itself, or a revisit's original
    payload_capture: Capture
    http_headers: StatusAndHeaders
    #: the body with transfer and content encodings undone, as a browser would see it
    body: bytes

    @property
    def content_type(self) -> str:
        return self.http_headers.get_header("Content-Type") or ""


def read_record(index: CaptureIndex, capture: Capture) -> tuple[ArcWarcRecord, bytes]:
    """The record a capture points at, and its decoded payload."""
    try:
        return read_record_at(index.warc_path(capture), capture.offset, payload=True)
    except UnreadableRecord as error:
        raise ArchiveReadError(str(error)) from None


def find_original(index: CaptureIndex, revisit: ArcWarcRecord, capture: Capture) -> Capture:
    """The earlier capture holding a revisit's payload: same digest, by its Refers-To headers."""
    headers = revisit.rec_headers
    url = headers.get_header("WARC-Refers-To-Target-URI") or capture.url
    date = headers.get_header("WARC-Refers-To-Date")
    wanted = iso_date_to_timestamp(date) if date else None
    originals = [
        c
        for c in index.lookup(url)
        if not c.is_revisit and c.digest == capture.digest and c.timestamp <= capture.timestamp
    ]
    if not originals:
        raise ArchiveReadError(f"the original of the revisit of {capture.url} is not archived")
    exact = [c for c in originals if c.timestamp == wanted]
    return (exact or originals)[-1]


def load_page(index: CaptureIndex, url: str, at: str | None = None) -> ArchivedPage:
    """The archived page nearest ``at`` (a 14-digit timestamp) or the newest one."""
    captures = [c for c in index.lookup(url) if c.url == url] or index.lookup(url)
    if not captures:
        raise NotArchived(f"not archived: {url}")
    capture = nearest(captures, at)
    record, body = read_record(index, capture)
    payload_capture = capture
    http_headers = record.http_headers
    if record.rec_type == "revisit":
        payload_capture = find_original(index, record, capture)
        original, body = read_record(index, payload_capture)
        if http_headers is None:  # a revisit without headers: the original's stand
            http_headers = original.http_headers
    http_headers = http_headers or StatusAndHeaders("200 OK", [], protocol="HTTP/1.1")
    return ArchivedPage(capture, payload_capture, http_headers, body)


def archive_index(output: Path) -> CaptureIndex:
    index = CaptureIndex(output)
    if not index.files():
        raise NotArchived(f"{output} holds no capture index (no {index.directory})")
    return index


def decoded_html(page: ArchivedPage) -> str:
    """The body as text, by the charset its headers or markup declare (as Scrapy decodes)."""
    _, text = html_to_unicode(page.content_type, page.body)
    return str(text)

"""An archived page back out of the WARC files: the capture nearest a time, revisits resolved.

The CDXJ index finds the record; warcio reads it from its offset. A revisit record holds only
the HTTP headers of an unchanged page, so its body comes from the original capture it refers to.
Which capture a URL and a time mean is decided here once (:func:`capture_at`), for the command
line and the web app alike; pywb, which serves the web replay, picks the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders

from ..dates import timestamp, timestamp_seconds
from ..decoding import decode_html
from ..errors import ArchiveReadError, NotArchived
from .cdxj import Capture, CaptureIndex
from .writer import read_record_at


def nearest(captures: list[Capture], at: str | None) -> Capture:
    """The capture closest in time (the newest without a time), as a wayback machine picks:
    the earlier of two equally close."""
    if at is None:
        return captures[-1]
    target = timestamp_seconds(at)
    return min(captures, key=lambda c: (abs(timestamp_seconds(c.timestamp) - target), c.timestamp))


def capture_at(index: CaptureIndex, url: str, at: str | None = None) -> Capture:
    """The capture of ``url`` (SURT match) nearest ``at`` (14 digits), or the newest."""
    captures = index.lookup(url)
    if not captures:
        raise NotArchived(f"not archived: {url}")
    return nearest(captures, at)


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
    """The record a capture points at, and its decoded payload; raises ArchiveReadError."""
    return read_record_at(index.warc_path(capture), capture.offset, payload=True)


def find_original(index: CaptureIndex, revisit: ArcWarcRecord, capture: Capture) -> Capture:
    """The earlier capture holding a revisit's payload: same digest, by its Refers-To headers."""
    headers = revisit.rec_headers
    url = headers.get_header("WARC-Refers-To-Target-URI") or capture.url
    date = headers.get_header("WARC-Refers-To-Date")
    wanted = timestamp(date) if date else None
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
    capture = capture_at(index, url, at)
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
    return decode_html(page.body, page.content_type).text

"""WARC files: HTTP exchanges in, rotating ``.warc.gz`` files out (warcio does the records).

Each exchange becomes a ``response`` record and a ``request`` record linked by
``WARC-Concurrent-To``; each file starts with a ``warcinfo`` record. Records are built in memory
and appended to the file with one ``write`` each, so a crash leaves every earlier record whole;
a file is named ``….warc.gz.open`` while written and renamed when closed. No Scrapy here: the
capture extension turns Scrapy's objects into an :class:`HttpExchange`.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from . import __version__
from .appendfile import AppendOnlyFile

WARC_VERSION = "WARC/1.1"
OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class HttpExchange:
    """One HTTP request and its response, as sent and received."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes
    request_body: bytes = b""
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    date: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    truncated: bool = False


@dataclass(frozen=True)
class WarcRef:
    """Where a response record went: what the JSONL row and the index point at."""

    filename: str  # relative to the output directory
    record_id: str
    offset: int
    length: int
    payload_digest: str | None


def warc_filename(prefix: str, when: datetime, serial: int, host: str) -> str:
    """IIPC-style name: PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz, 17-digit UTC timestamp."""
    stamp = when.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{prefix}-{stamp}-{serial:05d}-{host}.warc.gz"


def response_headers_as_stored(
    headers: list[tuple[str, str]], body: bytes
) -> list[tuple[str, str]]:
    """Headers consistent with the body we hold.

    Twisted removes chunked framing before we see the body, so a ``Transfer-Encoding: chunked``
    header would lie about the stored bytes: it is dropped, and ``Content-Length`` states the
    stored length. ``Content-Encoding`` stays: the body is kept compressed, as sent.
    """
    chunked = any(n.lower() == "transfer-encoding" for n, _ in headers)
    declared = [v.strip() for n, v in headers if n.lower() == "content-length"]
    if not chunked and declared == [str(len(body))]:
        return headers
    kept = [(n, v) for n, v in headers if n.lower() not in ("transfer-encoding", "content-length")]
    return [*kept, ("Content-Length", str(len(body)))]


class WarcFileWriter:
    """Appends exchanges to size-rotated WARC files in one directory. Thread-safe."""

    def __init__(
        self,
        directory: Path,
        *,
        root: Path,
        prefix: str = "newsarchiver",
        max_size: int = 1_000_000_000,
        info: dict[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.root = root
        self.prefix = prefix
        self.max_size = max_size
        self.info = info or {}
        self.host = socket.gethostname().split(".")[0] or "localhost"
        self.closed_files: list[Path] = []
        self._serial = 0
        self._file: AppendOnlyFile | None = None
        self._info_size = 0  # a file holding only its warcinfo is never rotated
        self._lock = threading.Lock()

    # -- public -----------------------------------------------------------------------------

    def write_exchange(self, exchange: HttpExchange) -> WarcRef:
        response_bytes, response_id, payload_digest = self._response_record(exchange)
        request_bytes = self._request_record(exchange, response_id)
        with self._lock:
            if self._file is None or (
                self._file.size + len(response_bytes) > self.max_size
                and self._file.size > self._info_size
            ):
                self._rotate()
            assert self._file is not None
            offset = self._file.append(response_bytes)
            self._file.append(request_bytes)
            final = self._final_path(self._file.path)
            return WarcRef(
                final.relative_to(self.root).as_posix(),
                response_id,
                offset,
                len(response_bytes),
                payload_digest,
            )

    def close(self) -> None:
        with self._lock:
            self._close_current()

    @property
    def current_file(self) -> Path | None:
        return self._file.path if self._file else None

    # -- records -----------------------------------------------------------------------------

    def _builder(self, out: BytesIO) -> WARCWriter:
        return WARCWriter(out, gzip=True, warc_version=WARC_VERSION)

    def _record(
        self,
        record_type: str,
        ex: HttpExchange,
        body: bytes,
        http_headers: StatusAndHeaders,
        warc_headers: dict[str, str],
    ) -> tuple[bytes, StatusAndHeaders]:
        """One gzipped record as bytes, and its WARC headers (id and digests filled in)."""
        out = BytesIO()
        writer = self._builder(out)
        record = writer.create_warc_record(
            ex.url,
            record_type,
            payload=BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": _warc_date(ex.date), **warc_headers},
        )
        writer.write_record(record)
        return out.getvalue(), record.rec_headers

    def _response_record(self, ex: HttpExchange) -> tuple[bytes, str, str | None]:
        headers = StatusAndHeaders(
            f"{ex.status} {_reason(ex.status)}",
            response_headers_as_stored(ex.response_headers, ex.body),
            protocol=ex.protocol,
        )
        warc_headers = {}
        if ex.ip_address:
            warc_headers["WARC-IP-Address"] = ex.ip_address
        if ex.truncated:
            warc_headers["WARC-Truncated"] = "disconnect"
        data, rec_headers = self._record("response", ex, ex.body, headers, warc_headers)
        record_id = rec_headers.get_header("WARC-Record-ID")
        return data, record_id, rec_headers.get_header("WARC-Payload-Digest")

    def _request_record(self, ex: HttpExchange, response_id: str) -> bytes:
        parts = urlsplit(ex.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = list(ex.request_headers)
        if not any(n.lower() == "host" for n, _ in headers):
            headers.insert(0, ("Host", parts.netloc))
        http_headers = StatusAndHeaders(
            f"{ex.method} {target} {ex.protocol}", headers, is_http_request=True
        )
        data, _ = self._record(
            "request", ex, ex.request_body, http_headers, {"WARC-Concurrent-To": response_id}
        )
        return data

    def _warcinfo_record(self, filename: str) -> bytes:
        out = BytesIO()
        writer = self._builder(out)
        info = {
            "software": f"newsarchiver/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "hostname": self.host,
            **self.info,
        }
        writer.write_record(writer.create_warcinfo_record(filename, info))
        return out.getvalue()

    # -- files -------------------------------------------------------------------------------

    def _rotate(self) -> None:
        self._close_current()
        self._serial += 1
        name = warc_filename(self.prefix, datetime.now(timezone.utc), self._serial, self.host)
        self._file = AppendOnlyFile(self.directory / (name + OPEN_SUFFIX))
        self._file.append(self._warcinfo_record(name))
        self._info_size = self._file.size

    def _close_current(self) -> None:
        if self._file is None:
            return
        self._file.close()
        final = self._final_path(self._file.path)
        self._file.path.replace(final)
        self.closed_files.append(final)
        self._file = None

    @staticmethod
    def _final_path(path: Path) -> Path:
        return path.with_name(path.name.removesuffix(OPEN_SUFFIX))


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _warc_date(when: datetime) -> str:
    naive_utc = when.astimezone(timezone.utc).replace(tzinfo=None)
    return str(datetime_to_iso_date(naive_utc, use_micros=True))

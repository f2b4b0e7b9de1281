"""WARC files: HTTP exchanges in, rotating ``.warc.gz`` files out (warcio does the records).

Each exchange becomes a ``response`` record and a ``request`` record linked by
``WARC-Concurrent-To``; each file starts with a ``warcinfo`` record. A response whose payload is
the same as the URL's last capture becomes a ``revisit`` record (identical-payload-digest profile)
pointing at that capture, so an unchanged page is not stored again. Each file's CDXJ index is
written when the file is closed. Records are built in memory
and appended to the file with one ``write`` each, so a crash leaves every earlier record whole;
a file is named ``….warc.gz.open`` while written and renamed when closed. No Scrapy here: the
capture extension turns Scrapy's objects into an :class:`HttpExchange`.
"""

from __future__ import annotations

import socket
import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .. import __version__
from ..dates import warc_date
from ..digests import sha1_digest
from ..errors import ArchiveReadError, ArchiveWriteError, BodyTooLarge, CrawlError
from ..files import AppendOnlyFile
from ..layout import OPEN_SUFFIX
from .cdxj import Capture, CaptureIndex, capture_for_record
from .latest import LatestCaptures

WARC_VERSION = "WARC/1.1"
#: builds records (ids, digests, headers); never writes: see WarcFileWriter._gzipped
_RECORDS = WARCWriter(None, warc_version=WARC_VERSION)


class _Compressor(Protocol):
    def compress(self, data: bytes | memoryview, /) -> bytes: ...
    def flush(self) -> bytes: ...


@dataclass(frozen=True)
class GzipEngine:
    """What compresses the records (``WARC_GZIP_ENGINE``): a zlib-like ``compressobj``."""

    compressobj: Callable[[int, int, int], _Compressor]
    #: the level when WARC_GZIP_LEVEL does not say
    default_level: int
    top_level: int


#: zlib at 5 (below its default 6 and warcio's 9), or ISA-L (python-isal: the same gzip
#: format, levels 0-3) at its own default; see WarcFileWriter._gzipped
GZIP_ENGINES = {
    "zlib": GzipEngine(zlib.compressobj, 5, 9),
    "isal": GzipEngine(isal_zlib.compressobj, isal_zlib.ISAL_DEFAULT_COMPRESSION, 3),
}
NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass(frozen=True)
class Original:
    """The capture a revisit record refers to."""

    url: str
    date: str  # its WARC-Date
    record_id: str | None
    digest: str

    @classmethod
    def of(cls, record: ArcWarcRecord) -> Original:
        """The capture a record stands for: itself, or the original a revisit points at (so a
        new revisit never refers to another revisit)."""
        headers = record.rec_headers
        digest = headers.get_header("WARC-Payload-Digest") or ""
        if record.rec_type == "revisit":
            return cls(
                headers.get_header("WARC-Refers-To-Target-URI")
                or headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Refers-To-Date") or "",
                headers.get_header("WARC-Refers-To"),
                digest,
            )
        return cls(
            headers.get_header("WARC-Target-URI"),
            headers.get_header("WARC-Date"),
            headers.get_header("WARC-Record-ID"),
            digest,
        )


#: the most a body may decode to when read back (replay, import, re-extraction): the crawl's
#: own DOWNLOAD_MAXSIZE, so nothing is read back that a crawl would not have taken in
MAX_BODY_BYTES = 32 * 1024 * 1024
_CHUNK = 256 * 1024


def read_body(record: ArcWarcRecord, where: str, limit: int = MAX_BODY_BYTES) -> bytes:
    """A record's payload as a browser gets it (chunking and Content-Encoding undone), read in
    chunks and given up past ``limit``: 10 MB of gzip can decode to 10 GB."""
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(
                f"{where}: the archived body decodes to more than {limit // (1024 * 1024)} MiB"
                " (a decompression bomb?); not read"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def read_record_at(
    path: Path, offset: int, *, payload: bool = False
) -> tuple[ArcWarcRecord, bytes]:
    """The record starting at ``offset``, and its payload decoded (when asked) as a browser
    would get it. Raises ArchiveReadError naming the file (BodyTooLarge past MAX_BODY_BYTES)."""
    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream, check_digests=False)))
            where = f"{path} at offset {offset}"
            return record, read_body(record, where) if payload else b""
    # warcio trips over some cut-off headers with an AttributeError: damaged all the same
    except (OSError, StopIteration, ValueError, EOFError, AttributeError) as error:
        reason = str(error) or "truncated"
        raise ArchiveReadError(
            f"{path}: cannot read the record at offset {offset} ({reason})"
        ) from None


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
    #: for a 304 to a conditional request: the capture the server said is still current
    not_modified_of: Original | None = None


class PreviousCaptures:
    """Previous captures from earlier crawls: the URL's newest capture, from the capture table
    (latest.py: one indexed read, however many CDXJ files the archive holds)."""

    def __init__(self, index: CaptureIndex) -> None:
        self.index = index
        self.latest = LatestCaptures(index.layout.root)

    def __call__(self, url: str) -> Original | None:
        capture = self.latest.get(url)
        if capture is None:
            return None
        try:
            record, _ = read_record_at(self.index.warc_path(capture), capture.offset)
        except ArchiveReadError:  # the file is gone or damaged: no revisit, a full response
            return None
        return Original.of(record)

    def close(self) -> None:
        self.latest.close()


@dataclass(frozen=True)
class WarcRef:
    """Where a response record went: what the JSONL row and the index point at."""

    filename: str  # relative to the output directory
    record_id: str
    offset: int
    length: int
    payload_digest: str | None
    revisit: bool = False


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
        index: CaptureIndex | None = None,
        revisits: bool = True,
        gzip_level: int | None = None,
        gzip_engine: str = "zlib",
    ) -> None:
        self.directory = directory
        if gzip_engine not in GZIP_ENGINES:
            raise CrawlError(
                f"WARC_GZIP_ENGINE is {gzip_engine!r}: it is one of {', '.join(GZIP_ENGINES)}"
            )
        self.gzip = GZIP_ENGINES[gzip_engine]
        self.gzip_level = self.gzip.default_level if gzip_level is None else gzip_level
        if not 0 <= self.gzip_level <= self.gzip.top_level:
            raise CrawlError(
                f"WARC_GZIP_LEVEL is {self.gzip_level}: "
                f"a {gzip_engine} level is 0 to {self.gzip.top_level}"
            )
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
        #: the CDXJ index: each closed file's captures go in, earlier captures are looked up
        self.index = index
        self._captures: list[Capture] = []
        self._previous = PreviousCaptures(index) if index and revisits else None
        self._revisits = revisits
        #: this run's captures by URL: a page fetched twice in one crawl is a revisit too
        self._seen: dict[str, Original] = {}

    # -- public -----------------------------------------------------------------------------

    def write_exchange(self, exchange: HttpExchange) -> WarcRef:
        original = self._original_of(exchange)
        if exchange.status == 304 and exchange.not_modified_of:
            original = exchange.not_modified_of
            response_bytes, record = self._revisit_record(exchange, original, NOT_MODIFIED)
        elif original:
            response_bytes, record = self._revisit_record(exchange, original)
        else:
            response_bytes, record = self._response_record(exchange)
        response_id = record.rec_headers.get_header("WARC-Record-ID")
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        request_bytes = self._request_record(exchange, response_id)
        with self._lock:
            if self._file is None or (
                self._file.size + len(response_bytes) > self.max_size
                and self._file.size > self._info_size
            ):
                self._rotate()
            assert self._file is not None
            offset = self._file.append(response_bytes)
            try:
                self._file.append(request_bytes)
            except ArchiveWriteError:  # a response without its request: neither stays
                self._file.rewind(offset)
                raise
            final = self._final_path(self._file.path)
            if self.index:
                filename = self.index.layout.warc_name(final)
                capture = capture_for_record(record, filename, offset, len(response_bytes))
                if capture:
                    self._captures.append(capture)
            if digest and 200 <= exchange.status < 300:
                self._seen[exchange.url] = original or Original(
                    exchange.url, warc_date(exchange.date), response_id, digest
                )
            return WarcRef(
                final.relative_to(self.root).as_posix(),
                response_id,
                offset,
                len(response_bytes),
                digest,
                revisit=original is not None,
            )

    def close(self) -> None:
        with self._lock:
            self._close_current()
        if self._previous is not None:
            self._previous.close()

    @property
    def current_file(self) -> Path | None:
        return self._file.path if self._file else None

    # -- records -----------------------------------------------------------------------------

    def _gzipped(self, record: ArcWarcRecord) -> bytes:
        """The record as one gzip member, the unit WARC readers seek to.

        Compressed here, not by warcio's ``gzip=True``: that one always uses level 9. On the
        210 dev pages (bench/gzip_levels.py) 9 takes 7.6 ms a page, zlib's default 6 4.1 and
        5 3.1, for files 2.8 % and 1.9 % larger than 9's: this is the crawl process's CPU,
        which bounds the crawl, so 5 by default (``WARC_GZIP_LEVEL``). ISA-L at its default
        level 2 takes 0.36 ms, 0.12× of zlib 5, for files 14 % larger: a choice for crawls
        short of CPU rather than disk (``WARC_GZIP_ENGINE = "isal"``).
        """
        out = BytesIO()
        WARCWriter(out, gzip=False, warc_version=WARC_VERSION).write_record(record)
        compressor = self.gzip.compressobj(self.gzip_level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        return compressor.compress(out.getbuffer()) + compressor.flush()

    def _record(
        self,
        record_type: str,
        ex: HttpExchange,
        body: bytes,
        http_headers: StatusAndHeaders,
        warc_headers: dict[str, str],
    ) -> tuple[bytes, ArcWarcRecord]:
        """One gzipped record as bytes, and the record (id and digests filled in)."""
        record = _RECORDS.create_warc_record(
            ex.url,
            record_type,
            payload=BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_date(ex.date), **warc_headers},
        )
        return self._gzipped(record), record

    def _response_headers(self, ex: HttpExchange) -> StatusAndHeaders:
        return StatusAndHeaders(
            f"{ex.status} {_reason_phrase(ex.status)}",
            response_headers_as_stored(ex.response_headers, ex.body),
            protocol=ex.protocol,
        )

    def _exchange_warc_headers(self, ex: HttpExchange) -> dict[str, str]:
        warc_headers = {}
        if ex.ip_address:
            warc_headers["WARC-IP-Address"] = ex.ip_address
        if ex.truncated:
            warc_headers["WARC-Truncated"] = "disconnect"
        return warc_headers

    def _response_record(self, ex: HttpExchange) -> tuple[bytes, ArcWarcRecord]:
        return self._record(
            "response", ex, ex.body, self._response_headers(ex), self._exchange_warc_headers(ex)
        )

    def _original_of(self, ex: HttpExchange) -> Original | None:
        """The earlier capture with this very payload, if the response repeats one."""
        if not self._revisits or not ex.body or ex.truncated or not 200 <= ex.status < 300:
            return None
        digest = sha1_digest(ex.body)
        with self._lock:
            original = self._seen.get(ex.url)
        if original is None and self._previous:
            original = self._previous(ex.url)
        return original if original and original.digest == digest else None

    def _revisit_record(
        self, ex: HttpExchange, original: Original, profile: str | None = None
    ) -> tuple[bytes, ArcWarcRecord]:
        """HTTP headers only; the payload is the original's (identical-payload-digest, or
        server-not-modified for a 304 to a conditional request)."""
        warc_headers = {"WARC-Date": warc_date(ex.date), **self._exchange_warc_headers(ex)}
        if original.record_id:
            warc_headers["WARC-Refers-To"] = original.record_id
        record = _RECORDS.create_revisit_record(
            ex.url,
            original.digest,
            original.url,
            original.date,
            http_headers=self._response_headers(ex),
            warc_headers_dict=warc_headers,
        )
        if profile:
            record.rec_headers.replace_header("WARC-Profile", profile)
        return self._gzipped(record), record

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
        info = {
            "software": f"newsarchiver/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
            "warc-format/warc-1.1/",
            "hostname": self.host,
            **self.info,
        }
        return self._gzipped(_RECORDS.create_warcinfo_record(filename, info))

    # -- files -------------------------------------------------------------------------------

    def _rotate(self) -> None:
        self._close_current()
        while True:  # another writer (a crawler in this process, a worker) took this name
            self._serial += 1
            name = warc_filename(self.prefix, datetime.now(timezone.utc), self._serial, self.host)
            if (self.directory / name).exists():
                continue
            try:
                self._file = AppendOnlyFile(self.directory / (name + OPEN_SUFFIX), new=True)
                break
            except FileExistsError:
                continue
        try:
            self._file.append(self._warcinfo_record(name))
        except ArchiveWriteError:  # not even its warcinfo fits: no file at all
            self._file.close_quietly()
            self._file.path.unlink(missing_ok=True)
            self._file = None
            raise
        self._info_size = self._file.size

    def _close_current(self) -> None:
        """Synced, indexed, then renamed to its final name: a file that could not be synced
        or indexed (a full disk) keeps its open name, and the next crawl's recovery finishes
        the job (warc/recovery.py). Raises ArchiveWriteError then."""
        if self._file is None:
            return
        current, self._file = self._file, None
        captures, self._captures = self._captures, []
        current.close()
        final = self._final_path(current.path)
        if self.index:
            name = self.index.layout.warc_name(final)
            self.index.add(name, captures)
            # a `reindex` while this file was written indexed it under its open name
            self.index.remove(name + OPEN_SUFFIX)
        try:
            current.path.replace(final)
        except OSError as error:
            raise ArchiveWriteError.of(current.path, error) from None
        self.closed_files.append(final)

    @staticmethod
    def _final_path(path: Path) -> Path:
        return path.with_name(path.name.removesuffix(OPEN_SUFFIX))


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"

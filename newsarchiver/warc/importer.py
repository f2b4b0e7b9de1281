"""WARC files made by other tools (wget, Heritrix, browsertrix, warcio) into the archive.

Each file is read to its end first, so a truncated or corrupt one is refused whole, with its
name, before anything is copied; the others go on. An accepted file is copied under
``OUTPUT/warc/imported/`` (the archive stays self-contained), indexed for replay (CDXJ), and
its article pages are extracted into ``OUTPUT/articles/YYYY-MM/IMPORT_ID.jsonl``, as a crawl
would have done. Importing the same file twice is a no-op.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recompressor import Recompressor

from ..articles.index import catch_up
from ..articles.rows import archived_article
from ..articles.versions import VersionLedger
from ..crawl.failures import describe
from ..dates import warc_date_as_fetched_at
from ..decoding import decode_html
from ..errors import BodyTooLarge, CorruptWarc
from ..extraction import Article, rejection_reason
from ..extraction.workers import ExtractionWorkers, default_workers
from ..files import AppendOnlyFile, replacing
from ..items import FetchedPage
from ..layout import ArchiveLayout, CrawlLayout, new_crawl_id
from ..urls import crawl_url
from .cdxj import CaptureIndex, WarcReading, quietly, whole_warc
from .writer import read_body

logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    source: Path
    stored_as: Path | None = None
    captures: int = 0
    #: HTML pages read so far (articles or not)
    pages: int = 0
    articles: int = 0
    #: article pages whose text the archive holds already (no new row)
    unchanged: int = 0
    #: records warcio read with a warning (an invalid Content-Length, most often)
    warnings: int = 0
    #: HTML bodies not read: they decode to more than MAX_BODY_BYTES (they stay in the WARC)
    too_large: int = 0
    #: the file held nothing
    empty: bool = False
    #: what the file was when it had to be rewritten record by record ("ARC", "whole-file gzip")
    rewritten: str | None = None
    #: why nothing was imported: a corrupt file, or one imported before
    error: str | None = None
    already_imported: bool = False


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _candidates(path: Path) -> Iterator[Path]:
    """``path``, then ``stem-2.warc.gz``, ``stem-3…``: the names an imported file may take."""
    yield path
    stem, dot, rest = path.name.partition(".")
    counter = 2
    while True:
        yield path.with_name(f"{stem}-{counter}{dot}{rest}")
        counter += 1


def _unused(path: Path) -> Path:
    """The first of the names no file has yet."""
    return next(candidate for candidate in _candidates(path) if not candidate.exists())


def _destination(directory: Path, source: Path) -> tuple[Path, bool]:
    """Where the copy goes, and whether that very file is already there."""
    source_hash: str | None = None
    for candidate in _candidates(directory / source.name):
        if not candidate.exists():
            return candidate, False
        source_hash = source_hash or _sha256(source)
        if _sha256(candidate) == source_hash:
            return candidate, True
    raise AssertionError("unreachable: the names never run out")


def _warc_name(name: str) -> str:
    """site.arc.gz → site.warc.gz; site.warc.gz (whole-file gzip) stays site.warc.gz."""
    stem = name.split(".", 1)[0]
    return f"{stem}.warc.gz"


def _rewrite_as_warc(
    source: Path, destination: Path, filename: str
) -> tuple[WarcReading, str] | None:
    """An ARC file, or a WARC gzipped as one whole file (whose records have no offsets to
    replay from), written as a WARC gzipped record by record, as replay needs; with what it
    was. warcio's Recompressor does the rewriting (ARC records become WARC records); None
    when warcio cannot read the file either."""
    was = _needs_rewrite(source)
    if was is None:
        return None
    try:
        with replacing(destination) as temporary:
            recompressor = Recompressor(str(source), str(temporary))
            with source.open("rb") as stream:
                try:
                    recompressor.load_and_write(stream, str(temporary))
                except Exception:  # warcio's way of saying "gzip members are not records"
                    stream.seek(0)
                    recompressor.decompress_and_recompress(stream, str(temporary))
            reading = whole_warc(temporary, filename)
    except (CorruptWarc, ArchiveLoadFailed, OSError, ValueError, EOFError, zlib.error):
        return None
    if not reading.captures:
        destination.unlink(missing_ok=True)
        return None
    return reading, was


def _needs_rewrite(source: Path) -> str | None:
    """ "ARC" for an ARC file, "whole-file gzip" for a *complete* gzip member holding several
    WARC records; None for anything else (a truncated WARC stays refused, never half-rewritten).
    """
    with source.open("rb") as stream:
        start = stream.read(64)
        if start.startswith(b"filedesc://"):
            return "ARC"
        if not start.startswith(b"\x1f\x8b"):
            return None
        stream.seek(0)
        member = zlib.decompressobj(wbits=31)
        head = member.decompress(stream.read(1 << 16), 1 << 16)
        if head.startswith(b"filedesc://"):
            return "ARC"
        records = head.count(b"WARC/1.")
        while not member.eof and (chunk := member.unconsumed_tail or stream.read(1 << 20)):
            records += member.decompress(chunk, 1 << 20).count(b"\r\nWARC/1.")
        return "whole-file gzip" if member.eof and records > 1 else None


def import_sources(paths: Iterable[Path]) -> list[Path]:
    """The files to import: files as given, directories searched for WARC and ARC files."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and _ARCHIVE_NAME.search(p.name)
            )
        else:
            found.append(path)
    return found


_ARCHIVE_NAME = re.compile(r"\.(?:w?arc)(?:\.gz)?$", re.IGNORECASE)


def _copy(source: Path, destination: Path) -> None:
    with replacing(destination) as temporary:
        shutil.copyfile(source, temporary)


def html_pages(
    path: Path, warc_file: str, report: ImportReport | None = None
) -> Iterator[FetchedPage]:
    """The 200 OK HTML responses of a WARC file, decoded as a browser would; a body too large
    to decode is one warning (and counted on ``report``), the rest goes on."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, check_digests=False)
        for record in quietly(records):  # its warnings were counted by read_warc
            if record.rec_type != "response" or not record.http_headers:
                continue
            http = record.http_headers
            content_type = http.get_header("Content-Type") or ""
            if http.get_statuscode() != "200" or "html" not in content_type.lower():
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI")
            try:
                body = read_body(record, f"{path}: {url}")
            except BodyTooLarge as error:
                logger.warning("%s", error)
                if report:
                    report.too_large += 1
                continue
            decoded = decode_html(body, content_type)
            yield FetchedPage(
                url=crawl_url(url),  # the row's address as the crawler writes it
                html=decoded.text,
                status=200,
                fetched_at=warc_date_as_fetched_at(headers.get_header("WARC-Date")),
                content_type=content_type,
                encoding=decoded.encoding,
                discovered_via="import",
                warc_file=warc_file,
                warc_record_id=headers.get_header("WARC-Record-ID"),
                warc_offset=records.get_record_offset(),
                payload_digest=headers.get_header("WARC-Payload-Digest"),
            )


class WarcImport:
    """One import run: its own id names the JSONL file its articles go to."""

    def __init__(self, output: Path, *, markdown: bool = False, workers: int | None = None) -> None:
        self.output = output
        self.workers = default_workers() if workers is None else workers
        self.layout = CrawlLayout(ArchiveLayout(output), new_crawl_id())
        self.index = CaptureIndex(output)
        self.markdown = markdown
        self._jsonl: AppendOnlyFile | None = None
        self._progress: Callable[[ImportReport], None] | None = None

    def run(
        self,
        sources: Iterable[Path],
        progress: Callable[[ImportReport], None] | None = None,
    ) -> Iterator[ImportReport]:
        """Import each file in turn, yielding its report; ``progress`` is told after each of
        its article pages."""
        self._progress = progress
        catch_up(self.output)  # so the versions below know every row written so far
        versions = VersionLedger(self.output)
        workers = ExtractionWorkers(self.workers, markdown=self.markdown)
        try:
            for source in sources:
                yield self._import_file(source, versions, workers)
        finally:
            workers.close()
            versions.close()
            if self._jsonl:
                self._jsonl.close()

    def _import_file(
        self, source: Path, versions: VersionLedger, workers: ExtractionWorkers
    ) -> ImportReport:
        report = ImportReport(source)
        if source.stat().st_size == 0:
            report.empty = True
            return report
        archive = self.layout.archive
        destination, already = _destination(archive.imported_dir, source)
        filename = archive.warc_name(destination)
        try:
            reading = whole_warc(source, filename)  # the whole file read before any copy
        except CorruptWarc as error:
            if already:
                report.error = str(error)
                return report
            # not a per-record WARC: an ARC file, or a WARC gzipped as one whole file
            destination = _unused(destination.with_name(_warc_name(destination.name)))
            filename = archive.warc_name(destination)
            rewritten = _rewrite_as_warc(source, destination, filename)
            if rewritten is None:
                report.error = str(error)
                return report
            reading, report.rewritten = rewritten
            already = False
        else:
            if not already:
                _copy(source, destination)
        captures = reading.captures
        report.stored_as = destination
        report.captures = len(captures)
        report.warnings = reading.warnings
        if already:
            report.already_imported = True
            return report
        self.index.add(filename, captures)
        warc_file = archive.relative(destination)
        pages = (
            p for p in html_pages(destination, warc_file, report) if not rejection_reason(p.html)
        )
        for page, article in workers.in_order(pages, lambda p: (p.html, p.url)):
            report.pages += 1
            if self._progress:
                self._progress(report)
            if isinstance(article, Exception):  # as in a crawl: one line, the page stays
                logger.warning("extraction failed: %s: %s", describe(article), page.url)
                continue
            if not isinstance(article, Article):
                continue
            row = versions.place(archived_article(page, article, self.layout.crawl_id))
            if row is None:  # the same text as the article's newest row
                report.unchanged += 1
                continue
            if self._jsonl is None:
                self._jsonl = AppendOnlyFile(self.layout.articles_file)
            self._jsonl.append(row.to_json_line())
            report.articles += 1
        return report

    @property
    def jsonl_file(self) -> Path | None:
        return self._jsonl.path if self._jsonl else None

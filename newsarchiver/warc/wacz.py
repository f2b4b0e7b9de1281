"""A WACZ of the archive (or of one site): WARCs, index and a page list, one zip file.

py-wacz writes the package (index, ``datapackage.json``, hashes); we choose the WARCs and write
``pages/pages.jsonl`` from the article index, with titles and clean text, so replayweb.page
lists the articles by title and searches their text. With ``site``, the site's records are
copied byte for byte into a WARC of their own (each record is a gzip member, so a byte range is
a whole record), so the package holds that site and nothing else.
"""

from __future__ import annotations

import contextlib
import io
import json
import secrets
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from ..articles.index import ArticleIndex, open_index
from ..articles.query import Query, search, site_keys
from ..dates import INDEX_UTC_FORMAT, parse_iso
from ..errors import IndexUnavailable, WaczError
from ..files import replacing
from ..urls import site_key, site_names
from .cdxj import Capture, CaptureIndex
from .writer import warc_filename


@dataclass
class WaczReport:
    path: Path
    warc_files: int
    captures: int
    pages: int


def _copy_records(index: CaptureIndex, captures: list[Capture], directory: Path) -> list[Path]:
    """The selected records, byte for byte, in one WARC per compression (gzip or plain)."""
    outputs: dict[bool, Path] = {}
    handles = {}
    try:
        for capture in sorted(captures, key=lambda c: (c.timestamp, c.filename, c.offset)):
            gzipped = capture.filename.endswith(".gz")
            if gzipped not in outputs:
                name = warc_filename("newsarchiver-export", datetime.now(timezone.utc), 1, "wacz")
                path = directory / (name if gzipped else name.removesuffix(".gz"))
                outputs[gzipped] = path
                handles[gzipped] = path.open("wb")
            with index.warc_path(capture).open("rb") as source:
                source.seek(capture.offset)
                handles[gzipped].write(source.read(capture.length))
                if not gzipped:
                    handles[gzipped].write(b"\r\n\r\n")  # outside a plain record's length
    finally:
        for handle in handles.values():
            handle.close()
    return list(outputs.values())


def _article_index(output: Path) -> ArticleIndex | None:
    try:
        return open_index(output)
    except IndexUnavailable:  # an archive of WARC files only: no article list, still a WACZ
        return None


def site_captures(output: Path, index: CaptureIndex, site: str) -> list[Capture]:
    """The captures of the site ``site`` names, by the same rule as ``query --site``: its
    domain or label, or a site name the article index knows for a domain."""
    articles = _article_index(output)
    try:
        named = site_keys(articles, site) if articles else set()
    finally:
        if articles:
            articles.close()
    found = []
    for capture in index:
        key = site_key(capture.url)
        if key in named or site_names(site, key):
            found.append(capture)
    return found


def _pages(output: Path, site: str | None, captured: set[str], path: Path) -> int:
    """``pages/pages.jsonl``: one line per current article that has a capture to replay."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}
        out.write(json.dumps(header) + "\n")
        index = _article_index(output)
        if index is None:
            return 0
        try:
            rows = search(index, Query(site=site), fields=("url", "title", "fetched_at", "text"))
            for row in rows:
                when = parse_iso(row["fetched_at"])
                if row["url"] not in captured or when is None:
                    continue
                page = {
                    "id": secrets.token_hex(8),
                    "url": row["url"],
                    "ts": when.astimezone(timezone.utc).strftime(INDEX_UTC_FORMAT),
                    "title": row["title"] or row["url"],
                    "text": row["text"],
                }
                out.write(json.dumps(page, ensure_ascii=False) + "\n")
                count += 1
        finally:
            index.close()
    return count


def export_wacz(output: Path, destination: Path, *, site: str | None = None) -> WaczReport:
    index = CaptureIndex(output)
    captures = list(index) if site is None else site_captures(output, index, site)
    if not captures:
        raise WaczError(
            f"no capture of {site} in {output}" if site else f"{output} holds no capture to export"
        )
    with tempfile.TemporaryDirectory(prefix="newsarchiver-wacz-") as work:
        workdir = Path(work)
        if site is None:
            warcs = sorted({index.warc_path(c) for c in captures})
        else:
            warcs = _copy_records(index, captures, workdir)
        pages_file = workdir / "pages.jsonl"
        pages = _pages(output, site, {c.url for c in captures}, pages_file)
        title = f"newsarchiver: {site}" if site else f"newsarchiver: {output.resolve().name}"
        with replacing(destination, parents=False) as temporary:
            args = ["create", "-o", str(temporary), "--copy-pages", "-p", str(pages_file)]
            args += ["--title", title, "--desc", f"Exported by newsarchiver {__version__}"]
            chatter = io.StringIO()  # py-wacz prints its progress
            with contextlib.redirect_stdout(chatter):
                status = _wacz_main()([*args, *map(str, warcs)])
            if status:
                raise WaczError(f"py-wacz could not write the package: {chatter.getvalue()[-300:]}")
    return WaczReport(destination, len(warcs), len(captures), pages)


def _wacz_main() -> Callable[[list[str]], int]:
    """py-wacz's command, imported when needed: it pulls in pyamf, which imports setuptools'
    deprecated pkg_resources and warns about it on every import."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
        from wacz.main import main

    return main  # type: ignore[no-any-return]

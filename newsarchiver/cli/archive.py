"""``captures``, ``replay``, ``import`` and ``export wacz``: the WARC side of the archive."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from ..dates import parse_user_time, timestamp_iso
from ..errors import NotArchived
from ..warc.cdxj import Capture
from ..warc.replay import archive_index, decoded_html, load_page
from .common import console, main, out, output_option, print_error, progress
from .formats import FORMATS, write_rows
from .query import export

CAPTURE_FIELDS = ["time", "status", "type", "mime", "digest", "warc_file", "offset", "url"]


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return parse_user_time(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def _capture_row(capture: Capture) -> dict[str, Any]:
    return {
        "time": timestamp_iso(capture.timestamp),
        "status": "" if capture.status == "-" else capture.status,
        "type": "revisit" if capture.is_revisit else "response",
        "mime": "" if capture.is_revisit else capture.mime,
        "digest": capture.digest,
        "warc_file": capture.filename,
        "offset": capture.offset,
        "url": capture.url,
    }


@main.command()
@click.argument("url")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@output_option
def captures(url: str, fmt: str, output: Path) -> None:
    """List every capture of URL: time, status, record type, digest, WARC file.

    A "revisit" is a capture whose page had not changed: it refers to an earlier one.

    \b
    Example:
      newsarchiver captures https://www.tagesblatt.example/politik/
    """
    found = archive_index(output).lookup(url)
    if not found:
        raise NotArchived(f"not archived: {url}")
    write_rows(map(_capture_row, found), CAPTURE_FIELDS, fmt)


@main.command()
@click.argument("url")
@click.option("--at", type=Timestamp(), help="The capture nearest this time (default: newest).")
@click.option("--headers", is_flag=True, help="Print the archived HTTP status and headers.")
@click.option("--text", is_flag=True, help="Print the extracted article (title and text).")
@output_option
def replay(url: str, at: str | None, headers: bool, text: bool, output: Path) -> None:
    """Print the archived page URL as it was fetched (the body, decoded).

    \b
    Example:
      newsarchiver replay https://www.tagesblatt.example/ --at 2024-05-16 > page.html
      newsarchiver replay https://www.tagesblatt.example/politik/ --headers
    """
    page = load_page(archive_index(output), url, at)
    when = timestamp_iso(page.capture.timestamp)
    console.print(f"{page.capture.url} captured {when}", highlight=False)
    if headers:
        out.print(str(page.http_headers).rstrip(), markup=False, highlight=False)
        if not text:
            return
    if text:
        from ..extraction import extract_article

        article = extract_article(decoded_html(page), page.capture.url)
        if article is None:
            raise click.ClickException(f"not an article page: {page.capture.url}")
        out.print(article.title or "", markup=False, highlight=False, soft_wrap=True)
        out.print(article.text, markup=False, highlight=False, soft_wrap=True)
        return
    sys.stdout.buffer.write(page.body)
    sys.stdout.buffer.flush()


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@output_option
def import_command(files: tuple[Path, ...], output: Path) -> None:
    """Bring WARC and ARC files made by other tools into the archive.

    Each file is copied under OUTPUT/warc/imported/, indexed for replay, and its article pages
    are extracted into JSONL like a crawl's. A directory is searched for *.warc, *.warc.gz,
    *.arc and *.arc.gz files. ARC files and WARCs gzipped as one whole file are rewritten as
    WARCs gzipped record by record (replay needs each record's offset). A corrupt or truncated
    file is named and skipped; the others are imported.

    \b
    Example:
      wget --warc-file=site --recursive --level=1 https://www.tagesblatt.example/
      newsarchiver import site.warc.gz
    """
    from ..articles.index import catch_up
    from ..warc.importer import ImportReport, WarcImport, import_sources

    started = time.monotonic()
    job = WarcImport(output)
    failed = articles = captures = 0
    sources = import_sources(files)
    if not sources:
        raise click.ClickException(f"no WARC or ARC file in {', '.join(map(str, files))}")

    numbers = {source: number for number, source in enumerate(sources, 1)}

    def shown(report: ImportReport) -> None:
        number = numbers[report.source]
        note(f"file {number} of {len(sources)}: {report.source.name}: {report.pages} pages read…")

    with progress("importing…") as note:
        for report in job.run(sources, shown):
            if report.empty:
                out.print(f"{report.source}: empty, nothing to import", markup=False)
            elif report.error:
                failed += 1
                print_error(report.error)
            elif report.already_imported:
                out.print(
                    f"{report.source}: already imported as {report.stored_as}",
                    markup=False,
                    soft_wrap=True,
                )
            else:
                articles += report.articles
                captures += report.captures
                out.print(
                    f"{report.source}: {report.captures} captures, {report.articles} articles"
                    + (
                        f" ({report.unchanged} unchanged, not stored again)"
                        if report.unchanged
                        else ""
                    )
                    + (f" ({report.too_large} too large to read)" if report.too_large else "")
                    + (
                        f" ({report.warnings} records with a warcio warning: a Content-Length"
                        " that does not match the record)"
                        if report.warnings
                        else ""
                    )
                    + (f" (was {report.rewritten}: rewritten as WARC)" if report.rewritten else "")
                    + f" → {report.stored_as}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
    if job.jsonl_file:
        catch_up(output)
        out.print(f"JSONL  {job.jsonl_file}", markup=False, highlight=False)
    out.print(
        f"imported {len(sources) - failed} of {len(sources)} files in "
        f"{time.monotonic() - started:.1f}s: {captures} captures, {articles} articles",
        highlight=False,
    )
    if failed:
        sys.exit(1)


@main.command()
@click.option("--site", help="Only this site (name or domain).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only pages captured on or after this day (YYYY-MM-DD).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Processes extracting articles [default: one per core; 0: threads].",
)
@output_option
def reextract(site: str | None, since: Any, workers: int | None, output: Path) -> None:
    """Extract the articles again from the archived pages, with this version's extractor.

    Nothing is fetched: every archived HTML response is read from the WARC files. A capture
    whose text comes out different gets a new row (same version, same capture time, the new
    extractor named in "extractor"); a capture that had no row (a page an older version left
    out) gets one; an unchanged text gets none.

    \b
    Example:
      newsarchiver reextract --site tagesblatt --since 2024-01-01
    """
    from ..articles.reextract import Reextraction

    started = time.monotonic()
    job = Reextraction(output, site=site, since=since.date() if since else None, workers=workers)
    with progress("reading the archived pages…") as note:
        report = job.run(lambda r: note(f"{r.pages} archived pages read…"))
    out.print(
        f"{report.pages} archived pages read in {time.monotonic() - started:.1f}s: "
        f"{report.changed} texts changed, {report.added} articles new to the text archive, "
        f"{report.unchanged} unchanged, {report.not_articles} not articles"
        + (f", {report.failed} failed" if report.failed else ""),
        highlight=False,
        soft_wrap=True,
    )
    if report.jsonl_file:
        out.print(f"JSONL  {report.jsonl_file}", markup=False, highlight=False)


@export.command("wacz")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--site", help="Only this site (name or domain): its records and its articles.")
@output_option
def export_wacz_command(path: Path, site: str | None, output: Path) -> None:
    """Write a WACZ file (WARCs, index, article list) that replayweb.page and pywb open.

    \b
    Example:
      newsarchiver export wacz tagesblatt.wacz --site tagesblatt
    """
    from ..warc.wacz import export_wacz

    with progress("writing the WACZ (WARC files, index, pages)…"):
        report = export_wacz(output, path, site=site)
    out.print(
        f"wrote {report.path}: {report.captures} captures from {report.warc_files} WARC files, "
        f"{report.pages} article pages",
        highlight=False,
    )

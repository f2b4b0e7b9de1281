"""`newsarchiver import`: WARC files written by wget and by warcio, against the sample site."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.capture_http import capture_http

from newsarchiver.sample_site import SampleSiteServer
from newsarchiver.sample_site.content import ARTICLES
from newsarchiver.urls import crawl_url
from newsarchiver.warc.cdxj import CaptureIndex
from newsarchiver.warc.replay import load_page
from tests.conftest import archived_rows, newsarchiver_command, run_cli

BIN = Path(sys.executable).parent
TITLES = {a.path: a.title for a in ARTICLES}


@pytest.fixture(scope="module")
def wget_warc(sample_site: SampleSiteServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("wget"):
        pytest.fail("wget is missing: `make test` installs Debian's wget")
    work = tmp_path_factory.mktemp("wget")
    done = subprocess.run(
        [
            "wget",
            f"--warc-file={work / 'site'}",
            "--recursive",
            "--level=2",
            "--no-verbose",
            f"--directory-prefix={work / 'mirror'}",
            sample_site.url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 8), done.stderr  # 8: some link answered 404, as on any site
    return work / "site.warc.gz"


def test_a_wget_warc_is_indexed_for_replay_and_its_articles_extracted(
    wget_warc: Path, tmp_path: Path
) -> None:
    output = tmp_path / "archive"
    done = run_cli(output, "import", str(wget_warc))
    assert done.returncode == 0, done.stderr
    stored = output / "warc" / "imported" / "site.warc.gz"
    assert stored.read_bytes() == wget_warc.read_bytes()
    # every record wget wrote is in the index, as the independent cdxj-indexer finds them
    independent = subprocess.run(
        [str(BIN / "cdxj-indexer"), str(wget_warc)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    captures = list(CaptureIndex(output))
    assert sorted(c.urlkey for c in captures) == sorted(line.split()[0] for line in independent)
    assert f"{len(captures)} captures" in done.stdout
    rows = archived_rows(output)
    paths = {urlsplit(str(r["url"])).path for r in rows}
    # wget followed two levels of links: the articles on the home and section pages
    assert len(rows) >= 8 and paths <= set(TITLES)
    for row in rows:
        assert row["title"] == TITLES[urlsplit(str(row["url"])).path]
        assert (
            row["discovered_via"] == "import" and row["warc_file"] == "warc/imported/site.warc.gz"
        )
        with stored.open("rb") as stream:
            stream.seek(int(str(row["warc_offset"])))
            record = next(iter(ArchiveIterator(stream)))
        # the row is named as the crawler names it: tracking parameters dropped
        assert crawl_url(record.rec_headers["WARC-Target-URI"]) == row["url"]
        assert "utm_" not in str(row["url"])
    page = load_page(CaptureIndex(output), str(rows[0]["url"]))
    assert page.http_headers.get_statuscode() == "200" and b"<article" in page.body
    # searchable like crawled articles
    query = subprocess.run(
        newsarchiver_command("query", "--format", "jsonl", "--fields", "url", "-o", str(output)),
        capture_output=True,
        text=True,
    )
    found = {urlsplit(json.loads(line)["url"]).path for line in query.stdout.splitlines()}
    # one article wget fetched twice, with and without utm_ parameters: one article, one row
    assert found == paths and len(found) == len(rows)
    again = run_cli(output, "import", str(wget_warc))
    assert again.returncode == 0 and "already imported" in again.stdout
    assert len(archived_rows(output)) == len(rows)


def test_a_warcio_warc_is_imported_and_a_corrupt_one_named_and_skipped(
    sample_site: SampleSiteServer, wget_warc: Path, tmp_path: Path
) -> None:
    made = tmp_path / "warcio.warc.gz"
    wanted = [a for a in ARTICLES if a.style == "html5" and a.is_archivable and not a.fault][:2]
    with capture_http(str(made)):
        for article in wanted:
            urllib.request.urlopen(sample_site.url.rstrip("/") + article.path).read()
    corrupt = tmp_path / "cut.warc.gz"
    corrupt.write_bytes(wget_warc.read_bytes()[:30000])
    output = tmp_path / "archive"
    done = run_cli(output, "import", str(corrupt), str(made))
    assert done.returncode == 1
    [error] = done.stderr.strip().splitlines()
    assert error.startswith(f"error: {corrupt}: truncated")
    assert "imported 1 of 2 files" in done.stdout
    assert not (output / "warc" / "imported" / "cut.warc.gz").exists()
    assert sorted(str(r["title"]) for r in archived_rows(output)) == sorted(a.title for a in wanted)


def _article_page(paragraph: str) -> bytes:
    body = "".join(
        f"<p>{paragraph} Absatz {i} mit genug Text, damit die Seite als Artikel gilt.</p>"
        for i in range(6)
    )
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Der Hafen</title>'
        '<meta property="og:type" content="article"><meta property="og:title" content="Der Hafen">'
        '<meta property="article:published_time" content="2024-05-16T09:00:00+02:00">'
        f"</head><body><article><h1>Der Hafen</h1>{body}</article></body></html>"
    ).encode()


def test_one_row_per_version_however_often_a_page_was_captured(tmp_path: Path) -> None:
    """Four captures of an unchanged article make one row; a changed text makes version 2,
    in the same import or a later one; importing them again (another file) adds nothing."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    url = "https://www.hafenblatt.example/2024/05/16/der-hafen-waechst/"

    def warc(path: Path, *bodies: bytes) -> Path:
        with path.open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for day, body in enumerate(bodies, 10):
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                    warc_headers_dict={"WARC-Date": f"2024-05-{day}T08:00:00Z"},
                )
                writer.write_record(record)
        return path

    same, changed = _article_page("Der Hafen wächst."), _article_page("Korrektur: er schrumpft.")
    output = tmp_path / "archive"
    first = run_cli(output, "import", str(warc(tmp_path / "a.warc.gz", *[same] * 4)))
    assert first.returncode == 0, first.stderr
    assert "1 articles (3 unchanged, not stored again)" in first.stdout
    assert [r["version"] for r in archived_rows(output)] == [1]
    later = run_cli(output, "import", str(warc(tmp_path / "b.warc.gz", same, changed, changed)))
    assert later.returncode == 0, later.stderr
    assert [r["version"] for r in archived_rows(output)] == [1, 2]
    assert "Korrektur" in archived_rows(output)[-1]["text"]


def test_a_page_archived_under_a_tracking_address_is_found_by_its_clean_one(
    tmp_path: Path,
) -> None:
    """Another tool fetched the article only from a feed link with ``utm_`` parameters: its row
    has the address the crawler would use, and the web app still finds, lists and replays the
    capture under the address it was archived by."""
    from werkzeug.test import Client

    from newsarchiver.web.app import ArchiveWebApp
    from newsarchiver.web.origins import Origins, allowed_hosts

    clean = "https://www.hafenblatt.example/2024/05/16/der-hafen-waechst/"
    fetched = clean + "?utm_source=rss&utm_medium=feed&utm_campaign=morgen"
    warc = tmp_path / "feed.warc"
    _plain_warc(warc, {fetched: _article_page("Der Hafen wächst.")})
    output = tmp_path / "archive"
    assert run_cli(output, "import", str(warc)).returncode == 0
    [row] = archived_rows(output)
    assert row["url"] == clean
    web = Client(ArchiveWebApp(output, Origins(8080, 8081, allowed_hosts("127.0.0.1"))))
    article = web.get("/article", query_string={"url": clean})
    assert article.status_code == 200
    page = article.get_data(as_text=True)
    assert page.count('<td><a href="/replay/') == 1  # its one capture
    original = re.search(r'id="original" href="([^"]+)"', page)
    assert original
    frame = web.get(original.group(1))
    assert frame.status_code == 200
    assert f"mp_/{fetched}" in frame.get_data(as_text=True).replace("&amp;", "&")


def _plain_warc(path: Path, pages: dict[str, bytes]) -> None:
    """An uncompressed WARC of 200 OK HTML responses, written by warcio."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        for url, body in pages.items():
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
                )
            )


def _arc(path: Path, pages: dict[str, bytes]) -> None:
    """An ARC (version 1) file, as the Internet Archive's older crawlers wrote them: a
    filedesc record, then per page a header line (URL, IP, date, type, length) and the HTTP
    response."""
    header = b"1 0 newsarchiver-test\nURL IP-address Archive-date Content-type Archive-length\n"
    filedesc = f"filedesc://{path.name} 0.0.0.0 20240516120000 text/plain {len(header)}\n"
    parts = [filedesc.encode() + header + b"\n"]
    for url, body in pages.items():
        http = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        line = f"{url} 127.0.0.1 20240516120000 text/html {len(http)}\n".encode()
        parts.append(line + http + b"\n")
    path.write_bytes(b"".join(parts))


def test_arc_files_whole_file_gzip_empty_files_and_directories_import(tmp_path: Path) -> None:
    import gzip

    first, second, third = (
        f"https://www.tagesblatt.example/2024/05/16/hafen-{n}/" for n in ("eins", "zwei", "drei")
    )
    sources = tmp_path / "sources"
    (sources / "deeper").mkdir(parents=True)
    plain = tmp_path / "plain.warc"
    _plain_warc(plain, {first: _article_page("Erstens."), second: _article_page("Zweitens.")})
    whole = sources / "whole.warc.gz"  # one gzip member for the whole file, as `gzip` makes it
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    _arc(sources / "deeper" / "old.arc", {third: _article_page("Drittens, aus einem ARC.")})
    (sources / "empty.warc.gz").write_bytes(b"")
    (sources / "notes.txt").write_text("not an archive")
    output = tmp_path / "archive"
    done = run_cli(output, "import", str(sources))
    assert done.returncode == 0, done.stderr
    assert "empty.warc.gz: empty, nothing to import" in done.stdout
    assert "(was whole-file gzip: rewritten as WARC)" in done.stdout
    assert "(was ARC: rewritten as WARC)" in done.stdout
    assert "imported 3 of 3 files" in done.stdout  # notes.txt is no archive file
    assert {row["url"] for row in archived_rows(output)} == {first, second, third}
    stored = sorted((output / "warc" / "imported").iterdir())
    assert [p.name for p in stored] == ["old.warc.gz", "whole.warc.gz"]
    checked = subprocess.run(
        [str(BIN / "warcio"), "check", *map(str, stored)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for url in (first, third):  # every imported page replays from its record
        page = load_page(CaptureIndex(output), url)
        assert b"Absatz 0" in page.body


def test_a_truncated_whole_file_gzip_is_refused_not_half_imported(tmp_path: Path) -> None:
    import gzip

    plain = tmp_path / "plain.warc"
    _plain_warc(
        plain, {f"https://www.tagesblatt.example/{n}/": _article_page("Text.") for n in range(4)}
    )
    packed = gzip.compress(plain.read_bytes())
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    done = run_cli(tmp_path / "archive", "import", str(cut))
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: {cut}: ")
    assert not (tmp_path / "archive" / "warc" / "imported").exists() or not any(
        (tmp_path / "archive" / "warc" / "imported").iterdir()
    )


def test_pywb_s_own_sample_archives_all_import(tmp_path: Path) -> None:
    """The WARC and ARC files pywb ships as its samples (installed with it): ARC plain and
    gzipped, WARCs plain and gzipped per record, wget's and wpull's, a URL-agnostic revisit, a
    WARC whose Content-Length is wrong (warcio warns) and one whose status line has no text.
    A directory is searched recursively; warcio's warnings are counted, never printed raw."""
    from newsarchiver.web.pywbenv import ensure_pywb

    samples = ensure_pywb().parents[1] / "sample_archive" / "warcs"
    given = tmp_path / "given"
    shutil.copytree(samples, given / "pywb")
    nested = given / "pywb" / "older"
    nested.mkdir()
    for name in ("example.arc", "example.arc.gz", "example-url-agnostic-orig.warc.gz"):
        (given / "pywb" / name).rename(nested / name)
    wanted = sorted(
        p for p in given.rglob("*") if p.name.endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))
    )
    output = tmp_path / "archive"
    done = run_cli(output, "import", str(given))
    assert done.returncode == 0, done.stderr
    assert f"imported {len(wanted)} of {len(wanted)} files" in done.stdout
    assert "Remainder" not in done.stdout + done.stderr and not done.stderr.strip()
    lines = {line.split(":")[0]: line for line in done.stdout.splitlines() if ": " in line}
    assert "1 records with a warcio warning" in lines[str(given / "pywb" / "example.warc")]
    assert "1 captures" in lines[str(given / "pywb" / "missing-status-text.warc")]
    assert "was ARC: rewritten as WARC" in lines[str(nested / "example.arc.gz")]
    index = CaptureIndex(output)
    reported = sum(int(m) for m in re.findall(r"^\S+: (\d+) captures,", done.stdout, re.M))
    assert len(list(index)) == reported
    # the revisit names another URL's capture as its payload: it replays that body
    revisit = load_page(index, "http://test@example.com/", "20130729195151")
    assert revisit.capture.is_revisit and b"Example Domain" in revisit.body
    no_text = load_page(index, "http://iana.org/bads")
    assert no_text.http_headers.get_statuscode() == "302"


def test_an_archive_of_pages_that_are_not_articles_says_where_to_look(tmp_path: Path) -> None:
    """Imported captures with no article among them: `query` and the web's home page say where
    the captures are, and Sites lists them, by site and address."""
    from werkzeug.test import Client

    from newsarchiver.web.app import ArchiveWebApp
    from newsarchiver.web.pywbenv import ensure_pywb

    warc = ensure_pywb().parents[1] / "sample_archive" / "warcs" / "missing-status-text.warc"
    output = tmp_path / "archive"
    assert run_cli(output, "import", str(warc)).returncode == 0
    query = run_cli(output, "query", "hafen")
    assert query.returncode == 1
    assert "holds captures but no articles: list them with `newsarchiver captures URL`" in (
        query.stderr
    )
    web = Client(ArchiveWebApp(output))
    assert "browse its captures under Sites" in web.get("/").get_data(as_text=True)
    sites = web.get("/sites").get_data(as_text=True)
    assert '<tr class="site" id="site-iana.org">' in sites
    addresses = web.get("/site?key=iana.org").get_data(as_text=True)
    assert '<code class="url">http://iana.org/bads</code>' in addresses

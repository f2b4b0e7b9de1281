"""The WARC a real crawl writes, read back with independent tools (warcio, pywb)."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.sample_site.content import article_by_path
from tests.conftest import CrawlRun, wayback_collection

BIN = Path(sys.executable).parent


def _records(run: CrawlRun) -> list[dict[str, Any]]:
    records = []
    for path in run.warc_files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                records.append(
                    {
                        "type": record.rec_type,
                        "headers": record.rec_headers,
                        "http": record.http_headers,
                        "raw": record.raw_stream.read(),
                        "file": path,
                    }
                )
    return records


def _responses(run: CrawlRun, path: str) -> list[dict[str, Any]]:
    return [
        r
        for r in _records(run)
        if r["type"] == "response" and urlsplit(r["headers"]["WARC-Target-URI"]).path == path
    ]


def test_warcio_check_passes(site_crawl: CrawlRun) -> None:
    assert site_crawl.warc_files
    check = subprocess.run(
        [str(BIN / "warcio"), "check", "-v", *map(str, site_crawl.warc_files)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout[-2000:]
    assert "digest pass" in check.stdout and "fail" not in check.stdout


def test_every_fetch_is_a_linked_response_and_request_pair(site_crawl: CrawlRun) -> None:
    records = _records(site_crawl)
    assert records[0]["type"] == "warcinfo"
    responses = {
        r["headers"]["WARC-Record-ID"]: r for r in records if r["type"] in ("response", "revisit")
    }
    requests = [r for r in records if r["type"] == "request"]
    assert len(responses) == len(requests) == site_crawl.summary["pages"]
    # robots.txt is fetched twice (robots middleware, then the spider for its Sitemap: lines):
    # the second, unchanged, is a revisit of the first
    revisits = [r for r in responses.values() if r["type"] == "revisit"]
    assert [urlsplit(r["headers"]["WARC-Target-URI"]).path for r in revisits] == ["/robots.txt"]
    assert site_crawl.summary["warc_revisits"] == 1
    for request in requests:
        response = responses[request["headers"]["WARC-Concurrent-To"]]
        assert request["headers"]["WARC-Target-URI"] == response["headers"]["WARC-Target-URI"]
        assert request["http"].protocol == "GET"
        assert request["http"].get_header("User-Agent").startswith("newsarchiver/")
        assert response["headers"]["WARC-IP-Address"] == "127.0.0.1"
    fetched = {urlsplit(r["headers"]["WARC-Target-URI"]).path for r in responses.values()}
    # not only articles: robots.txt, listings, feeds, sitemaps and redirects are archived too
    assert {
        "/robots.txt",
        "/",
        "/politik/",
        "/feed.xml",
        "/sitemap-news.xml",
        "/alt/inflation-mai",
    } <= fetched


def test_each_row_points_at_its_response_record(site_crawl: CrawlRun) -> None:
    for row in site_crawl.rows:
        path = site_crawl.output / row["warc_file"]
        with path.open("rb") as stream:
            stream.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_type == "response"
            assert record.rec_headers["WARC-Record-ID"] == row["warc_record_id"]
            assert record.rec_headers["WARC-Target-URI"] == row["url"]
            assert record.rec_headers["WARC-Payload-Digest"] == row["payload_digest"]


def test_gzip_body_is_kept_compressed_as_sent(site_crawl: CrawlRun) -> None:
    [response] = _responses(
        site_crawl, "/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html"
    )
    assert response["http"].get_header("Content-Encoding") == "gzip"
    assert response["raw"][:2] == b"\x1f\x8b"
    assert response["http"].get_header("Content-Length") == str(len(response["raw"]))


def test_dechunked_body_has_consistent_headers(site_crawl: CrawlRun) -> None:
    [response] = _responses(site_crawl, "/kultur/harbour-marathon-record-field-a-20240511.html")
    assert response["http"].get_header("Transfer-Encoding") is None
    assert response["http"].get_header("Content-Length") == str(len(response["raw"]))
    assert b"Harbour city marathon" in response["raw"]


def test_repeated_headers_and_redirects_are_kept(site_crawl: CrawlRun) -> None:
    [home] = _responses(site_crawl, "/")
    cookies = [v for n, v in home["http"].headers if n.lower() == "set-cookie"]
    assert cookies == ["session=abc123; Path=/", "consent=pending; Path=/; Max-Age=3600"]
    [redirect] = _responses(site_crawl, "/alt/inflation-mai")
    assert redirect["http"].get_statuscode() == "301"
    assert (
        redirect["http"].get_header("Location")
        == "/wirtschaft/inflation-sinkt-im-mai-a-20240512.html"
    )


def test_no_open_files_are_left_after_a_clean_crawl(site_crawl: CrawlRun) -> None:
    assert not list(site_crawl.output.glob("warc/**/*.open"))


@pytest.fixture
def pywb(site_crawl: CrawlRun, tmp_path: Path) -> Iterator[str]:
    """pywb's own `wayback` server over a collection of the crawl's WARCs."""
    with wayback_collection(tmp_path, *map(str, site_crawl.warc_files)) as base:
        yield base


@pytest.mark.parametrize(
    "path",
    [
        "/politik/2024/05/16/putin-xi-militaerische-koordinierung/",
        "/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html",  # gzip on the wire
        "/kultur/harbour-marathon-record-field-a-20240511.html",  # chunked on the wire
    ],
)
def test_pywb_replays_the_archived_article(site_crawl: CrawlRun, pywb: str, path: str) -> None:
    row = site_crawl.rows_by_path()[path]
    article = article_by_path(path)
    assert article is not None
    with urllib.request.urlopen(f"{pywb}/news/2030mp_/{row['url']}", timeout=20) as reply:
        page = reply.read().decode("utf-8")
    for paragraph in article.paragraphs:
        assert paragraph.replace("'", "&#x27;").replace('"', "&quot;") in page or paragraph in page

"""Crawling again: unchanged pages become revisit records, changed ones are archived in full."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator

from newsarchiver.layout import ArchiveLayout
from newsarchiver.sample_site.content import ARTICLES, articles
from tests.conftest import TwiceCrawled, run_crawl

PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


def _captures(path: Path) -> dict[str, Any]:
    """Response and revisit records of one WARC file by URL (the last one of a URL wins)."""
    found = {}
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type in ("response", "revisit"):
                found[record.rec_headers["WARC-Target-URI"]] = {
                    "type": record.rec_type,
                    "headers": record.rec_headers,
                    "status": record.http_headers.get_statuscode(),
                }
    return found


def test_a_second_crawl_stores_unchanged_pages_as_revisits(twice_crawled: TwiceCrawled) -> None:
    first_file, second_file = ArchiveLayout(twice_crawled.output).warc_files()
    first, second = _captures(first_file), _captures(second_file)
    assert first.keys() == second.keys()
    unchanged = [url for url, c in second.items() if c["status"].startswith("2")]
    assert len(unchanged) > 30
    for url in unchanged:
        revisit, original = second[url]["headers"], first[url]["headers"]
        assert second[url]["type"] == "revisit", url
        assert revisit["WARC-Profile"] == PROFILE
        assert revisit["WARC-Refers-To-Target-URI"] == url
        assert revisit["WARC-Payload-Digest"] == original["WARC-Payload-Digest"]
        if first[url]["type"] == "response":
            assert revisit["WARC-Refers-To"] == original["WARC-Record-ID"]
            assert revisit["WARC-Refers-To-Date"] == original["WARC-Date"]
        else:  # robots.txt was a revisit already in the first crawl: refer to its original
            assert revisit["WARC-Refers-To"] == original["WARC-Refers-To"]
    redirects = [url for url, c in second.items() if c["status"].startswith("3")]
    assert redirects and all(second[url]["type"] == "response" for url in redirects)
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", str(first_file), str(second_file)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    with second_file.open("rb") as stream:
        revisits = sum(record.rec_type == "revisit" for record in ArchiveIterator(stream))
    assert f"; {revisits} unchanged (revisit records)" in twice_crawled.second.stdout


def test_a_second_crawl_of_an_unchanged_site_adds_no_row(twice_crawled: TwiceCrawled) -> None:
    """Every article was fetched again and captured as a revisit record; the archive already
    holds its text, so there is exactly one row per article, pointing at the first capture."""
    first_file, second_file = ArchiveLayout(twice_crawled.output).warc_files()
    second = _captures(second_file)
    rows = twice_crawled.second.rows  # every row of the archive, after both crawls
    assert len(rows) == len([a for a in articles(faults=False) if a.is_archivable])
    assert all(first_file.name in r["warc_file"] and r["version"] == 1 for r in rows)
    for row in rows:
        assert second[row["url"]]["type"] == "revisit"  # fetched, and stored as a revisit
    assert twice_crawled.second.summary["unchanged"] == len(rows)
    assert twice_crawled.second.summary["articles"] == 0


def test_a_changed_page_is_archived_in_full(twice_crawled: TwiceCrawled, tmp_path: Path) -> None:
    output = tmp_path / "archive"
    shutil.copytree(twice_crawled.output, output)
    edited = next(a for a in ARTICLES if a.style == "html5" and not a.fault and a.is_archivable)
    correction = "Korrektur: In einer früheren Fassung stand eine falsche Zahl."
    server = twice_crawled.site
    served = server.site_articles
    server.site_articles = [  # the same site (same host and port), one article corrected
        dataclasses.replace(a, paragraphs=(*a.paragraphs, correction)) if a is edited else a
        for a in served
    ]
    try:
        run = run_crawl(output, server.url)
    finally:
        server.site_articles = served
    assert run.returncode == 0, run.stderr
    third = _captures(ArchiveLayout(output).warc_files()[-1])
    by_path = {urlsplit(url).path: c for url, c in third.items() if c["status"] == "200"}
    assert by_path.pop(edited.path)["type"] == "response"
    assert {c["type"] for c in by_path.values()} == {"revisit"}
    rows = [r for r in run.rows if urlsplit(r["url"]).path == edited.path]
    # one row per version: the two unchanged crawls made one, the corrected text the second
    assert [r["version"] for r in rows] == [1, 2] and rows[-1]["text"].endswith(correction)
    assert rows[0]["content_digest"] != rows[1]["content_digest"]

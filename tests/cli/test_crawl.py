"""The command line as a user meets it: the demo, bad sites, bad input."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

from newsarchiver.sample_site.content import ARTICLES
from tests.conftest import (
    CrawlRun,
    DemoRun,
    archived_rows,
    expected_articles,
    newsarchiver_command,
    run_crawl,
)


def test_demo_crawls_the_sample_site_and_says_what_next(demo_run: DemoRun) -> None:
    done, work = demo_run.done, demo_run.directory
    assert done.returncode == 0, done.stderr
    articles = expected_articles()
    assert re.search(rf"^articles\s+{len(articles)}\s", done.stdout, re.M)
    for article in articles:
        assert article.title in done.stdout
    # two crawls: the second finds the one article the site corrected (a second version)
    jsonl = sorted(demo_run.output.glob("articles/**/*.jsonl"))
    warcs = sorted(demo_run.output.glob("warc/**/*.warc.gz"))
    assert len(jsonl) == len(warcs) == 2
    for path in jsonl:
        assert f"JSONL  {path.relative_to(work)}" in done.stdout
    for path in warcs:
        assert f"WARC   {path.relative_to(work)}" in done.stdout
    corrected = [row for row in archived_rows(demo_run.output) if row["version"] == 2]
    assert [row["title"] for row in corrected] == [
        "Hamburger Hafen investiert 210 Millionen Euro in Landstrom"
    ]
    assert "What to try next" in done.stdout
    assert re.search(r"^errors\s+0\s", done.stdout, re.M)
    # the archive commands it suggests work on what it made, as printed (the site is gone now)
    for suggestion in ("captures", "replay", "export wacz", "changes", "diff"):
        [line] = [
            line.split("#")[0].split()
            for line in done.stdout.splitlines()
            if line.strip().startswith(f".venv/bin/newsarchiver {suggestion} ")
        ]
        tried = subprocess.run(
            newsarchiver_command(*line[1:]), capture_output=True, text=True, cwd=work
        )
        assert tried.returncode == 0, (line, tried.stderr)
    assert (work / "archive.wacz").stat().st_size > 10_000


def test_bad_pages_are_counted_logged_once_and_do_not_stop_the_crawl(fault_crawl: CrawlRun) -> None:
    assert fault_crawl.returncode == 0, fault_crawl.stderr
    errors = fault_crawl.summary["errors_by_kind"]
    assert errors == {
        "http_500": 1,
        "http_404": 1,
        "redirect_loop": 1,
        "timeout": 1,
        "too_large": 1,
        "binary_body": 1,
    }
    lines = fault_crawl.stderr.splitlines()
    expected = {
        "HTTP 500": "/faults/error-500",
        "HTTP 404": "/faults/missing",
        "redirect loop": "/faults/loop-",
        "timed out": "/faults/slow",
        "larger than DOWNLOAD_MAXSIZE": "/faults/huge",
        "binary body": "/faults/binary",
        "unknown charset 'x-bogus-42'": "/faults/unbekannter",
    }
    for message, url in expected.items():
        matching = [line for line in lines if message in line and url in line]
        assert len(matching) == 1, f"{message!r}: {matching}"
    assert "Traceback" not in fault_crawl.stderr
    log = next((fault_crawl.output / "crawls").glob("*/crawl.log")).read_text()
    assert "Traceback" not in log


def test_articles_survive_the_bad_pages(fault_crawl: CrawlRun) -> None:
    rows = fault_crawl.rows_by_path()
    assert sorted(rows) == sorted(a.path for a in expected_articles(faults=True))
    malformed = rows["/faults/fehlerhaftes-html-a-20240509.html"]
    bogus_charset = rows["/faults/unbekannter-zeichensatz-a-20240508.html"]
    # windows-1252 with no charset declared, and windows-1252 labelled UTF-8: read as written
    undeclared = rows["/faults/ohne-zeichensatz-a-20240507.html"]
    mislabelled = rows["/faults/falscher-zeichensatz-a-20240506.html"]
    for row in (malformed, bogus_charset, undeclared, mislabelled):
        article = next(a for a in ARTICLES if a.path in row["url"])
        assert row["text"] == "\n\n".join(article.paragraphs)  # umlauts intact


def test_an_unreachable_site_is_a_one_line_error(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    run = run_crawl(tmp_path, f"http://127.0.0.1:{port}/")
    assert run.returncode == 1
    assert "no page could be fetched" in run.stderr
    assert "Traceback" not in run.stderr
    # one line about the page, not Scrapy's raw robots.txt "Error downloading" beside it
    assert "Error downloading" not in run.stderr
    assert run.stderr.count(f"127.0.0.1:{port}/") == 1, run.stderr

"""Crawling the sample site for real, in a subprocess, as a user does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.sample_site import SampleSiteServer
from newsarchiver.sample_site.content import article_by_path
from tests.conftest import CrawlRun, expected_articles, run_crawl

REPO = Path(__file__).resolve().parents[2]


def test_a_clean_crawl_prints_no_warning(site_crawl: CrawlRun) -> None:
    assert "WARNING" not in site_crawl.stderr and "Warning" not in site_crawl.stderr
    log = next((site_crawl.output / "crawls").glob("*/crawl.log")).read_text()
    assert "WARNING" not in log and "ERROR" not in log


def test_finds_every_article_and_nothing_else(site_crawl: CrawlRun) -> None:
    assert sorted(site_crawl.rows_by_path()) == sorted(a.path for a in expected_articles())
    assert len(site_crawl.rows) == len(expected_articles())  # each once


def test_pages_left_out_of_the_text_archive_are_counted_by_reason(site_crawl: CrawlRun) -> None:
    summary = site_crawl.summary
    reasons = summary["not_article_by_reason"]
    assert sum(reasons.values()) == summary["pages_not_article"] > 0
    # the home page, sections, tags and authors; the imprint and contact pages
    assert reasons.get("listing", 0) + reasons.get("too_little_text", 0) >= 5
    assert reasons.get("service_page", 0) >= 1
    assert summary["uncertain"] == 0  # every sample article carries its evidence
    assert {row["page_type"] for row in site_crawl.rows} == {"article"}
    printed = site_crawl.stdout
    assert "not articles" in printed and "(in the WARC only)" in printed


def test_never_fetches_what_robots_txt_forbids(
    site_crawl: CrawlRun, sample_site: SampleSiteServer
) -> None:
    assert "/intern/redaktionskonferenz-protokoll/" not in sample_site.requested_paths
    assert site_crawl.summary["robots_forbidden"] >= 1


def test_discovers_through_feeds_sitemaps_pagination_and_redirects(site_crawl: CrawlRun) -> None:
    rows = site_crawl.rows_by_path()
    assert rows["/kultur/2024/05/14/filmfest-eroeffnet-mit-hafendrama/"]["discovered_via"] == "feed"
    assert (
        rows["/wirtschaft/2024/05/16/reedereien-meiden-rotes-meer/"]["discovered_via"] == "sitemap"
    )
    assert "/politik/kommunalwahl-briefwahl-rekord-a-20240510.html" in rows  # section page 2
    # the old /alt/ link redirects: the row holds the final URL
    assert "/wirtschaft/inflation-sinkt-im-mai-a-20240512.html" in rows
    assert not any(path.startswith("/alt/") for path in rows)


def test_every_row_has_correct_metadata_and_clean_text(site_crawl: CrawlRun) -> None:
    for path, row in site_crawl.rows_by_path().items():
        article = article_by_path(path)
        assert article is not None
        assert row["title"] == article.title
        assert row["text"] == "\n\n".join(article.paragraphs)
        assert row["authors"] == list(article.authors)
        assert row["published"] == article.published
        assert row["language"] == article.language
        assert row["site_name"] == "Tagesblatt"
        assert row["tags"] == list(article.tags)
        assert row["status"] == 200


def test_non_utf8_and_gzip_pages_decode_correctly(site_crawl: CrawlRun) -> None:
    rows = site_crawl.rows_by_path()
    french = rows["/kultur/festival-cannes-ouverture.html"]
    assert (
        "soixante-dix-septième" in french["text"] and "d'ouverture a été saluée" in french["text"]
    )
    gzipped = rows["/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html"]
    assert gzipped["text"].startswith("Der Hamburger Hafen baut")


def test_max_articles_stops_the_crawl(sample_site: SampleSiteServer, tmp_path: Path) -> None:
    run = run_crawl(tmp_path, sample_site.url, "--max-articles", "3")
    assert run.returncode == 0, run.stderr
    assert len(run.rows) == 3
    assert run.summary["finish_reason"] == "closespider_itemcount"  # Scrapy's, in summary.json
    assert " stopped at --max-articles in " in run.stdout.splitlines()[0]  # a person's words


def test_max_pages_bounds_the_fetches(sample_site: SampleSiteServer, tmp_path: Path) -> None:
    run = run_crawl(
        tmp_path,
        sample_site.url,
        "--user-agent",
        "TestArchiver/1.0 (+mailto:archive@example.org)",
        "--max-pages",
        "5",
        "--concurrency",
        "1",
        "-s",
        "CONCURRENT_REQUESTS=1",
    )
    assert run.returncode == 0, run.stderr
    assert run.summary["pages"] <= 6  # the page in flight when the limit hits may still land
    with run.warc_files[0].open("rb") as stream:
        agents = {
            r.http_headers.get_header("User-Agent")
            for r in ArchiveIterator(stream)
            if r.rec_type == "request"
        }
    assert agents == {"TestArchiver/1.0 (+mailto:archive@example.org)"}


def test_plain_scrapy_crawl_works_too(sample_site: SampleSiteServer, tmp_path: Path) -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.split() == ["news", "news-shared"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "news",
            "-a",
            f"start_urls={sample_site.url}",
            "-s",
            f"NEWSARCHIVER_OUTPUT={tmp_path}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_START_DELAY=0",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [
        json.loads(line)
        for f in tmp_path.glob("articles/**/*.jsonl")
        for line in f.read_text().splitlines()
    ]
    assert len(rows) == len(expected_articles())
    assert list(tmp_path.glob("warc/**/*.warc.gz"))


def test_spider_without_start_urls_says_what_it_needs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "needs -a start_urls=URL" in done.stderr


@pytest.mark.parametrize("bad", ["ftp://x.test/", "not a url", "http://"])
def test_cli_rejects_bad_urls_in_one_line(bad: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "newsarchiver", "crawl", bad, "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "is not an http(s) URL" in done.stderr
    assert "Traceback" not in done.stderr

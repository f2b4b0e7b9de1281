"""From a fetched page to the JSONL row: hints from feeds and sitemaps, sources, markdown."""

from __future__ import annotations

from pathlib import Path

from newsarchiver.articles.rows import archived_article
from newsarchiver.extraction import Article
from newsarchiver.items import FetchedPage
from newsarchiver.sample_site import SampleSiteServer
from tests.conftest import run_crawl


def _page(**hints: str) -> FetchedPage:
    return FetchedPage(
        url="https://news.test/a-b-c-d",
        html="",
        status=200,
        fetched_at="2024-05-16T10:00:00+00:00",
        hints=hints,
    )


def test_sitemap_hints_fill_only_what_the_page_lacks_and_say_so() -> None:
    article = Article(title="Vom Artikel", text="Text", metadata_sources={"title": "json-ld"})
    row = archived_article(
        _page(
            source="sitemap",
            title="Aus der Sitemap",
            published="2024-05-16T12:00:00+02:00",
            language="de",
        ),
        article,
        "crawl-1",
    )
    assert row.title == "Vom Artikel"
    assert row.published == "2024-05-16T12:00:00+02:00"
    assert row.metadata_sources == {
        "title": "json-ld",
        "published": "sitemap",
        "language": "sitemap",
    }


def test_markdown_rows_when_asked(sample_site: SampleSiteServer, tmp_path: Path) -> None:
    run = run_crawl(tmp_path, sample_site.url, "--format", "markdown", "--max-articles", "3")
    assert run.returncode == 0, run.stderr
    assert len(run.rows) == 3
    for row in run.rows:
        assert row["markdown"]
        assert row["markdown"].split("\n\n")[0] == row["text"].split("\n\n")[0]
    plain = run_crawl(tmp_path / "plain", sample_site.url, "--max-articles", "1")
    assert "markdown" not in plain.rows[0]

from __future__ import annotations

from lxml.html import HtmlElement

from newsarchiver.extraction.extract import parse_html
from newsarchiver.extraction.metadata import (
    clean_authors,
    normalize_date,
    normalize_language,
    read_metadata,
)


def _tree(html: str) -> HtmlElement:
    tree = parse_html(html)
    assert tree is not None
    return tree


def test_json_ld_graph_wins_over_meta_tags() -> None:
    html = """<html lang="en"><head>
    <meta property="og:title" content="OG title">
    <meta property="article:published_time" content="2020-01-01T00:00:00Z">
    <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "The Site"},
      {"@type": ["NewsArticle"], "headline": "LD headline",
       "datePublished": "2024-05-16T14:05:00+02:00",
       "author": [{"@type": "Person", "name": "By Jane Roe"}, {"@type": "Person", "name": "Staff"}],
       "keywords": "a, b", "inLanguage": "de-DE"}]}</script>
    </head><body></body></html>"""
    meta = read_metadata(_tree(html), "http://x/")
    assert meta.title == "LD headline"
    assert meta.published == "2024-05-16T14:05:00+02:00"
    assert meta.authors == ["Jane Roe"]
    assert meta.tags == ["a", "b"]
    assert meta.language == "de"
    assert meta.site_name == "The Site"
    assert "newsarticle" in meta.schema_types


def test_broken_json_ld_falls_back_to_meta_tags() -> None:
    html = """<html><head><script type="application/ld+json">{"@type": "NewsArt</script>
    <meta name="author" content="Von Anna Weber und Jonas Becker">
    <meta property="article:published_time" content="2024-05-13T11:30:00Z"></head></html>"""
    meta = read_metadata(_tree(html), "http://x/")
    assert meta.authors == ["Anna Weber", "Jonas Becker"]
    assert meta.published == "2024-05-13T11:30:00+00:00"


def test_clean_authors() -> None:
    assert clean_authors(["By John Smith and Mary Major"]) == ["John Smith", "Mary Major"]
    assert clean_authors(["Reuters", "AP Staff", "12.05.2024", "https://x/author/a"]) == []
    assert clean_authors(["Claire Dubois", "Claire Dubois"]) == ["Claire Dubois"]


def test_normalize_date() -> None:
    assert normalize_date("2024-05-16") == "2024-05-16"
    assert normalize_date("2024-05-16T12:00:00Z") == "2024-05-16T12:00:00+00:00"
    assert normalize_date("Thu, 16 May 2024 14:05:00 +0200") == "2024-05-16T14:05:00+02:00"
    assert normalize_date("yesterday") is None
    assert normalize_date(None) is None


def test_normalize_language() -> None:
    assert normalize_language("de-DE") == "de"
    assert normalize_language("fr_FR") == "fr"
    assert normalize_language("english") is None

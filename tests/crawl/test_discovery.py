from __future__ import annotations

import gzip

from newsarchiver.crawl.discovery import parse_feed, parse_sitemap
from newsarchiver.sample_site import render
from newsarchiver.sample_site.content import ARTICLES

BASE = "http://news.test"


def test_news_sitemap_carries_publication_date_title_and_language() -> None:
    sitemap = parse_sitemap(render.news_sitemap(list(ARTICLES), BASE).encode())
    assert sitemap is not None and sitemap.kind == "urlset"
    listed = {u.url: u.hints for u in sitemap.urls}
    expected = [a for a in ARTICLES if "sitemap" in a.found_via]
    assert set(listed) == {BASE + a.path for a in expected}
    for article in expected:
        hints = listed[BASE + article.path]
        assert hints == {
            "title": article.title,
            "published": article.published,
            "language": article.language,
        }


def test_sitemap_index_lists_sitemaps() -> None:
    sitemap = parse_sitemap(render.sitemap_index(BASE).encode())
    assert sitemap is not None and sitemap.kind == "index"
    assert [u.url for u in sitemap.urls] == [
        f"{BASE}/sitemap-news.xml",
        f"{BASE}/sitemap-pages.xml",
    ]


def test_not_a_sitemap() -> None:
    assert parse_sitemap(b"<html><body>404</body></html>") is None
    assert parse_sitemap(b"") is None
    assert parse_sitemap(gzip.compress(b"<urlset/>")) is None  # callers gunzip first


def test_rss_feed_entries_with_dates() -> None:
    entries = parse_feed(render.rss(list(ARTICLES), BASE).encode(), BASE + "/feed.xml")
    assert entries is not None
    expected = [a for a in ARTICLES if "feed" in a.found_via]
    assert [e.url for e in entries] == [BASE + a.path for a in expected]
    assert entries[0].hints["published"] == expected[0].published
    assert entries[0].hints["title"] == expected[0].title


def test_atom_feed_relative_links() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><title>One</title><link href="/a/one-two-three-four"/>
    <updated>2024-05-01T10:00:00Z</updated></entry></feed>"""
    entries = parse_feed(atom, BASE + "/atom.xml")
    assert entries is not None
    assert entries[0].url == BASE + "/a/one-two-three-four"
    assert entries[0].hints["published"] == "2024-05-01T10:00:00+00:00"


def test_not_a_feed() -> None:
    assert parse_feed(b"<html><body><p>Seite nicht gefunden</p></body></html>", BASE) is None

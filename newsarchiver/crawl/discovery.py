"""Where article URLs come from besides links: RSS/Atom feeds and (news) sitemaps.

Pure parsing, no Scrapy: bytes in, URLs with what the publisher said about them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Literal
from urllib.parse import urljoin

import feedparser
from lxml import etree

from ..dates import parse_iso
from ..extraction.metadata import normalize_date, normalize_language

#: paths where sites commonly publish a feed without announcing it in the page head
COMMON_FEED_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml")
#: sitemap locations tried when robots.txt names none
COMMON_SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml")

_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


@dataclass(frozen=True)
class DiscoveredUrl:
    url: str
    #: what the feed or sitemap said: "title", "published", "language" (only those it gave)
    hints: dict[str, str] = field(default_factory=dict)
    #: when the page last changed, as far as the feed or sitemap tells (ISO 8601), if it does
    lastmod: str | None = None

    def older_than(self, since: datetime) -> bool:
        """True only when a date is given and it is before ``since``: no date, no skipping."""
        when = parse_iso(self.lastmod)
        return when is not None and when < since


@dataclass(frozen=True)
class Sitemap:
    kind: Literal["index", "urlset"]
    #: read as they are asked for: a 50 MB sitemap is never a tree in memory
    urls: Iterator[DiscoveredUrl]


def _parse_events(body: bytes) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(  # type: ignore[no-any-return]
        BytesIO(body),
        events=("start", "end"),
        recover=True,
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        huge_tree=True,
    )


def parse_sitemap(body: bytes) -> Sitemap | None:
    """A sitemap index (its URLs are sitemaps) or a URL set, or None when it is neither.

    Parsed as a stream (lxml's iterparse), each entry dropped once read: a 100,000-URL sitemap
    costs the memory of one entry, and a crawl that stops early never parses the rest."""
    events = _parse_events(body)
    try:
        _, root = next(events)
    except (StopIteration, etree.XMLSyntaxError):
        return None
    kind = etree.QName(root).localname
    if kind not in ("sitemapindex", "urlset"):
        return None
    return Sitemap("index" if kind == "sitemapindex" else "urlset", _entries(events, root))


def _entries(
    events: Iterator[tuple[str, etree._Element]], root: etree._Element
) -> Iterator[DiscoveredUrl]:
    try:
        for event, entry in events:
            if event != "end" or entry.getparent() is not root:
                continue
            found = _entry(entry) if isinstance(entry.tag, str) else None
            entry.clear()
            while entry.getprevious() is not None:  # what lxml keeps of the entries before
                del root[0]
            if found:
                yield found
    except etree.XMLSyntaxError:  # a sitemap cut off or broken part-way: what came before counts
        return


def _entry(entry: etree._Element) -> DiscoveredUrl | None:
    fields = {etree.QName(child).localname: child for child in entry if isinstance(child.tag, str)}
    loc = fields.get("loc")
    if loc is None or not (loc.text or "").strip():
        return None
    hints = _news_hints(entry)
    lastmod = fields.get("lastmod")
    modified = normalize_date(lastmod.text) if lastmod is not None else None
    return DiscoveredUrl((loc.text or "").strip(), hints, modified or hints.get("published"))


def _news_hints(entry: etree._Element) -> dict[str, str]:
    hints: dict[str, str] = {}
    news = entry.find(f"{{{_NEWS_NS}}}news")
    if news is None:
        return hints
    title = news.findtext(f"{{{_NEWS_NS}}}title")
    published = normalize_date(news.findtext(f"{{{_NEWS_NS}}}publication_date"))
    language = normalize_language(
        news.findtext(f"{{{_NEWS_NS}}}publication/{{{_NEWS_NS}}}language")
    )
    for key, value in (("title", title), ("published", published), ("language", language)):
        if value and value.strip():
            hints[key] = value.strip()
    return hints


def parse_feed(body: bytes, base_url: str) -> list[DiscoveredUrl] | None:
    """Entries of an RSS or Atom feed, or None when the body is not a feed."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        return None
    urls = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        hints = {}
        if entry.get("title"):
            hints["title"] = " ".join(str(entry["title"]).split())
        published = normalize_date(entry.get("published") or entry.get("updated"))
        if published:
            hints["published"] = published
        # only a real <updated>: feedparser maps a missing one to <published>, with a warning
        real = entry.keys()  # `in entry` would see the mapped key
        updated = normalize_date(entry["updated"] if "updated" in real else None)
        updated = updated or published
        urls.append(DiscoveredUrl(urljoin(base_url, str(link)), hints, updated))
    return urls

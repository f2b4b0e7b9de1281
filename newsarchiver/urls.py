"""What a URL alone says about a page: an article, a listing, or no telling.

Shared by the spider (to fetch likely articles first) and the extractor (as one piece of
evidence among several). Pure functions, no Scrapy.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from tldextract import TLDExtract

UrlKind = Literal["article", "listing", "unknown"]

# Path segments that name listing, navigation or service pages in the languages our users crawl.
LISTING_SEGMENTS = frozenset(
    (
        "tag",
        "tags",
        "topic",
        "topics",
        "thema",
        "themen",
        "schlagwort",
        "category",
        "categories",
        "kategorie",
        "rubrik",
        "section",
        "sections",
        "ressort",
        "author",
        "authors",
        "autor",
        "autoren",
        "archive",
        "archiv",
        "archives",
        "search",
        "suche",
        "page",
        "seite",
        "about",
        "contact",
        "kontakt",
        "impressum",
        "imprint",
        "datenschutz",
        "privacy",
        "terms",
        "agb",
        "login",
        "register",
        "newsletter",
        "abo",
        "subscribe",
        "feed",
        "rss",
        "video",
        "videos",
        "gallery",
        "galerie",
        "podcast",
        "podcasts",
        "live-ticker",
        "auteur",
        "rubrique",
        "etiqueta",
        "categoria",
        "kategori",
        "yazar",
        "etiket",
    )
)
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/(0?[1-9]|[12]\d|3[01]))?/")
_LONG_ID = re.compile(r"\d{5,}")
_PAGE_EXT = re.compile(r"\.(html?|php|aspx?|shtml)$")


def url_kind(url: str) -> UrlKind:
    path = urlsplit(url).path or "/"
    segments = [s for s in path.lower().split("/") if s]
    if not segments:
        return "listing"
    if any(s in LISTING_SEGMENTS for s in segments):
        return "listing"
    last = _PAGE_EXT.sub("", segments[-1])
    if _DATE_PATH.search(path + "/") and last.count("-") >= 2:
        return "article"
    if last.count("-") >= 3 or (_LONG_ID.search(last) and "-" in last):
        return "article"
    if len(segments) == 1 and not _PAGE_EXT.search(path) and last.count("-") < 2:
        return "listing"  # "/politik/", "/sport": a section front
    return "unknown"


#: the public suffix list bundled with tldextract: never downloaded, so crawls work offline
_registered_domain = TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_domain(url: str) -> str:
    """The registered domain ("example.co.uk"), or the host itself for IPs and localhost."""
    host = urlsplit(url).hostname or ""
    parts = _registered_domain(host)
    return parts.top_domain_under_public_suffix or host


def site_matches(url: str, site: str) -> bool:
    """``tagesblatt``, ``tagesblatt.de`` or ``www.tagesblatt.de`` all name www.tagesblatt.de."""
    host = (urlsplit(url).hostname or "").lower()
    site = site.lower().strip().removeprefix("www.")
    domain = site_domain(url)
    label = domain.split(".")[0]
    return site in (host.removeprefix("www."), domain, label) or host.endswith("." + site)

"""What a URL alone says about a page: an article, a listing, or no telling.

Shared by the spider (to fetch likely articles first) and the extractor (as one piece of
evidence among several). Pure functions, no Scrapy.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

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

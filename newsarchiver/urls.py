"""What a URL alone says: an article, a listing or no telling; which site; which article.

Shared by the spider (to fetch likely articles first and stay on the site), the extractor (as
one piece of evidence among several), the article index and the WACZ export (which site a URL
belongs to, and when a user's ``--site`` names it). Pure functions, no Scrapy.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from courlan import normalize_url
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
#: the ones among them that name a service page (contact, legal, account): never an article
SERVICE_SEGMENTS = frozenset(
    (
        "about", "contact", "kontakt", "impressum", "imprint", "datenschutz", "privacy",
        "terms", "agb", "login", "register", "newsletter", "abo", "subscribe",
    )
)  # fmt: skip
_DATE_PATH = re.compile(r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/(0?[1-9]|[12]\d|3[01]))?/")
_LONG_ID = re.compile(r"\d{5,}")
_PAGE_EXT = re.compile(r"\.(html?|php|aspx?|shtml)$")


def url_kind(url: str) -> UrlKind:
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = [s for s in path.lower().split("/") if s]
    if not segments:
        # the home page, unless a query names a page ("/?p=4711", as WordPress does)
        return "unknown" if parts.query else "listing"
    listed = [i for i, s in enumerate(segments) if s in LISTING_SEGMENTS]
    if listed and _names_the_listing(segments[listed[-1] + 1 :]):
        return "listing"
    last = _PAGE_EXT.sub("", segments[-1])
    if _DATE_PATH.search(path + "/") and last.count("-") >= 2:
        return "article"
    if last.count("-") >= 3 or (_LONG_ID.search(last) and "-" in last):
        return "article"
    if len(segments) == 1 and not _PAGE_EXT.search(path) and _SECTION_NAME.fullmatch(last):
        return "listing"  # "/politik/", "/sport": a section front
    return "unknown"


def is_service_page(url: str) -> bool:
    """Whether the URL names a contact, legal or account page ("/impressum/", "/privacy")."""
    segments = [s for s in (urlsplit(url).path or "/").lower().split("/") if s]
    return bool(segments) and _PAGE_EXT.sub("", segments[-1]) in SERVICE_SEGMENTS


#: a section's name: a word or two, no digits ("politik", "us-news"); "B2LA2G3" is an id
_SECTION_NAME = re.compile(r"[a-zà-ÿ]+(?:-[a-zà-ÿ]+)?")


def _names_the_listing(rest: list[str]) -> bool:
    """Whether what follows a listing segment ("tag", "autoren", "archive") still names the
    listing: nothing, a page number, or one short name ("/tag/klima/", "/autor/anna-weber/2/").
    A long slug or an id after it is an article filed under it ("/autoren/x/long-headline-slug",
    "/archive/63076")."""
    rest = [s for s in rest if not (s.isdigit() and len(s) < 4)]  # page numbers
    rest = [s for s in rest if s not in ("page", "seite")]
    if not rest:
        return True
    if len(rest) > 1:
        return False
    name = _PAGE_EXT.sub("", rest[0])
    return name.count("-") < 3 and not _LONG_ID.search(name)


#: the public suffix list bundled with tldextract: never downloaded, so crawls work offline
_registered_domain = TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_domain(url: str) -> str:
    """The registered domain ("example.co.uk"); for a host under no known public suffix
    (``news.morningpost.example``, a ``.test`` or intranet name) its last two labels; the host
    itself for IP addresses and single-label hosts (localhost)."""
    return _domain_of_host((urlsplit(url).hostname or "").lower())


@lru_cache(maxsize=4096)
def _domain_of_host(host: str) -> str:
    """site_domain's answer for a host: looked up once per host (an archive has few hosts
    and many URLs; tldextract's lookup is most of indexing a row's site)."""
    parts = _registered_domain(host)
    if parts.top_domain_under_public_suffix:
        return str(parts.top_domain_under_public_suffix)
    labels = host.split(".")
    if len(labels) <= 2 or host.replace(".", "").isdigit() or ":" in host:
        return host
    return ".".join(labels[-2:])


def site_key(url: str) -> str:
    """Which site a URL belongs to: its registered domain (``tagesblatt.de`` for
    ``https://www.tagesblatt.de/…``, the host itself for IP addresses). Stored with every
    indexed row, so query, WACZ export and the web agree."""
    return site_domain(url)


def site_names(given: str, key: str, site_name: str | None = None) -> bool:
    """Whether what a user typed for a site names the site with this key and name.

    A site name ("Morning Post", any case), the registered domain (``tagesblatt.de``), a host
    of it (``www.tagesblatt.de``, ``news.tagesblatt.de``) or its first label (``tagesblatt``).
    The one rule for ``--site`` everywhere (the index calls it from SQL).
    """
    wanted = given.strip().casefold()
    if not wanted:
        return False
    if site_name and site_name.casefold() == wanted:
        return True
    host = wanted.removeprefix("www.")
    label = key.split(".")[0] if not key.replace(".", "").isdigit() else key
    return host in (key, label) or host.endswith("." + key)


def crawl_url(url: str) -> str:
    """The address an article is fetched and known by: courlan's normalisation (tracking
    parameters such as ``utm_*``, fragments and default ports dropped, the host lowercased).
    The crawler follows links by it, and import and re-extraction name their rows by it, so a
    page from another tool's WARC is the same article as the crawler's."""
    try:
        return str(normalize_url(url, strict=True))
    except ValueError:  # courlan refuses what urlsplit refuses: keep the address as archived
        return url


def article_key(url: str) -> str:
    """The identity of an article's address: scheme and "www." ignored, no trailing slash.

    Two rows with the same key are versions of one article (see the article index)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"

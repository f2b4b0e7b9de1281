"""Article metadata from the markup publishers put there for machines.

Read in order of trust: JSON-LD (schema.org ``NewsArticle`` and kin, ``@graph`` included), then
OpenGraph and ``article:*`` properties, then plain ``<meta>`` tags, then ``<time>`` elements and
the ``<html lang>`` attribute. trafilatura's own guesses fill what is still missing (see
``extract.py``). Pure functions over an lxml tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement

from ..dates import parse_iso
from ..urls import site_domain
from .article import ArticleMetadata
from .authors import read_byline

#: schema.org types that mark a page as one article (the news subtypes and the generic ones)
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenews",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
    }
)


def is_article_type(name: str) -> bool:
    """schema.org's article types and the ones publishers invent or misspell
    ("ReportageNewsArticle", "SatiricalArticle", "NewsArticle "): every name of that family
    ends in "article" or "posting"."""
    name = name.strip().lower().removeprefix("schema:").rsplit("/", 1)[-1]
    return name in ARTICLE_TYPES or name.endswith(("article", "posting"))


#: schema.org types that mark a page as a list of things, not one article
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})


@dataclass
class PageMetadata(ArticleMetadata):
    """The article's fields plus what only classification needs."""

    og_type: str | None = None
    schema_types: set[str] = field(default_factory=set)
    #: byline values as each source gives them, in order of trust; read as names at the end
    #: (the publisher's name, which they must not be, may come from a later source)
    bylines: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def has_article_type(self) -> bool:
        return any(is_article_type(t) for t in self.schema_types)

    def read_bylines(self, url: str) -> None:
        """``authors`` from the first source that names a person; agencies from all."""
        publishers = (self.site_name, site_domain(url).split(".")[0])
        for source, values in self.bylines:
            byline = read_byline(values, publishers=publishers)
            self.agencies += [a for a in byline.agencies if a not in self.agencies]
            self.fill("authors", byline.authors, source)
        self.bylines.clear()


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    meta = PageMetadata()
    _from_json_ld(tree, url, meta)
    _from_meta_tags(tree, url, meta)
    _from_markup(tree, url, meta)
    meta.read_bylines(url)
    return meta


# --- JSON-LD -----------------------------------------------------------------------------------


def json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue  # publishers ship broken JSON-LD often enough; the page is still fine
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"])


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _names(value: Any) -> list[str]:
    """Names from a schema.org Person/Organization, a list of them, or a plain string."""
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    if isinstance(value, dict):
        return _names(value.get("name", ""))
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    return []


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [s.strip() for s in value.split(",") if s.strip()]
    return []


def _from_json_ld(tree: HtmlElement, url: str, meta: PageMetadata) -> None:
    for obj in json_ld_objects(tree):
        types = _types(obj)
        meta.schema_types |= types
        if not any(is_article_type(t) for t in types):
            if "website" in types or "organization" in types or "newsmediaorganization" in types:
                meta.fill("site_name", _first(_names(obj.get("name"))), "json-ld")
            continue
        image = obj.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url")
        meta.bylines.append(("json-ld", _names(obj.get("author"))))
        for name, value in (
            ("title", _text(obj.get("headline") or obj.get("name"))),
            ("published", normalize_date(obj.get("datePublished"))),
            ("modified", normalize_date(obj.get("dateModified"))),
            ("description", _text(obj.get("description"))),
            ("language", normalize_language(_text(obj.get("inLanguage")))),
            ("tags", _strings(obj.get("keywords"))),
            ("section", _text(obj.get("articleSection"))),
            ("site_name", _first(_names(obj.get("publisher")))),
            ("image", urljoin(url, image) if isinstance(image, str) else None),
        ):
            meta.fill(name, value, "json-ld")


# --- <meta> ------------------------------------------------------------------------------------


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            values.setdefault(key, []).append(content)
    return values


def _from_meta_tags(tree: HtmlElement, url: str, meta: PageMetadata) -> None:
    tags = _meta_values(tree)

    def first(*keys: str) -> str | None:
        return next((tags[k][0] for k in keys if k in tags), None)

    meta.og_type = (first("og:type") or "").lower() or None
    image = first("og:image", "og:image:url", "twitter:image")
    # OpenGraph and article:* first, as publishers fill them for social networks with care
    meta.bylines.append(("opengraph", tags.get("article:author", [])))
    for name, value in (
        ("title", first("og:title")),
        ("published", normalize_date(first("article:published_time", "og:published_time"))),
        ("modified", normalize_date(first("article:modified_time", "og:updated_time"))),
        ("site_name", first("og:site_name")),
        ("description", first("og:description")),
        ("tags", tags.get("article:tag", [])),
        ("section", first("article:section")),
        ("image", urljoin(url, image) if image else None),
        ("language", normalize_language(first("og:locale"))),
    ):
        meta.fill(name, value, "opengraph")
    byline_keys = ("author", "parsely-author", "byl", "dc.creator")
    date_keys = (
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "parsely-pub-date",
        "dc.date.issued",
        "dc.date",
    )
    meta.bylines.append(("meta", [v for k in byline_keys for v in tags.get(k, [])]))
    for name, value in (
        ("title", first("twitter:title", "title", "dc.title")),
        ("published", normalize_date(first(*date_keys))),
        ("modified", normalize_date(first("datemodified", "last-modified"))),
        ("site_name", first("application-name")),
        ("description", first("description", "twitter:description")),
        ("tags", _strings(first("news_keywords", "keywords"))),
        ("language", normalize_language(first("content-language", "language", "dc.language"))),
    ):
        meta.fill(name, value, "meta")


# --- plain markup ------------------------------------------------------------------------------


def _from_markup(tree: HtmlElement, url: str, meta: PageMetadata) -> None:
    canonical = tree.find(".//link[@rel='canonical']")
    if canonical is not None and canonical.get("href"):
        meta.fill("canonical_url", urljoin(url, canonical.get("href", "").strip()), "html")
    for time in tree.iterfind(".//time[@datetime]"):
        if meta.fill("published", normalize_date(time.get("datetime")), "html"):
            break
    meta.fill("language", normalize_language(tree.get("lang") or tree.get("xml:lang")), "html")
    title = tree.find(".//title")
    if title is not None:
        meta.fill("title", _text(title.text_content()), "html")
    meta.bylines.append(("html", _page_bylines(tree)))


#: a byline element holds a name or two, not a paragraph
_BYLINE_ELEMENT_CHARS = 120


def _page_bylines(tree: HtmlElement) -> list[str]:
    """Names the page shows as its byline: ``rel=author`` links, ``itemprop=author``, and
    elements classed as the author's name. Only the first byline counts, with the co-authors
    beside it: the same markup in teasers further down names other articles' authors."""
    found: list[str] = []
    matches = tree.xpath(_BYLINE_XPATH)
    if not matches:
        return found
    first = matches[0]
    byline = first.getparent() if first.getparent() is not None else first
    if byline.getparent() is not None and len(byline.xpath(_BYLINE_XPATH_HERE)) < 2:
        byline = byline.getparent()  # the byline box, one level up, for its co-authors
    for el in byline.xpath(_BYLINE_XPATH_HERE) or [first]:
        named = el.find(".//*[@itemprop='name']") if el.get("itemprop") == "author" else None
        text = " ".join((named if named is not None else el).text_content().split())
        if text and len(text) <= _BYLINE_ELEMENT_CHARS and text not in found:
            found.append(text)
    return found


_BYLINE_XPATH_HERE = (
    ".//a[contains(concat(' ', normalize-space(@rel), ' '), ' author ')]"
    "|.//*[@itemprop='author']"
    "|.//*[@class][contains(@class, 'author-name') or contains(@class, 'byline__name')"
    " or contains(@class, 'authorName') or contains(@class, 'author__name')]"
)
_BYLINE_XPATH = _BYLINE_XPATH_HERE.replace(".//", "//")


# --- normalisation -----------------------------------------------------------------------------


def clean_authors(raw: list[str], *, publishers: tuple[str | None, ...] = ()) -> list[str]:
    """Person names only (see authors.py)."""
    return read_byline(raw, publishers=publishers).authors


def normalize_date(value: Any) -> str | None:
    """An ISO 8601 string, keeping the time and offset where the page gives them."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    parsed = parse_iso(text, naive_is_utc=False)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)  # RFC 2822, as feeds and HTTP use
        except (TypeError, ValueError):
            match = re.match(r"(\d{4}-\d{2}-\d{2})", text)
            return match.group(1) if match else None
    if len(text) <= 10 and "T" not in text:
        return parsed.date().isoformat()
    return parsed.isoformat()


def normalize_language(value: str | None) -> str | None:
    """ISO 639-1 from "de-DE", "de_DE", "DE" and the like."""
    if not value:
        return None
    code = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _first(values: list[str]) -> str | None:
    return values[0] if values else None

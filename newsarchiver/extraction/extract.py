"""html → article: the one place that runs trafilatura.

Pure: no Scrapy, no I/O, so it runs in a worker thread or process and in tests alike.
"""

from __future__ import annotations

import logging
import re
from dataclasses import fields

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring
from trafilatura.metadata import extract_metadata

from .article import Article, ArticleMetadata
from .boilerplate import is_boilerplate_line, strip_boilerplate
from .classify import is_article
from .language import detect_language
from .metadata import PageMetadata, clean_authors, normalize_date, read_metadata

# trafilatura logs every extraction step at DEBUG; a crawl at DEBUG level would be unreadable.
logging.getLogger("trafilatura").setLevel(logging.INFO)

#: pages larger than this are not parsed: no news article is this big, and lxml's memory grows
#: several-fold over the input size
MAX_HTML_CHARS = 8_000_000
#: share of control or replacement characters above which a body is binary, not text
_BINARY_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


def rejection_reason(html: str) -> str | None:
    """Why a body cannot be an article page at all, or None when it may be one."""
    if not html.strip():
        return "empty body"
    if len(html) > MAX_HTML_CHARS:
        return f"body too large ({len(html):,} characters)"
    sample = html[:8192]
    if len(_CONTROL.findall(sample)) > _BINARY_SHARE * len(sample):
        return "binary body"
    return None


def parse_html(html: str) -> HtmlElement | None:
    try:
        tree = document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    return tree


def extract_article(html: str, url: str) -> Article | None:
    """The article on the page, or None when the page is not an article (or not HTML)."""
    if rejection_reason(html) is not None:
        return None
    tree = parse_html(html)
    if tree is None:
        return None
    meta = read_metadata(tree, url)
    _fill_from_trafilatura(meta, tree, url)
    strip_boilerplate(tree, url)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        with_metadata=False,
    )
    raw_text = getattr(document, "text", None) or ""
    paragraphs = _clean_paragraphs(raw_text.splitlines(), meta.title, meta.authors)
    if not is_article(meta, paragraphs, url):
        return None
    text = "\n\n".join(paragraphs)
    meta.language = meta.language or detect_language(text)
    return Article(text=text, **{f.name: getattr(meta, f.name) for f in fields(ArticleMetadata)})


def _fill_from_trafilatura(meta: PageMetadata, tree: HtmlElement, url: str) -> None:
    """trafilatura's heuristics (bylines in the text, htmldate) for what the markup lacked."""
    if meta.title and meta.authors and meta.published and meta.site_name:
        return
    found = extract_metadata(tree, default_url=url)
    meta.title = meta.title or found.title
    meta.authors = meta.authors or clean_authors((found.author or "").split(";"))
    meta.published = meta.published or normalize_date(found.date)
    meta.site_name = meta.site_name or found.sitename
    meta.tags = meta.tags or list(found.tags or [])


#: how far into the text a repeated headline (and the kicker above it) is looked for
_HEADER_LINES = 3
#: a byline is short; a paragraph that merely mentions the author is not
_BYLINE_MAX_CHARS = 150
_DATE_OR_TIME = re.compile(r"\d{1,2}[./:]\d{1,2}|\d{4}-\d{2}-\d{2}")


def _clean_paragraphs(lines: list[str], title: str | None, authors: list[str]) -> list[str]:
    paragraphs = [" ".join(line.split()) for line in lines]
    paragraphs = [p for p in paragraphs if not is_boilerplate_line(p)]
    # trafilatura keeps an <h1> that sits inside the text container, with the kicker or section
    # label above it; the title is a field of its own already
    if title:
        wanted = " ".join(title.split()).casefold()
        for i, p in enumerate(paragraphs[:_HEADER_LINES]):
            if p.casefold() == wanted:
                paragraphs = paragraphs[i + 1 :]
                break
    return [p for p in paragraphs if not _is_byline(p, authors)]


def _is_byline(paragraph: str, authors: list[str]) -> bool:
    if len(paragraph) > _BYLINE_MAX_CHARS or not any(a in paragraph for a in authors):
        return False
    return bool(_DATE_OR_TIME.search(paragraph)) or len(paragraph) < 3 * sum(map(len, authors))

"""html → article: the one place that runs trafilatura.

Pure: no Scrapy, no I/O, so it runs in a worker thread or process and in tests alike.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, set_date_params

from .. import __version__
from ..urls import url_kind
from .access import (
    FULL_ARTICLE_CHARS,
    PageSignals,
    blocked_reason,
    is_paywall_line,
    is_paywalled,
)
from .article import Article, ArticleMetadata
from .boilerplate import is_boilerplate_line, link_teasers, strip_boilerplate
from .classify import MIN_TEXT_CHARS, THRESHOLD, PageEvidence, PageLinks, article_score, classify
from .language import detect_language
from .markdown import xml_to_markdown
from .metadata import PageMetadata, json_ld_objects, normalize_date, read_metadata
from .rules import DEFAULT_RULES, CleaningRules

logger = logging.getLogger(__name__)

# trafilatura logs every extraction step at DEBUG; a crawl at DEBUG level would be unreadable.
logging.getLogger("trafilatura").setLevel(logging.INFO)

#: pages larger than this are not parsed: no news article is this big, and lxml's memory grows
#: several-fold over the input size
MAX_HTML_CHARS = 8_000_000
#: share of control or replacement characters above which a body is binary, not text
_BINARY_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")


#: names the extractor in every row (``extractor``): this package's version and trafilatura's,
#: as either changes what a page's text becomes
EXTRACTOR = f"newsarchiver {__version__} (trafilatura {trafilatura.__version__})"

#: how trafilatura is asked for the text, the same for the text and for its Markdown
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "with_metadata": False,
}


@dataclass(frozen=True)
class Rejection:
    """Why a body cannot be an article page at all: a stable ``kind`` the crawl counts
    (``empty_body``, ``body_too_large``, ``binary_body``) and what to tell a person."""

    kind: str
    message: str


def rejection_reason(html: str) -> Rejection | None:
    """Why a body cannot be an article page at all, or None when it may be one."""
    if not html.strip():
        return Rejection("empty_body", "empty body")
    if len(html) > MAX_HTML_CHARS:
        return Rejection("body_too_large", f"body too large ({len(html):,} characters)")
    sample = html[:8192]
    if len(_CONTROL.findall(sample)) > _BINARY_SHARE * len(sample):
        return Rejection("binary_body", "binary body")
    return None


def drop_matching(tree: HtmlElement, selectors: Sequence[str]) -> None:
    for selector in selectors:
        for element in tree.cssselect(selector):
            element.drop_tree()


#: comments and processing instructions dropped while parsing, as trafilatura's own loader
#: does: a comment inside a paragraph split it in two in trafilatura's output (measured:
#: token F1 0.917 against 0.959 on a page whose paragraphs carry comments)
_PARSER = HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def parse_html(html: str) -> HtmlElement | None:
    try:
        tree = document_fromstring(html, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


@dataclass(frozen=True)
class NotAnArticle:
    """A page that is clearly not an article, and why (the crawl counts the reasons)."""

    reason: str
    evidence: PageEvidence | None = None


def extract_article(
    html: str,
    url: str,
    *,
    markdown: bool = False,
    drop_selectors: Sequence[str] = (),
    rules: CleaningRules = DEFAULT_RULES,
) -> Article | None:
    """The article on the page, or None when the page is clearly not an article (or not
    HTML). See :func:`extract_page` for why."""
    result = extract_page(html, url, markdown=markdown, drop_selectors=drop_selectors, rules=rules)
    return result if isinstance(result, Article) else None


def extract_page(
    html: str,
    url: str,
    *,
    markdown: bool = False,
    drop_selectors: Sequence[str] = (),
    rules: CleaningRules = DEFAULT_RULES,
) -> Article | NotAnArticle:
    """The article on the page, or why the page is not one.

    Every page that may be an article comes back as one, with ``page_type`` "article" or
    "uncertain" (mixed evidence) and the evidence; only pages that are clearly not articles
    (listings, too little text, not HTML) come back as :class:`NotAnArticle`. A page where a
    consent wall or a bot check stands in place of an article comes back with
    ``access="blocked"`` and no text; a paywall teaser with ``access="paywalled"`` and the
    teaser as text. ``markdown=True`` also fills ``markdown`` (headings, lists, quotes kept),
    at the cost of a second extraction pass. ``drop_selectors`` are CSS selectors of a site's
    own boilerplate, removed before anything else looks at the page.
    """
    if (rejection := rejection_reason(html)) is not None:
        return NotAnArticle(rejection.kind)
    tree = parse_html(html)
    if tree is None:
        return NotAnArticle("not_html")
    drop_matching(tree, drop_selectors)
    meta = read_metadata(tree, url)
    _fill_from_trafilatura(meta, tree, url)
    links = PageLinks.of(tree)
    body = _json_ld_body(tree) if rules.json_ld_body else None
    teasers = link_teasers(tree, url) if rules.link_teasers else frozenset()
    strip_boilerplate(tree, rules)
    paragraphs = _clean_paragraphs(_trafilatura_lines(tree, url), meta, rules, body, teasers)
    # the pre-cleaning can take the text container itself on an unusual template: the page
    # as it came, to trafilatura alone, is the second opinion
    short = sum(map(len, paragraphs)) < MIN_TEXT_CHARS
    if rules.uncleaned_fallback and short and (page := parse_html(html)) is not None:
        drop_matching(page, drop_selectors)
        again = _clean_paragraphs(_trafilatura_lines(page, url), meta, rules, body, teasers)
        if sum(map(len, again)) > sum(map(len, paragraphs)):
            paragraphs = again
    access, paragraphs = _access(html, url, meta, paragraphs)
    decision = classify(meta, paragraphs, url, links)
    if access == "open" and decision.page_type is None:
        return NotAnArticle(decision.reason, decision.evidence)
    text = "\n\n".join(paragraphs)
    if text and not meta.language:  # detection costs: only when the page declares nothing
        meta.fill("language", detect_language(text), "detected")
    article = Article(
        text=text,
        access=access,
        page_type=decision.page_type or "uncertain",
        evidence=decision.evidence.as_dict(),
        **{f.name: getattr(meta, f.name) for f in fields(ArticleMetadata)},
    )
    if markdown and access == "open" and (page := parse_html(html)) is not None:
        drop_matching(page, drop_selectors)
        strip_boilerplate(page, rules)  # the first tree went to trafilatura, which changes it
        article.markdown = _markdown(page, url, paragraphs)
    return article


def _access(
    html: str, url: str, meta: PageMetadata, paragraphs: list[str]
) -> tuple[str, list[str]]:
    """ "open", "paywalled" (the teaser kept) or "blocked" (no text), with the paragraphs.

    Only a short text can be a wall or a teaser, so only then is the page parsed again for the
    signals (boilerplate removal took the paywall box and consent dialog out of the first tree):
    most articles skip the 3 ms a full-page scan costs.
    """
    text_chars = sum(len(p) for p in paragraphs)
    if text_chars >= FULL_ARTICLE_CHARS or (tree := parse_html(html)) is None:
        return "open", paragraphs
    signals = PageSignals.of(tree)
    if blocked_reason(signals, text_chars) and url_kind(url) != "listing":
        return "blocked", []
    if is_paywalled(signals, text_chars) and article_score(meta, url) >= THRESHOLD:
        return "paywalled", [p for p in paragraphs if not is_paywall_line(p)]  # the teaser
    return "open", paragraphs


def _trafilatura_lines(tree: HtmlElement, url: str, **options: Any) -> list[str]:
    document = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS, **options)
    return (getattr(document, "text", None) or "").splitlines()


def _markdown(tree: HtmlElement, url: str, text: list[str]) -> str:
    """Markdown of the same blocks the text kept (the text's cleaning decides)."""
    xml = trafilatura.extract(tree, url=url, output_format="xml", **TRAFILATURA_OPTIONS)
    kept = set(text)
    return xml_to_markdown(xml, lambda block: block in kept) if xml else ""


def _fill_from_trafilatura(meta: PageMetadata, tree: HtmlElement, url: str) -> None:
    """trafilatura's heuristics (bylines in the text, htmldate) for what the markup lacked."""
    if meta.title and meta.authors and meta.published and meta.site_name:
        return
    found = _trafilatura_metadata(tree, url, date=not meta.published, tags=not meta.tags)
    meta.fill("title", found.title, "text")
    meta.bylines.append(("text", (found.author or "").split(";")))
    meta.read_bylines(url)
    meta.fill("published", normalize_date(found.date), "text")
    meta.fill("site_name", found.sitename, "text")
    meta.fill("tags", list(found.tags or []), "text")


#: whether any link can be one trafilatura's tag search keeps (it keeps only hrefs with
#: ``/tag/``, ``/tags/`` or ``/tagies/``): one scan, where the search runs a dozen XPaths
_TAG_LINKS = etree.XPath("boolean(//a[contains(@href, '/tag')])")


def _trafilatura_metadata(tree: HtmlElement, url: str, *, date: bool, tags: bool) -> Document:
    """The fields of trafilatura's ``extract_metadata`` that are read here, by its own steps.

    Not ``extract_metadata`` itself: that also looks for categories and a licence, which
    nothing here reads, and for tags by a dozen XPaths over the whole page; those were 87 % of
    its time and a third of a page's extraction on bench/throughput.py's site (py-spy). So
    the date (htmldate) and the tag search run only when the page's markup gave none.
    """
    found = examine_meta(tree)
    if found.author and " " not in found.author:  # trafilatura's rule: one word is no name
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reader alike: it fails on odd markup
        logger.debug("trafilatura's JSON-LD reader failed on %s", url, exc_info=True)
    found.title = found.title or extract_title(tree)
    found.author = found.author or extract_author(tree)
    found.url = found.url or extract_url(tree, url)
    if date:
        found.date = find_date(tree, **{**set_date_params(True), "url": found.url})
    found.sitename = found.sitename or extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (host := META_URL.match(found.url)):
        found.sitename = host[1]
    if tags and not found.tags and _TAG_LINKS(tree):
        found.tags = extract_catstags("tag", tree)
    found.clean_and_trim()
    return found


#: how far into the text a repeated headline (and the kicker above it) is looked for
_HEADER_LINES = 3
#: a kicker or section label above a headline is a few words
_KICKER_MAX_CHARS = 60
#: a byline is short; a paragraph that merely mentions the author is not
_BYLINE_MAX_CHARS = 150
_DATE_OR_TIME = re.compile(r"\d{1,2}[./:]\d{1,2}|\d{4}-\d{2}-\d{2}")


def _clean_paragraphs(
    lines: list[str],
    meta: PageMetadata,
    rules: CleaningRules = DEFAULT_RULES,
    json_ld_body: str | None = None,
    teasers: frozenset[str] = frozenset(),
) -> list[str]:
    """Lines that are prose: no counters, source labels, prompts, repeated headline or byline."""
    paragraphs = [" ".join(line.split()) for line in lines]
    paragraphs = [p for p in paragraphs if p]
    if rules.line_filters:
        paragraphs = [p for p in paragraphs if not is_boilerplate_line(p)]
    # trafilatura keeps an <h1> that sits inside the text container, with the kicker or section
    # label above it; the title is a field of its own already
    if meta.title and rules.repeated_headline:
        wanted = " ".join(meta.title.split()).casefold()
        for i, p in enumerate(paragraphs[:_HEADER_LINES]):
            if p.casefold() == wanted:
                # what stands above the headline goes too when it is a kicker (short); prose
                # above it stays (live blogs put their newest entry there)
                above = [q for q in paragraphs[:i] if len(q) > _KICKER_MAX_CHARS]
                paragraphs = above + paragraphs[i + 1 :]
                break
    if rules.byline_lines:
        paragraphs = [p for p in paragraphs if not _is_byline(p, meta.authors)]
    if teasers:
        kept = [p for p in paragraphs if p not in teasers]
        # a page that is all links (a list of sources, a link collection) keeps its text
        if sum(map(len, kept)) >= _TEASERS_AT_MOST * sum(map(len, paragraphs)):
            paragraphs = kept
    if json_ld_body:
        paragraphs = _agreeing_with(paragraphs, json_ld_body)
    return paragraphs


#: teasers are a few lines in an article; dropping more than this share of its text means the
#: page is a list of links, to be kept as it is
_TEASERS_AT_MOST = 0.7


#: a JSON-LD body shorter than this is a summary, not the text
_BODY_MIN_CHARS = 500
#: the body must hold this share of the extracted text to be trusted as the whole text
_BODY_AGREEMENT = 0.6


def _json_ld_body(tree: HtmlElement) -> str | None:
    for obj in json_ld_objects(tree):
        body = obj.get("articleBody")
        if isinstance(body, str) and len(body) >= _BODY_MIN_CHARS:
            return _squashed(body)
    return None


def _squashed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _agreeing_with(paragraphs: list[str], body: str) -> list[str]:
    """The paragraphs the publisher's own ``articleBody`` holds, when it holds most of them
    (else the body is a teaser or another text, and the paragraphs stay as they are)."""
    inside = [p for p in paragraphs if _squashed(p) in body]
    if sum(map(len, inside)) < _BODY_AGREEMENT * sum(map(len, paragraphs)):
        return paragraphs
    return inside


def _is_byline(paragraph: str, authors: list[str]) -> bool:
    if len(paragraph) > _BYLINE_MAX_CHARS or not any(a in paragraph for a in authors):
        return False
    return bool(_DATE_OR_TIME.search(paragraph)) or len(paragraph) < 3 * sum(map(len, authors))

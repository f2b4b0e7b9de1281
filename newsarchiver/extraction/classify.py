"""Article, uncertain, or clearly not an article: weighing the page's own evidence.

A news site's listing, tag, author and contact pages also carry paragraphs of text, so text
length alone cannot tell; publishers do declare what a page is (JSON-LD types, og:type), and
articles carry a publication date and article-like URLs. No single signal is reliable
everywhere (``og:type=website`` on articles, article URLs under ``/autoren/``), so they are
added up, and the decision leans towards keeping: a page is left out of the text archive only
when it is clearly not an article (little text of its own, or mostly links and no article
markup). Everything else gets a row, labelled ``article`` or ``uncertain``, with the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lxml.html import HtmlElement

from ..urls import is_service_page, url_kind
from .metadata import LISTING_TYPES, PageMetadata

PageType = Literal["article", "uncertain"]

#: an article has at least this much text after boilerplate removal (a short news item is
#: about three sentences)
MIN_TEXT_CHARS = 300
#: ...in at least this many paragraphs
MIN_PARAGRAPHS = 2
#: score from the evidence below at which a page counts as an article without doubt
THRESHOLD = 2
#: share of the page's visible text inside links above which a page is a list of links
LINK_HEAVY = 0.5
#: a page with this much text is not a bare list of links, whatever its share of links
LONG_TEXT_CHARS = 2000
#: prose of its own: this much text, in paragraphs, few of them links
PROSE_CHARS = 500
#: a listing shows at least this many headline links in what reads as its text...
MIN_TEASERS = 3
#: ...and they are half its lines or more: little prose of its own (headline, summary, …)
TEASER_SHARE = 0.5


@dataclass(frozen=True)
class PageEvidence:
    """What the decision rested on: the score and the signals that made it, in the row."""

    score: int
    signals: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "signals": list(self.signals)}


@dataclass(frozen=True)
class PageDecision:
    """``page_type`` None: not an article, for ``reason`` (counted in the crawl summary)."""

    page_type: PageType | None
    evidence: PageEvidence
    reason: str = ""


def article_score(meta: PageMetadata, url: str) -> int:
    """The markup's and the URL's evidence alone (access detection asks before any text)."""
    return _markup_evidence(meta, url)[0]


def _markup_evidence(meta: PageMetadata, url: str) -> tuple[int, list[str]]:
    score, signals = 0, []

    def signal(points: int, name: str) -> None:
        nonlocal score
        score += points
        signals.append(name)

    if meta.has_article_type:
        signal(2, "schema:article")
    if meta.schema_types & LISTING_TYPES:
        signal(-2, "schema:listing")
    if meta.og_type == "article":
        signal(2, "og:article")
    elif meta.og_type in ("profile", "video.other", "book"):
        signal(-1, f"og:{meta.og_type}")
    elif meta.og_type == "website":
        signals.append("og:website")  # noted, not counted: many articles carry it
    if meta.published:
        signal(1, "date")
    kind = url_kind(url)
    signal({"article": 1, "listing": -2, "unknown": 0}[kind], f"url:{kind}")
    return score, signals


def classify(meta: PageMetadata, paragraphs: list[str], url: str, links: PageLinks) -> PageDecision:
    """Decide on a page from its markup, its URL, its text and its links."""
    score, signals = _markup_evidence(meta, url)
    text_chars = sum(len(p) for p in paragraphs)
    linked = links.teaser_lines(paragraphs)
    signals += [f"text:{text_chars}", f"links:{links.share:.2f}", f"teaser_lines:{linked}"]
    # a list of teasers: headline links and their summaries make up the text
    teasers = linked >= MIN_TEASERS and linked >= TEASER_SHARE * len(paragraphs)
    prose = text_chars >= PROSE_CHARS and len(paragraphs) >= MIN_PARAGRAPHS + 1 and not teasers
    if prose:
        score += 2
        signals.append("prose")
    if teasers:
        score -= 2
        signals.append("teasers")
    evidence = PageEvidence(score, tuple(signals))
    declared = meta.has_article_type or meta.og_type == "article"
    if not text_chars:
        return PageDecision(None, evidence, "no_text")
    short = text_chars < MIN_TEXT_CHARS or len(paragraphs) < MIN_PARAGRAPHS
    if short and not declared:
        return PageDecision(None, evidence, "too_little_text")
    if not declared and is_service_page(url):
        return PageDecision(None, evidence, "service_page")
    if not declared and not prose:
        if meta.schema_types & LISTING_TYPES or teasers:
            return PageDecision(None, evidence, "listing")
        if links.share >= LINK_HEAVY and text_chars < LONG_TEXT_CHARS:
            return PageDecision(None, evidence, "listing")
        if url_kind(url) == "listing" and score < THRESHOLD:
            return PageDecision(None, evidence, "listing")
    if short or score < THRESHOLD:
        return PageDecision("uncertain", evidence)
    return PageDecision("article", evidence)


#: a headline is two words and this long at least; "More", "Politics" prove nothing
_MIN_LINK_TEXT = 8


@dataclass(frozen=True)
class PageLinks:
    """What the page's links say, read before any cleaning: the share of its visible text
    inside links, the texts of its links, and the summaries that stand beside a headline link
    in a teaser card. A listing's text is headlines and summaries, from many cards; an
    article's paragraphs are neither."""

    share: float
    texts: frozenset[str]
    #: summary text → the cards (by number) that hold it: sites repeat a summary in several
    #: teasers, and each one counts as a card of its own
    summaries: dict[str, set[int]]

    @classmethod
    def of(cls, tree: HtmlElement) -> PageLinks:
        body = tree.find("body")
        root = body if body is not None else tree
        total = len(root.text_content()) - sum(
            len(el.text or "") for el in root.iter("script", "style", "noscript")
        )
        texts: set[str] = set()
        summaries: dict[str, set[int]] = {}
        linked = 0
        cards: dict[HtmlElement, int] = {}
        measure = _Sizes()
        for a in root.iter("a"):
            raw = a.text_content()
            linked += len(raw)
            if len(raw) < _MIN_LINK_TEXT or " " not in raw.strip() or not a.get("href"):
                continue
            text = " ".join(raw.split())
            texts.add(text.casefold())
            card = _card(a, measure)
            if card is None or card in cards:
                continue
            cards[card] = len(cards)
            whole = " ".join(card.text_content().split()).casefold()
            summaries.setdefault(whole, set()).add(cards[card])
            for block in card.iter(*_BLOCKS):
                if block.find(".//a") is None:
                    summary = " ".join(block.text_content().split()).casefold()
                    if len(summary) >= _MIN_SUMMARY:
                        summaries.setdefault(summary, set()).add(cards[card])
        return cls(min(1.0, linked / total) if total else 0.0, frozenset(texts), summaries)

    def teaser_lines(self, paragraphs: list[str]) -> int:
        """How many of the paragraphs are headline links or teaser summaries, counted only
        when the summaries come from several cards (one card is an article's own box)."""
        folded = [p.casefold() for p in paragraphs]
        headlines = sum(p in self.texts for p in folded)
        cards = {card for p in folded for card in self.summaries.get(p, ())}
        summaries = sum(p in self.summaries for p in folded) if len(cards) >= MIN_TEASERS else 0
        return headlines + summaries


#: a teaser card is small: a headline, a summary, perhaps a date and a picture
_CARD_MAX_CHARS = 600
_CARD_MAX_LINKS = 3
_CARD_LEVELS = 4
_BLOCKS = ("p", "span", "div", "li", "dd", "h2", "h3", "h4", "h5")
_MIN_SUMMARY = 30
_NOT_A_CARD = frozenset({"body", "html", "main"})


class _Sizes:
    """Text length and link count of elements, each measured once: the links of one list
    share their ancestors, and measuring those again for each link is quadratic."""

    def __init__(self) -> None:
        self.chars: dict[HtmlElement, int] = {}
        self.links: dict[HtmlElement, int] = {}

    def small(self, el: HtmlElement) -> bool:
        if el not in self.chars:
            self.chars[el] = len(el.text_content())
        if self.chars[el] > _CARD_MAX_CHARS:
            return False
        if el not in self.links:
            self.links[el] = sum(1 for _ in el.iter("a"))
        return self.links[el] <= _CARD_MAX_LINKS


def _card(link: HtmlElement, sizes: _Sizes) -> HtmlElement | None:
    """The largest small element around a headline link: its teaser card, if it is one."""
    card, el = None, link
    for _ in range(_CARD_LEVELS):
        parent = el.getparent()
        if parent is not None and parent.tag == "p":
            return None  # a link inside a paragraph: the text links to something, no teaser
        if parent is None or parent.tag in _NOT_A_CARD or not sizes.small(parent):
            break
        card = el = parent
    return card

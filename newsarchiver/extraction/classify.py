"""Article or not: weighing the page's own evidence.

A news site's listing, tag, author and contact pages also carry paragraphs of text, so text
length alone cannot tell; publishers do declare what a page is (JSON-LD types, og:type), and
articles carry a publication date and article-like URLs. No single signal is reliable
everywhere, so they are added up.
"""

from __future__ import annotations

from ..urls import url_kind
from .metadata import ARTICLE_TYPES, LISTING_TYPES, PageMetadata

#: an article has at least this much text after boilerplate removal (a short news item is
#: about three sentences)
MIN_TEXT_CHARS = 300
#: ...in at least this many paragraphs
MIN_PARAGRAPHS = 2
#: score from the evidence below at which a page counts as an article
THRESHOLD = 2


def article_score(meta: PageMetadata, url: str) -> int:
    score = 0
    if meta.schema_types & ARTICLE_TYPES:
        score += 2
    if meta.schema_types & LISTING_TYPES:
        score -= 2
    if meta.og_type == "article":
        score += 2
    elif meta.og_type in ("website", "profile", "video.other", "book"):
        score -= 1
    if meta.published:
        score += 1
    kind = url_kind(url)
    score += {"article": 1, "listing": -2, "unknown": 0}[kind]
    return score


def is_article(meta: PageMetadata, paragraphs: list[str], url: str) -> bool:
    text_chars = sum(len(p) for p in paragraphs)
    if text_chars < MIN_TEXT_CHARS or len(paragraphs) < MIN_PARAGRAPHS:
        return False
    return article_score(meta, url) >= THRESHOLD

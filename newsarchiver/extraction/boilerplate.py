"""Boilerplate that trafilatura's defaults let through, removed before and after it runs.

Before: whole page structures named for what they are (comment forms, share bars, counters,
related-article blocks, newsletter boxes, consent banners, breadcrumbs, video embeds) and
paragraphs that are nothing but a link to another article (inline "read also" teasers, which
trafilatura keeps because they sit inside the text container).
After: single lines that are counters, durations, "Source:" labels or comment-form prompts.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from .rules import CleaningRules

# Class/id words that name boilerplate containers in common CMS themes (WordPress themes such as
# tagDiv's, Drupal, Arc, Brightspot) and hand-made templates. Matched as whole words inside the
# class or id (split on space, "-" and "_"), so "share" matches "td-post-sharing" only via
# "sharing".
_BOILERPLATE_WORDS = (
    "share",
    "sharing",
    "sharer",
    "social",
    "sociallinks",
    "related",
    "relatedposts",
    "recommended",
    "comments",
    "comment",
    "respond",
    "commentform",
    "newsletter",
    "subscribe",
    "subscription",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "cmp",
    "breadcrumb",
    "breadcrumbs",
    "crumbs",
    "crumb",
    "views",
    "counter",
    "pageviews",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsored",
    "outbrain",
    "taboola",
    "tags",
    "taglist",
    "source",
    "byline",
    "author",
    "dateline",
    "meta",
    "toolbar",
    "video",
    "player",
    "duration",
    "popup",
    "modal",
    "signup",
)
_BOILERPLATE_RE = re.compile(
    r"(?:^|[\s_-])(?:" + "|".join(_BOILERPLATE_WORDS) + r")(?:$|[\s_-])", re.I
)
# Containers only: publishers class single paragraphs by what they are ("paywall" marks the
# subscriber part of the text on some sites), so a <p> is judged by its text, not its class.
_NEVER_DROP = frozenset({"html", "body", "main", "article", "p"})
# An element holding more than this share of the page's paragraph text is the article itself,
# whatever its class says ("post-comments-enabled article-body" exists in the wild).
_MAX_SHARE_OF_TEXT = 0.4
# Elements that are never the text: pictures with their captions, embeds, asides.
_NAMED_TAGS = frozenset({"figure", "iframe", "video", "aside"})
# A paragraph that is a link to elsewhere and this short is a teaser, not prose.
_TEASER_MAX_CHARS = 200


def strip_boilerplate(tree: HtmlElement, rules: CleaningRules) -> None:
    """Remove boilerplate structures from the tree, in place, as ``rules`` allow."""
    if rules.forms:
        for el in list(tree.iterfind(".//form")):
            _drop(el)
    if rules.named_containers:
        _drop_named_containers(tree)


def link_teasers(tree: HtmlElement, url: str) -> frozenset[str]:
    """The texts of paragraphs that are only a link to another article.

    Dropped from trafilatura's lines afterwards, not from the tree before: taking them out of
    the tree changed which container trafilatura chose on some pages (measured: a whole
    article lost on one held-out publisher)."""
    return frozenset(
        " ".join(p.text_content().split()) for p in tree.iterfind(".//p") if _is_link_teaser(p, url)
    )


def _drop_named_containers(tree: HtmlElement) -> None:
    """One walk from the root that does not descend into what it drops, so each element's
    text is measured at most once per named ancestor kept (lxml's iter() would visit the
    inside of every dropped block as well)."""
    total = sum(len(p.text_content()) for p in tree.iterfind(".//p")) or 1
    stack = list(reversed(tree))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        if el.tag not in _NEVER_DROP:
            names = f"{el.get('class', '')} {el.get('id', '')} {el.get('role', '')}"
            named = el.tag in _NAMED_TAGS or _BOILERPLATE_RE.search(names)
            if named and len(el.text_content()) / total <= _MAX_SHARE_OF_TEXT:
                _drop(el)
                continue
        stack.extend(reversed(el))


def _is_link_teaser(p: HtmlElement, url: str) -> bool:
    text = " ".join(p.text_content().split())
    if not text or len(text) > _TEASER_MAX_CHARS:
        return False
    links = p.findall(".//a[@href]")
    link_text = sum(len(" ".join(a.text_content().split())) for a in links)
    here = urlsplit(url)
    elsewhere = any(urlsplit(urljoin(url, a.get("href", ""))).path != here.path for a in links)
    return elsewhere and link_text >= 0.9 * len(text)


def _drop(el: HtmlElement) -> None:
    """Remove an element but keep the text that follows it (lxml stores it on the element)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# --- after trafilatura: line filters ------------------------------------------------------------

_COUNTER_LINE = re.compile(
    r"^[\s\d.,:/|·•-]*(?:\d[\d.,]*\s*[km]?\s*(?:views?|aufrufe|kommentare?|comments?|shares?|"
    r"likes?|vues|commentaires|görüntülenme|yorum|просмотр\w*|комментари\w*|min\.?\s*read|"
    r"min\.?\s*lesezeit|minuten?))?[\s\d.,:/|·•-]*$",
    re.I,
)
_SOURCE_LINE = re.compile(
    r"^(?:source|sources|quelle|quellen|kaynak|fuente|fonte|источник|المصدر|bron|źródło)"
    r"\s*[:：]?\s*\S{0,40}$",
    re.I,
)
_COMMENT_PROMPTS = re.compile(
    r"^(?:leave a (?:reply|comment)|please enter your (?:comment|name here)|you have entered an "
    r"incorrect email address|post comment|save my name, email|schreibe(?:n sie)? einen kommentar|"
    r"kommentar (?:schreiben|verfassen)|laisser un commentaire|deja un comentario|"
    r"bir yanıt yazın|yorum yap|оставить комментарий|cancel reply|antworten abbrechen)\W*",
    re.I,
)


# An inline "read also" teaser: a label, then another article's headline. Publishers set them
# as paragraphs inside the text, so only the label tells them from prose.
_READ_ALSO = re.compile(
    r"^(?:read (?:also|more)|see also|also read|related|lesen sie auch|mehr zum thema|"
    r"(?:à )?lire aussi|lee también|leer más|ver también|ayrıca okuyun|ilgili haber|"
    r"اقرأ أيضا|اقرأ ايضا|читайте также|смотрите также)\s*[:：]",
    re.I,
)
# Labels set on a line of their own. Only known ones: a lone capitalised word can also be a
# subheading that belongs to the text (band names in a music review, on the dev set).
_BADGES = frozenset(
    (
        "live", "liveticker", "ticker", "breaking", "eilmeldung", "exclusive", "exklusiv",
        "update", "anzeige", "advertisement", "sponsored", "werbung", "video", "audio",
        "podcast", "premium", "plus", "neu", "new", "en direct", "directo", "canlı",
        "прямой эфир", "онлайн", "مباشر", "عاجل",
    )
)  # fmt: skip
#: a teaser is a headline long, not a paragraph long
_READ_ALSO_MAX_CHARS = 200


def is_boilerplate_line(line: str) -> bool:
    text = line.strip()
    return (
        not text
        or bool(_COUNTER_LINE.match(text))
        or bool(_SOURCE_LINE.match(text))
        or bool(_COMMENT_PROMPTS.match(text))
        or (len(text) <= _READ_ALSO_MAX_CHARS and bool(_READ_ALSO.match(text)))
        or text.casefold() in _BADGES
    )

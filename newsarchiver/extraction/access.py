"""Is the article there? Paywall teasers, consent walls and bot checks.

A crawler that stores a consent dialog or the first paragraph of a paywalled article as if it
were the article misleads every later search. These checks run on the page as fetched and on
what extraction found; they only mark the result, the WARC keeps the page either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

# Bot checks and CAPTCHA interstitials (Cloudflare, PerimeterX, DataDome, Akamai, hCaptcha…).
_BOT_CHECK = re.compile(
    r"verify you are (a )?human|checking your browser|are you a robot|unusual traffic|"
    r"just a moment\.\.\.|attention required|access denied|enable javascript and cookies|"
    r"cf-challenge|cf-turnstile|px-captcha|g-recaptcha|h-captcha|datadome|captcha-delivery",
    re.I,
)
# Consent-management platforms whose dialog can stand in place of the whole page.
_CONSENT_WALL = re.compile(
    r"sp_message_container|didomi|onetrust|cmpbox|usercentrics|qc-cmp|fc-consent|"
    r"consent-wall|cookiewall|cookie-wall|truste_|cmp-container",
    re.I,
)
# The sentences under a paywall teaser, in the languages our users crawl.
_PAYWALL_TEXT = re.compile(
    r"subscribe to (continue|keep) reading|to continue reading|for subscribers only|"
    r"réservée? aux abonnés|il vous reste \d+ ?% de cet article|"
    r"nur für abonnenten|jetzt weiterlesen mit|weiterlesen mit \w+\+|mit \w+plus weiterlesen|"
    r"solo para suscriptores|contenido exclusivo para suscriptores|"
    r"abonelere özel|только для подписчиков|للمشتركين فقط",
    re.I,
)
# What a paywall box says besides its prompt: the buttons.
_SUBSCRIBE_CALL = re.compile(
    r"s'abonner|déjà abonné|subscribe|sign in|log in|abonnieren|anmelden|abo abschließen|"
    r"suscríbete|iniciar sesión|abone ol|giriş yap|подписаться|войти|اشترك|تسجيل الدخول",
    re.I,
)
#: a button line is a few words
_CALL_MAX_CHARS = 80
#: a page with an article this long has its article, whatever banner sits on top of it
FULL_ARTICLE_CHARS = 1500
#: a blocking page says little besides its dialog
_BLOCKING_PAGE_CHARS = 2500


@dataclass(frozen=True)
class PageSignals:
    """What the checks read, taken from the page before boilerplate removal changes it."""

    text: str
    markup: str  # every class and id on the page
    title: str

    @classmethod
    def of(cls, tree: HtmlElement) -> PageSignals:
        markup = " ".join(
            f"{el.get('class', '')} {el.get('id', '')}"
            for el in tree.iter()
            if isinstance(el.tag, str)
        )
        return cls(" ".join(tree.text_content().split()), markup, tree.findtext(".//title") or "")


def blocked_reason(page: PageSignals, text_chars: int) -> str | None:
    """ "bot check" or "consent wall" when one stands in place of the page, else None."""
    if text_chars >= FULL_ARTICLE_CHARS or len(page.text) > _BLOCKING_PAGE_CHARS:
        return None
    if any(_BOT_CHECK.search(s) for s in (page.text, page.markup, page.title)):
        return "bot check"
    if _CONSENT_WALL.search(page.markup):
        return "consent wall"
    return None


def is_paywalled(page: PageSignals, text_chars: int) -> bool:
    """The page shows a teaser and says the rest is for subscribers.

    Only the page's own words count. Markup is no evidence: on the dev set, pages from eight
    of sixteen publishers carry paywall classes (Piano, "paywall") or
    ``isAccessibleForFree: false`` and still deliver the whole article to the crawler.
    """
    return text_chars < FULL_ARTICLE_CHARS and bool(_PAYWALL_TEXT.search(page.text))


def is_paywall_line(line: str) -> bool:
    """A line of the paywall box itself: its prompt, or a subscribe / sign-in button."""
    return bool(_PAYWALL_TEXT.search(line)) or (
        len(line) <= _CALL_MAX_CHARS and bool(_SUBSCRIBE_CALL.search(line))
    )

"""Paywall teasers, consent walls and bot checks are marked, not taken for articles."""

from __future__ import annotations

from newsarchiver.extraction import extract_article
from newsarchiver.sample_site import render
from newsarchiver.sample_site.content import ARTICLES

ARTICLE_URL = "https://news.test/politik/2024/05/16/ein-langer-artikel-ueber-etwas/"
HEAD = """<html lang="de"><head><title>Artikel</title><meta property="og:type" content="article">
<meta property="article:published_time" content="2024-05-16T10:00:00+02:00"></head><body>"""


def test_a_bot_check_is_blocked_not_an_article() -> None:
    html = (
        "<html><head><title>Just a moment...</title></head><body><h1>Checking your browser"
        "</h1><div class='cf-turnstile'></div></body></html>"
    )
    article = extract_article(html, ARTICLE_URL)
    assert article is not None and article.access == "blocked" and article.text == ""


def test_a_consent_wall_without_the_article_is_blocked() -> None:
    html = (
        HEAD + "<div id='didomi-host'><p>Wir und unsere Partner verwenden Cookies. "
        "Stimmen Sie zu?</p><button>Zustimmen</button></div></body></html>"
    )
    article = extract_article(html, ARTICLE_URL)
    assert article is not None and article.access == "blocked"


def test_a_consent_banner_over_a_whole_article_is_open() -> None:
    seed = ARTICLES[0]
    html = render.article_page(seed, list(ARTICLES), "https://news.test").replace(
        '<div id="cookie-notice"', '<div id="didomi-host"><div id="cookie-notice"'
    )
    article = extract_article(html, "https://news.test" + seed.path)
    assert article is not None and article.access == "open"
    assert article.text.split("\n\n") == list(seed.paragraphs)


def test_a_paywall_teaser_keeps_the_teaser_and_says_so() -> None:
    teaser = (
        "Der Stadtrat hat am Abend über den neuen Haushalt beraten und dabei mehrere "
        "strittige Punkte vertagt."
    )
    html = (
        HEAD.replace("Artikel", "Haushalt vertagt")
        + f"<article><h1>Haushalt vertagt</h1><p>{teaser}</p><div class='paywall'>"
        "<p>Dieser Artikel ist nur für Abonnenten. Jetzt weiterlesen mit Tagesblatt+</p>"
        "<a>Abo abschließen</a></div></article></body></html>"
    )
    article = extract_article(html, ARTICLE_URL)
    assert article is not None and article.access == "paywalled"
    assert article.text == teaser


def test_paywall_markup_around_a_whole_article_is_open() -> None:
    """Publishers mark up paywalls (Piano, isAccessibleForFree) and send the text anyway."""
    seed = ARTICLES[0]
    html = (
        render.article_page(seed, list(ARTICLES), "https://news.test")
        .replace('"@type": "NewsArticle"', '"@type": "NewsArticle", "isAccessibleForFree": false')
        .replace('class="td-post-content', 'class="paywall piano-article td-post-content')
    )
    article = extract_article(html, "https://news.test" + seed.path)
    assert article is not None and article.access == "open"

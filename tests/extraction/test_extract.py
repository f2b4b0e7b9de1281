"""extract_article on the sample site's pages: text, metadata, and what is not an article."""

from __future__ import annotations

import pytest

from newsarchiver.extraction import extract_article, rejection_reason
from newsarchiver.extraction.extract import Rejection
from newsarchiver.sample_site import render
from newsarchiver.sample_site.content import ARTICLES, SECTIONS, SampleArticle, article_by_path

BASE = "http://news.test"
SITE = list(ARTICLES)

# What the tagDiv WordPress theme puts around the text (see ../shared/seeds in the repository
# history): none of it may reach the article text.
WORDPRESS_BOILERPLATE = [
    "LEAVE A REPLY",
    "Please enter your comment!",
    "Please enter your name here",
    "incorrect email address",
    "Kaynak",
    "03:07",
    "Xi begrüßt",
    "RELATED ARTICLES",
    "MORE FROM AUTHOR",
    "Facebook",
    "WhatsApp",
    "Home",
    "Nachricht",
    "Cookies",
    "TAGS",
    "Ein Besuch von ungewöhnlicher Bedeutung",  # the inline "read also" teaser
]


def _extract(article: SampleArticle) -> str:
    html = render.article_page(article, SITE, BASE)
    result = extract_article(html, BASE + article.path)
    assert result is not None, f"{article.path} was not recognised as an article"
    return result.text


def test_seed_style_wordpress_page_keeps_paragraphs_and_drops_boilerplate() -> None:
    seed = article_by_path("/politik/2024/05/16/putin-xi-militaerische-koordinierung/")
    assert seed is not None
    text = _extract(seed)
    assert text.split("\n\n") == list(seed.paragraphs)
    for phrase in WORDPRESS_BOILERPLATE:
        assert phrase not in text
    assert "\n30\n" not in f"\n{text}\n" and "\n0\n" not in f"\n{text}\n"  # view/comment counters


@pytest.mark.parametrize("article", list(ARTICLES), ids=lambda a: a.path)
def test_every_sample_article_text_is_exactly_its_paragraphs(article: SampleArticle) -> None:
    assert _extract(article).split("\n\n") == list(article.paragraphs)


@pytest.mark.parametrize("article", list(ARTICLES), ids=lambda a: a.path)
def test_every_sample_article_metadata(article: SampleArticle) -> None:
    html = render.article_page(article, SITE, BASE)
    result = extract_article(html, BASE + article.path)
    assert result is not None
    assert result.title == article.title
    assert result.authors == list(article.authors)
    assert result.published == article.published
    assert result.modified == (article.modified or article.published)
    assert result.language == article.language
    assert result.site_name == "Tagesblatt"
    assert result.tags == list(article.tags)
    assert result.section == SECTIONS[article.section]
    assert result.canonical_url == BASE + article.path
    assert result.metadata_sources["title"] == "json-ld"
    assert result.access == "open"
    assert result.image == f"{BASE}/bilder/{article.section}.jpg"
    if article.description:
        assert result.description == article.description


def test_language_is_detected_when_the_page_declares_none() -> None:
    french = article_by_path("/kultur/festival-cannes-ouverture.html")
    assert french is not None
    html = render.article_page(french, SITE, BASE)
    assert "lang=" not in html.split("<body>")[0]  # the page really declares nothing
    result = extract_article(html, BASE + french.path)
    assert result is not None and result.language == "fr"
    assert result.metadata_sources["language"] == "detected"


@pytest.mark.parametrize(
    ("path", "html"),
    [
        ("/", render.home(SITE, faults=False)),
        ("/politik/", render.section("politik", SITE, 1)),
        ("/politik/page/2/", render.section("politik", SITE, 2)),
        ("/tag/hafen/", render.tag_page("hafen", SITE)),
        ("/autor/anna-weber/", render.author_page("anna-weber", SITE)),
        ("/kontakt/", render.static_page("/kontakt/")),
        ("/impressum/", render.static_page("/impressum/")),
        ("/datenschutz/", render.static_page("/datenschutz/")),
    ],
)
def test_listing_and_service_pages_are_not_articles(path: str, html: str | None) -> None:
    assert html is not None
    assert extract_article(html, BASE + path) is None


def test_bodies_that_cannot_be_articles_are_rejected_with_a_reason() -> None:
    binary = bytes(range(256)).decode("latin-1") * 40
    assert rejection_reason(binary) == Rejection("binary_body", "binary body")
    assert extract_article(binary, BASE + "/x-a-123456.html") is None
    assert rejection_reason("   ") == Rejection("empty_body", "empty body")
    assert extract_article("", BASE + "/") is None
    assert rejection_reason("<p>" + "x" * 9_000_000) is not None


def test_garbage_markup_does_not_raise() -> None:
    for html in ["<<<>>>", "<html><body><p>unclosed", "\x00\x01<p>", "<?xml version='1.0'?><a/>"]:
        assert extract_article(html, BASE + "/") is None


def test_a_sites_drop_selectors_remove_its_own_boilerplate() -> None:
    article = next(a for a in ARTICLES if a.style == "html5" and not a.fault)
    promo = (
        "Die Redaktion empfiehlt außerdem den Hafenrundgang am Sonntag, der um zehn Uhr an den "
        "Landungsbrücken beginnt und zwei Stunden dauert."
    )
    html = render.article_page(article, list(ARTICLES), "https://www.tagesblatt.example")
    first = f"{article.paragraphs[0]}</p>"
    assert first in html
    html = html.replace(first, f'{first}<p class="kasten">{promo}</p>', 1)
    url = "https://www.tagesblatt.example" + article.path
    kept = extract_article(html, url)
    assert kept is not None and promo in kept.text  # prose inside the article: kept by default
    dropped = extract_article(html, url, drop_selectors=["p.kasten", "aside.never-there"])
    assert dropped is not None
    assert dropped.text == "\n\n".join(article.paragraphs)

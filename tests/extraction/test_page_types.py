"""Which pages get a row: the kinds of real article that used to be dropped, and listings.

Each page here is written in the markup where that kind occurs (a CMS's author-filed URL, a
WordPress theme declaring og:type=website, a listing of teaser cards with summaries).
"""

from __future__ import annotations

import pytest

from newsarchiver.extraction import Article, NotAnArticle, extract_page

PROSE = [
    "Der Stadtrat hat am Dienstagabend nach langer Debatte den Haushalt für das kommende Jahr "
    "beschlossen. Die Mehrheit stimmte für die Pläne der Verwaltung, die Opposition dagegen.",
    "Besonders umstritten waren die Ausgaben für den Ausbau des Hafens. Kritiker halten die "
    "Summe für zu hoch, die Befürworter verweisen auf die Arbeitsplätze in der Region.",
    "Die Kämmerin kündigte an, die Investitionen über mehrere Jahre zu strecken. Neue Schulden "
    "soll es nach ihren Worten vorerst nicht geben, die Rücklagen reichten dafür aus.",
    "Im Frühjahr will der Rat erneut über die Finanzen beraten. Dann sollen auch die Zahlen der "
    "städtischen Betriebe vorliegen, die bislang noch nicht veröffentlicht wurden.",
]


def article_html(*, head: str = "", byline: str = "", paragraphs: list[str] = PROSE) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    nav = "".join(f'<li><a href="/r{i}/">Ressort {i}</a></li>' for i in range(8))
    return (
        f'<html lang="de"><head><title>Haushalt beschlossen</title>{head}</head><body>'
        f"<header><nav><ul>{nav}</ul></nav></header><main><article>"
        f"<h1>Haushalt beschlossen</h1>{byline}<div class='entry-content'>{text}</div>"
        "</article></main><footer><p>© Rheinpost</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    "url",
    [
        # filed under the author's listing path, as some CMSs do
        "https://www.rheinpost.example/autoren/katrin-vogel/haushalt-fuer-2025-beschlossen-nach-debatte",
        # a numeric article id under "archive"
        "https://www.rheinpost.example/archive/63076",
        # an agency's document id, no words at all
        "https://doc.rheinpost.example/B2LA2G3",
    ],
)
def test_an_article_at_a_listing_shaped_url_gets_a_row(url: str) -> None:
    page = extract_page(article_html(), url)
    assert isinstance(page, Article)
    assert page.text.split("\n\n") == PROSE
    assert page.evidence["score"] >= 2 and "prose" in page.evidence["signals"]


def test_an_article_declared_og_website_is_an_article() -> None:
    head = (
        '<meta property="og:type" content="website">'
        '<meta property="article:published_time" content="2024-11-02T09:30:00+01:00">'
    )
    page = extract_page(article_html(head=head), "https://www.rheinpost.example/?p=4711")
    assert isinstance(page, Article) and page.page_type == "article"
    assert "og:website" in page.evidence["signals"]


def test_a_misspelt_article_type_still_counts() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "ReportageNewsArticle", '
        '"headline": "Haushalt beschlossen", "datePublished": "2024-11-02"}</script>'
    )
    url = "https://x.example/2024/11/02/haushalt"
    page = extract_page(article_html(head=head, paragraphs=PROSE[:2]), url)
    assert isinstance(page, Article) and page.page_type == "article"
    assert "schema:article" in page.evidence["signals"]


def test_mixed_evidence_is_kept_as_uncertain_with_its_evidence() -> None:
    # a section URL, no article markup, but the page carries prose of its own
    page = extract_page(article_html(), "https://www.rheinpost.example/politik/")
    assert isinstance(page, Article)
    assert page.page_type == "uncertain"
    assert "url:listing" in page.evidence["signals"] and "prose" in page.evidence["signals"]


def listing_html(cards: int) -> str:
    teasers = "".join(
        f'<article class="teaser"><h2><a href="/politik/meldung-{i}-aus-dem-rathaus">'
        f"Meldung {i} aus dem Rathaus</a></h2><p>{PROSE[i % 4]}</p></article>"
        for i in range(cards)
    )
    return (
        '<html lang="de"><head><title>Politik</title></head><body><main>'
        f"<h1>Politik</h1>{teasers}</main></body></html>"
    )


@pytest.mark.parametrize("url", ["https://www.rheinpost.example/politik/", "https://x.example/p"])
def test_a_listing_of_teasers_with_summaries_gets_no_row(url: str) -> None:
    # the summaries are prose, so length alone would call it an article
    page = extract_page(listing_html(12), url)
    assert isinstance(page, NotAnArticle)
    assert page.reason == "listing"
    assert page.evidence is not None and "teasers" in page.evidence.signals


def test_an_article_with_a_related_list_is_not_a_listing() -> None:
    related = "".join(
        f'<li class="item"><a href="/politik/meldung-{i}-aus-dem-rathaus">Meldung {i} aus dem '
        "Rathaus</a></li>"
        for i in range(6)
    )
    html = article_html().replace("</article>", f"</article><ul>{related}</ul>")
    page = extract_page(html, "https://www.rheinpost.example/politik/haushalt-beschlossen-a-1234")
    assert isinstance(page, Article) and page.page_type == "article"


@pytest.mark.parametrize("path", ["/impressum/", "/datenschutz", "/about"])
def test_service_pages_are_not_articles(path: str) -> None:
    page = extract_page(article_html(), "https://www.rheinpost.example" + path)
    assert isinstance(page, NotAnArticle) and page.reason == "service_page"


def test_a_page_without_text_says_so() -> None:
    page = extract_page(
        "<html><body><nav><a href='/a'>A</a></nav></body></html>", "https://x.example/"
    )
    assert isinstance(page, NotAnArticle) and page.reason in ("no_text", "too_little_text")


def test_a_listing_with_short_headlines_and_one_line_summaries_gets_no_row() -> None:
    teasers = "".join(
        f'<div class="td-module"><h3><a href="/politik/artikel-{n}.html">Artikel {n}</a></h3>'
        f"<p>Kurz: Meldung {n} aus dem Ressort Politik.</p></div>"
        for n in range(15)
    )
    html = f"<html><head><title>Politik</title></head><body><main>{teasers}</main></body></html>"
    page = extract_page(html, "https://www.rheinpost.example/politik/page/2/")
    assert isinstance(page, NotAnArticle) and page.reason == "listing"

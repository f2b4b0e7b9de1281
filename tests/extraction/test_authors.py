"""Authors are people, publishers are publishers, agencies are credited as agencies."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchiver.extraction import Article, extract_page
from newsarchiver.extraction.authors import read_byline


@pytest.mark.parametrize(
    ("values", "authors", "agencies"),
    [
        (["Deutsche Welle (www.dw.com)"], [], []),
        (["mdr.de"], [], []),
        (["STERN.de"], [], []),
        (["Redaktion"], [], []),
        (["Elena Oberholzer (obe)"], ["Elena Oberholzer"], []),
        (["hessenschau.de, Frankfurt, Germany"], [], []),
        (["Anna Weber, dpa"], ["Anna Weber"], ["dpa"]),
        (["dpa/AFP"], [], ["dpa", "AFP"]),
        (["Von Jonas Becker (mit Material von Reuters)"], ["Jonas Becker"], ["Reuters"]),
        (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"], []),
        (["Martin Untersinger (avec Damien Leloup et Morgane Tual)"],
         ["Martin Untersinger", "Damien Leloup", "Morgane Tual"], []),
        (["Written by Rob Ewaschuk Edited by Betsy Beyer"], ["Rob Ewaschuk"], []),
        (["Nathan Willis March 25, 2015"], ["Nathan Willis"], []),
        (["Laura June Topolsky"], ["Laura June Topolsky"], []),
        (["The Associated Press"], [], ["AP"]),
        (["肖春芳"], ["肖春芳"], []),
    ],
)  # fmt: skip
def test_bylines(values: list[str], authors: list[str], agencies: list[str]) -> None:
    byline = read_byline(values)
    assert byline.authors == authors
    assert byline.agencies == agencies


def test_the_sites_own_name_is_not_an_author() -> None:
    assert read_byline(["Rheinpost Online"], publishers=("Rheinpost",)).authors == []
    assert read_byline(["Katrin Vogel"], publishers=("Rheinpost",)).authors == ["Katrin Vogel"]


PAGE = """<html lang="de"><head><title>Haushalt</title>
<meta property="og:site_name" content="Rheinpost">
<meta name="author" content="Rheinpost Online">
{meta}</head><body><article><h1>Haushalt</h1>
<div class="byline">Von <a rel="author" href="/autoren/katrin-vogel">Katrin Vogel</a> und
<a rel="author" href="/autoren/jonas-becker">Jonas Becker</a>, dpa</div>
<p>Der Stadtrat hat am Dienstagabend nach langer Debatte den Haushalt für das kommende Jahr
beschlossen. Die Mehrheit stimmte für die Pläne der Verwaltung, die Opposition dagegen.</p>
<p>Besonders umstritten waren die Ausgaben für den Ausbau des Hafens. Kritiker halten die Summe
für zu hoch, die Befürworter verweisen auf die Arbeitsplätze in der Region.</p>
</article><aside class="more"><h2>Mehr</h2><ul>
<li><a href="/a/1-lange-ueberschrift">Ein anderer Artikel</a>
<a rel="author" href="/x">Max Muster</a></li>
</ul></aside></body></html>"""


def test_an_organisation_in_the_meta_tag_does_not_hide_the_byline() -> None:
    article = extract_page(
        PAGE.format(meta='<meta property="og:type" content="article">'),
        "https://www.rheinpost.example/politik/haushalt-fuer-2025-beschlossen",
    )
    assert isinstance(article, Article)
    assert article.authors == ["Katrin Vogel", "Jonas Becker"]  # not the teaser's author
    assert article.metadata_sources["authors"] == "html"


def test_an_agency_in_json_ld_is_credited_as_an_agency() -> None:
    meta = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Haushalt", '
        '"author": [{"@type": "Organization", "name": "dpa"}]}</script>'
    )
    article = extract_page(PAGE.format(meta=meta), "https://www.rheinpost.example/a/haushalt-neu")
    assert isinstance(article, Article)
    assert "dpa" in article.agencies
    assert article.authors == ["Katrin Vogel", "Jonas Becker"]


_NOT_IN_A_NAME = re.compile(r"\d|@|https?:|www\.")


@given(st.lists(st.text(max_size=80), max_size=4))
def test_any_byline_yields_names_without_digits_or_addresses(values: list[str]) -> None:
    byline = read_byline(values, publishers=("Rheinpost",))
    for name in byline.authors:
        assert name == " ".join(name.split()) and name
        assert not _NOT_IN_A_NAME.search(name)
    assert len(set(byline.authors)) == len(byline.authors)

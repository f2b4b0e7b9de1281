"""A search word's forms: the indexed words with its Snowball stem, never a word without it."""

from __future__ import annotations

import bisect

import Stemmer
from hypothesis import given
from hypothesis import strategies as st

from newsarchiver.articles.fts import fold, match_expression
from newsarchiver.articles.stems import STEMMERS, same_stem, stemmed_languages

WORDS = sorted(
    fold(w)
    for w in [
        "Wahl",
        "Wahlen",
        "Wahlkampf",
        "Häfen",
        "Hafen",
        "Hafens",
        "Hafenverwaltung",
        "Putin",
        "Putins",
        "Putinismus",
        "election",
        "elections",
        "elected",
        "electoral",
        "state",
        "states",
        "statement",
        "stated",
        "happy",
        "happiness",
        "happen",
        "élection",
        "élections",
        "électoral",
    ]
)


def _starting(prefix: str, limit: int) -> list[str]:
    at = bisect.bisect_left(WORDS, prefix)
    return [w for w in WORDS[at : at + limit] if w.startswith(prefix)]


def test_a_word_finds_its_forms_and_not_its_compounds_or_neighbours() -> None:
    assert same_stem("putin", ["de"], _starting) == ["putin", "putins"]
    assert same_stem("hafen", ["de"], _starting) == ["hafen", "hafens"]
    assert "hafenverwaltung" not in same_stem("hafen", ["de"], _starting)
    # Snowball's English stem of all three is "elect": derivations come along (the price of
    # recall that bench/search_matching.py measures), "electoral" ("elector") does not
    assert same_stem("elections", ["en"], _starting) == ["elected", "election", "elections"]
    assert "statement" not in same_stem("state", ["en"], _starting)
    assert same_stem("happy", ["en"], _starting) == ["happiness", "happy"]  # stem "happi"
    # in the archive's languages only: German forms need German among them
    assert same_stem("wahlen", ["en"], _starting) == ["wahlen"]
    assert same_stem("wahlen", ["en", "de"], _starting) == ["wahl", "wahlen"]


def test_words_are_folded_as_the_index_stores_them() -> None:
    assert fold("Häfen") == "hafen" and fold("Straße") == "straße"  # unicode61 keeps "ß"


def test_languages_without_a_stemmer_are_left_out() -> None:
    assert stemmed_languages(["de", "xx", None, "de", "ja", "en"]) == ["de", "en"]


def test_a_plain_word_becomes_its_forms_and_quotes_keep_it_exact() -> None:
    forms = lambda word: same_stem(word, ["de"], _starting)  # noqa: E731
    assert match_expression("Putin Reise", forms) == '("putin" OR "putins") "Reise"'
    assert match_expression('"Putin"', forms) == '"Putin"'
    assert match_expression("Xi-Jinping", forms) == '"Xi-Jinping"'  # a phrase stays a phrase


@given(
    st.text(alphabet=st.characters(categories=["Ll", "Lu"]), min_size=1, max_size=12),
    st.sampled_from(sorted(STEMMERS)),
)
def test_every_form_found_has_the_word_s_stem(word: str, language: str) -> None:
    folded = fold(word)
    found = same_stem(folded, [language], _starting)
    assert folded in found
    stem = Stemmer.Stemmer(STEMMERS[language]).stemWord(folded)
    assert all(
        form == folded or Stemmer.Stemmer(STEMMERS[language]).stemWord(form) == stem
        for form in found
    )

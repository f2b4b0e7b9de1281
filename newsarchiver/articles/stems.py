"""A search word and the indexed words with the same stem: ``putin`` finds "Putins",
``hafen`` finds "Hafens" and "Häfen", ``election`` finds "elections".

The index keeps words as written (FTS5's unicode61 tokenizer, diacritics folded); the search
expands each plain word into the indexed words that share its Snowball stem in one of the
archive's languages (PyStemmer: the Snowball project's stemmers, in C). Expanding at search
time keeps the index as it is (snippets and ranking work as for any FTS5 query), needs no
language for the search text, and lets quotes ask for the word exactly. Why stems rather than
``word*`` prefixes: bench/search_matching.py (prefixes also find "Hafenverwaltung" for
``hafen`` and "statement" for ``state``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import cache

import Stemmer

#: ISO 639-1 code → the Snowball algorithm PyStemmer knows it by
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
#: the shortest shared beginning worth a look-up: shorter words are searched exactly
MIN_PREFIX = 3
#: indexed words looked at per search word and language (a bound, not a filter)
MAX_CANDIDATES = 2000


@cache
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    algorithm = STEMMERS.get(language)
    return Stemmer.Stemmer(algorithm) if algorithm else None


def stemmed_languages(languages: Iterable[str | None]) -> list[str]:
    """The languages among ``languages`` that have a stemmer, in the order given."""
    return [lang for lang in dict.fromkeys(languages) if lang and _stemmer(lang)]


def same_stem(
    word: str, languages: list[str], vocabulary: Callable[[str, int], Iterable[str]]
) -> list[str]:
    """``word`` (folded as the index stores it) and the indexed words with its stem in any of
    ``languages``; ``vocabulary(prefix, limit)`` lists indexed words starting with prefix."""
    found = {word}
    for language in languages:
        stemmer = _stemmer(language)
        assert stemmer is not None
        stem = stemmer.stemWord(word)
        # a stem need not be a prefix of its word ("happy" → "happi"): look from what both share
        prefix = os.path.commonprefix([stem, word])  # noqa: RUF071 (characters, not paths)
        if len(prefix) < MIN_PREFIX:
            continue
        found.update(
            term
            for term in vocabulary(prefix, MAX_CANDIDATES)
            if term.isalpha() and stemmer.stemWord(term) == stem
        )
    return sorted(found)

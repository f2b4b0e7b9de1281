"""What a user types into a search box, as an FTS5 query.

FTS5's query language reads ``Xi-Jinping`` as the column ``Xi`` minus ``Jinping``, ``don't``
as an unfinished string and ``3.5%`` as a syntax error. People type words, not syntax: plain
text is searched as the words it contains, every whitespace-separated piece as a phrase of its
words (``Xi-Jinping`` → the phrase "xi jinping", as the tokenizer splits it when indexing).
Only text that uses FTS5's syntax on purpose — quotes, ``OR``/``AND``/``NOT``/``NEAR``,
a ``prefix*``, a ``column:`` filter, parentheses — is passed through as written.

Written here because SQLite offers no "plain text to MATCH" function and no library does it
for FTS5's grammar.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

#: the columns of ``articles_fts`` a user may name (``title:hafen``)
COLUMNS = ("title", "text")
_SYNTAX = re.compile(
    r'"|\b(?:OR|AND|NOT)\b|\bNEAR\s*\(|\w\*|[()]|(?:^|\s)\^|'
    + r"(?:^|\s|\()(?:"
    + "|".join(COLUMNS)
    + r")\s*:",
)
_WORD = re.compile(r"\w", re.UNICODE)
#: the tokenizer's words: letters and digits ("_" and punctuation separate them)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def uses_syntax(text: str) -> bool:
    return bool(_SYNTAX.search(text))


def fold(word: str) -> str:
    """A word as the index stores it: lowercased as unicode61 does (``lower``, not
    ``casefold``: "Straße" stays "straße"), diacritics removed (``remove_diacritics 2``), so
    "Häfen" is "hafen"."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c)
    )


def match_expression(text: str, same_stem: Callable[[str], list[str]] | None = None) -> str | None:
    """The MATCH argument for ``text``; None when it holds no word to search for.

    ``same_stem(word)`` gives a one-word piece's forms in the index (articles/stems.py): the
    piece then matches any of them ("putin" → ("putin" OR "putins")). A piece of several words
    (``Xi-Jinping``) stays one phrase; quotes, like all FTS5 syntax, ask for exactly that."""
    if uses_syntax(text):
        return text
    phrases = []
    for piece in text.split():
        if not _WORD.search(piece):
            continue
        words = _TOKEN.findall(fold(piece))
        forms = same_stem(words[0]) if same_stem and len(words) == 1 else []
        if len(forms) > 1:
            phrases.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
        else:
            phrases.append('"' + piece.replace('"', '""') + '"')
    return " ".join(phrases) or None

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

#: the columns of ``articles_fts`` a user may name (``title:hafen``)
COLUMNS = ("title", "text")
_SYNTAX = re.compile(
    r'"|\b(?:OR|AND|NOT)\b|\bNEAR\s*\(|\w\*|[()]|(?:^|\s)\^|'
    + r"(?:^|\s|\()(?:"
    + "|".join(COLUMNS)
    + r")\s*:",
)
_WORD = re.compile(r"\w", re.UNICODE)


def uses_syntax(text: str) -> bool:
    return bool(_SYNTAX.search(text))


def match_expression(text: str) -> str | None:
    """The MATCH argument for ``text``; None when it holds no word to search for."""
    if uses_syntax(text):
        return text
    phrases = [
        '"' + piece.replace('"', '""') + '"' for piece in text.split() if _WORD.search(piece)
    ]
    return " ".join(phrases) or None

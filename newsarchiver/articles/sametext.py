"""When two texts of an article are the same text: one rule for versions and for diffs.

Re-typeset quotes (`„Ja“` for `"Ja"`), dashes, non-breaking or doubled spaces and punctuation
around words (`Sprecher,` for `Sprecher.`) are how a page is printed, not what it says: they
make no new version and no diff line. Punctuation inside a word or number stays (`3.5` is not
`35`, `don't` is not `dont`).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: characters that print alike
ALIKE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                       "–": "-", "—": "-", "‑": "-", "\u00a0": " "})  # fmt: skip
#: punctuation at either end of a word
_AROUND = re.compile(r"^[^\w]+|[^\w]+$")


@lru_cache(maxsize=1 << 16)  # an article's words repeat across its versions: each is done once
def comparable_word(word: str) -> str:
    bare = _AROUND.sub("", word.translate(ALIKE))
    return bare or word.translate(ALIKE)  # a word of punctuation only ("–") stays itself


@lru_cache(maxsize=1 << 14)  # paragraphs too: most are the same in the next version
def comparable(text: str) -> str:
    """The text as compared: its words, each as :func:`comparable_word` has it."""
    return " ".join(comparable_word(word) for word in text.split())

"""Language of a text when the page does not declare one."""

from __future__ import annotations

import py3langid

#: below this many characters the guess is too often wrong to store
MIN_CHARS = 40


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for too little text."""
    if len(text) < MIN_CHARS:
        return None
    code, _score = py3langid.classify(text)
    return str(code)

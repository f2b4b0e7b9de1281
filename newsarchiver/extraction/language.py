"""Language of a text when the page does not declare one."""

from __future__ import annotations

import threading

import py3langid

#: below this many characters the guess is too often wrong to store
MIN_CHARS = 40

# py3langid loads its model lazily into a global without a lock: ten extraction threads
# starting at once each loaded their own copy (600 MB measured, against 100 MB for one).
_model_lock = threading.Lock()
_model_loaded = False


def _load_model_once() -> None:
    global _model_loaded
    with _model_lock:
        if not _model_loaded:
            py3langid.classify("load the model")
            _model_loaded = True


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None for too little text."""
    if len(text) < MIN_CHARS:
        return None
    if not _model_loaded:
        _load_model_once()
    code, _score = py3langid.classify(text)
    return str(code)

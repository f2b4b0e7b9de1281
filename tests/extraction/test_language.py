from __future__ import annotations

import threading

import pytest
from py3langid import langid

from newsarchiver.extraction import language


def test_detects_the_language_of_undeclared_text() -> None:
    assert language.detect_language("Le festival de Cannes s'est ouvert mardi soir.") == "fr"
    assert language.detect_language("zu kurz") is None


def test_threads_starting_together_load_the_model_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """py3langid's lazy loading races: each extraction thread would load its own copy."""
    loads = []
    real = langid._load_identifier

    def counting(*args: object, **kwargs: object) -> object:
        loads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(langid, "_load_identifier", counting)
    monkeypatch.setattr(langid, "IDENTIFIER", None)
    monkeypatch.setattr(language, "_model_loaded", False)
    text = "Der Bundestag hat am Dienstagabend ein Gesetz für die Häfen beschlossen."
    threads = [threading.Thread(target=language.detect_language, args=(text,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1

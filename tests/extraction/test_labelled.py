"""The labelled non-English pages: text, metadata and access as labelled (see labelled/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsarchiver.extraction import extract_article

HERE = Path(__file__).parent / "labelled"
LABELS: dict[str, dict[str, Any]] = json.loads((HERE / "labels.json").read_text())
# What each page's template puts around the text, in the page's language (see generate.py)
BOILERPLATE = {
    "de": ["Startseite", "Teilen", "Kommentar", "Cookies", "Newsletter", "Aufrufe", "Quelle"],
    "fr": ["Accueil", "Partager", "commentaire", "cookies", "Source", "abonnés", "S'abonner"],
    "es": ["Portada", "Compartir", "comentario", "cookies", "Fuente", "visitas", "Lee también"],
    "tr": ["Anasayfa", "Paylaş", "yanıt", "çerez", "Kaynak", "görüntülenme", "Ayrıca okuyun"],
    "ar": ["الرئيسية", "شارك", "تعليقا", "الارتباط", "المصدر", "اقرأ أيضا"],
    "ru": ["Главная", "Поделиться", "комментарий", "cookie", "Источник", "просмотров"],
    "en": ["verify you are a human"],
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_labelled_page(name: str) -> None:
    label = LABELS[name]
    article = extract_article((HERE / name).read_text(encoding="utf-8"), label["url"])
    assert article is not None
    assert article.access == label["access"]
    if label["access"] == "blocked":
        assert article.text == ""
        return
    assert article.text.split("\n\n") == label["body"]  # exactly the labelled paragraphs
    for phrase in BOILERPLATE[label["language"]]:
        assert phrase not in article.text
    for field in ("title", "authors", "published", "language", "tags"):
        assert getattr(article, field) == label[field], field
    assert article.metadata_sources["title"] == "json-ld"

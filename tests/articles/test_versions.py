"""One row per version: a re-typeset text (quotes, dashes, spacing, punctuation around words)
is the same text and makes no new version; a changed word does."""

from __future__ import annotations

from pathlib import Path

from newsarchiver.articles.rows import text_digest
from newsarchiver.articles.sametext import comparable
from newsarchiver.articles.versions import VersionLedger
from newsarchiver.items import ArchivedArticle
from tests.conftest import SECOND, VERSIONED_URL, article_row


def _row(text: str) -> ArchivedArticle:
    fields = article_row(7, text=text, content_digest=text_digest(text), section=None,
                         access="open", metadata_sources={})  # fmt: skip
    known = set(ArchivedArticle.__dataclass_fields__)
    return ArchivedArticle(**{name: value for name, value in fields.items() if name in known})


def test_a_retypeset_text_is_no_new_version_and_a_changed_word_is(three_versions: Path) -> None:
    assert _row(SECOND).url == VERSIONED_URL
    ledger = VersionLedger(three_versions)
    try:
        retypeset = SECOND.replace("sagt der Sprecher.", "sagt  der\u00a0Sprecher,").replace(
            "Der Senat", "„Der Senat“"
        )
        assert text_digest(retypeset) != text_digest(SECOND)  # other bytes …
        assert ledger.place(_row(retypeset)) is None  # … the same text as the newest version
        changed = SECOND.replace("2030", "2031")
        placed = ledger.place(_row(changed))
        assert placed is not None and placed.version == 4
        # this run's own newest row counts too
        assert ledger.place(_row(changed.replace("2031.", "2031!"))) is None
        assert ledger.place(_row(changed.replace("Ausbau", "Umbau"))) is not None
    finally:
        ledger.close()


def test_punctuation_inside_words_and_numbers_still_counts() -> None:
    assert comparable("Die Inflation liegt bei 3.5%") != comparable("Die Inflation liegt bei 35%")
    assert comparable("don't") != comparable("dont")
    assert comparable("„Ja“ – sagte er.") == comparable('"Ja" - sagte er')

from __future__ import annotations

import pytest

from newsarchiver.urls import url_kind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://n.test/", "listing"),
        ("https://n.test/politik/", "listing"),
        ("https://n.test/politik/page/2/", "listing"),
        ("https://n.test/tag/hafen/", "listing"),
        ("https://n.test/autor/anna-weber/", "listing"),
        ("https://n.test/impressum/", "listing"),
        ("https://n.test/politik/2024/05/16/putin-xi-militaerische-koordinierung/", "article"),
        ("https://n.test/wirtschaft/inflation-sinkt-im-mai-a-20240512.html", "article"),
        ("https://n.test/world/europe/long-headline-with-many-words-here", "article"),
        ("https://n.test/alt/inflation-mai", "unknown"),
    ],
)
def test_url_kind(url: str, kind: str) -> None:
    assert url_kind(url) == kind

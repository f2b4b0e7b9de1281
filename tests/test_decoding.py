"""decoding.py on outside bytes: never an exception, and windows-1252 read as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchiver.decoding import decode_html

CONTENT_TYPES = st.sampled_from(
    ["", "text/html", "text/html; charset=utf-8", "text/html; charset=x-bogus", "text/html;;"]
)
WORDS = [
    "Fähre",
    "Größe",
    "Übergabe",
    "Schülerinnen",
    "„Meer“",
    "–",
    "für",
    "über",
    "schön",
    "Straße",
    "Bürger",
    "Öl",
    "Ärger",
    "Hafen",
    "Senat",
    "plant",
    "neue",
    "Radwege",
    "entlang",
    "der",
    "Elbe",
    "und",
    "die",
    "Stadt",
    "baut",
    "weiter",
    "am",
    "Ufer",
]


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=5000), content_type=CONTENT_TYPES)
def test_any_bytes_decode_without_an_exception(body: bytes, content_type: str) -> None:
    decoded = decode_html(body, content_type)
    assert isinstance(decoded.text, str) and decoded.encoding


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=40, max_size=300),
    content_type=st.sampled_from(["text/html", "text/html; charset=utf-8"]),
)
def test_windows_1252_prose_undeclared_or_labelled_utf8_reads_as_written(
    words: list[str], content_type: str
) -> None:
    text = " ".join(words)
    page = f"<html><body><p>{text}</p></body></html>"
    decoded = decode_html(page.encode("cp1252"), content_type)
    assert text in decoded.text


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=400).filter(lambda s: "\x00" not in s))
def test_undeclared_utf8_reads_as_written(text: str) -> None:
    decoded = decode_html(f"<p>{text}</p>".encode(), "text/html")
    assert text in decoded.text

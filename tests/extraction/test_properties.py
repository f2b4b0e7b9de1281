"""extract_article on outside input: any text, and real article pages cut, spliced and nested
deep, never raises; what it returns is an article or None."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchiver.extraction import Article, extract_article

PAGES = sorted((Path(__file__).parent / "labelled").glob("*.html"))
URL = "https://www.tagesblatt.example/politik/2024/05/16/ein-artikel-mit-langem-titel/"
TAGS = ["div", "p", "span", "article", "section", "table", "tr", "td", "ul", "li", "script"]


def _checked(html: str) -> None:
    article = extract_article(html, URL)
    assert article is None or (isinstance(article, Article) and isinstance(article.text, str))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_is_an_article_or_none(html: str) -> None:
    _checked(html)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page=st.sampled_from(PAGES),
    cut=st.floats(min_value=0, max_value=1),
    start=st.floats(min_value=0, max_value=1),
    insert=st.text(alphabet="<>/=\"' &;#x\x00\ufffdpdiv", max_size=40),
)
def test_real_pages_cut_and_spliced_never_raise(
    page: Path, cut: float, start: float, insert: str
) -> None:
    html = page.read_text(encoding="utf-8")
    at = int(len(html) * start)
    _checked(html[:at] + insert + html[at : at + int(len(html) * cut)])


@settings(max_examples=20, deadline=None)
@given(depth=st.integers(min_value=200, max_value=5000), tag=st.sampled_from(TAGS))
def test_deep_nesting_never_raises(depth: int, tag: str) -> None:
    paragraph = "<p>" + "Der Hafen wächst weiter, sagt der Senat. " * 20 + "</p>"
    _checked(f"<html><body>{f'<{tag}>' * depth}{paragraph * 5}{f'</{tag}>' * depth}</body></html>")

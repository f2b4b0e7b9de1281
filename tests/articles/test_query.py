"""query.py over a small archive whose every field is known."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchiver.articles.index import ArticleIndex
from newsarchiver.articles.query import Query, count_by, run_sql, search
from newsarchiver.errors import QueryError
from tests.conftest import append_rows as append
from tests.conftest import article_row as row


@pytest.fixture
def index(tmp_path: Path) -> ArticleIndex:
    append(
        tmp_path / "articles" / "2024-06" / "c1.jsonl",
        row(1, title="Hafen investiert in Landstrom", text="Der Hafen baut Landstrom aus.",
            authors=["Anna Weber", "Jonas Becker"], tags=["Hafen", "Energie"]),
        row(2, title="Klimaschutz im Bundestag", text="Klimaschutz für die Häfen beschlossen.",
            tags=["Klimaschutz"]),
        row(3, title="Putin in Peking", text="Putin und Xi treffen sich in Peking.",
            language="en", site_name="Morning Post", authors=["Daniel Moore"], tags=[],
            url="https://news.morningpost.example/world/putin-in-peking-2024"),
        row(4, title="Marathon am Hafen", text="Der Marathon führt am alten Hafen vorbei. "
            "Klimaschutz spielt keine Rolle.", published=None,
            fetched_at="2024-06-10T08:00:00+00:00"),
        row(1, title="Hafen investiert in Landstrom", text="Korrigiert: Der Hafen baut aus.",
            content_digest="sha1:T1b", fetched_at="2024-06-05T08:00:00+00:00",
            authors=["Anna Weber", "Jonas Becker"], tags=["Hafen", "Energie"]),
    )  # fmt: skip
    built = ArticleIndex(tmp_path)
    built.update()
    return built


def titles(index: ArticleIndex, query: Query, **kwargs: object) -> list[str]:
    return [r["title"] for r in search(index, query, fields=("title",), **kwargs)]  # type: ignore[arg-type]


def test_full_text_finds_words_phrases_and_folds_accents(index: ArticleIndex) -> None:
    assert titles(index, Query(text="klimaschutz AND hafen")) == [
        "Klimaschutz im Bundestag",
        "Marathon am Hafen",
    ]
    assert titles(index, Query(text='"alten Hafen"')) == ["Marathon am Hafen"]
    assert titles(index, Query(text="hafen NOT marathon NOT klimaschutz")) == [
        "Hafen investiert in Landstrom"
    ]
    assert titles(index, Query(text="landstr*")) == ["Hafen investiert in Landstrom"]
    assert "Klimaschutz im Bundestag" in titles(index, Query(text="hafen"))  # "Häfen"


def test_title_matches_rank_first(index: ArticleIndex) -> None:
    assert titles(index, Query(text="hafen"))[0] in {
        "Hafen investiert in Landstrom",
        "Marathon am Hafen",
    }
    assert titles(index, Query(text="klimaschutz"))[0] == "Klimaschutz im Bundestag"


def test_field_filters(index: ArticleIndex) -> None:
    assert titles(index, Query(site="morning post")) == ["Putin in Peking"]
    assert titles(index, Query(site="morningpost")) == ["Putin in Peking"]
    assert titles(index, Query(domain="morningpost.example")) == ["Putin in Peking"]
    assert titles(index, Query(url_prefix="https://news.morningpost.example/world/")) == [
        "Putin in Peking"
    ]
    assert titles(index, Query(author="jonas becker")) == ["Hafen investiert in Landstrom"]
    assert titles(index, Query(language="EN")) == ["Putin in Peking"]
    assert titles(index, Query(tags=["hafen", "energie"])) == ["Hafen investiert in Landstrom"]
    assert titles(index, Query(since=date(2024, 5, 2), until=date(2024, 5, 3))) == [
        "Putin in Peking",
        "Klimaschutz im Bundestag",
    ]
    # 2024-05-03T10:00+02:00 is 08:00 UTC
    assert titles(index, Query(since=datetime(2024, 5, 3, 7, 59, tzinfo=timezone.utc))) == [
        "Putin in Peking"
    ]
    assert titles(index, Query(since=datetime(2024, 5, 3, 8, 1, tzinfo=timezone.utc))) == []
    assert titles(index, Query(fetched_since=date(2024, 6, 10))) == ["Marathon am Hafen"]


def test_sorting_and_paging(index: ArticleIndex) -> None:
    newest = titles(index, Query())
    assert newest == [
        "Putin in Peking",
        "Klimaschutz im Bundestag",
        "Hafen investiert in Landstrom",
        "Marathon am Hafen",
    ]  # undated last
    assert titles(index, Query(), sort="oldest")[:3] == newest[:3][::-1]
    assert titles(index, Query(), limit=2, offset=1) == newest[1:3]
    with pytest.raises(QueryError, match="sort: relevance needs a search text"):
        titles(index, Query(), sort="relevance")


def test_one_result_per_article_unless_all_versions(index: ArticleIndex) -> None:
    [latest] = search(index, Query(text="landstrom OR korrigiert"), fields=("text",))
    assert latest["text"].startswith("Korrigiert")
    assert len(titles(index, Query(author="Jonas Becker", all_versions=True))) == 2
    assert len(titles(index, Query(author="Jonas Becker"))) == 1


def test_rows_lead_to_the_archived_page(index: ArticleIndex) -> None:
    for result in search(index, Query()):
        assert result["url"] and result["fetched_at"]
        assert result["warc_file"] == "warc/x.warc.gz"
        assert result["warc_record_id"].startswith("<urn:uuid:")
        assert isinstance(result["authors"], list)


def test_snippets_mark_the_matches(index: ArticleIndex) -> None:
    [hit] = search(index, Query(text="peking"), fields=("snippet",))
    assert "\x02Peking\x03" in hit["snippet"]


def test_count_by(index: ArticleIndex) -> None:
    assert count_by(index, Query(), ["site"]) == [
        {"site": "Morning Post", "articles": 1},
        {"site": "Tagesblatt", "articles": 3},
    ]
    by_author = {r["author"]: r["articles"] for r in count_by(index, Query(), ["author"])}
    assert by_author == {"Anna Weber": 3, "Daniel Moore": 1, "Jonas Becker": 1}
    assert count_by(index, Query(text="hafen"), ["tag"]) == [
        {"tag": "Energie", "articles": 1},
        {"tag": "Hafen", "articles": 2},
        {"tag": "Klimaschutz", "articles": 1},
    ]
    with pytest.raises(QueryError, match="count_by: unknown key 'weekday'"):
        count_by(index, Query(), ["weekday"])


def test_sql_is_read_only(index: ArticleIndex) -> None:
    columns, rows = run_sql(index, "SELECT site_name, count(*) FROM articles GROUP BY 1")
    assert columns == ["site_name", "count(*)"]
    assert rows == [("Morning Post", 1), ("Tagesblatt", 3)]
    with pytest.raises(QueryError, match="sql: attempt to write a readonly database"):
        run_sql(index, "DELETE FROM article_versions")
    with pytest.raises(QueryError, match="sql: no such table: nope"):
        run_sql(index, "SELECT * FROM nope")
    assert index.count() == 5


def test_invalid_search_text_names_itself(index: ArticleIndex) -> None:
    with pytest.raises(QueryError, match="text 'hafen AND': "):
        titles(index, Query(text="hafen AND"))


def test_filters_that_reject_the_best_matches_still_find_the_rest(tmp_path: Path) -> None:
    """A ranked page comes from the best-ranked matches unless filters leave too few."""
    crowd = [
        row(n, title=f"Hafen Hafen {n}", url=f"https://a.example/bericht-{n}", site_name="Crowd")
        for n in range(1, 200)
    ]
    # of the two Lonely articles, one ranks first of all, the other last
    top = row(300, title="Hafen Hafen Hafen", text="Hafen", url="https://b.example/oben")
    last = row(301, title="Ein Bericht", text="Am Ende: der Hafen.", url="https://b.example/unten")
    lonely = [{**r, "site_name": "Lonely"} for r in (top, last)]
    append(tmp_path / "articles" / "2024-06" / "c1.jsonl", *crowd, *lonely)
    with ArticleIndex(tmp_path) as index:
        index.update()
        assert titles(index, Query(text="hafen", site="lonely")) == [
            "Hafen Hafen Hafen",
            "Ein Bericht",
        ]
        assert len(titles(index, Query(text="hafen"), limit=50)) == 50
        assert titles(index, Query(text="hafen"), limit=5, offset=200) == ["Ein Bericht"]


@pytest.fixture
def typed(tmp_path: Path) -> ArticleIndex:
    """Articles with the words people type that FTS5 would read as syntax."""
    append(
        tmp_path / "articles" / "2024-06" / "c1.jsonl",
        row(1, title="Xi-Jinping trifft Putin", text="Der Xi-Jinping-Besuch dauert zwei Tage."),
        row(2, title="Don't panic", text="Die Inflation liegt bei 3.5% im Mai, sagt die EZB."),
        row(3, title="Hafen", text="Der Hafen von Rotterdam & Antwerpen: C++-Entwickler gesucht."),
    )  # fmt: skip
    built = ArticleIndex(tmp_path)
    built.update()
    return built


@pytest.mark.parametrize(
    ("typed_text", "found"),
    [
        ("Xi-Jinping", ["Xi-Jinping trifft Putin"]),
        ("xi-jinping-besuch", ["Xi-Jinping trifft Putin"]),
        ("don't", ["Don't panic"]),
        ("3.5%", ["Don't panic"]),
        ("inflation 3.5", ["Don't panic"]),
        ("Rotterdam & Antwerpen", ["Hafen"]),
        ("C++-Entwickler", ["Hafen"]),
        ("hafen:", ["Hafen"]),  # a colon after a word that is no column
        ("EZB.", ["Don't panic"]),
        ("Jinping-Xi", []),  # a phrase: in its order
    ],
)
def test_plain_text_is_searched_as_the_words_it_holds(
    typed: ArticleIndex, typed_text: str, found: list[str]
) -> None:
    assert titles(typed, Query(text=typed_text)) == found


def test_unfinished_syntax_is_a_hint_not_a_database_error(typed: ArticleIndex) -> None:
    for unfinished in ('"xi jinping', "hafen OR", "(hafen"):
        with pytest.raises(QueryError) as raised:
            titles(typed, Query(text=unfinished))
        message = str(raised.value)
        assert "not a complete search expression" in message, message
        assert "fts5" not in message and "syntax error" not in message
    with pytest.raises(QueryError, match="no word to search for"):
        titles(typed, Query(text="— & %"))


@given(st.text(max_size=60))
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_typed_text_gets_results_or_a_one_line_hint(typed: ArticleIndex, text: str) -> None:
    try:
        titles(typed, Query(text=text))
    except QueryError as error:
        assert "\n" not in str(error)
        assert "fts5" not in str(error) and "no such column" not in str(error), str(error)

"""`query`, `export parquet` and `reindex` as a user runs them on a crawled archive."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner, Result

from newsarchiver.cli import main
from newsarchiver.items import ARTICLE_FIELDS
from newsarchiver.sample_site.content import ARTICLES
from tests.conftest import CrawlRun


@pytest.fixture(scope="module")
def archive(site_crawl: CrawlRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample-site crawl, so these tests may add to it."""
    copy = tmp_path_factory.mktemp("query") / "output"
    shutil.copytree(site_crawl.output, copy)
    return copy


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"}, catch_exceptions=False)


def by_title(title: str) -> str:
    return next(a.path for a in ARTICLES if a.title == title)


def test_full_text_with_site_date_and_language_filters(archive: Path) -> None:
    result = run(
        "query",
        "klimaschutz AND hafen",
        "--site",
        "tagesblatt",
        "--since",
        "2024-05-01",
        "--until",
        "2024-05-31",
        "--lang",
        "de",
        "-o",
        str(archive),
    )
    assert result.exit_code == 0, result.output
    assert "Bundestag beschließt Klimaschutzgesetz für die Häfen" in result.output
    assert "Hamburger Hafen" not in result.output  # has "Hafen" but not "Klimaschutz"
    assert "Klimaschutz" in result.output  # the snippet


def test_author_as_csv(archive: Path) -> None:
    result = run(
        "query",
        "--author",
        "Anna Weber",
        "--fields",
        "url,title,published",
        "--format",
        "csv",
        "-o",
        str(archive),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["title"], r["published"]) for r in rows] == [
        ("Bundestag beschließt Klimaschutzgesetz für die Häfen", "2024-05-14T17:45:00+02:00"),
        ("Hamburger Hafen investiert Millionen in Landstrom", "2024-05-13T11:30:00+02:00"),
    ]
    assert rows[0]["url"].endswith(by_title(rows[0]["title"]))


def test_jsonl_rows_are_archive_rows(archive: Path) -> None:
    putin = (
        "Wladimir Putin und Xi Jinping vereinbaren eine Ausweitung der militärischen "
        "Koordinierung zwischen Russland und China"
    )
    both = {putin, "Ein Besuch von ungewöhnlicher Bedeutung? Warum Putins Reise nach Peking zählt"}
    # a word finds its forms ("Putins": the same German stem); quotes ask for it exactly;
    # a prefix* finds every word it begins
    for asked, titles in (("putin", both), ('"putin"', {putin}), ("putin*", both)):
        result = run("query", asked, "--format", "jsonl", "-o", str(archive))
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert {r["title"] for r in rows} == titles, asked
    assert all(tuple(r) == ARTICLE_FIELDS for r in rows)
    assert all(r["warc_record_id"] and r["warc_file"] and r["fetched_at"] for r in rows)


def test_json_array(archive: Path) -> None:
    result = run(
        "query",
        "--lang",
        "fr",
        "--fields",
        "title,language",
        "--format",
        "json",
        "-o",
        str(archive),
    )
    assert json.loads(result.output) == [
        {"title": "Le festival de Cannes s'ouvre sous le signe de la mer", "language": "fr"}
    ]


def test_count_by_site_and_day(archive: Path) -> None:
    result = run("query", "--count-by", "site,day", "--format", "csv", "-o", str(archive))
    rows = list(csv.DictReader(io.StringIO(result.output)))
    counts = {r["day"]: int(r["articles"]) for r in rows}
    assert counts == {
        "2024-05-10": 1,
        "2024-05-11": 1,
        "2024-05-12": 1,
        "2024-05-13": 1,
        "2024-05-14": 3,
        "2024-05-15": 1,
        "2024-05-16": 2,
    }
    assert {r["site"] for r in rows} == {"Tagesblatt"}
    table = run("query", "--count-by", "site,day", "-o", str(archive)).output
    assert "2024-05-14 │        3" in table


def test_sql(archive: Path) -> None:
    result = run(
        "query",
        "--sql",
        "SELECT site_name, count(*) AS n FROM articles GROUP BY 1",
        "--format",
        "jsonl",
        "-o",
        str(archive),
    )
    assert json.loads(result.output) == {"site_name": "Tagesblatt", "n": 10}


def test_export_parquet(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "articles.parquet"
    result = run("export", "parquet", str(target), "--lang", "de", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "wrote 8 articles" in result.output
    table = pq.read_table(target)
    assert table.column_names == list(ARTICLE_FIELDS)
    assert table.num_rows == 8
    rows = table.to_pylist()
    assert {r["language"] for r in rows} == {"de"}
    assert all(isinstance(r["authors"], list) and r["text"] for r in rows)


def test_reindex(archive: Path) -> None:
    (archive / "index" / "articles.sqlite").unlink()
    result = run("reindex", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "indexed 10 articles from 1 JSONL files" in result.output
    assert "10" in run("query", "--sql", "SELECT count(*) FROM articles", "-o", str(archive)).output


def _count(archive: Path) -> str:
    return run("query", "--sql", "SELECT count(*) FROM articles", "-o", str(archive)).output


def test_reindex_replaces_a_damaged_index(archive: Path) -> None:
    """The fix a damaged index's error names works: the damaged file is never opened."""
    index = archive / "index" / "articles.sqlite"
    index.write_bytes(b"not a database" * 100)
    result = run("reindex", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "indexed 10 articles" in result.output
    assert "10" in _count(archive)


def test_a_deleted_index_left_journal_is_not_applied_to_the_new_one(archive: Path) -> None:
    """A user deletes articles.sqlite but not its WAL, which still holds pages a killed
    writer never checkpointed. SQLite applies a WAL to whatever file has its name: the new
    index, built aside and renamed into place, must not take them as its own."""
    index = archive / "index" / "articles.sqlite"
    writer = sqlite3.connect(index)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE unrelated (x TEXT)")
    writer.executemany("INSERT INTO unrelated VALUES (?)", [("x" * 3000,)] * 200)
    writer.commit()
    wal = index.with_name("articles.sqlite-wal").read_bytes()
    writer.close()  # (closing checkpoints and removes the WAL: it is put back as it was)
    index.unlink()
    index.with_name("articles.sqlite-wal").write_bytes(wal)
    result = run("reindex", "-o", str(archive))
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(index)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert "unrelated" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert "10" in _count(archive)


def test_reindex_while_the_old_index_is_read(archive: Path) -> None:
    """A connection open on the old index (`serve`'s) reads the new one, whole, once
    reindex is done: the new index is copied in under SQLite's locks, not renamed over the
    old one (whose readers would keep reading the old file)."""
    index = archive / "index" / "articles.sqlite"
    run("reindex", "-o", str(archive))  # an index whole, in place
    reader = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    assert reader.execute("SELECT count(*) FROM articles").fetchone() == (10,)
    [jsonl] = list(archive.glob("articles/**/*.jsonl"))
    lines = jsonl.read_text().splitlines()
    jsonl.write_text("\n".join(lines[:4]) + "\n")  # the archive is cut to 4 rows …
    try:
        result = run("reindex", "-o", str(archive))
        assert result.exit_code == 0, result.output
        assert "indexed 4 articles" in result.output
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (4,)
        assert reader.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        reader.close()
        jsonl.write_text("\n".join(lines) + "\n")  # … and put back for the other tests
    assert run("reindex", "-o", str(archive)).exit_code == 0
    assert "10" in _count(archive)
    assert sorted(p.name for p in index.parent.iterdir() if p.name.startswith(".")) == []


def test_new_lines_are_picked_up_and_bad_ones_named(archive: Path) -> None:
    [jsonl] = list(archive.glob("articles/**/*.jsonl"))
    extra = json.loads(jsonl.read_text().splitlines()[0])
    extra.update(
        url="http://127.0.0.1/zusatz-artikel-hier",
        title="Zusatzartikel über Fähren",
        content_digest="sha1:EXTRA",
    )
    with jsonl.open("a") as f:
        f.write("{not json\n" + json.dumps(extra) + "\n")
    result = CliRunner().invoke(
        main, ["query", "fähren", "--fields", "title", "-o", str(archive)], env={"COLUMNS": "250"}
    )
    assert "Zusatzartikel über Fähren" in result.output
    assert f"{jsonl}:11: skipped a malformed line" in result.output  # stderr is mixed in


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "hafen AND"], "Error: search text 'hafen AND': "),
        (
            ["query", "--since", "16.05.2024"],
            "Invalid value for '--since': '16.05.2024' is not a date",
        ),
        (["query", "--fields", "title,body"], "Invalid value for --fields: unknown name 'body'"),
        (
            ["query", "--count-by", "weekday"],
            "Invalid value for --count-by: unknown name 'weekday'",
        ),
        (["query", "--sql", "DROP TABLE sources"], "Error: --sql: attempt to write a readonly"),
    ],
)
def test_bad_input_is_one_line_naming_the_argument(
    archive: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(main, [*args, "-o", str(archive)])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_empty_and_missing_archives_say_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["query", "x", "-o", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "holds no archive" in result.output
    (tmp_path / "empty" / "articles").mkdir(parents=True)
    result = CliRunner().invoke(main, ["query", "x", "-o", str(tmp_path / "empty")])
    assert "holds no articles yet: run `newsarchiver crawl` first" in result.output


def test_no_match_says_so(archive: Path) -> None:
    result = run("query", "quantencomputer", "-o", str(archive))
    assert result.exit_code == 0
    assert "no articles match" in result.output

"""The article index: incremental, tolerant of bad lines, one current version per article."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from newsarchiver.articles.index import ArticleIndex, build_index, open_index
from tests.conftest import CrawlRun
from tests.conftest import append_rows as append
from tests.conftest import article_row as row


def current_titles(index: ArticleIndex) -> list[str]:
    return sorted(r[0] for r in index.db.execute("SELECT title FROM articles"))


def test_reads_only_what_was_appended(tmp_path: Path) -> None:
    jsonl = tmp_path / "articles" / "2024-06" / "c1.jsonl"
    append(jsonl, row(1), row(2))
    with ArticleIndex(tmp_path) as index:
        assert index.update().added == 2
        assert index.update().files == 0  # nothing new: the file is not read at all
        partial = json.dumps(row(4))
        append(jsonl, row(3), raw=partial[:40])  # a line still being written
        assert index.update().added == 1
        with jsonl.open("a") as f:
            f.write(partial[40:] + "\n")
        assert index.update().added == 1
        assert current_titles(index) == ["Titel 1", "Titel 2", "Titel 3", "Titel 4"]
        [(offset,)] = index.db.execute("SELECT offset FROM sources").fetchall()
        assert offset == jsonl.stat().st_size


def test_malformed_lines_are_named_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    jsonl = tmp_path / "articles" / "2024-06" / "c1.jsonl"
    append(jsonl, row(1), raw='{"url": "broken\n')
    append(jsonl, row(2))
    with caplog.at_level(logging.WARNING), ArticleIndex(tmp_path) as index:
        report = index.update()
    assert (report.added, report.malformed) == (2, 1)
    assert f"{jsonl}:2: skipped a malformed line" in caplog.text


def test_newest_capture_of_an_article_is_current(tmp_path: Path) -> None:
    jsonl = tmp_path / "articles" / "2024-06" / "c1.jsonl"
    append(
        jsonl,
        row(1, fetched_at="2024-06-02T08:00:00+00:00", title="neu"),
        row(1, fetched_at="2024-06-01T08:00:00+00:00", title="alt"),  # arrives late, is older
        # the same text under another address (a syndicated copy)
        row(2, url="https://amp.tagesblatt.example/artikel-2", content_digest="sha1:T9"),
        row(3, content_digest="sha1:T9", fetched_at="2024-06-03T08:00:00+00:00"),
        # the same URL with "www." and a trailing slash is the same article
        row(
            5,
            url="https://tagesblatt.example/politik/artikel-nummer-1.html/",
            fetched_at="2024-06-04T08:00:00+00:00",
            title="neuer",
        ),
    )
    with ArticleIndex(tmp_path) as index:
        index.update()
        assert current_titles(index) == ["Titel 3", "neuer"]
        assert index.count() == 5  # every version kept


def test_rebuild_gives_the_same_index(tmp_path: Path) -> None:
    append(tmp_path / "articles" / "2024-05" / "a.jsonl", row(1), row(2))
    append(
        tmp_path / "articles" / "2024-06" / "b.jsonl",
        row(1, fetched_at="2024-07-01T00:00:00+00:00"),
    )
    with ArticleIndex(tmp_path) as index:
        index.update()
        before = current_titles(index), index.count()
    report = build_index(tmp_path)
    with ArticleIndex(tmp_path) as index:
        assert (current_titles(index), index.count()) == before
        assert (report.files, report.added) == (2, 3)
        hits = index.db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'hafen'")
        assert len(hits.fetchall()) == 3


def test_a_replaced_file_is_indexed_again(tmp_path: Path) -> None:
    older = tmp_path / "articles" / "2024-05" / "a.jsonl"
    jsonl = tmp_path / "articles" / "2024-06" / "c1.jsonl"
    append(
        older,
        row(2, title="Titel 2, erste Fassung", fetched_at="2024-05-01T00:00:00+00:00"),
    )
    append(jsonl, row(1), row(2))
    with ArticleIndex(tmp_path) as index:
        index.update()
        assert current_titles(index) == ["Titel 1", "Titel 2"]
        jsonl.write_text(json.dumps(row(7)) + "\n")
        index.update()
        # the first version of article 2 stands again now that the newer one is gone
        assert current_titles(index) == ["Titel 2, erste Fassung", "Titel 7"]


def test_a_crawl_leaves_its_articles_indexed(site_crawl: CrawlRun) -> None:
    index_file = site_crawl.output / "index" / "articles.sqlite"
    assert index_file.exists()
    with ArticleIndex(site_crawl.output, readonly=True) as index:
        assert index.count() == len(site_crawl.rows)


def test_a_damaged_index_says_how_to_fix_it(tmp_path: Path) -> None:
    append(tmp_path / "articles" / "2024-06" / "c1.jsonl", row(1))
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "articles.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(Exception, match="newsarchiver reindex"):
        open_index(tmp_path)


def test_an_index_from_another_version_is_built_again(tmp_path: Path) -> None:
    append(tmp_path / "articles" / "2024-06" / "c1.jsonl", row(1), row(2))
    with ArticleIndex(tmp_path) as index:
        index.update()
        index.db.execute("PRAGMA user_version = 1")
        index.db.commit()
    with ArticleIndex(tmp_path) as index:
        assert index.count() == 0  # dropped: derived data is never migrated, only rebuilt
        index.update()
        assert current_titles(index) == ["Titel 1", "Titel 2"]


#: builds the index of the archive in argv[1] in a process of its own; argv[2] says what it
#: does once the first batch is in: "kill" itself (as kill -9 would) or "pause" for a while
_BUILDER = """
import os, signal, sys, time
from pathlib import Path
from newsarchiver.articles.index import BATCH, ArticleIndex

def step(report):
    if report.added >= BATCH:
        if sys.argv[2] == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        print("paused", flush=True)
        time.sleep(float(sys.argv[3]))

with ArticleIndex(Path(sys.argv[1])) as index:
    index.update(step)
"""


def _many(tmp_path: Path) -> None:
    from newsarchiver.articles.index import BATCH

    rows = [row(i) for i in range(BATCH + 500)]
    rows.append(row(3, fetched_at="2024-07-01T00:00:00+00:00", title="Titel 3, neu"))
    append(tmp_path / "articles" / "2024-06" / "c1.jsonl", *rows)


def test_a_build_killed_midway_is_built_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An empty index is filled in bulk (indexes and superseding at the end): a build killed
    before its end leaves a mark, and the next writer builds it again, whole."""
    import subprocess
    import sys

    _many(tmp_path)
    killed = subprocess.run([sys.executable, "-c", _BUILDER, str(tmp_path), "kill"])
    assert killed.returncode == -9
    with caplog.at_level(logging.WARNING), ArticleIndex(tmp_path) as index:
        assert "its build was interrupted; building it again" in caplog.text
        index.update()
        titles = current_titles(index)
        assert len(titles) == len(set(titles)) == index.count() - 1  # one superseded version
        assert "Titel 3, neu" in titles and "Titel 3" not in titles
        indexes = {r[0] for r in index.db.execute("SELECT name FROM sqlite_master")}
        assert {"versions_article_key", "versions_digest", "authors_name"} <= indexes


def test_a_writer_while_another_process_builds_is_told_so(tmp_path: Path) -> None:
    import subprocess
    import sys

    from newsarchiver.errors import IndexUnavailable

    _many(tmp_path)
    builder = subprocess.Popen(
        [sys.executable, "-c", _BUILDER, str(tmp_path), "pause", "3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert builder.stdout is not None and builder.stdout.readline() == "paused\n"
    with pytest.raises(IndexUnavailable, match="is being built by another process"):
        ArticleIndex(tmp_path)
    assert builder.wait(timeout=60) == 0
    builder.stdout.close()
    with ArticleIndex(tmp_path) as index:  # built: open and whole
        assert "Titel 3, neu" in current_titles(index)


def test_a_reindex_killed_midway_leaves_the_index_and_no_litter(tmp_path: Path) -> None:
    """reindex builds beside the index in place: killed midway, the old index answers as
    before, and the next build removes the half-built file (as large as an index)."""
    import subprocess
    import sys

    from newsarchiver.articles.index import BATCH

    append(tmp_path / "articles" / "2024-05" / "a.jsonl", row(1), row(2))
    build_index(tmp_path)
    _many(tmp_path)
    killer = _BUILDER.replace(
        "with ArticleIndex(Path(sys.argv[1])) as index:\n    index.update(step)",
        "from newsarchiver.articles.index import build_index\nbuild_index(Path(sys.argv[1]), step)",
    )
    assert killer != _BUILDER
    killed = subprocess.run([sys.executable, "-c", killer, str(tmp_path), "kill"])
    assert killed.returncode == -9
    index_dir = tmp_path / "index"
    [left] = [p for p in index_dir.iterdir() if p.name.startswith(".building-")]
    with ArticleIndex(tmp_path, readonly=True) as index:
        assert current_titles(index) == ["Titel 1", "Titel 2"]
    report = build_index(tmp_path)
    assert not left.exists()
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".building-")]
    with ArticleIndex(tmp_path, readonly=True) as index:
        assert index.count() == report.added == 2 + BATCH + 501

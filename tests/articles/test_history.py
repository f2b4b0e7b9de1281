"""An article's versions read back from the archive, and what changed between two of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchiver.articles.history import compare, versions, word_runs
from newsarchiver.articles.index import ArticleIndex
from newsarchiver.errors import NotArchived
from tests.conftest import VERSIONED_URL as URL
from tests.conftest import run_cli


def test_every_version_oldest_first_with_its_capture(three_versions: Path) -> None:
    with ArticleIndex(three_versions) as index:
        found = versions(index, URL)
    assert [v.version for v in found] == [1, 2, 3]
    assert [v.warc_offset for v in found] == [100, 900, 1800]
    assert found[1].fields["title"] == "Hafen: Rekord"
    with ArticleIndex(three_versions) as index, pytest.raises(NotArchived):
        versions(index, "https://www.tagesblatt.example/nie.html")


def test_a_diff_shows_the_changed_words_and_fields_and_spacing_is_no_change(
    three_versions: Path,
) -> None:
    with ArticleIndex(three_versions) as index:
        first, second, third = versions(index, URL)
    change = compare(first, second)
    assert change.fields == {"title": ("Titel 7", "Hafen: Rekord")}
    assert change.headline_changed
    assert ("-", "12") in change.runs and ("+", "14") in change.runs
    assert ("+", "\nDer Senat will den Ausbau bis 2030 abschließen.") in change.runs
    assert (change.words_removed, change.words_added) == (1, 9)
    same = compare(second, third)
    assert same.fields == {} and same.words_added == same.words_removed == 0


def test_quotes_and_dashes_that_print_alike_are_no_change() -> None:
    runs = word_runs("Er sagte: \u201eJa\u201c \u2013 und ging.", 'Er sagte: "Ja" - und ging.')
    assert [op for op, _ in runs] == ["="]


def test_every_change_in_a_long_article_is_found() -> None:
    before = " ".join(f"wort{i}" for i in range(2000))
    after = " ".join(f"wort{i}" if i % 50 else f"neu{i}" for i in range(2000))
    runs = word_runs(before, after)
    assert [text for op, text in runs if op == "+"] == [f"neu{i}" for i in range(0, 2000, 50)]
    assert sum(len(text.split()) for op, text in runs if op == "=") == 2000 - 40


def test_history_and_diff_on_the_command_line(three_versions: Path) -> None:
    history = run_cli(three_versions, "history", URL, "--format", "jsonl")
    assert history.returncode == 0, history.stderr
    lines = history.stdout.splitlines()
    assert len(lines) == 3
    assert '"changed": "first version"' in lines[0]
    assert '"words": "+9 -1"' in lines[1] and '"changed": "title"' in lines[1]
    assert '"capture": "warc/x.warc.gz@900"' in lines[1]
    diff = run_cli(three_versions, "diff", URL, "--from", "1", "--to", "2")
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("version 1 (2024-05-16T08:00:00+00:00, warc/x.warc.gz@100) → ")
    assert "title: Titel 7 → Hafen: Rekord" in diff.stdout
    assert "[-12-] {+14+}" in diff.stdout
    assert "{+\nDer Senat will den Ausbau bis 2030 abschließen.+}" in diff.stdout
    newest = run_cli(three_versions, "diff", URL)  # default: the last two
    assert "+0 -0 words" in newest.stdout and "text: unchanged" in newest.stdout
    wrong = run_cli(three_versions, "diff", URL, "--from", "9")
    assert wrong.returncode == 1
    assert "no version 9 (this article has 1, 2, 3)" in wrong.stderr


def test_changes_newest_first_filtered_and_as_an_atom_feed(three_versions: Path) -> None:
    import json

    import feedparser

    every = run_cli(three_versions, "changes", "--format", "jsonl")
    assert every.returncode == 0, every.stderr
    listed = [json.loads(line) for line in every.stdout.splitlines()]
    assert [(c["version"], c["summary"]) for c in listed] == [
        (3, "+0 -0 words"),
        (2, "+9 -1 words; changed: title"),
    ]
    assert listed[1]["headline"] == "yes" and listed[1]["url"] == URL
    big = run_cli(three_versions, "changes", "--min-words", "5", "--format", "jsonl")
    assert [json.loads(line)["version"] for line in big.stdout.splitlines()] == [2]
    later = run_cli(three_versions, "changes", "--since", "2024-05-17", "--format", "jsonl")
    assert [json.loads(line)["version"] for line in later.stdout.splitlines()] == [3]
    searched = run_cli(three_versions, "changes", "--query", "Senat", "--format", "jsonl")
    assert [json.loads(line)["version"] for line in searched.stdout.splitlines()] == [3, 2]
    assert (
        "No changed articles." in run_cli(three_versions, "changes", "--query", "Marathon").stdout
    )
    unfinished = run_cli(three_versions, "changes", "--query", '"senat')
    assert unfinished.returncode == 1 and "not a complete search expression" in unfinished.stderr
    other = run_cli(three_versions, "changes", "--site", "morningpost")
    assert "No changed articles." in other.stdout
    atom = run_cli(three_versions, "changes", "--headline-only", "--atom")
    assert atom.returncode == 0, atom.stderr
    feed = feedparser.parse(atom.stdout)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert entry.title == "[headline] Hafen: Rekord"
    assert entry.link == URL
    assert entry.summary == "+9 -1 words; changed: title"
    assert "+ 14" in entry.content[0].value and "- 12" in entry.content[0].value

"""A crawl killed outright (SIGKILL), then run again: nothing lost, nothing twice, every file
whole and every row pointing at a record that reads back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.articles.index import open_index
from newsarchiver.sample_site import serve_sample_site
from newsarchiver.sample_site.content import articles
from tests.conftest import (
    FAST,
    add_site,
    archived_rows,
    newsarchiver_command,
    run_cli,
    running,
    wait_for,
)

EXPECTED = sorted(a.path for a in articles(faults=False) if a.is_archivable)
BIN = Path(sys.executable).parent


def _killed_midway(output: Path, *args: str) -> None:
    """The command started, SIGKILLed once it has archived a few articles."""
    with running(
        newsarchiver_command(*args, "--output", str(output), "--no-progress"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:
        wait_for(lambda: len(archived_rows(output)) >= 3 or process.poll() is not None)
    # leaving ``running`` SIGKILLed it: the kill this test is about
    assert 3 <= len(archived_rows(output)) < len(EXPECTED)  # cut short, not finished
    assert list(output.glob("warc/**/*.warc.gz.open"))  # as a kill leaves it


def check_whole(output: Path) -> list[dict[str, object]]:
    """The archive after the rerun: no open file, every WARC whole by warcio's own check,
    every row's record where the row says, each article once, the index matching the JSONL."""
    assert not list(output.glob("warc/**/*.open"))
    warcs = sorted(output.glob("warc/**/*.warc.gz"))
    check = subprocess.run([str(BIN / "warcio"), "check", *map(str, warcs)], capture_output=True)
    assert check.returncode == 0, check.stdout
    rows = archived_rows(output)
    for row in rows:
        with (output / str(row["warc_file"])).open("rb") as stream:
            stream.seek(int(str(row["warc_offset"])))
            record = next(iter(ArchiveIterator(stream)))
        assert record.rec_headers.get_header("WARC-Target-URI") == row["url"]
    assert sorted(urlsplit(str(r["url"])).path for r in rows) == EXPECTED  # each exactly once
    index = open_index(output)
    try:
        assert index.count() == len(rows)
    finally:
        index.close()
    return rows


@pytest.mark.parametrize("mode", ["plain", "site"])
def test_a_killed_crawl_run_again_loses_nothing_and_stores_nothing_twice(
    mode: str, tmp_path: Path
) -> None:
    output = tmp_path / "archive"
    with serve_sample_site(delay_seconds=0.2) as site:
        if mode == "site":
            add_site(output, "slow", site.url, "--every", "1h", "--concurrency", "1")
            command = ["crawl", "--site", "slow"]
        else:
            command = ["crawl", site.url, *FAST, "--concurrency", "1"]
        _killed_midway(output, *command)
        [jsonl] = output.glob("articles/**/*.jsonl")
        with jsonl.open("ab") as torn:  # as if the kill had cut the last row in half
            torn.write(b'{"url": "http://127.0.0.1/cut-in-ha')
        site.delay_seconds = 0
        again = run_cli(output, *command)
    assert again.returncode == 0, again.stderr
    assert "recovered" in again.stderr and "left open by an earlier crawl" in again.stderr
    assert f"{jsonl}.partial" in again.stderr
    assert (jsonl.parent / f"{jsonl.name}.partial").read_bytes().startswith(b'{"url": "http')
    check_whole(output)
    # the killed run's job state was half written: not resumed, rediscovered
    assert "its job state is not trusted" in again.stderr
    assert not list(output.glob("**/jobs/*/*"))  # finished: no state left behind
    if mode == "site":
        listed = run_cli(output, "runs", "--format", "jsonl")
        statuses = [json.loads(line)["status"] for line in listed.stdout.splitlines()]
        assert statuses == ["finished", "interrupted"]  # newest first

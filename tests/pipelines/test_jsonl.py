"""The JSONL archive: the row contract, and that a killed crawl loses nothing it wrote."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import time
from base64 import b32encode
from datetime import datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.articles.jsonl import iter_jsonl
from newsarchiver.items import ARTICLE_FIELDS
from newsarchiver.sample_site import serve_sample_site
from tests.conftest import FAST, CrawlRun, newsarchiver_command, running


def test_rows_follow_the_documented_contract(site_crawl: CrawlRun) -> None:
    [jsonl] = list(site_crawl.output.glob("articles/**/*.jsonl"))
    assert jsonl.parent.parent.name == "articles" and len(jsonl.parent.name) == 7  # YYYY-MM
    crawl_id = site_crawl.summary["crawl_id"]
    assert jsonl.name == f"{crawl_id}.jsonl"
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert tuple(row) == ARTICLE_FIELDS
        assert row["crawl_id"] == crawl_id
        assert datetime.fromisoformat(row["fetched_at"]).utcoffset() is not None
        digest = b32encode(hashlib.sha1(row["text"].encode()).digest()).decode()
        assert row["content_digest"] == f"sha1:{digest}"
        assert isinstance(row["authors"], list) and isinstance(row["tags"], list)
        assert not row["warc_file"].endswith(".open")


def test_reader_skips_a_torn_line_and_names_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "a.jsonl"
    row = '{"url": "http://x/%d", "fetched_at": "2024-05-16T10:00:00+00:00"}\n'
    path.write_text(row % 1 + '{"url": "http://x/2", "ti\n' + row % 3 + '["not", "a", "row"]\n')
    with caplog.at_level(logging.WARNING):
        rows = list(iter_jsonl(path))
    assert [r["url"] for r in rows] == ["http://x/1", "http://x/3"]
    assert f"{path}:2: skipped a malformed line" in caplog.text
    assert f"{path}:4: skipped a line that is not an article row" in caplog.text


def test_kill_9_mid_crawl_loses_nothing_already_written(tmp_path: Path) -> None:
    """Every row written before the kill is whole and its WARC record is readable."""
    with (
        serve_sample_site(delay_seconds=0.3) as site,
        running(
            newsarchiver_command(
                "crawl",
                site.url,
                "--output",
                str(tmp_path),
                *FAST,
                "--concurrency",
                "1",
                "-s",
                "CONCURRENT_REQUESTS=1",
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ):
        deadline = time.monotonic() + 60
        rows: list[dict[str, object]] = []
        while time.monotonic() < deadline and len(rows) < 3:
            time.sleep(0.2)
            rows = [r for f in tmp_path.glob("articles/**/*.jsonl") for r in iter_jsonl(f)]
        # leaving ``running`` SIGKILLed the crawl
    assert len(rows) >= 3, "the crawl did not get far enough to be interrupted"
    lines = [
        line
        for f in tmp_path.glob("articles/**/*.jsonl")
        for line in f.read_text(encoding="utf-8").splitlines()
    ]
    rows = [json.loads(line) for line in lines]  # every line is whole JSON
    [open_warc] = list(tmp_path.glob("warc/**/*.warc.gz.open"))  # killed: never renamed
    for row in rows:
        assert open_warc.name == Path(str(row["warc_file"])).name + ".open"
        with open_warc.open("rb") as stream:
            stream.seek(int(str(row["warc_offset"])))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers["WARC-Record-ID"] == row["warc_record_id"]
            assert record.content_stream().read()
    # after `reindex`, the killed crawl's pages replay from the file it left open
    reindex = subprocess.run(
        newsarchiver_command("reindex", "-o", str(tmp_path)), capture_output=True, text=True
    )
    assert reindex.returncode == 0 and "unreadable" not in reindex.stdout, reindex.stderr
    replay = subprocess.run(
        newsarchiver_command("replay", str(rows[0]["url"]), "--text", "-o", str(tmp_path)),
        capture_output=True,
        text=True,
    )
    assert replay.returncode == 0, replay.stderr
    assert str(rows[0]["text"]).split("\n")[0] in replay.stdout

"""`captures`, `replay` and their errors, on an archive crawled twice (responses and revisits)."""

from __future__ import annotations

import json
import shutil
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsarchiver.cli import main
from newsarchiver.dates import timestamp_iso
from newsarchiver.layout import ArchiveLayout
from newsarchiver.sample_site.content import ARTICLES
from newsarchiver.warc.cdxj import CaptureIndex
from newsarchiver.warc.writer import HttpExchange, WarcFileWriter
from tests.conftest import TwiceCrawled, serving

ARTICLE = next(a for a in ARTICLES if a.served == "gzip")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"COLUMNS": "250"}, catch_exceptions=False)


def _url(archive: TwiceCrawled, path: str) -> str:
    return archive.site.url.rstrip("/") + path


def test_captures_lists_the_response_and_the_revisit(twice_crawled: TwiceCrawled) -> None:
    url = _url(twice_crawled, ARTICLE.path)
    result = run("captures", url, "-o", str(twice_crawled.output), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["type"] for r in rows] == ["response", "revisit"]
    assert rows[0]["time"] < rows[1]["time"]
    assert rows[0]["status"] == "200" and rows[0]["mime"] == "text/html"
    assert rows[0]["digest"] == rows[1]["digest"]
    table = run("captures", url, "-o", str(twice_crawled.output))
    assert "revisit" in table.stdout and rows[0]["warc_file"] in table.stdout


@pytest.mark.parametrize("which", ["newest", "first"])
def test_replay_prints_the_page_even_from_a_revisit(
    twice_crawled: TwiceCrawled, which: str
) -> None:
    url = _url(twice_crawled, ARTICLE.path)
    first = CaptureIndex(twice_crawled.output).lookup(url)[0]
    at = [] if which == "newest" else ["--at", timestamp_iso(first.timestamp)]
    result = run("replay", url, *at, "-o", str(twice_crawled.output))
    assert result.exit_code == 0, result.output
    html = result.stdout_bytes.decode()
    assert html.lstrip().lower().startswith("<!doctype html")  # gzip undone, as a browser would
    assert ARTICLE.paragraphs[0] in html
    captures = CaptureIndex(twice_crawled.output).lookup(url)
    chosen = captures[0] if which == "first" else captures[-1]
    assert f"captured {timestamp_iso(chosen.timestamp)}" in result.stderr


def test_replay_headers_and_text(twice_crawled: TwiceCrawled) -> None:
    url = _url(twice_crawled, ARTICLE.path)
    headers = run("replay", url, "--headers", "-o", str(twice_crawled.output))
    assert headers.stdout.startswith("HTTP/1.1 200 OK")
    assert "Content-Encoding: gzip" in headers.stdout and "<html" not in headers.stdout
    text = run("replay", url, "--text", "-o", str(twice_crawled.output))
    assert text.stdout.splitlines()[0] == ARTICLE.title
    for paragraph in ARTICLE.paragraphs:
        assert paragraph in text.stdout
    assert "<p>" not in text.stdout


def test_unknown_url_and_bad_timestamp_are_one_line_errors(twice_crawled: TwiceCrawled) -> None:
    output = str(twice_crawled.output)
    unknown = run("replay", "https://never.example/story", "-o", output)
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == "Error: not archived: https://never.example/story"
    captures = run("captures", "https://never.example/story", "-o", output)
    assert captures.exit_code == 1 and "not archived" in captures.stderr
    bad = run("replay", _url(twice_crawled, "/"), "--at", "16.05.2024", "-o", output)
    assert bad.exit_code == 2
    assert "Invalid value for '--at': not a date or timestamp: '16.05.2024'" in bad.stderr
    empty = run("captures", "https://never.example/", "-o", output + "-missing")
    assert empty.exit_code == 1 and "holds no capture index" in empty.stderr


def test_a_truncated_warc_is_named_and_others_still_replay(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    output = tmp_path / "archive"
    shutil.copytree(twice_crawled.output, output)
    first, second = ArchiveLayout(output).warc_files()
    first.write_bytes(first.read_bytes()[:2000])  # the originals are gone
    url = _url(twice_crawled, ARTICLE.path)
    broken = run("replay", url, "-o", str(output))
    assert broken.exit_code == 1
    assert len(broken.stderr.strip().splitlines()) == 1
    assert str(first) in broken.stderr
    # a redirect, archived in full in the intact second file, still replays
    [moved] = [
        c for c in CaptureIndex(output) if c.status == "301" and c.filename.endswith(second.name)
    ]
    ok = run("replay", moved.url, "--headers", "-o", str(output))
    assert ok.exit_code == 0 and ok.stdout.startswith("HTTP/1.1 301")


def test_the_command_line_and_the_web_replay_pick_the_same_capture(tmp_path: Path) -> None:
    """Two captures of one page under two spellings of its address (query parameters in
    another order: one SURT key). Asked for the time of the second, the command line and the
    web replay (pywb) both give the second, whichever spelling is asked for."""
    output = tmp_path / "archive"
    layout = ArchiveLayout(output)
    first_url = "https://news.example/story?a=1&b=2"
    second_url = "https://news.example/story?b=2&a=1"
    writer = WarcFileWriter(
        layout.warc_dir / "2024-05", root=output, index=CaptureIndex(output), revisits=False
    )
    for url, day, words in ((first_url, 1, "Erste Fassung"), (second_url, 20, "Zweite Fassung")):
        body = f"<html><body><p>{words} des Artikels.</p></body></html>".encode()
        writer.write_exchange(
            HttpExchange(
                url=url,
                method="GET",
                request_headers=[],
                status=200,
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=body,
                date=datetime(2024, 5, day, 12, tzinfo=timezone.utc),
            )
        )
    writer.close()
    at = "20240519"  # nearer the second capture
    for asked in (first_url, second_url):
        cli = run("replay", asked, "--at", at, "-o", str(output))
        assert cli.exit_code == 0, cli.output
        assert "Zweite Fassung" in cli.stdout and "Erste" not in cli.stdout, asked
    with serving(output) as served:
        for asked in (first_url, second_url):
            # the banner's frame says which capture, pywb's content (mp_) shows it
            frame_at = f"{served.ui}/replay/{at}000000/{asked}"
            with urllib.request.urlopen(frame_at, timeout=30) as reply:
                frame = reply.read().decode()
            assert 'datetime="2024-05-20T12:00:00Z"' in frame, asked
            content_at = f"{served.replay}/replay/{at}000000mp_/{asked}"
            with urllib.request.urlopen(content_at, timeout=30) as reply:
                page = reply.read().decode()
            assert "Zweite Fassung" in page and "Erste Fassung" not in page, asked

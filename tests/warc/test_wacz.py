"""`export wacz`: a package py-wacz validates and pywb replays, with the articles listed."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from newsarchiver.sample_site.content import ARTICLES
from tests.conftest import TwiceCrawled, run_cli, wayback_collection

BIN = Path(sys.executable).parent


def _export(output: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(output, "export", "wacz", *args)


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True, text=True
    )


def test_the_whole_archive_validates_and_lists_its_articles(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    wacz = tmp_path / "all.wacz"
    done = _export(twice_crawled.output, str(wacz))
    assert done.returncode == 0, done.stderr
    assert "from 2 WARC files" in done.stdout
    check = _validate(wacz)
    assert check.returncode == 0 and "the passed WACZ is valid" in check.stdout, check.stdout
    with zipfile.ZipFile(wacz) as package:
        names = package.namelist()
        lines = package.read("pages/pages.jsonl").decode().splitlines()
    assert {"datapackage.json", "indexes/index.cdx.gz"} <= set(names)
    assert len([n for n in names if n.startswith("archive/")]) == 2
    header, *pages = (json.loads(line) for line in lines)
    assert header["format"] == "json-pages-1.0"
    expected = {a.title for a in ARTICLES if a.is_archivable and not a.fault}
    assert {p["title"] for p in pages} == expected
    assert all(p["text"] and p["ts"].endswith("Z") for p in pages)


def test_one_site_exported_alone_is_replayed_by_pywb(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    wacz = tmp_path / "site.wacz"
    done = _export(twice_crawled.output, str(wacz), "--site", "127.0.0.1")
    assert done.returncode == 0, done.stderr
    assert _validate(wacz).returncode == 0
    article = next(a for a in ARTICLES if a.served == "gzip")
    url = twice_crawled.site.url.rstrip("/") + article.path
    with (
        wayback_collection(tmp_path, "--unpack-wacz", str(wacz)) as base,
        urllib.request.urlopen(f"{base}/news/2030mp_/{url}", timeout=20) as reply,
    ):
        page = reply.read().decode()
    assert article.paragraphs[0] in page


def test_a_site_with_no_capture_is_a_one_line_error(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    done = _export(twice_crawled.output, str(tmp_path / "x.wacz"), "--site", "nowhere.example")
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: no capture of nowhere.example in {twice_crawled.output}"
    assert not (tmp_path / "x.wacz").exists()


def _pages(wacz: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(wacz) as package:
        lines = package.read("pages/pages.jsonl").decode().splitlines()
    return [json.loads(line) for line in lines[1:]]


def test_a_site_is_named_the_same_way_as_in_query(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    """The demo archive's site is "Tagesblatt" on 127.0.0.1: `query --site` finds it by its
    name, its label and its address, and so must the export (it once said "no capture")."""
    listed = run_cli(twice_crawled.output, "query", "--site", "tagesblatt", "--format", "jsonl")
    urls = {json.loads(line)["url"] for line in listed.stdout.splitlines()}
    assert len(urls) == 10
    for given in ("tagesblatt", "Tagesblatt", "127.0.0.1"):
        wacz = tmp_path / f"{given}.wacz"
        done = _export(twice_crawled.output, str(wacz), "--site", given)
        assert done.returncode == 0, done.stderr
        assert {p["url"] for p in _pages(wacz)} == urls, given

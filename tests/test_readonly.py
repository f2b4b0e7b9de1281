"""A read-only archive (a read-only mount): searched, replayed and served as it is; a crawl
into it says so on one line."""

from __future__ import annotations

import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FAST, CrawlRun, run_cli, serving, tmpfs


@pytest.fixture
def read_only_archive(site_crawl: CrawlRun, tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "ro", "64m") as mount:
        shutil.copytree(site_crawl.output, mount / "archive")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "archive"


def test_a_read_only_archive_is_searched_replayed_and_served(
    read_only_archive: Path, site_crawl: CrawlRun
) -> None:
    with pytest.raises(OSError):
        (read_only_archive / "probe").write_text("x")  # really read-only, even for root
    found = run_cli(read_only_archive, "query", "hafen", "--format", "jsonl")
    assert found.returncode == 0 and found.stdout.count("\n") >= 3, found.stderr
    assert "Traceback" not in found.stderr and "WARNING" not in found.stderr, found.stderr
    url = site_crawl.rows[0]["url"]
    assert run_cli(read_only_archive, "captures", url).returncode == 0
    replayed = run_cli(read_only_archive, "replay", url, "--text")
    assert replayed.returncode == 0 and site_crawl.rows[0]["title"] in replayed.stdout
    with (
        serving(read_only_archive) as served,
        urllib.request.urlopen(f"{served.ui}/?q=hafen", timeout=20) as page,
    ):
        assert "Hafen" in page.read().decode()
    crawl = run_cli(read_only_archive, "crawl", "http://127.0.0.1:9/", *FAST)
    assert crawl.returncode == 1
    assert crawl.stderr.strip().splitlines()[-1].startswith("Error: cannot write ")
    assert "Read-only file system" in crawl.stderr and "Traceback" not in crawl.stderr

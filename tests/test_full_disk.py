"""A disk that fills up mid-crawl (a small tmpfs), then freed: the crawl stops with one line,
nothing written is torn or cut, and the same command run again completes the archive."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchiver.sample_site import SampleSiteServer
from tests.conftest import FAST, CrawlRun, archived_rows, run_cli, tmpfs
from tests.extensions.test_recovery import EXPECTED, check_whole

BIN = Path(sys.executable).parent


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "96k") as disk:
        yield disk


def _free(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)


def test_a_full_disk_stops_the_crawl_cleanly_and_a_rerun_completes_it(
    small_disk: Path, sample_site: SampleSiteServer
) -> None:
    output = small_disk / "archive"
    full = run_cli(output, "crawl", sample_site.url, *FAST)
    assert full.returncode == 1, full.stdout
    [error] = [line for line in full.stderr.splitlines() if line.startswith("Error:")]
    assert "No space left on device" in error and str(output) in error
    assert "Traceback" not in full.stderr and len(full.stderr) < 2000, full.stderr
    for path in output.glob("articles/**/*.jsonl"):  # no torn line, no rows glued together
        raw = path.read_bytes()
        assert not raw or raw.endswith(b"\n")
        assert all(json.loads(line) for line in raw.splitlines())
    finished = sorted(output.glob("warc/**/*.warc.gz"))  # a final name only on a whole file
    if finished:
        check = subprocess.run([str(BIN / "warcio"), "check", *map(str, finished)])
        assert check.returncode == 0
    index = output / "index" / "articles.sqlite"
    assert not index.exists() or index.stat().st_size > 0
    before = {urlsplit(str(r["url"])).path for r in archived_rows(output)}
    assert len(before) < len(EXPECTED)

    _free(small_disk)
    again = run_cli(output, "crawl", sample_site.url, *FAST)
    assert again.returncode == 0, again.stderr
    check_whole(output)


def test_a_reindex_on_a_full_disk_keeps_the_index_it_had(
    tmp_path: Path, site_crawl: CrawlRun
) -> None:
    """reindex builds the new index beside the old: a disk too full for both stops it with
    one line, the old index still answers, and nothing of the attempt is left behind."""
    with tmpfs(tmp_path / "disk", "16m") as disk:
        output = disk / "archive"
        shutil.copytree(site_crawl.output, output, ignore=shutil.ignore_patterns("warc"))
        index = output / "index" / "articles.sqlite"
        free = shutil.disk_usage(disk).free
        (disk / "filler").write_bytes(b"\0" * (free - index.stat().st_size // 2))
        full = run_cli(output, "reindex")
        assert full.returncode == 1, full.stdout
        [error] = [line for line in full.stderr.splitlines() if line.startswith("Error:")]
        assert "full" in error or "No space left" in error, error
        assert "Traceback" not in full.stderr and len(full.stderr) < 2000, full.stderr
        counted = run_cli(output, "query", "--sql", "SELECT count(*) FROM articles")
        assert counted.returncode == 0 and "10" in counted.stdout, counted.stderr
        assert not [p for p in index.parent.iterdir() if p.name.startswith(".building")]

        (disk / "filler").unlink()
        again = run_cli(output, "reindex")
        assert again.returncode == 0, again.stderr
        assert "indexed 10 articles" in again.stdout

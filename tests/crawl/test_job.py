"""The same plain crawl command run again resumes an interrupted run; --fresh starts over."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchiver.crawl.job import STOPPED_CLEANLY
from newsarchiver.sample_site import serve_sample_site
from tests.conftest import FAST, archived_rows, newsarchiver_command, run_cli, running, wait_for
from tests.extensions.test_recovery import EXPECTED, check_whole


def _stopped_midway(output: Path, url: str) -> None:
    """`crawl URL`, stopped by SIGTERM (as Ctrl-C or a service manager stops it)."""
    with running(
        newsarchiver_command("crawl", url, "-o", str(output), *FAST, "--concurrency", "1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        wait_for(lambda: len(archived_rows(output)) >= 3 or process.poll() is not None)
        process.send_signal(signal.SIGTERM)
        _, said = process.communicate(timeout=60)
    assert process.returncode == 0
    # said at once, not only in crawl.log while the requests in flight finish
    assert said.startswith("stopping: letting the requests in flight finish"), said
    assert 3 <= len(archived_rows(output)) < len(EXPECTED)
    assert len(list(output.glob(f"jobs/*/{STOPPED_CLEANLY}"))) == 1  # resumable, marked so


@pytest.mark.parametrize("fresh", [False, True])
def test_an_interrupted_crawl_resumes_or_starts_over(fresh: bool, tmp_path: Path) -> None:
    output = tmp_path / "archive"
    with serve_sample_site(delay_seconds=0.3) as site:
        _stopped_midway(output, site.url)
        first = set(site.requested_paths)
        site.delay_seconds = 0
        again = run_cli(output, "crawl", site.url, *FAST, *(["--fresh"] if fresh else []))
        later = site.requested_paths[len(first) :]
    assert again.returncode == 0, again.stderr
    assert ("resuming the interrupted crawl" in again.stderr) is not fresh
    rows = check_whole(output)  # each article once either way: the archive knows them
    assert sorted(urlsplit(str(r["url"])).path for r in rows) == EXPECTED
    done = {urlsplit(str(r["url"])).path for r in archived_rows(output)} & first
    if not fresh:  # resumed: what the first run fetched is not asked for again
        assert not done & set(later)
    assert not list(output.glob("jobs/*/*"))  # finished: no state left

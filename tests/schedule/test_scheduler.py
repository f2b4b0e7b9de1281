"""`schedule run`: due sites run in their own processes, never overlapping, and a SIGTERM
mid-crawl loses nothing and is resumed by the next start."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from newsarchiver.sample_site import serve_sample_site
from newsarchiver.sample_site.content import articles
from newsarchiver.schedule.runs import RunLog
from newsarchiver.schedule.scheduler import due_times
from newsarchiver.schedule.sites import Site
from tests.conftest import (
    add_site,
    archived_rows,
    newsarchiver_command,
    run_cli,
    running,
    wait_for,
)

EXPECTED = {a.path for a in articles(faults=False) if a.is_archivable}


def scheduler(output: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        newsarchiver_command("schedule", "run", *args, "--output", str(output)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def runs(output: Path) -> list[dict[str, Any]]:
    path = output / "schedule" / "runs.sqlite"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute("SELECT * FROM runs ORDER BY id")]
        except sqlite3.OperationalError:  # the file is there, its table not yet
            return []


def test_due_times_collapse_missed_runs_and_resume_interrupted(tmp_path: Path) -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    every = Site("hourly", ["https://a.example/"], every="1h")
    cron = Site("cron", ["https://b.example/"], cron="0 6 * * *")
    by_hand = Site("manual", ["https://c.example/"])
    with RunLog(tmp_path) as log:
        first = log.start("hourly", "x")
        log.db.execute(
            "UPDATE runs SET started_at = ?, status = 'finished' WHERE id = ?",
            ((now - timedelta(days=3)).isoformat(), first),
        )
        log.db.commit()
        due = {
            d.site.name: d.next_run
            for d in due_times({s.name: s for s in (every, cron, by_hand)}, log, now)
        }
        assert due["hourly"] == now  # 72 missed runs: one run, now
        assert due["cron"] == now  # never ran: now
        assert due["manual"] is None
        second = log.start("hourly", "y")
        log.db.execute(
            "UPDATE runs SET started_at = ?, status = 'finished' WHERE id = ?",
            ((now - timedelta(minutes=10)).isoformat(), second),
        )
        log.db.commit()
        [hourly] = list(due_times({"hourly": every}, log, now))
        assert hourly.next_run == now + timedelta(minutes=50)
        log.finish(second, "interrupted", None, "shutdown")
        [hourly] = list(due_times({"hourly": every}, log, now))
        assert hourly.next_run == now  # resumed at once


def test_due_sites_run_one_at_a_time_without_overlap(tmp_path: Path) -> None:
    output = tmp_path / "archive"
    with serve_sample_site(delay_seconds=0.05) as one, serve_sample_site() as two:
        for name, server in (("one", one), ("two", two)):
            add_site(output, name, server.url, "--every", "1h")
        process = scheduler(output, "--max-parallel", "1", "--once")
        out, _ = process.communicate(timeout=180)
    assert process.returncode == 0, out
    recorded = runs(output)
    assert sorted(r["site"] for r in recorded) == ["one", "two"]
    assert all(r["status"] == "finished" for r in recorded), recorded
    first, second = sorted(recorded, key=lambda r: r["started_at"])
    assert first["ended_at"] <= second["started_at"]  # --max-parallel 1: one after the other
    assert "starting one" in out and "starting two" in out
    for run in recorded:  # each child's output and Scrapy's log, where `runs` points
        log = Path(run["log_file"]).read_text(encoding="utf-8")
        assert run["crawl_id"] in run["log_file"] and "Spider closed (finished)" in log
    # both ran, so nothing is due before an hour has passed: a second --once starts nothing
    again = scheduler(output, "--once")
    said, _ = again.communicate(timeout=60)
    assert again.returncode == 0
    # and says when the next one is: an hour after the first run started
    [first] = [run for run in runs(output) if run["site"] == "one"]
    first_start = datetime.fromisoformat(first["started_at"].replace("Z", "+00:00"))
    next_run = (first_start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert f"nothing due now; next: one at {next_run} UTC" in said, said
    assert len(runs(output)) == 2
    status = run_cli(output, "schedule", "status")
    assert "finished" in status.stdout and "every 1h" in status.stdout


def test_sigterm_mid_crawl_loses_nothing_and_the_next_start_resumes(tmp_path: Path) -> None:
    output = tmp_path / "archive"
    with serve_sample_site(delay_seconds=0.3) as site:
        add_site(output, "slow", site.url, "--every", "1h", "--concurrency", "1")
        process = scheduler(output)
        wait_for(lambda: len(archived_rows(output)) >= 2)
        overlap = run_cli(output, "crawl", "--site", "slow")  # by hand, while the scheduler's runs
        assert overlap.returncode == 1
        assert "site 'slow' is being crawled now (by pid" in overlap.stderr
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0, out
        assert "they resume next time" in out
        [interrupted] = runs(output)
        assert interrupted["status"] == "interrupted", interrupted
        kept = archived_rows(output)  # every line whole JSON
        assert 2 <= len(kept) < len(EXPECTED)
        assert (output / "schedule" / "jobs" / "slow").is_dir()  # Scrapy's state, to resume
        assert not list(output.glob("warc/**/*.open"))  # WARC closed cleanly
        fetched_before = list(site.requested_paths)
        resumed = scheduler(output, "--once")
        out, _ = resumed.communicate(timeout=180)
        assert resumed.returncode == 0, out
    statuses = [r["status"] for r in runs(output)]
    assert statuses == ["interrupted", "finished"]
    archived = [r["url"].split("/", 3)[3] for r in archived_rows(output)]
    assert sorted("/" + p for p in archived) == sorted(EXPECTED)  # each article exactly once
    refetched = set(fetched_before) & set(site.requested_paths[len(fetched_before) :]) & EXPECTED
    assert not refetched  # what the first run archived was not downloaded again


def test_a_site_being_crawled_by_hand_is_not_started_again(tmp_path: Path) -> None:
    output = tmp_path / "archive"
    with serve_sample_site(delay_seconds=0.1) as site:
        add_site(output, "busy", site.url, "--every", "1h", "--concurrency", "1")
        with running(
            newsarchiver_command("crawl", "--site", "busy", "--output", str(output)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ) as by_hand:
            wait_for(lambda: [r["status"] for r in runs(output)] == ["running"])
            process = scheduler(output, "--once")
            out, _ = process.communicate(timeout=60)
            assert process.returncode == 0 and "starting busy" not in out, out
            assert by_hand.wait(timeout=120) == 0
    assert [r["status"] for r in runs(output)] == ["finished"]


def test_a_site_that_fails_at_start_is_retried_later_and_later_not_in_a_loop(
    tmp_path: Path,
) -> None:
    """The site's lock is held by a process the run log knows nothing of (the issue's case was
    a full disk): each run dies before it is recorded, so the site stays due. It used to be
    restarted about once a second; now it waits 30 s, then twice as long each time."""
    import fcntl
    import time

    from newsarchiver.layout import ArchiveLayout

    output = tmp_path / "out"
    add_site(output, "t", "http://127.0.0.1:9/", "--every", "1m")
    lock = ArchiveLayout(output).job_dir("t").with_suffix(".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        process = scheduler(output)
        time.sleep(8)
        process.send_signal(signal.SIGTERM)
        printed, _ = process.communicate(timeout=60)
    assert printed.count("starting t") == 1, printed
    assert "t failed (exit 1); next try in 30s" in printed
    log = next((output / "crawls").glob("*/crawl.log")).read_text()
    assert "site 't' is being crawled now (by pid 4242)" in log
    assert runs(output) == []  # nothing recorded: the back-off alone kept it from looping

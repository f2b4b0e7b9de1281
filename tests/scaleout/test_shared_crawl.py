"""Three worker processes crawl the sample site together through a real Redis server: every
article archived exactly once, every WARC record valid; then with one worker killed with
SIGKILL mid-crawl, and with Redis restarted mid-crawl."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import redis

from newsarchiver.sample_site import SampleSiteServer
from newsarchiver.scaleout.connection import RedisKeys
from tests.conftest import (
    RedisServer,
    add_site,
    expected_articles,
    newsarchiver_command,
    wait_for,
)

BIN = Path(sys.executable).parent
KEYS = RedisKeys()
#: each worker holds two requests at a time, so three share even a small site; heartbeats
#: fast and a short timeout, so a killed worker's requests come back within seconds
WORKER = [
    "--no-progress", "--workers", "0",
    "-s", "CONCURRENT_REQUESTS=2", "-s", "AUTOTHROTTLE_START_DELAY=0",
    "-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_TIMES=1",
    "-s", "SCALEOUT_WORKER_TIMEOUT=3", "-s", "SCALEOUT_HEARTBEAT=0.5",
]  # fmt: skip


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        newsarchiver_command(*args), capture_output=True, text=True, timeout=timeout, env=env
    )


def seed(site: SampleSiteServer, url: str) -> None:
    done = cli("seed", "--redis-url", url, site.url)
    assert done.returncode == 0, done.stderr
    assert "seeded 127.0.0.1" in done.stdout


def start_workers(output: Path, url: str, count: int, delay: str) -> list[subprocess.Popen[str]]:
    command = newsarchiver_command(
        "crawl", "--redis-url", url, "--worker", "--until-done", "--output", str(output),
        "--delay", delay, *WORKER,
    )  # fmt: skip
    return [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(count)
    ]


def finish(workers: list[subprocess.Popen[str]], timeout: float = 150) -> None:
    for worker in workers:
        _, stderr = worker.communicate(timeout=timeout)
        assert worker.returncode in (0, -signal.SIGKILL), stderr


def rows(output: Path) -> list[dict[str, object]]:
    """Every whole row of every worker's JSONL file (a killed worker may leave a torn one)."""
    found = []
    for path in sorted((output / "articles").glob("**/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(json.JSONDecodeError):
                found.append(json.loads(line))
    return found


def assert_each_article_once(output: Path) -> None:
    counted = Counter(urlsplit(str(row["url"])).path for row in rows(output))
    expected = {article.path for article in expected_articles()}
    assert set(counted) == expected
    assert all(count == 1 for count in counted.values()), counted


def assert_warcs_valid(output: Path) -> None:
    warcs = sorted((output / "warc").glob("**/*.warc.gz"))
    assert warcs and not list((output / "warc").glob("**/*.open"))
    done = subprocess.run(
        [str(BIN / "warcio"), "check", *map(str, warcs)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def assert_archived_once(output: Path) -> None:
    """What a shared crawl must leave: every article once, every WARC record valid."""
    assert_each_article_once(output)
    assert_warcs_valid(output)


def registry(url: str) -> dict[str, dict[str, object]]:
    client = redis.Redis.from_url(url)
    return {
        (name.decode() if isinstance(name, bytes) else name): json.loads(raw)
        for name, raw in client.hgetall(KEYS.workers).items()
    }


def test_three_workers_archive_each_article_once(
    sample_site: SampleSiteServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    output = tmp_path / "shared"
    seed(sample_site, redis_server.url)
    workers = start_workers(output, redis_server.url, 3, delay="0")
    finish(workers)
    assert_archived_once(output)

    # each worker wrote files of its own, named by host and process id, and shared the work
    summaries = [json.loads(p.read_text()) for p in output.glob("crawls/*/summary.json")]
    assert len(summaries) == 3
    pids = {str(worker.pid) for worker in workers}
    assert {s["crawl_id"].rsplit("-", 1)[1] for s in summaries} == pids
    assert sum(1 for s in summaries if s["pages"] > 0) >= 2
    for warc in (output / "warc").glob("**/*.warc.gz"):
        assert any(f"-{pid}-" in warc.name for pid in pids), warc.name

    # the files of all workers are one archive to query, and `workers` says who did what
    query = cli("query", "--format", "jsonl", "--output", str(output))
    assert query.returncode == 0, query.stderr
    assert len(query.stdout.splitlines()) == len(expected_articles())
    shown = cli("workers", "--redis-url", redis_server.url)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("frontier 0 requests")
    assert sum(line.split()[1] == "stopped" for line in shown.stdout.splitlines()[2:]) == 3


def test_a_killed_worker_loses_nothing_and_stores_nothing_twice(
    sample_site: SampleSiteServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    output = tmp_path / "shared"
    seed(sample_site, redis_server.url)
    workers = start_workers(output, redis_server.url, 3, delay="0.1")
    victim = workers[0]
    client = redis.Redis.from_url(redis_server.url)

    def victim_holds_requests() -> bool:
        mine = [n for n, r in registry(redis_server.url).items() if r["pid"] == victim.pid]
        return bool(mine) and client.zcard(KEYS.leases(mine[0])) > 0

    wait_for(victim_holds_requests, timeout=60)
    victim.send_signal(signal.SIGKILL)
    finish(workers)

    [gone] = [r for r in registry(redis_server.url).values() if r["pid"] == victim.pid]
    assert gone["state"] == "gone"  # noticed by the others, and its requests handed out again
    logs = "".join(p.read_text() for p in output.glob("crawls/*/crawl.log"))
    assert f"worker {gone['worker']} stopped answering" in logs
    # the killed worker's open WARC file is closed by the next worker to start on the archive
    again = start_workers(output, redis_server.url, 1, delay="0")
    finish(again)
    assert_archived_once(output)


def test_a_redis_restart_mid_crawl_loses_no_request(
    sample_site: SampleSiteServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    output = tmp_path / "shared"
    seed(sample_site, redis_server.url)
    workers = start_workers(output, redis_server.url, 3, delay="0.15")

    def some_pages_fetched() -> bool:
        return sum(int(str(r["pages"])) for r in registry(redis_server.url).values()) >= 6

    wait_for(some_pages_fetched, timeout=60)
    seen = redis.Redis.from_url(redis_server.url).zcard(KEYS.seen)
    redis_server.stop()
    time.sleep(1.5)  # the workers' commands fail and are retried meanwhile
    redis_server.start()
    # the shared state came back from the append-only file (the seen set only grows)
    assert redis.Redis.from_url(redis_server.url).zcard(KEYS.seen) >= seen > 0
    finish(workers)
    assert_archived_once(output)


def test_the_scheduler_seeds_due_sites_for_the_workers(
    sample_site: SampleSiteServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    output = tmp_path / "shared"
    add_site(output, "tagesblatt", sample_site.url, "--every", "6h")
    done = cli(
        "schedule", "run", "--once", "--redis-url", redis_server.url, "--output", str(output)
    )
    assert done.returncode == 0, done.stderr
    assert f"seeded tagesblatt into {redis_server.url}" in done.stdout
    client = redis.Redis.from_url(redis_server.url)
    assert client.zcard(KEYS.requests) == 2  # the home page and robots.txt
    assert json.loads(client.hget(KEYS.sites, "tagesblatt") or b"{}")["start_urls"] == [
        sample_site.url
    ]
    # not due again until its schedule says so: the run is recorded
    again = cli("schedule", "run", "--once", "--redis-url", redis_server.url, "-o", str(output))
    assert "nothing due now; next: tagesblatt" in again.stdout
    finish(start_workers(output, redis_server.url, 1, delay="0"))
    assert_each_article_once(output)


def test_output_directories_gathered_afterwards_are_one_archive(
    sample_site: SampleSiteServer, redis_server: RedisServer, tmp_path: Path
) -> None:
    import shutil

    seed(sample_site, redis_server.url)
    machines = [tmp_path / "machine-a", tmp_path / "machine-b"]
    workers = [w for m in machines for w in start_workers(m, redis_server.url, 1, delay="0")]
    finish(workers)
    gathered = tmp_path / "archive"
    for machine in machines:  # as `rsync -a machine:/srv/output/ archive/` would
        shutil.copytree(machine, gathered, dirs_exist_ok=True)
    reindex = cli("reindex", "--output", str(gathered))
    assert reindex.returncode == 0, reindex.stderr
    assert_each_article_once(gathered)
    query = cli("query", "--format", "jsonl", "--output", str(gathered))
    assert len(query.stdout.splitlines()) == len(expected_articles())
    home = cli("captures", sample_site.url, "--format", "jsonl", "--output", str(gathered))
    assert home.returncode == 0 and len(home.stdout.splitlines()) == 1, home.stderr


class _TimedLog(list[str]):
    """The sample site's request log, with the time each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def append(self, path: str) -> None:
        self.times.append(time.monotonic())
        super().append(path)


def test_a_sites_delay_holds_across_workers(redis_server: RedisServer, tmp_path: Path) -> None:
    from newsarchiver.sample_site import serve_sample_site

    with serve_sample_site() as site:
        log = _TimedLog()
        site.requested_paths = log
        seed(site, redis_server.url)
        output = tmp_path / "shared"
        # each worker alone would send 1 / 0.3 s; three of them, three times that
        finish(start_workers(output, redis_server.url, 3, delay="0.3"))
    summaries = [json.loads(p.read_text()) for p in output.glob("crawls/*/summary.json")]
    assert sum(1 for s in summaries if s["pages"] > 0) >= 2  # the work was shared
    gaps = sorted(b - a for a, b in zip(log.times, log.times[1:], strict=False))
    assert len(log) >= 40
    # the site saw one request per 0.3 s on the whole, not three; single gaps may be shorter
    # by the time a busy machine takes between a worker's token and its request going out
    assert log.times[-1] - log.times[0] >= 0.9 * 0.3 * len(gaps)
    assert gaps[len(gaps) // 10] >= 0.2, gaps[:10]


def test_a_redis_that_is_not_there_is_one_line_at_once(tmp_path: Path) -> None:
    from tests.conftest import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    for args in (["workers"], ["seed", "https://example.org/"], ["crawl", "--worker"]):
        started = time.monotonic()
        done = cli(
            *args, "--redis-url", url, *(["-o", str(tmp_path)] if args[0] != "workers" else [])
        )
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [
            f"Error: cannot reach Redis at {url}: Error 111 connecting to 127.0.0.1:"
            f"{url.split(':')[2].split('/')[0]}. Connection refused."
        ]
        assert time.monotonic() - started < 20  # not the minute a worker waits for a restart

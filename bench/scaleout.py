"""Scale-out: pages/s of 1, 2 and 4 workers sharing one crawl through one Redis, against the
single-process crawl of the same site in the same run; Redis round-trips and Redis CPU per
page, from which what one Redis server could feed is computed rather than guessed.

The site is bench/throughput.py's generated WordPress-style site (not the sample site the
scale-out code was written against), served by nginx when it is installed. Politeness is off
(delay 0, 32 requests per site) so the crawl, not the site's delay, is measured.

    .venv/bin/python bench/scaleout.py        # BENCH_SCALEOUT_ARTICLES=800 by default
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childprocess import results_table
from throughput import CRAWL_FAST, served, write_site

ARTICLE_COUNT = int(os.environ.get("BENCH_SCALEOUT_ARTICLES", "800"))
WORKER_COUNTS = (1, 2, 4)
NEWSARCHIVER = [sys.executable, "-m", "newsarchiver"]


class Redis:
    """A redis-server of the benchmark's own, on a free port of 127.0.0.1, no persistence."""

    def __init__(self, directory: Path) -> None:
        import redis

        from newsarchiver.scaleout.connection import connect

        port = _free_port()
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.client = connect(self.url)
        for _ in range(100):
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)

    def commands(self) -> tuple[int, float]:
        """(commands processed, microseconds Redis spent in them) so far."""
        stats = self.client.info("commandstats")
        calls = sum(int(v["calls"]) for v in stats.values())
        usec = sum(float(v["usec"]) for v in stats.values())
        return calls, usec

    def round_trip_us(self) -> float:
        times = []
        for _ in range(2000):
            started = time.perf_counter()
            self.client.ping()
            times.append(time.perf_counter() - started)
        return statistics.median(times) * 1e6

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _pages(output: Path) -> int:
    return sum(
        int(json.loads(p.read_text())["pages"]) for p in output.glob("crawls/*/summary.json")
    )


def single(url: str, output: Path) -> tuple[float, float, int]:
    """(seconds, CPU seconds, pages) of the crawl in one process, without Redis."""
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [*NEWSARCHIVER, "crawl", url, "-o", str(output), "--no-progress", *CRAWL_FAST],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu, _pages(output)


def shared(
    url: str, output: Path, redis: Redis, workers: int
) -> tuple[float, float, int, int, float]:
    """(seconds until the shared frontier is done, CPU seconds of all workers, pages, Redis
    commands, Redis microseconds) of ``workers`` processes sharing the crawl."""
    from newsarchiver.scaleout.connection import RedisKeys

    keys = RedisKeys()
    redis.client.flushall()
    calls, usec = redis.commands()
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run([*NEWSARCHIVER, "seed", "--redis-url", redis.url, url], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    command = [*NEWSARCHIVER, "crawl", "--redis-url", redis.url, "--worker", "--until-done",
               "-o", str(output), "--no-progress", *CRAWL_FAST]  # fmt: skip
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(workers)]
    done_at = None
    while any(p.poll() is None for p in processes):
        if done_at is None and _frontier_done(redis, keys):
            done_at = time.perf_counter()
        time.sleep(0.1)
    for process in processes:
        if process.returncode != 0:
            raise RuntimeError(f"a worker failed: exit {process.returncode}")
    seconds = (done_at or time.perf_counter()) - started
    after_calls, after_usec = redis.commands()
    return (seconds, _children_cpu() - cpu, _pages(output), after_calls - calls,
            after_usec - usec)  # fmt: skip


def _frontier_done(redis: Redis, keys: object) -> bool:
    from newsarchiver.scaleout.connection import RedisKeys

    assert isinstance(keys, RedisKeys)
    client = redis.client
    if client.zcard(keys.requests):
        return False
    names = client.hkeys(keys.workers)
    if not names:
        return False
    return all(
        client.zcard(keys.leases(n.decode() if isinstance(n, bytes) else n)) == 0 for n in names
    )


def main() -> None:
    console = Console()
    if shutil.which("redis-server") is None:
        console.print("skipped: redis-server is not installed (make system-packages)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)  # nginx's workers run as another user
        root = Path(tmp) / "site"
        write_site(root, ARTICLE_COUNT)
        redis = Redis(Path(tmp))
        try:
            with served(root) as (url, server):
                base = single(url, Path(tmp) / "single")
                runs = {n: shared(url, Path(tmp) / f"shared-{n}", redis, n) for n in WORKER_COUNTS}
            rtt = redis.round_trip_us()
        finally:
            redis.stop()
    seconds, cpu, pages = base
    rows = [("one process, no Redis", f"{pages / seconds:.1f}", "1.00×",
             f"{cpu * 1000 / pages:.1f}", "-", "-")]  # fmt: skip
    per_page_us = []
    for count, (seconds_n, cpu_n, pages_n, calls, usec) in runs.items():
        per_page_us.append(usec / pages_n)
        rows.append((
            f"{count} worker{'s' if count > 1 else ''} + Redis",
            f"{pages_n / seconds_n:.1f}",
            f"{(pages_n / seconds_n) / (pages / seconds):.2f}×",
            f"{cpu_n * 1000 / pages_n:.1f}",
            f"{calls / pages_n:.1f}",
            f"{usec / pages_n:.0f}",
        ))  # fmt: skip
    console.print(
        results_table(
            f"Scale-out: {ARTICLE_COUNT} articles ({pages} pages) on {server}, "
            f"{os.cpu_count()} cores",
            [
                "crawl",
                "pages/s",
                "vs one process",
                "CPU ms/page",
                "Redis cmds/page",
                "Redis µs/page",
            ],
            rows,
        )
    )
    worst = max(per_page_us)
    console.print(
        f"Redis round trip on loopback: {rtt:.0f} µs (median of 2,000 PINGs). Redis runs "
        f"commands on one thread: at {worst:.0f} µs of Redis time per page, one server "
        f"could feed about {1e6 / worst:,.0f} pages/s across all workers and machines."
    )


if __name__ == "__main__":
    main()

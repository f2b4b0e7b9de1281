"""Scale-out: pages/s of 1, 2 and 4 workers sharing one crawl through one Redis, against the
single-process crawl of the same site in the same run; Redis round-trips and Redis CPU per
page, from which what one Redis server could feed is computed rather than guessed.

The site is bench/throughput.py's generated WordPress-style site (not the sample site the
scale-out code was written against), served by nginx when it is installed. Politeness is off
(delay 0, 32 requests per site) so the crawl, not the site's delay, is measured.

    .venv/bin/python bench/scaleout.py        # BENCH_SCALEOUT_ARTICLES=800 by default

Each worker count runs twice: timed, and again with Redis's MONITOR counting the commands the
workers send (round trips; a Lua script is one), which slows Redis and so is not timed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childprocess import results_table
from throughput import CRAWL_FAST, _free_port, served, write_site

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

    def cpu_seconds(self) -> float:
        """CPU the Redis server has used so far (all of it: commands, scripts, network)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @contextmanager
    def round_trips(self) -> Iterator[list[int]]:
        """Counts the commands clients send (not those Lua scripts run inside Redis) with
        Redis's MONITOR; slows Redis down, so only runs that are not timed use it."""
        counted = [0]
        monitor = subprocess.Popen(
            ["redis-cli", "-u", self.url, "monitor"], stdout=subprocess.PIPE, text=True
        )

        def count() -> None:
            assert monitor.stdout is not None
            for line in monitor.stdout:
                if "[0 lua]" not in line and line.strip() != "OK":
                    counted[0] += 1

        reader = threading.Thread(target=count, daemon=True)
        reader.start()
        time.sleep(0.3)
        try:
            yield counted
        finally:
            time.sleep(0.5)
            monitor.terminate()
            monitor.wait(timeout=10)
            reader.join(timeout=10)

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


def shared(url: str, output: Path, redis: Redis, workers: int) -> tuple[float, float, int, float]:
    """(seconds until the shared frontier is done, CPU seconds of all workers, pages, Redis
    CPU seconds) of ``workers`` processes sharing the crawl."""
    from newsarchiver.scaleout.connection import RedisKeys
    from newsarchiver.scaleout.registry import crawl_done

    keys = RedisKeys()
    redis.client.flushall()
    redis_cpu = redis.cpu_seconds()
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run([*NEWSARCHIVER, "seed", "--redis-url", redis.url, url], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    command = [*NEWSARCHIVER, "crawl", "--redis-url", redis.url, "--worker", "--until-done",
               "-o", str(output), "--no-progress", *CRAWL_FAST]  # fmt: skip
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(workers)]
    done_at = None
    while any(p.poll() is None for p in processes):
        if done_at is None and redis.client.hlen(keys.workers) and crawl_done(redis.client, keys):
            done_at = time.perf_counter()
        time.sleep(0.1)
    for process in processes:
        if process.returncode != 0:
            raise RuntimeError(f"a worker failed: exit {process.returncode}")
    seconds = (done_at or time.perf_counter()) - started
    return seconds, _children_cpu() - cpu, _pages(output), redis.cpu_seconds() - redis_cpu


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
                trips = {}
                for n in WORKER_COUNTS:  # again, untimed, counting what the workers send
                    with redis.round_trips() as counted:
                        pages_n = shared(url, Path(tmp) / f"counted-{n}", redis, n)[2]
                    trips[n] = counted[0] / pages_n
            rtt = redis.round_trip_us()
        finally:
            redis.stop()
    seconds, cpu, pages = base
    rows = [("one process, no Redis", f"{pages / seconds:.1f}", "1.00×",
             f"{cpu * 1000 / pages:.1f}", "-", "-")]  # fmt: skip
    per_page_us = []
    for count, (seconds_n, cpu_n, pages_n, redis_cpu) in runs.items():
        per_page_us.append(redis_cpu * 1e6 / pages_n)
        rows.append((
            f"{count} worker{'s' if count > 1 else ''} + Redis",
            f"{pages_n / seconds_n:.1f}",
            f"{(pages_n / seconds_n) / (pages / seconds):.2f}×",
            f"{cpu_n * 1000 / pages_n:.1f}",
            f"{trips[count]:.1f}",
            f"{redis_cpu * 1e6 / pages_n:.0f}",
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
                "Redis round trips/page",
                "Redis CPU µs/page",
            ],
            rows,
        )
    )
    worst = max(per_page_us)
    console.print(
        f"Redis round trip on loopback: {rtt:.0f} µs (median of 2,000 PINGs). Redis runs "
        f"commands on one thread: at {worst:.0f} µs of Redis CPU per page (the most of the "
        f"runs above), one server could feed about {1e6 / worst:,.0f} pages/s across all "
        f"workers and machines."
    )


if __name__ == "__main__":
    main()

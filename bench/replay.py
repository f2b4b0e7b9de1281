"""Capture lookups: what `captures`, `replay`, `serve` and every re-crawled page pay.

Builds a capture index like a long-running archive's (BENCH_CDXJ_FILES files, one per WARC
file, BENCH_CDXJ_LINES captures each, a tenth of the URLs captured in several files) and times
`CaptureIndex.lookup` for random URLs against the baseline of reading the files through (what
finding a capture costs without a sorted index). Run with `make bench`.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsarchiver.warc.cdxj import Capture, CaptureIndex, surt_key, write_cdxj

FILES = int(os.environ.get("BENCH_CDXJ_FILES", "50"))
LINES = int(os.environ.get("BENCH_CDXJ_LINES", "20000"))


def build(index: CaptureIndex, rng: random.Random) -> list[str]:
    urls = [
        f"https://www.site{n % 40}.example/2024/05/{n}/story-{n}/" for n in range(FILES * LINES)
    ]
    repeated = urls[: len(urls) // 10]
    for n in range(FILES):
        own = urls[n * LINES : (n + 1) * LINES - LINES // 10] + rng.sample(repeated, LINES // 10)
        write_cdxj(
            index.directory / f"part-{n:03d}.cdxj",
            (
                Capture(
                    surt_key(u),
                    f"2024{n:02d}01000000",
                    u,
                    "text/html",
                    "200",
                    "A" * 32,
                    5000,
                    i * 5000,
                    f"2024-05/file-{n}.warc.gz",
                )
                for i, u in enumerate(own)
            ),
        )
    return urls


def scan(index: CaptureIndex, url: str) -> int:
    key = surt_key(url) + " "
    found = 0
    for path in index.files():
        with path.open(encoding="utf-8") as lines:
            found += sum(1 for line in lines if line.startswith(key))
    return found


def timed(function: object, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        function(url)  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    console = Console(width=120)
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as output:
        index = CaptureIndex(Path(output))
        console.print(f"building {FILES} CDXJ files of {LINES:,} captures …")
        started = time.perf_counter()
        urls = build(index, rng)
        build_s = time.perf_counter() - started
        lookups = timed(index.lookup, rng.sample(urls, 500))
        scans = timed(lambda u: scan(index, u), rng.sample(urls, 5))
    table = Table(title=f"Capture lookup in {FILES} CDXJ files, {FILES * LINES:,} captures")
    for column in ("way", "median ms", "p95 ms", "× baseline (median)"):
        table.add_column(column, justify="left" if column == "way" else "right")
    base = statistics.median(scans)
    for name, times in (("read every file (baseline)", scans), ("bisect (lookup)", lookups)):
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
        table.add_row(
            name,
            f"{statistics.median(times):.2f}",
            f"{p95:.2f}",
            f"{statistics.median(times) / base:.4f}",
        )
    console.print(table)
    console.print(f"writing the index files took {build_s:.1f}s")


if __name__ == "__main__":
    main()

"""Run a command as a child process and measure it: wall time and the child's own peak RSS."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterable, Sequence

from rich.table import Table

# Linux keeps a process's peak RSS across exec, so a child started straight from a benchmark
# holding hundreds of MB reports the benchmark's peak (61 MB instead of 23 MB, measured). A
# small launcher starts it instead and reports its children's peak.
_LAUNCHER = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run_measured(args: list[str]) -> tuple[float, float]:
    """(seconds, peak resident memory in MB) of one run of ``args``; raises if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    return seconds, int(done.stdout.split()[-1]) / 1024  # Linux reports kilobytes


def crawl_command(url: str, output: str, *extra: str) -> list[str]:
    """``newsarchiver crawl URL -o OUTPUT`` as a benchmark runs it (no progress line)."""
    return [
        sys.executable,
        "-m",
        "newsarchiver",
        "crawl",
        url,
        "-o",
        output,
        "--no-progress",
        *extra,
    ]


def results_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    """One table of results: the first column names the row, the others are figures."""
    table = Table(title=title)
    for number, column in enumerate(columns):
        table.add_column(column, justify="left" if number == 0 else "right")
    for row in rows:
        table.add_row(*row)
    return table

"""The reliability issue's first row, measured: a plain ``crawl URL -o OUT`` of 300 generated
articles (served slowly, so the kill lands mid-crawl) killed with SIGKILL, then the same
command again. Counts what the archive holds afterwards and checks every file with warcio.

Before the fix: 387 JSONL rows for 300 articles (64 URLs two or three times), the killed run's
WARC left ``.open``. Run: ``.venv/bin/python bench/killresume.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from childprocess import crawl_command
from crawl import synthetic_site
from rich.console import Console
from rich.table import Table

from newsarchiver.sample_site import serve_sample_site

ARTICLES = int(os.environ.get("BENCH_KILL_ARTICLES", "300"))
KILL_AFTER = float(os.environ.get("BENCH_KILL_AFTER", "8"))


def main() -> None:
    console = Console(width=130)
    with (
        serve_sample_site(site=synthetic_site(ARTICLES), delay_seconds=0.05) as site,
        tempfile.TemporaryDirectory() as output,
    ):
        command = crawl_command(
            site.url, output, "--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=False"
        )
        killed = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(KILL_AFTER)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        out = Path(output)
        rows_at_kill = sum(1 for f in out.glob("articles/*/*.jsonl") for _ in f.open())
        open_at_kill = len(list(out.glob("warc/**/*.open")))
        rerun = subprocess.run(command, capture_output=True, text=True)
        rows = [
            json.loads(line) for f in sorted(out.glob("articles/*/*.jsonl")) for line in f.open()
        ]
        urls = [row["url"] for row in rows]
        warcs = sorted(out.glob("warc/**/*.warc.gz"))
        checked = subprocess.run(
            [str(Path(sys.executable).parent / "warcio"), "check", *map(str, warcs)],
            capture_output=True,
            text=True,
        )
        partial = list(out.glob("articles/*/*.partial"))
        table = Table(title=f"kill -9 after {KILL_AFTER:.0f} s, then the same command again")
        for column in ("measure", "value"):
            table.add_column(column)
        for name, value in (
            ("articles on the site", ARTICLES),
            ("JSONL rows when killed", rows_at_kill),
            (".open WARC files when killed", open_at_kill),
            ("rerun exit status", rerun.returncode),
            ("JSONL rows after the rerun", len(rows)),
            ("distinct URLs among them", len(set(urls))),
            ("URLs stored more than once", len(urls) - len(set(urls))),
            (".open WARC files left", len(list(out.glob("warc/**/*.open")))),
            ("torn tails set aside (.partial)", len(partial)),
            ("WARC files / warcio check exit status", f"{len(warcs)} / {checked.returncode}"),
        ):
            table.add_row(name, str(value))
        console.print(table)


if __name__ == "__main__":
    main()

"""Long commands show a live progress line on a terminal, and only their summary in a pipe."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import TwiceCrawled, newsarchiver_command, run_cli

#: rich's cursor and line controls, so what a terminal shows can be read as text
_CONTROLS = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


def _on_a_terminal(*args: str) -> tuple[int, str]:
    """A command run with a pseudo-terminal as stdout and stderr, as in a user's shell."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        newsarchiver_command(*args),
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "160"},
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the command closed the terminal: it has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=120), _CONTROLS.sub("\n", shown.decode(errors="replace"))


def test_import_and_reindex_show_progress_then_a_summary(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    warcs = tmp_path / "warcs"
    warcs.mkdir()
    for path in sorted((twice_crawled.output / "warc").glob("**/*.warc.gz")):
        shutil.copy(path, warcs / path.name)
    output = tmp_path / "archive"
    status, shown = _on_a_terminal("import", str(warcs), "-o", str(output))
    assert status == 0, shown
    assert re.search(r"file [12] of 2: \S+\.warc\.gz: \d+ pages read", shown), shown
    assert re.search(r"imported 2 of 2 files in [\d.]+s: \d+ captures, 10 articles", shown)
    status, shown = _on_a_terminal("reindex", "-o", str(output))
    assert status == 0, shown
    assert re.search(r"WARC files read \(\S+\.warc\.gz\): \d+ captures", shown), shown
    # piped: the summary alone, no progress line and no terminal controls
    piped = run_cli(output, "reindex")
    assert piped.returncode == 0
    assert "WARC files read" not in piped.stdout + piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr
    assert re.search(r"indexed \d+ captures from 2 WARC files", piped.stdout)

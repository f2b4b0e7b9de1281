"""Every command the README prints runs as printed on the archive `make demo` makes.

The README's ``sh`` blocks are read here; a block whose first line says ``# needs …`` (a real
news site, a Redis server, files of your own) is not run, and ``make`` lines are the set-up
this suite runs under. Each other line runs in a shell from the directory the demo was made in
(``output/`` there), with ``.venv/`` meaning this environment. A server it starts (``serve``,
pywb's ``wayback``) must answer on its port, and is then stopped.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import DemoRun

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
#: the demo's sample site, as the README's examples name it
DEMO_SITE = "http://127.0.0.1:8000"
#: what a README line starts with when it is a command a user runs on the archive
RUNS = (".venv/", "cat ", "head ")
#: commands that serve until stopped, and the flag that names their port
SERVERS = {"newsarchiver serve": "--port", "wayback": "-p"}


def _readme_commands() -> list[str]:
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", README, re.M | re.S):
        lines = block.splitlines()
        if lines and lines[0].startswith("# needs"):
            continue
        commands += [line for line in lines if line.startswith(RUNS)]
    return commands


COMMANDS = _readme_commands()


def test_the_readme_has_commands_to_run_on_the_demo() -> None:
    # the sections a new user tries first: query, replay, history, the JSONL and WARC checks
    for wanted in ("query", "replay", "captures", "diff", "history", "changes", "warcio check"):
        assert any(wanted in command for command in COMMANDS), wanted


@pytest.fixture(scope="module")
def demo_dir(demo_run: DemoRun) -> tuple[Path, str]:
    """The directory `newsarchiver demo` ran in (as `make demo` runs it), and its site's URL."""
    assert demo_run.done.returncode == 0, demo_run.done.stderr
    served = re.search(r"Serving the sample news site at (\S+)/", demo_run.done.stdout)
    assert served, demo_run.done.stdout
    return demo_run.directory, served.group(1)


def _as_here(command: str, site: str) -> str:
    """The command for this machine: this environment for `.venv/`, the demo's port if 8000
    was taken (the demo says so and uses another)."""
    return command.replace(".venv/", f"{sys.prefix}/").replace(DEMO_SITE, site)


def _serves(command: str) -> int | None:
    for name, flag in SERVERS.items():
        if name in command:
            match = re.search(rf"{flag}\s+(\d+)", command)
            assert match, f"{command}: no port given"
            return int(match.group(1))
    return None


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs_on_the_demo_archive(command: str, demo_dir: tuple[Path, str]) -> None:
    work, site = demo_dir
    line = _as_here(command, site)
    port = _serves(command)
    if port is None:
        done = subprocess.run(
            ["bash", "-c", line], cwd=work, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (command, done.stderr)
        assert "Traceback" not in done.stderr and "Error" not in done.stderr, done.stderr
        return
    server = subprocess.Popen(
        ["bash", "-c", f"exec {line}"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    assert reply.status == 200
                    break
            except OSError:
                assert server.poll() is None, (command, server.communicate()[0])
                assert time.monotonic() < deadline, f"{command}: nothing on port {port}"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.communicate(timeout=30)

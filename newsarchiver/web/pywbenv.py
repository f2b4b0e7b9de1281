"""pywb in a Python environment of its own, made once beside newsarchiver's and found by replay.

pywb pins ``redis==2.10.6`` (and ``werkzeug``, ``gevent``), and scale-out needs scrapy-redis,
which needs ``redis>=4.2``: no one environment holds both, so ``pip install newsarchiver``
cannot bring pywb along. pywb already runs in a process of its own (pywbprocess.py), so it
may as well run from an interpreter of its own: the first ``serve`` (or ``make install``, or
``newsarchiver setup-replay``) creates it with ``venv`` and pip, and every later one finds
it. Chosen over a browser-side replay engine (wabac.js) because pywb is what the replay
origin, its Host checks and the tests were built and measured against, and it costs one
12 s, 98 MB install (measured on this machine) instead of a second replay stack.

Where: ``NEWSARCHIVER_PYWB_PYTHON`` names an interpreter that imports pywb (an environment
made by hand, or by a packager); otherwise ``PREFIX/newsarchiver-pywb`` beside the running
interpreter's own environment, or the user's data directory when that one is read-only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import ReplayUnavailable

#: the pywb release replay was tested with; one line to change when moving on
PYWB_REQUIREMENT = "pywb==2.10.0"
PYTHON_VARIABLE = "NEWSARCHIVER_PYWB_PYTHON"
_ENV_NAME = "newsarchiver-pywb"
_CHECK = "import pywb.apps.cli"


def env_dir() -> Path:
    """Where the environment is made: beside ours when we may write there."""
    beside = Path(sys.prefix) / _ENV_NAME
    if beside.exists() or os.access(sys.prefix, os.W_OK):
        return beside
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "newsarchiver" / _ENV_NAME


def _env_python(env: Path) -> Path:
    return env / "bin" / "python"


def _imports_pywb(python: Path) -> bool:
    if not python.exists():
        return False
    done = subprocess.run([str(python), "-c", _CHECK], capture_output=True, check=False)
    return done.returncode == 0


def pywb_python() -> Path | None:
    """The interpreter that runs pywb, if there is one."""
    named = os.environ.get(PYTHON_VARIABLE)
    if named:
        return Path(named)
    python = _env_python(env_dir())
    return python if python.exists() else None


def ensure_pywb(say: Callable[[str], None] = lambda _: None) -> Path:
    """The interpreter that runs pywb, making its environment first when there is none.
    Raises ReplayUnavailable (one line) when it cannot be made."""
    named = os.environ.get(PYTHON_VARIABLE)
    if named:
        if not _imports_pywb(Path(named)):
            raise ReplayUnavailable(f"{PYTHON_VARIABLE}={named} cannot import pywb")
        return Path(named)
    env = env_dir()
    python = _env_python(env)
    if _imports_pywb(python):
        return python
    say(f"setting up pywb for replay in {env} (once; about 100 MB)")
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(env)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         PYWB_REQUIREMENT],
    )  # fmt: skip
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
        except OSError as error:
            raise ReplayUnavailable(f"cannot set up pywb in {env}: {error}") from None
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            last = lines[-1] if lines else f"exit status {done.returncode}"
            raise ReplayUnavailable(f"cannot set up pywb in {env}: {last}")
    return python

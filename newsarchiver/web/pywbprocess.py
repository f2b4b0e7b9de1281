"""pywb in a process of its own, replaying from the archive's CDXJ index and WARC files.

Its own process because pywb patches the whole interpreter for gevent when imported, and pins
libraries (redis 2.x) that scale-out needs newer: the web app talks to it over HTTP on
127.0.0.1, and it runs from an environment of its own (pywbenv.py).
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..errors import ReplayUnavailable
from ..layout import ArchiveLayout
from .pywbenv import ensure_pywb

#: the collection name is the URL prefix: /replay/<timestamp>/<url>
COLLECTION = "replay"


def pywb_config(output: Path) -> dict[str, object]:
    """One collection over the archive; no live web, no recording, no proxy."""
    layout = ArchiveLayout(output)
    return {
        "collections": {
            COLLECTION: {
                "index_paths": str(layout.cdxj_dir.resolve()) + "/",
                "archive_paths": str(layout.warc_dir.resolve()) + "/",
            }
        },
        # content only (``mp_``) is asked of pywb: the frame around it is the UI's banner page,
        # which wombat tells where the replayed page navigates (postMessage to the parent)
        "framed_replay": True,
        "enable_auto_colls": False,
        "enable_memento": True,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PywbProcess:
    """Starts ``wayback`` on a free port of 127.0.0.1; a context manager that stops it."""

    def __init__(
        self,
        output: Path,
        *,
        start_timeout: float = 60.0,
        say: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.output = output
        self.say = say
        self.start_timeout = start_timeout
        self.port = 0
        self._workdir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def start(self) -> PywbProcess:
        python = ensure_pywb(self.say)
        ArchiveLayout(self.output).cdxj_dir.mkdir(parents=True, exist_ok=True)
        self._workdir = Path(tempfile.mkdtemp(prefix="newsarchiver-pywb-"))
        # JSON is YAML: no YAML writer needed for pywb's config.yaml
        (self._workdir / "config.yaml").write_text(json.dumps(pywb_config(self.output)))
        self.port = free_port()
        log = (self._workdir / "pywb.log").open("wb")
        self._process = subprocess.Popen(
            [
                str(python),
                "-c",
                "from pywb.apps.cli import wayback; wayback()",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=self._workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                raise ReplayUnavailable(f"pywb exited at start: {self._log_tail()}")
            try:
                socket.create_connection(self.address, timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise ReplayUnavailable(f"pywb did not start in {self.start_timeout:.0f}s")

    def _log_tail(self) -> str:
        if not self._workdir:
            return ""
        lines = (self._workdir / "pywb.log").read_text(errors="replace").strip().splitlines()
        return lines[-1] if lines else "(no output)"

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._workdir:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

    def __enter__(self) -> PywbProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

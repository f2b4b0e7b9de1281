"""The foreground scheduler: every configured site crawled when due, each in its own process.

A process per crawl because Scrapy's reactor cannot be restarted. Never two crawls of one site
at once, at most ``max_parallel`` crawls at a time. A site is due when its schedule says so
after its last run started; runs missed while the scheduler was down make it due once, now.
A site whose last run was interrupted is due at once, and resumes it. SIGINT/SIGTERM stop the
scheduler: running crawls get SIGTERM (Scrapy closes them gracefully: WARC files closed, JSONL
complete, the run recorded "interrupted" with its job state kept for the next run) and are
waited for. The sites file is read again on every tick, so edits apply without a restart.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType

from .runs import INTERRUPTED, RUNNING, RunLog
from .sites import Site, SiteConfigError, load_sites

logger = logging.getLogger(__name__)

#: how long running crawls get to close gracefully after SIGTERM before they are killed
STOP_TIMEOUT = 120.0


@dataclass
class Due:
    site: Site
    next_run: datetime | None
    last_status: str | None
    last_started: str | None

    @property
    def running(self) -> bool:
        """A run of the site is going on (the scheduler's, or one started by hand or cron)."""
        return self.last_status == RUNNING


def due_times(sites: dict[str, Site], runs: RunLog, now: datetime) -> list[Due]:
    """When each site runs next (None: by hand only), soonest first."""
    found = []
    for site in sites.values():
        last = runs.last(site.name)
        if last is not None and last.status == INTERRUPTED and (site.every or site.cron):
            next_run: datetime | None = now  # resume what was cut short
        elif last is not None and last.status == RUNNING:
            next_run = site.next_run(last.started, now)
        else:
            next_run = site.next_run(last.started if last else None, now)
        found.append(
            Due(site, next_run, last.status if last else None, last.started_at if last else None)
        )
    far = datetime.max.replace(tzinfo=timezone.utc)
    return sorted(found, key=lambda d: (d.next_run or far, d.site.name))


@dataclass
class Scheduler:
    output: Path
    sites_file: Path
    max_parallel: int = 2
    tick: float = 1.0
    #: the command that crawls one site (a new Python process running `crawl --site`)
    command: Callable[[str], list[str]] = field(default=None)  # type: ignore[assignment]
    on_event: Callable[[str], None] = print
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _stopping: bool = False

    def __post_init__(self) -> None:
        if self.command is None:
            self.command = self._crawl_command

    def _crawl_command(self, site: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "newsarchiver",
            "crawl",
            "--site",
            site,
            "--sites-file",
            str(self.sites_file),
            "--output",
            str(self.output),
            "--no-progress",
        ]

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self._stopping = True

    def run(self, *, once: bool = False) -> None:
        """Until stopped (or, with ``once``, until the sites due now have run)."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.stop)
        with RunLog(self.output) as runs:
            while not self._stopping:
                self._reap()
                runs.close_orphans()  # a crawl killed outright: its run is over
                try:
                    sites = load_sites(self.sites_file)
                except SiteConfigError as error:  # keep running crawls; say why nothing starts
                    self.on_event(f"error: {error}")
                    sites = {}
                now = datetime.now(timezone.utc)
                for due in due_times(sites, runs, now):
                    name = due.site.name
                    if due.next_run is None or due.next_run > now:
                        continue
                    if name in self.running or due.running:  # never two runs of one site
                        continue
                    if len(self.running) >= self.max_parallel:
                        break
                    self._start(name)
                if once and not self.running:
                    break
                time.sleep(self.tick)
        self._stop_running()

    def _start(self, name: str) -> None:
        self.on_event(f"starting {name}")
        # a session of its own: Ctrl-C in the terminal reaches the scheduler only, which then
        # sends one SIGTERM (a second signal would make Scrapy stop without closing cleanly)
        self.running[name] = subprocess.Popen(
            self.command(name),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def _reap(self) -> None:
        for name, process in list(self.running.items()):
            code = process.poll()
            if code is not None:
                del self.running[name]
                self.on_event(f"{name} ended (exit {code})")

    def _stop_running(self) -> None:
        if not self.running:
            return
        self.on_event(f"stopping {', '.join(sorted(self.running))} (they resume next time)")
        for process in self.running.values():
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, process in self.running.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.on_event(f"{name} did not stop in {STOP_TIMEOUT:.0f}s: killed")
                process.kill()
                process.wait()
        self.running.clear()

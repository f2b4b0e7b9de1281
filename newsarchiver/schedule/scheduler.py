"""The foreground scheduler: every configured site crawled when due, each in its own process.

A process per crawl because Scrapy's reactor cannot be restarted: a fresh interpreter
(multiprocessing's "spawn") that calls the library's :func:`run_site` directly, never the
command line, with everything it prints kept in that run's ``crawl.log`` (``runs`` shows it).
Never two crawls of one site at once, at most ``max_parallel`` crawls at a time. A site is due
when its schedule says so after its last run started; runs missed while the scheduler was down
make it due once, now. A site whose last run was interrupted is due at once, and resumes it.
SIGINT/SIGTERM stop the scheduler: running crawls get SIGTERM (Scrapy closes them gracefully:
WARC files closed, JSONL complete, the run recorded "interrupted" with its job state kept for
the next run) and are waited for. The sites file is read again on every tick, so edits apply
without a restart. With a ``seed`` function (``schedule run --redis-url``), a due site is
instead seeded into the crawl shared through Redis, where workers take it, and its run is
recorded as "seeded".
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

from ..errors import NewsarchiverError, SiteConfigError
from ..layout import ArchiveLayout, new_crawl_id
from .runs import FAILED, INTERRUPTED, RUNNING, SEEDED, RunLog
from .sites import Site, load_sites

logger = logging.getLogger(__name__)

#: seconds a failing site waits before its next try: the first time, and at most
BACKOFF_FIRST, BACKOFF_MAX = 30.0, 3600.0
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


def site_run_process(output: Path, sites_file: Path, name: str, crawl_id: str) -> None:
    """A site run in a process of its own (the scheduler's child): its own session, so Ctrl-C
    in the terminal reaches the scheduler only, which then sends one SIGTERM (a second signal
    would make Scrapy stop without closing cleanly); stdout and stderr into the run's log."""
    from .siterun import run_site  # Scrapy is imported in the child only

    os.setsid()
    log_file = ArchiveLayout(output).crawl(crawl_id).log_file
    log_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    for stream in (1, 2):
        os.dup2(descriptor, stream)
    try:
        summary = run_site(load_sites(sites_file)[name], output, crawl_id=crawl_id)
    except NewsarchiverError as error:  # another run of the site, a broken sites file
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    sys.exit(1 if summary.status == FAILED else 0)


def _nothing_due(due: list[Due]) -> str:
    """What `schedule run --once` says when it has nothing to start."""
    scheduled = [d for d in due if d.next_run is not None]
    if not scheduled:
        return "nothing due: no site has a schedule (sites add --every/--cron)"
    first = scheduled[0]
    assert first.next_run is not None
    return f"nothing due now; next: {first.site.name} at {first.next_run:%Y-%m-%d %H:%M} UTC"


@dataclass
class Scheduler:
    output: Path
    sites_file: Path
    max_parallel: int = 2
    tick: float = 1.0
    on_event: Callable[[str], None] = print
    #: seeds a site into a shared crawl and says where (None: crawl here, a process per site)
    seed: Callable[[Site], str] | None = None
    running: dict[str, BaseProcess] = field(default_factory=dict)
    _stopping: bool = False
    #: site → (monotonic time before which it is not started again, the wait that gave it)
    _backoff: dict[str, tuple[float, float]] = field(default_factory=dict)

    def stop(self, signum: int = signal.SIGTERM, frame: FrameType | None = None) -> None:
        self._stopping = True

    def run(self, *, once: bool = False) -> None:
        """Until stopped (or, with ``once``, until the sites due now have run)."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.stop)
        started_any = False
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
                due_now = due_times(sites, runs, now)
                for due in due_now:
                    name = due.site.name
                    if due.next_run is None or due.next_run > now:
                        continue
                    if name in self.running or due.running:  # never two runs of one site
                        continue
                    if self._backoff.get(name, (0.0, 0.0))[0] > time.monotonic():
                        continue  # it failed just now: not again before its back-off ends
                    if self.seed is not None:
                        self._seed(due.site, runs)
                        started_any = True
                        continue
                    if len(self.running) >= self.max_parallel:
                        break
                    self._start(name)
                    started_any = True
                if once and not self.running:
                    if not started_any:
                        self.on_event(_nothing_due(due_now))
                    break
                time.sleep(self.tick)
        self._stop_running()

    def _start(self, name: str) -> None:
        crawl_id = new_crawl_id()
        log_file = ArchiveLayout(self.output).crawl(crawl_id).log_file
        self.on_event(f"starting {name} (log: {log_file})")
        process = multiprocessing.get_context("spawn").Process(
            target=site_run_process,
            args=(self.output, self.sites_file, name, crawl_id),
            name=f"newsarchiver-{name}",
        )
        process.start()
        self.running[name] = process

    def _seed(self, site: Site, runs: RunLog) -> None:
        assert self.seed is not None
        run_id = runs.start(site.name, new_crawl_id())
        try:
            where = self.seed(site)
        except NewsarchiverError as error:  # Redis away: tried again after the back-off
            runs.finish(run_id, FAILED, None, str(error))
            self.on_event(f"{site.name} not seeded: {error}")
            return
        runs.finish(run_id, SEEDED, None, where)
        self.on_event(f"seeded {site.name} into {where}")

    def _reap(self) -> None:
        for name, process in list(self.running.items()):
            code = process.exitcode
            if code is not None:
                process.join()
                del self.running[name]
                if code == 0:
                    self._backoff.pop(name, None)
                    self.on_event(f"{name} ended (exit {code})")
                    continue
                # a failing site (a full disk, a broken config) is retried later and later,
                # never in a loop: 30 s, then twice as long each time, at most an hour
                _, last = self._backoff.get(name, (0.0, 0.0))
                wait = min(BACKOFF_MAX, last * 2 or BACKOFF_FIRST)
                self._backoff[name] = (time.monotonic() + wait, wait)
                self.on_event(f"{name} failed (exit {code}); next try in {wait:.0f}s")

    def _stop_running(self) -> None:
        if not self.running:
            return
        self.on_event(f"stopping {', '.join(sorted(self.running))} (they resume next time)")
        for process in self.running.values():
            process.terminate()  # SIGTERM: Scrapy closes the crawl cleanly
        deadline = time.monotonic() + STOP_TIMEOUT
        for name, process in self.running.items():
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.exitcode is None:
                self.on_event(f"{name} did not stop in {STOP_TIMEOUT:.0f}s: killed")
                process.kill()
                process.join()
        self.running.clear()

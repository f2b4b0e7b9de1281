"""A crawl's resumable job state (Scrapy's JOBDIR), kept under OUTPUT, and when to trust it.

The same command run again continues where an interrupted crawl stopped: a configured site's
runs keep theirs in ``OUTPUT/schedule/jobs/SITE/``, a plain crawl in ``OUTPUT/jobs/KEY/``, KEY
naming what was asked (start URLs, feeds, sitemaps). Scrapy writes the frontier only when it
closes, so the state is trusted only when the last run stopped cleanly (SIGINT/SIGTERM), which
leaves a mark; a run killed outright (``kill -9``, a power cut) leaves none, and the next run
starts from the start pages, feeds and sitemaps again, the archive skipping what is done (the
incremental lookups, one row per version). A finished or failed run leaves no state at all.
One process at a time holds a job (a lock file beside it).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ArchiveWriteError, CrawlBusy

logger = logging.getLogger(__name__)

#: left in the job directory by a run that stopped cleanly: its state can be resumed
STOPPED_CLEANLY = "newsarchiver-stopped-cleanly"
#: the finish reason of a crawl stopped by SIGINT/SIGTERM, as Scrapy names it
SHUTDOWN = "shutdown"
#: the finish reason of a crawl stopped by a write that failed (recorded as a failed run)
WRITE_FAILED = "write_failed"


def job_key(*urls: list[str]) -> str:
    """What a plain crawl was asked, as a short stable name."""
    asked = "\n".join(sorted(u for group in urls for u in group))
    return hashlib.sha1(asked.encode()).hexdigest()[:12]


@contextmanager
def holding(job: Path, what: str) -> Iterator[None]:
    """The job for this process alone, whoever else starts it (scheduler, cron, by hand); the
    lock goes with the process, however it ends. Raises CrawlBusy naming ``what``."""
    lock = job.with_name(job.name + ".lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = lock.open("a+")
    except OSError as error:  # a read-only or full output directory
        raise ArchiveWriteError.of(lock, error) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise CrawlBusy(f"{what} is being crawled now (by pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def open_job(job: Path, *, fresh: bool = False) -> bool:
    """Ready the job directory for a run; True when it resumes an interrupted one."""
    mark = job / STOPPED_CLEANLY
    if job.exists() and (fresh or not mark.exists()):
        if not fresh:
            logger.warning(
                "the last run of this crawl was killed: its job state is not trusted; "
                "rediscovering from the start pages, feeds and sitemaps (archived articles "
                "are skipped)"
            )
        shutil.rmtree(job)
    resuming = mark.exists()
    if resuming:
        logger.warning("resuming the interrupted crawl from %s (--fresh starts over)", job)
        mark.unlink()
    return resuming


def close_job(job: Path, finish_reason: str | None) -> None:
    """Keep the state of a run stopped by a signal (marked trusted); drop any other's."""
    if finish_reason == SHUTDOWN and job.is_dir():
        (job / STOPPED_CLEANLY).write_text("stopped by a signal; resumable\n")
    else:
        shutil.rmtree(job, ignore_errors=True)

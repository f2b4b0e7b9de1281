"""Scrapy's scheduler, but a full disk under the job directory stops the crawl with one line.

With a job directory (resumable crawls, crawl/job.py) Scrapy's scheduler writes every pending
request to disk, and its duplicate filter every new request's fingerprint. When such a write
fails (a full disk) Scrapy raises it in the engine's loop, again for every request, each time
with a traceback; and its close fails the same way. Here a
failed write stops the crawl as any failed archive write does (crawl/failures.py), the request
is kept in memory for the rest of this run (a stopped run's job state is not resumed anyway),
and a failed close is one line.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Self

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler

from ..errors import ArchiveWriteError
from .failures import stop_for_write_error

logger = logging.getLogger(__name__)


class JobScheduler(Scheduler):
    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

    def enqueue_request(self, request: Request) -> bool:
        try:
            return bool(super().enqueue_request(request))
        except OSError as error:
            # the job directory's list of seen requests (Scrapy's RFPDupeFilter writes each new
            # one), after the request was taken as new: kept in memory for the rest of the run
            self._stop(self._where().parent / "requests.seen", error)
            self._mqpush(request)
            return True

    def _dqpush(self, request: Request) -> bool:
        try:
            return bool(super()._dqpush(request))
        except OSError as error:
            self._stop(self._where(), error)
            return False  # into the memory queue

    def _stop(self, where: Path, error: OSError) -> None:
        if self.crawler is not None:
            stop_for_write_error(self.crawler, ArchiveWriteError.of(where, error))

    def close(self, reason: str) -> Any:
        try:
            return super().close(reason)
        except OSError as error:
            logger.error("job state not saved: %s", ArchiveWriteError.of(self._where(), error))
            return None

    def _where(self) -> Path:
        return Path(str(getattr(self, "dqdir", None) or "the job directory"))

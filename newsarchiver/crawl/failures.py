"""How a crawl reports what went wrong: counted by kind, logged on one line, never raised.

Kinds are stable names (``http_404``, ``timeout``, ``redirect_loop``, ``binary_body``…): the
summary, the stats and later the run history count them.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from ..errors import ArchiveWriteError
from .job import WRITE_FAILED

logger = logging.getLogger("newsarchiver")


#: exception class names (Twisted's, and Scrapy's since 2.14) → kind, and what to say
_FAILURES = {
    "TimeoutError": ("timeout", "timed out"),
    "TCPTimedOutError": ("timeout", "timed out"),
    "DownloadTimeoutError": ("timeout", "timed out"),
    "DNSLookupError": ("dns", "DNS lookup failed"),
    "CannotResolveHostError": ("dns", "DNS lookup failed"),
    "ConnectionRefusedError": ("connection_refused", "connection refused"),
    "DownloadConnectionRefusedError": ("connection_refused", "connection refused"),
    "DownloadCancelledError": ("too_large", "body larger than DOWNLOAD_MAXSIZE"),
    "ResponseDataLossError": ("data_loss", "connection lost mid-body"),
    "ConnectionLost": ("connection_lost", "connection lost"),
    "ResponseFailed": ("connection_lost", "connection lost"),
    "DownloadFailedError": ("connection_lost", "connection lost"),
}


def describe_failure(error: BaseException) -> tuple[str, str]:
    """(kind, one-line message) for a download failure."""
    name = type(error).__name__
    if name in _FAILURES:
        return _FAILURES[name]
    return name, describe(error)


def describe(error: BaseException) -> str:
    """An exception on one line: its class and the first line of its message, never more
    (a message may hold a whole page)."""
    first = (str(error).strip().splitlines() or [""])[0][:200]
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def report_error(stats: StatsCollector, kind: str, message: str, url: str) -> None:
    stats.inc_value(f"newsarchiver/errors/{kind}")
    stats.inc_value("newsarchiver/errors")
    logger.warning("%s: %s", message, url)


def stop_for_write_error(crawler: Crawler, error: ArchiveWriteError) -> None:
    """The first failed write of the archive stops the crawl, cleanly: one line naming the
    file and the cause, the reason ``write_failed`` (a failed run), nothing written after it.
    Later failures while it stops are counted, not repeated."""
    stats = crawler.stats
    assert stats is not None
    stats.inc_value("newsarchiver/errors/write_failed")
    if stats.get_value("newsarchiver/write_error"):
        return
    stats.set_value("newsarchiver/write_error", str(error))
    stats.inc_value("newsarchiver/errors")
    logger.error("%s; stopping the crawl (what is archived so far is intact)", error)
    if crawler.engine is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=WRITE_FAILED))

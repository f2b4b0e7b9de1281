"""A worker's presence in the shared crawl: heartbeat, counters, leases swept, the dead reaped.

Every second a worker releases the leases it is done with (queue.py); every
``SCALEOUT_HEARTBEAT`` seconds it renews ``PREFIX:alive:WORKER`` (which expires after
``SCALEOUT_WORKER_TIMEOUT``) and writes its counters to ``PREFIX:workers`` for
``newsarchiver workers``; and it looks for workers whose heartbeat has expired, moving their
leases back into the frontier (one Lua script each, so two workers never both do it). A
worker stopped cleanly hands its leases back itself. With ``SCALEOUT_UNTIL_DONE`` a worker
stops once the frontier is empty and no live worker holds a lease; otherwise it waits for
more work (``seed``, the scheduler) until it is stopped.
"""

from __future__ import annotations

import json
import logging
import os
import time
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

from ..items import ArchivedArticle
from ..layout import CrawlLayout
from ..urls import article_key
from .connection import RedisKeys, from_settings, host_name
from .ledger import SharedLedger
from .queue import Leases
from .registry import GONE, RUNNING, STOPPED, crawl_done, read_workers
from .seen import ExpiringSeen
from .sites import SharedSites

logger = logging.getLogger(__name__)

_TICK = 1.0
_TRIM_EVERY = 60.0


class WorkerPresence:
    """An extension of shared crawls (``REDIS_URL`` set)."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("not a shared crawl (no REDIS_URL)")
        self.crawler = crawler
        self.server = from_settings(settings)
        self.keys = RedisKeys.from_settings(settings)
        self.worker = str(settings.get("NEWSARCHIVER_CRAWL_ID"))
        self.timeout = settings.getfloat("SCALEOUT_WORKER_TIMEOUT")
        self.heartbeat = settings.getfloat("SCALEOUT_HEARTBEAT")
        self.until_done = settings.getbool("SCALEOUT_UNTIL_DONE")
        self.leases = Leases(self.server, self.keys, self.worker)
        #: the seeded sites (sites.py), for the spider's reach and rules and for politeness
        self.sites = SharedSites(
            self.server, self.keys, settings.getbool("REACH_PRIVATE_ADDRESSES")
        )
        self.ledger = SharedLedger.from_settings(settings)
        self.seen = ExpiringSeen(
            self.server, self.keys.seen, settings.getfloat("SCALEOUT_SEEN_HOURS") * 3600
        )
        layout = CrawlLayout.from_settings(settings)
        self.jsonl = layout.archive.relative(layout.articles_file)
        self.output = str(layout.root.resolve())
        self.started = time.time()
        self._beaten = 0.0
        self._trimmed = time.monotonic()
        self._rate: tuple[float, int] = (time.monotonic(), 0)
        self.pages_per_s = 0.0
        self._loop = task.LoopingCall(self.tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerPresence:
        presence = cls(crawler)
        crawler.signals.connect(presence.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(presence.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(presence.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(presence.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(presence.item_dropped, signal=signals.item_dropped)
        return presence

    @classmethod
    def of(cls, crawler: Crawler) -> WorkerPresence:
        """The crawler's own (the leased queue asks for it)."""
        assert crawler.extensions is not None
        for extension in crawler.extensions.middlewares:
            if isinstance(extension, cls):
                return extension
        raise NotConfigured("the leased queue needs newsarchiver's WorkerPresence extension")

    # -- signals -------------------------------------------------------------------------------

    def spider_opened(self) -> None:
        self.beat()
        self._loop.start(_TICK, now=False)
        logger.info("worker %s joined the shared crawl at %s", self.worker, self.keys.prefix)

    def spider_idle(self) -> None:
        if not self.until_done or not self.crawl_done():
            raise DontCloseSpider

    def spider_closed(self, reason: str) -> None:
        if self._loop.running:
            self._loop.stop()
        self.leases.sweep(self._in_engine())
        moved = self.leases.hand_back()
        if moved:
            logger.info("handed %d unfinished requests back to the shared crawl", moved)
        self.beat(state=STOPPED)
        self.server.delete(self.keys.alive(self.worker))

    def item_scraped(self, item: Any) -> None:
        if self.ledger is not None and isinstance(item, ArchivedArticle):
            self.ledger.written(article_key(item.canonical_url or item.url))

    def item_dropped(self, item: Any) -> None:
        if self.ledger is not None and isinstance(item, ArchivedArticle):
            self.ledger.not_written(article_key(item.canonical_url or item.url))

    # -- every second ----------------------------------------------------------------------------

    def tick(self) -> None:
        try:
            self.leases.sweep(self._in_engine())
            self._wake_if_work()
            now = time.monotonic()
            if now - self._beaten >= self.heartbeat:
                self.beat()
                self.reap()
            if now - self._trimmed >= _TRIM_EVERY:
                self._trimmed = now
                self.seen.trim()
        except Exception as error:  # Redis away longer than the client retries: next tick
            logger.warning("shared crawl: %s", error)

    def _wake_if_work(self) -> None:
        """An idle engine asks its scheduler again only every 5 s (its heartbeat); a worker
        with nothing to do asks as soon as another worker queued something. Scrapy has no
        public call for "ask the scheduler now", hence its engine slot's own ``nextcall``."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if engine is None or nextcall is None or engine.downloader.active:
            return
        if self.server.zcard(self.keys.requests):
            nextcall.schedule()

    def _in_engine(self) -> set[Request]:
        engine = self.crawler.engine
        if engine is None:
            return set()
        held = set(engine.downloader.active)
        if engine.scraper.slot is not None:
            held |= engine.scraper.slot.active
        return held

    def beat(self, state: str = RUNNING) -> None:
        now = time.monotonic()
        self._beaten = now
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        pages = int(stats.get("downloader/response_count", 0))
        since, before = self._rate
        if now - since >= 5.0:
            self.pages_per_s = (pages - before) / (now - since)
            self._rate = (now, pages)
        record = {
            "worker": self.worker,
            "host": host_name(),
            "pid": os.getpid(),
            "state": state,
            "started": self.started,
            "last_seen": time.time(),
            "pages": pages,
            "articles": int(stats.get("newsarchiver/articles", 0)),
            "errors": int(stats.get("newsarchiver/errors", 0)),
            "pages_per_s": round(self.pages_per_s, 2),
            "leases": len(self.leases.held),
            "output": self.output,
            "jsonl": self.jsonl,
        }
        pipe = self.server.pipeline(transaction=True)
        pipe.hset(self.keys.workers, self.worker, json.dumps(record))
        if state == RUNNING:
            pipe.set(self.keys.alive(self.worker), b"1", ex=max(1, int(self.timeout)))
        pipe.execute()

    def reap(self) -> int:
        """Hand back the leases of workers whose heartbeat expired; how many requests."""
        moved = 0
        for worker in read_workers(self.server, self.keys):
            if worker.name == self.worker or not worker.running or worker.alive:
                continue
            count = self.leases.hand_back(worker.name)
            moved += count
            record = {**worker.record, "state": GONE}
            self.server.hset(self.keys.workers, worker.name, json.dumps(record))
            logger.warning(
                "worker %s stopped answering: %d of its requests handed out again",
                worker.name,
                count,
            )
        return moved

    def crawl_done(self) -> bool:
        """Nothing in the frontier, and no live worker (this one included) holds a lease."""
        return not self.leases.held and crawl_done(self.server, self.keys)

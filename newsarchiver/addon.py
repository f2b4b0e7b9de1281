"""The newsarchiver add-on: what another Scrapy project adds to archive with newsarchiver.

    ADDONS = {"newsarchiver.addon.Newsarchiver": 0}

It registers the components (WARC capture, extraction, JSONL, index, summary, incremental
fetches, redirect loops), gives every ``NEWSARCHIVER_*``/``WARC_*``/… setting its default when
the project has not set it, and names each crawler's run with a crawl id of its own when none
is given, so two crawlers in one process never write to the same file. newsarchiver's own
project settings (``settings.py``) use it the same way.
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from .layout import new_crawl_id

#: our settings and their defaults; README.md's settings table documents each
DEFAULTS: dict[str, Any] = {
    "NEWSARCHIVER_OUTPUT": "output",
    # the id naming this crawl's files; the add-on makes one per crawler when it is not given
    "NEWSARCHIVER_CRAWL_ID": None,
    "WARC_ENABLED": True,
    "WARC_PREFIX": "newsarchiver",
    "WARC_MAX_SIZE": 1_000_000_000,  # bytes; a file is closed and a new one started past this
    "WARC_OPERATOR": "",
    "WARC_DESCRIPTION": "",
    # what gzips each record, "zlib" or "isal", and at which level (None: the engine's
    # default here); the trade of CPU against size: warc/writer.py, bench/gzip_levels.py
    "WARC_GZIP_ENGINE": "zlib",
    "WARC_GZIP_LEVEL": None,
    # an unchanged page (same payload digest as its last capture) is stored as a revisit record
    "WARC_REVISITS": True,
    # incremental crawls (on for `crawl --site` and the scheduler): archived articles are
    # skipped unless published (or first archived) within the re-check window, or a feed or
    # sitemap says they changed; those are fetched conditionally
    "INCREMENTAL_ENABLED": False,
    "INCREMENTAL_RECHECK_HOURS": 48.0,
    # CSS selectors removed from every page before extraction (a site's own boilerplate)
    "EXTRACTION_DROP_SELECTORS": [],
    "EXTRACTION_MARKDOWN": False,  # also keep each article as Markdown (the `markdown` field)
    # processes extracting articles; None: one per core, 0: threads of the crawl process
    "EXTRACTION_WORKERS": None,
    "INDEX_ENABLED": True,  # keep OUTPUT/index/articles.sqlite up to date as crawls run
    # links and redirects may lead to private, loopback and link-local addresses other than
    # the hosts a crawl was started on (intranet archives); see crawl/reach.py
    "REACH_PRIVATE_ADDRESSES": False,
    # scale-out (newsarchiver/scaleout/): set REDIS_URL and the crawl is shared through Redis
    "REDIS_URL": None,
    "SCALEOUT_KEY_PREFIX": "newsarchiver",  # every key of one shared crawl starts with it
    "SCALEOUT_SEEN_HOURS": 20.0,  # a URL fetched this long ago may be fetched again
    "SCALEOUT_WORKER_TIMEOUT": 30.0,  # seconds without a heartbeat: its requests go back
    "SCALEOUT_HEARTBEAT": 2.0,
    "SCALEOUT_UNTIL_DONE": False,  # stop when the shared frontier is empty (else wait)
    "SCALEOUT_LEDGER_DAYS": 30.0,  # how long the shared version ledger remembers an article
    # seconds between two requests to one site across all workers; None: DOWNLOAD_DELAY
    "SCALEOUT_DELAY": None,
}

#: the scrapy-redis scheduler of a shared crawl, with our leased queue and expiring seen set
SHARED_SCHEDULER: dict[str, Any] = {
    "SCHEDULER": "newsarchiver.scaleout.queue.SharedScheduler",
    "SCHEDULER_QUEUE_CLASS": "newsarchiver.scaleout.queue.LeasedQueue",
    "DUPEFILTER_CLASS": "newsarchiver.scaleout.seen.ExpiringSeen",
    "SCHEDULER_PERSIST": True,  # the frontier outlives every worker
}

_PACKAGE = "newsarchiver"
#: (setting, component, order) the add-on registers
COMPONENTS = (
    # before Scrapy's robots.txt (100): a request out of reach does not even ask for robots.txt
    ("DOWNLOADER_MIDDLEWARES", "downloadermiddlewares.reach.ReachMiddleware", 40),
    ("DOWNLOADER_MIDDLEWARES", "downloadermiddlewares.incremental.IncrementalFetch", 60),
    ("DOWNLOADER_MIDDLEWARES", "downloadermiddlewares.redirectloop.RedirectLoopMiddleware", 650),
    # last before the downloader: what it lets through is what reaches the network
    ("DOWNLOADER_MIDDLEWARES", "downloadermiddlewares.pagebudget.PageBudget", 990),
    ("ITEM_PIPELINES", "pipelines.extraction.ExtractionPipeline", 300),
    ("ITEM_PIPELINES", "pipelines.jsonl.JsonlWriter", 800),
    ("EXTENSIONS", "extensions.recovery.CrashRecovery", 0),
    ("EXTENSIONS", "extensions.offline.BundledPublicSuffixList", 0),
    ("EXTENSIONS", "extensions.warccapture.WarcCapture", 100),
    ("EXTENSIONS", "extensions.articleindex.ArticleIndexUpdate", 800),
    ("EXTENSIONS", "extensions.crawlsummary.CrawlSummaryWriter", 900),
)


#: the components of a crawl shared through Redis, registered only when REDIS_URL is set
SHARED_COMPONENTS = (
    # a site's delay and concurrency across workers, as requests go out
    ("DOWNLOADER_MIDDLEWARES", "scaleout.politeness.SharedPoliteness", 995),
    ("EXTENSIONS", "scaleout.presence.WorkerPresence", 200),
)


class Newsarchiver:
    """Built once per crawler by Scrapy's add-on manager, before its components."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Newsarchiver:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        for name, value in DEFAULTS.items():
            settings.setdefault(name, value, priority="addon")
        if not settings.get("NEWSARCHIVER_CRAWL_ID"):  # at the priority of the empty value
            priority = settings.getpriority("NEWSARCHIVER_CRAWL_ID") or "addon"
            settings.set("NEWSARCHIVER_CRAWL_ID", new_crawl_id(), priority=priority)
        shared = bool(settings.get("REDIS_URL"))
        if shared:
            self._share(settings)
        elif not settings.getpriority("SCHEDULER"):  # Scrapy's, unless the project chose one
            settings.set("SCHEDULER", "newsarchiver.crawl.jobscheduler.JobScheduler", "addon")
        for setting, component, order in COMPONENTS + (SHARED_COMPONENTS if shared else ()):
            components = settings.getdict(setting)
            components.setdefault(f"{_PACKAGE}.{component}", order)
            settings.set(setting, components, settings.getpriority(setting) or 0)

    def _share(self, settings: BaseSettings) -> None:
        """A crawl shared through Redis: scrapy-redis's scheduler, keys under the prefix, a
        client that rides out a Redis restart, WARC names that carry the process id."""
        from .scaleout.connection import RedisKeys, redis_params

        keys = RedisKeys.from_settings(settings)
        for name, value in SHARED_SCHEDULER.items():
            settings.set(name, value, priority="addon")
        settings.setdefault("SCHEDULER_QUEUE_KEY", keys.requests, priority="addon")
        settings.setdefault("SCHEDULER_DUPEFILTER_KEY", keys.seen, priority="addon")
        settings.setdefault("REDIS_PARAMS", redis_params(), priority="addon")
        prefix = settings.get("WARC_PREFIX")
        priority = settings.getpriority("WARC_PREFIX") or "addon"
        settings.set("WARC_PREFIX", f"{prefix}-{os.getpid()}", priority)
        # The site's delay is kept across workers, by a token taken just before a request
        # goes to Scrapy's downloader (scaleout/politeness.py). A delay of the worker's own
        # on top (DOWNLOAD_DELAY, randomised; AutoThrottle's) would hold the request after its
        # token was taken, and two workers' requests could then reach the site closer together
        # than the delay: so the delay moves to SCALEOUT_DELAY and the worker's own goes.
        if settings.get("SCALEOUT_DELAY") is None:
            settings.set("SCALEOUT_DELAY", settings.getfloat("DOWNLOAD_DELAY"), "addon")
        for name, off in (("DOWNLOAD_DELAY", 0.0), ("AUTOTHROTTLE_ENABLED", False)):
            settings.set(name, off, max(settings.getpriority(name) or 0, 15))

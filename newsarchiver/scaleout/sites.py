"""The sites a shared crawl covers: written by ``seed``, read by every worker.

A worker has no start URLs of its own; what it may reach (crawl/reach.py), which links it
follows (deny, allow, since) and how politely it fetches a site come from the site's record,
``PREFIX:sites`` (a hash: site name → JSON). Workers re-read it when ``seed`` changes it.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import redis

from ..crawl.reach import Reach
from ..schedule.sites import Site
from ..urls import site_domain
from .connection import RedisKeys

#: how often a worker asks whether the sites changed, at most (seconds)
_RECHECK = 2.0


@dataclass(frozen=True)
class SiteRecord:
    name: str
    start_urls: list[str]
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    #: feed and sitemap entries older than this are not fetched (the site's last run)
    since: str | None = None
    delay: float | None = None
    concurrency: int | None = None

    @property
    def urls(self) -> list[str]:
        return self.start_urls + self.feeds + self.sitemaps

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> SiteRecord:
        return cls(**json.loads(text))

    @classmethod
    def of_site(cls, site: Site, since: str | None = None) -> SiteRecord:
        """A configured site (sites.toml) as a shared crawl covers it."""
        return cls(
            name=site.name,
            start_urls=site.start_urls,
            feeds=site.feeds,
            sitemaps=site.sitemaps,
            domains=site.allowed_domains,
            deny=site.deny,
            allow=site.allow,
            since=since,
            delay=site.knobs.delay,
            concurrency=site.knobs.concurrency,
        )

    @classmethod
    def of_urls(cls, urls: list[str], feeds: list[str], sitemaps: list[str]) -> list[SiteRecord]:
        """Sites given by URL: one per host, named by it, with the feeds and sitemaps on it."""
        by_host: dict[str, SiteRecord] = {}
        for kind, given in (("start_urls", urls), ("feeds", feeds), ("sitemaps", sitemaps)):
            for url in given:
                host = urlsplit(url).netloc
                record = by_host.setdefault(host, cls(host, []))
                getattr(record, kind).append(url)
        return list(by_host.values())


class SharedSites:
    """The site records as a worker sees them, re-read when they change."""

    def __init__(self, server: redis.Redis, keys: RedisKeys, private_addresses: bool = False):
        self.server = server
        self.keys = keys
        self.private_addresses = private_addresses
        self._records: list[SiteRecord] = []
        self._by_domain: dict[str, SiteRecord] = {}
        self._reach = Reach.of(())
        self._version: bytes | str | None = b"never read"
        self._checked = 0.0

    def write(self, records: list[SiteRecord]) -> None:
        pipe = self.server.pipeline(transaction=True)
        for record in records:
            pipe.hset(self.keys.sites, record.name, record.to_json())
        pipe.incr(self.keys.sites_changed)
        pipe.execute()

    def _current(self) -> None:
        now = time.monotonic()
        if now - self._checked < _RECHECK:
            return
        self._checked = now
        version = self.server.get(self.keys.sites_changed)
        if version == self._version:
            return
        self._version = version
        raw = self.server.hgetall(self.keys.sites)
        self._records = sorted(
            (SiteRecord.from_json(value) for value in raw.values()), key=lambda r: r.name
        )
        self._by_domain = {}
        for record in self._records:
            for url in record.urls:
                self._by_domain.setdefault(site_domain(url), record)
            for domain in record.domains:
                self._by_domain.setdefault(domain.strip().lower(), record)
        self._reach = Reach.of(
            [url for record in self._records for url in record.urls],
            [domain for record in self._records for domain in record.domains],
            private_addresses=self.private_addresses,
        )

    @property
    def records(self) -> list[SiteRecord]:
        self._current()
        return self._records

    @property
    def reach(self) -> Reach:
        """Everything any seeded site may reach."""
        self._current()
        return self._reach

    def site_for(self, url: str) -> SiteRecord | None:
        self._current()
        return self._by_domain.get(site_domain(url))

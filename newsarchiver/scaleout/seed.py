"""``newsarchiver seed``: sites into a shared crawl, their start requests into its frontier.

The start requests are the news spider's own (start pages, feeds, sitemaps, robots.txt),
made by a spider built for the site and never run, so a worker that takes them calls the same
callbacks. Start pages are always queued (seeding is asking for a crawl) and marked seen, so
a link to a home page does not fetch it a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

from ..spiders.news import NewsSpider
from .connection import RedisKeys
from .queue import push_requests
from .seen import ExpiringSeen
from .sites import SharedSites, SiteRecord


@dataclass(frozen=True)
class Seeded:
    site: str
    requests: int


def seed(
    server: redis.Redis, keys: RedisKeys, records: list[SiteRecord], seen_hours: float
) -> list[Seeded]:
    SharedSites(server, keys).write(records)
    seen = ExpiringSeen(server, keys.seen, seen_hours * 3600)
    done = []
    for record in records:
        spider = NewsSpider(
            start_urls=record.start_urls,
            feeds=record.feeds,
            sitemaps=record.sitemaps,
            domains=record.domains,
        )
        requests = list(spider._start_requests())
        for request in requests:
            seen.request_seen(request)
        done.append(Seeded(record.name, push_requests(server, keys, spider, requests)))
    return done

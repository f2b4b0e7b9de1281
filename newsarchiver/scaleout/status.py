"""What ``newsarchiver workers`` shows: the frontier by site, the seen set, every worker."""

from __future__ import annotations

import pickle
import time
from collections import Counter
from dataclasses import dataclass

import redis

from ..urls import site_domain
from .connection import RedisKeys
from .registry import read_workers

#: the frontier is counted by site up to this many requests (a status must answer quickly)
MAX_COUNTED = 200_000


@dataclass(frozen=True)
class WorkerStatus:
    worker: str
    host: str
    pid: int
    state: str
    pages: int
    articles: int
    errors: int
    pages_per_s: float
    leases: int
    last_seen: float
    jsonl: str


@dataclass(frozen=True)
class SharedCrawlStatus:
    frontier: int
    frontier_by_site: dict[str, int]
    #: True when the frontier was larger than MAX_COUNTED and only that many were counted
    partly_counted: bool
    seen: int
    workers: list[WorkerStatus]


def _site_of(entry: bytes) -> str:
    try:
        return site_domain(str(pickle.loads(entry)["url"]))
    except Exception:  # an entry of another program's: counted, not named
        return "?"


def status(server: redis.Redis, keys: RedisKeys) -> SharedCrawlStatus:
    by_site: Counter[str] = Counter()
    counted = 0
    for entry, _ in server.zscan_iter(keys.requests, count=1000):
        by_site[_site_of(entry)] += 1
        counted += 1
        if counted >= MAX_COUNTED:
            break
    frontier = int(server.zcard(keys.requests))
    workers = []
    for view in read_workers(server, keys):
        record = view.record
        workers.append(
            WorkerStatus(
                worker=view.name,
                host=str(record.get("host", "")),
                pid=int(record.get("pid", 0)),
                state=view.state,
                pages=int(record.get("pages", 0)),
                articles=int(record.get("articles", 0)),
                errors=int(record.get("errors", 0)),
                pages_per_s=float(record.get("pages_per_s", 0.0)) if view.alive else 0.0,
                leases=view.leases,
                last_seen=float(record.get("last_seen", 0.0)),
                jsonl=str(record.get("jsonl", "")),
            )
        )
    return SharedCrawlStatus(
        frontier=frontier,
        frontier_by_site=dict(by_site.most_common()),
        partly_counted=counted < frontier,
        seen=int(server.zcard(keys.seen)),
        workers=workers,
    )


def ago(when: float) -> str:
    seconds = max(0.0, time.time() - when)
    if seconds < 120:
        return f"{seconds:.0f}s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f}min ago"
    return f"{seconds / 3600:.1f}h ago"

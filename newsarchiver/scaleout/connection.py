"""Where the shared crawl lives: the Redis URL, the key names, the worker's own name.

Every key of one shared crawl starts with ``SCALEOUT_KEY_PREFIX`` (default ``newsarchiver``),
so several independent crawls can share one Redis server.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha1
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from scrapy.settings import BaseSettings

from ..addon import DEFAULTS

DEFAULT_PREFIX = str(DEFAULTS["SCALEOUT_KEY_PREFIX"])
#: how long a command is retried while Redis is away (a restart): the crawl waits, then fails
RETRY_ATTEMPTS = 60


def redis_params() -> dict[str, Any]:
    """Client parameters (scrapy-redis's ``REDIS_PARAMS``): commands are retried with backoff
    on a lost connection, so a Redis restart pauses the workers instead of failing them."""
    return {
        "socket_timeout": 30,
        "socket_connect_timeout": 5,
        "health_check_interval": 10,
        "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), RETRY_ATTEMPTS),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
    }


@lru_cache(maxsize=8)
def connect(url: str) -> redis.Redis:
    """The process's client of the shared crawl's Redis (bytes in, bytes out: requests are
    pickled): one connection pool, whichever component asks (redis-py's clients are safe to
    share between threads)."""
    return redis.Redis.from_url(url, **redis_params())


def from_settings(settings: BaseSettings) -> redis.Redis:
    return connect(str(settings.get("REDIS_URL")))


def host_name() -> str:
    """This machine's name as file names and worker names carry it."""
    return re.sub(r"[^a-z0-9-]+", "-", socket.gethostname().lower()).strip("-") or "host"


def worker_suffix() -> str:
    """What makes a worker's file names its own: the host and the process id."""
    return f"{host_name()}-{os.getpid()}"


@dataclass(frozen=True)
class RedisKeys:
    prefix: str = DEFAULT_PREFIX

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RedisKeys:
        return cls(str(settings.get("SCALEOUT_KEY_PREFIX") or DEFAULT_PREFIX))

    @property
    def requests(self) -> str:
        """The frontier: a sorted set of pickled requests, by priority (scrapy-redis's)."""
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:
        """Request fingerprints, each scored with the time it stops counting as seen."""
        return f"{self.prefix}:seen"

    @property
    def sites(self) -> str:
        return f"{self.prefix}:sites"

    @property
    def sites_changed(self) -> str:
        return f"{self.prefix}:sites:changed"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    @property
    def alive_prefix(self) -> str:
        return f"{self.prefix}:alive:"

    def leases(self, worker: str) -> str:
        return f"{self.prefix}:leases:{worker}"

    def last_take(self, worker: str) -> str:
        """The worker's last take from the frontier (its token and request): a take retried
        after its reply was lost gets the same request, not a second one."""
        return f"{self.prefix}:last-take:{worker}"

    def seen_by(self, fingerprint: str) -> str:
        """Who recorded a fingerprint just now (a token, for some minutes): a check retried
        after its reply was lost knows the record is its own."""
        return f"{self.prefix}:seen-by:{fingerprint}"

    def version(self, article_key: str) -> str:
        return f"{self.prefix}:version:{sha1(article_key.encode()).hexdigest()}"

    def polite(self, domain: str) -> str:
        return f"{self.prefix}:polite:{domain}"

    def polite_next(self, domain: str) -> str:
        return f"{self.prefix}:polite-next:{domain}"

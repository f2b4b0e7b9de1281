"""Politeness across workers: one site's delay and concurrency hold for the whole shared crawl.

Scrapy's per-site delay and concurrency are per process; with N workers a site would see N
times both. So before a request goes out, its worker takes a token for the site's registered
domain in Redis, in one Lua script on Redis's clock: at most ``concurrency`` tokens out at a
time (``PREFIX:polite:DOMAIN``, a sorted set of tokens by expiry), and no two handed out less
than ``delay`` apart (``PREFIX:polite-next:DOMAIN``). The token is returned with the response
or the error; a dead worker's tokens expire after the download timeout. A request that must
wait waits on the reactor (no thread blocks), then asks again. The delay and concurrency are
the site's (``seed`` writes them from the site's config) or the worker's ``SCALEOUT_DELAY``
(``--delay``; its DOWNLOAD_DELAY by default) and CONCURRENT_REQUESTS_PER_DOMAIN. The add-on
turns the worker's own delay and AutoThrottle off: they would hold a request after its token
was taken, and two workers' requests could then reach a site closer together than the delay.
"""

from __future__ import annotations

import uuid

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.task import deferLater

from ..urls import site_domain
from .connection import RedisKeys, from_settings
from .presence import WorkerPresence

TOKEN = "newsarchiver_polite_token"

#: KEYS: tokens, next; ARGV: token, delay ms, concurrency, token life ms.
#: 0: go; otherwise the milliseconds to wait before asking again
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 50 end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return 0
"""


class SharedPoliteness:
    """A downloader middleware of shared crawls, last before the downloader."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("not a shared crawl (no REDIS_URL)")
        self.server = from_settings(settings)
        self.keys = RedisKeys.from_settings(settings)
        self.sites = WorkerPresence.of(crawler).sites
        self.delay = settings.getfloat("SCALEOUT_DELAY")
        self.concurrency = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 1
        self.token_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 10) * 1000)
        self.stats = crawler.stats
        self._take = self.server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPoliteness:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        domain = site_domain(request.url)
        site = self.sites.site_for(request.url)
        delay = site.delay if site and site.delay is not None else self.delay
        concurrency = site.concurrency if site and site.concurrency else self.concurrency
        token = uuid.uuid4().hex
        keys = [self.keys.polite(domain), self.keys.polite_next(domain)]
        args: list[str | int] = [token, int(delay * 1000), concurrency, self.token_ms]
        while wait := int(self._take(keys=keys, args=args)):
            if self.stats:
                self.stats.inc_value("newsarchiver/scaleout/polite_waits")
            await maybe_deferred_to_future(deferLater(reactor, wait / 1000, lambda: None))
        request.meta[TOKEN] = (keys[0], token)

    def _give_back(self, request: Request) -> None:
        held = request.meta.pop(TOKEN, None)
        if held:
            self.server.zrem(held[0], held[1])

    def process_response(self, request: Request, response: Response) -> Response:
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._give_back(request)

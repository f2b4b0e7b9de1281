"""Seen URLs that expire: scrapy-redis's duplicate filter, with a time limit on "seen".

scrapy-redis keeps every fingerprint forever, so a recurring crawl through it would never
fetch a home page or a section front again. Here each fingerprint is scored with the time it
stops counting (``SCALEOUT_SEEN_HOURS``, Redis's own clock, so machines' clocks do not
matter); a request seen longer ago is new again, and the incremental middleware then decides,
against the archive, whether an article needs fetching. Expired entries are trimmed as
workers sweep (presence.py).
"""

from __future__ import annotations

import uuid

import redis
from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter

from .connection import RedisKeys, from_settings

#: 1 when the fingerprint is seen and still counts; else it is recorded and 0. The client
#: retries a command whose connection broke (Redis restarting), and the first attempt may have
#: run with its reply lost: the call's token, kept beside the record for a while, makes the
#: retry answer 0 again instead of taking its own record for another worker's (and dropping
#: the request)
_SEEN = """
local now = tonumber(redis.call('TIME')[1])
local until_ = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '0')
if until_ > now then
  if redis.call('GET', KEYS[2]) == ARGV[3] then return 0 end
  return 1
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
return 0
"""
#: how long a record's token is kept: longer than the client's retries last
TOKEN_SECONDS = 600
_TRIM = "return redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', redis.call('TIME')[1])"


class ExpiringSeen(RFPDupeFilter):  # type: ignore[misc]
    """``DUPEFILTER_CLASS`` of a shared crawl."""

    def __init__(
        self,
        server: redis.Redis,
        key: str,
        seconds: float,
        debug: bool = False,
        keys: RedisKeys | None = None,
    ):
        super().__init__(server, key, debug)
        self.keys = keys or RedisKeys()
        self.seconds = int(seconds)
        self._seen = server.register_script(_SEEN)
        self._trim = server.register_script(_TRIM)

    @classmethod
    def from_spider(cls, spider: Spider) -> ExpiringSeen:
        settings = spider.settings
        return cls(
            from_settings(settings),
            RedisKeys.from_settings(settings).seen,
            settings.getfloat("SCALEOUT_SEEN_HOURS") * 3600,
            settings.getbool("DUPEFILTER_DEBUG"),
            RedisKeys.from_settings(settings),
        )

    def request_seen(self, request: Request) -> bool:
        fingerprint = self.request_fingerprint(request)
        return self.seen_or_record(fingerprint, uuid.uuid4().hex)

    def seen_or_record(self, fingerprint: str, token: str) -> bool:
        """Whether the fingerprint counts as seen; if not, it is recorded, by ``token``."""
        keys = [self.key, self.keys.seen_by(fingerprint)]
        args: list[str | int] = [fingerprint, self.seconds, token, TOKEN_SECONDS]
        return bool(self._seen(keys=keys, args=args))

    def trim(self) -> int:
        """Drop the fingerprints that no longer count; how many."""
        return int(self._trim(keys=[self.key]))

    def close(self, reason: str = "") -> None:
        """Kept: the seen set belongs to the shared crawl, not to one worker."""

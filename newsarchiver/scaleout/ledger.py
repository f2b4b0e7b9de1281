"""Exactly one row per article version across workers: the version ledger, shared in Redis.

Each worker's VersionLedger reads the article index as it was when the worker started, and the
rows it wrote itself; two workers may still extract the same article (two URLs of one
canonical article, or a request handed out again after its worker died). So before a row is
written its version is *claimed* here, in one Lua script per article: the same text as the
newest claim (content digest, or the text as sametext.py compares it) gets no row; a changed
one gets the next version, claimed "pending" by this worker; the row written, the claim is
"done". A pending claim of a worker that is gone (no heartbeat) is taken over by the next
worker with the same text, so a kill between the claim and the write loses no article, and a
kill after the write stores none twice. Entries expire after ``SCALEOUT_LEDGER_DAYS``; by then
the article index, which every worker catches up, has the rows.
"""

from __future__ import annotations

import uuid

import redis
from scrapy.settings import BaseSettings

from .connection import RedisKeys, from_settings

#: KEYS: entry; ARGV: digest, text hash, worker, base version, alive prefix, ttl seconds,
#: claim token. Returns the version to write, or 0 for "no row: the same text is archived or
#: being written". A claim retried with its token (the client retries when Redis went away,
#: and the first run may have had its reply lost) finds its own pending claim and gets the
#: same version, as a retried seen check or take does (seen.py, queue.py): else no row at all.
_CLAIM = """
local e = redis.call('HMGET', KEYS[1], 'v', 'd', 't', 'w', 's', 'k')
local v = tonumber(e[1])
if v then
  if e[2] == ARGV[1] or e[3] == ARGV[2] then
    if e[5] == 'pending' and (e[6] == ARGV[7]
       or redis.call('EXISTS', ARGV[5] .. e[4]) == 0) then
      redis.call('HSET', KEYS[1], 'w', ARGV[3], 'k', ARGV[7])
      redis.call('EXPIRE', KEYS[1], ARGV[6])
      return v
    end
    return 0
  end
else
  v = tonumber(ARGV[4])
end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[1], 't', ARGV[2], 'w', ARGV[3], 's', 'pending',
           'k', ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[6])
return v + 1
"""
#: KEYS: entry; ARGV: worker, "done" or "drop"
_SETTLE = """
if redis.call('HGET', KEYS[1], 'w') ~= ARGV[1] then return 0 end
if ARGV[2] == 'done' then redis.call('HSET', KEYS[1], 's', 'done')
else redis.call('DEL', KEYS[1]) end
return 1
"""


class SharedLedger:
    def __init__(self, server: redis.Redis, keys: RedisKeys, worker: str, days: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.ttl = max(1, int(days * 86400))
        self._claim = server.register_script(_CLAIM)
        self._settle = server.register_script(_SETTLE)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SharedLedger | None:
        if not settings.get("REDIS_URL"):
            return None
        return cls(
            from_settings(settings),
            RedisKeys.from_settings(settings),
            str(settings.get("NEWSARCHIVER_CRAWL_ID")),
            settings.getfloat("SCALEOUT_LEDGER_DAYS"),
        )

    def claim(
        self,
        article_key: str,
        digest: str,
        text_hash: str,
        base_version: int,
        token: str | None = None,
    ) -> int:
        """The version this worker is to write (0: none). ``base_version``: the newest version
        the archive index knows, for an article the ledger has not seen; ``token`` names the
        claim (a retry of it gets the same answer)."""
        args: list[str | int] = [
            digest,
            text_hash,
            self.worker,
            base_version,
            self.keys.alive_prefix,
            self.ttl,
            token or uuid.uuid4().hex,
        ]
        return int(self._claim(keys=[self.keys.version(article_key)], args=args))

    def written(self, article_key: str) -> None:
        self._settle(keys=[self.keys.version(article_key)], args=[self.worker, "done"])

    def not_written(self, article_key: str) -> None:
        """The claimed row was dropped (a full disk, --max-articles): the claim goes."""
        self._settle(keys=[self.keys.version(article_key)], args=[self.worker, "drop"])

"""The shared frontier, with leases: a request a worker takes stays in Redis until it is done.

scrapy-redis's priority queue pops a request by deleting it, so a worker killed with requests
in flight loses them. Here a pop moves the request, in one Lua script, from the frontier into
the worker's own lease set (``PREFIX:leases:WORKER``), and the request leaves Redis only when
the worker is done with it: its response and every item from it processed, or it failed, or
it went back to the frontier as a redirect or a retry (pushed again, in the same transaction).
A worker that stops answering has its leases moved back by whichever worker notices
(presence.py): "handed out again after a timeout".

Hand-written on top of scrapy-redis's queue because no library offers leases for it.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.utils.misc import load_object
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from .connection import RedisKeys

#: the request's lease while a worker holds it (copied by Scrapy into redirects and retries)
LEASE = "newsarchiver_lease"

#: the best request (lowest score: highest priority) from the frontier into the lease set. A
#: take retried with the same token (the client retries when Redis went away, and the first
#: attempt may have run with its reply lost) gets the request that attempt took: otherwise it
#: would sit in the lease set with no worker knowing it holds it
_TAKE = """
if redis.call('HGET', KEYS[3], 'token') == ARGV[1] then
  local data = redis.call('HGET', KEYS[3], 'data')
  local score = redis.call('ZSCORE', KEYS[2], data)
  if score then return {data, score} end
end
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('ZADD', KEYS[2], found[2], found[1])
redis.call('HSET', KEYS[3], 'token', ARGV[1], 'data', found[1])
return found
"""

#: every lease of a worker back into the frontier, at its priority; the number moved
_HAND_BACK = """
local held = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #held, 2 do redis.call('ZADD', KEYS[1], held[i + 1], held[i]) end
redis.call('DEL', KEYS[2], KEYS[3])
return #held / 2
"""


@dataclass
class Held:
    data: bytes
    request: Request
    taken: float = field(default_factory=time.monotonic)
    #: sweeps that found it nowhere in the engine; done after two (see Leases.sweep)
    missed: int = 0


class Leases:
    """The leases this worker holds, by lease id; the queue adds, presence.py sweeps."""

    def __init__(self, server: redis.Redis, keys: RedisKeys, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.key = keys.leases(worker)
        self.held: dict[str, Held] = {}
        self._take = server.register_script(_TAKE)
        self._hand_back = server.register_script(_HAND_BACK)

    def take(self, token: str | None = None) -> tuple[bytes, float] | None:
        """The best request of the frontier, now leased to this worker; ``token`` names the
        take (a retry of it gets the same request)."""
        keys = [self.keys.requests, self.key, self.keys.last_take(self.worker)]
        found = self._take(keys=keys, args=[token or uuid.uuid4().hex])
        if not found:
            return None
        return bytes(found[0]), float(found[1])

    def hold(self, lease: str, data: bytes, request: Request) -> None:
        self.held[lease] = Held(data, request)

    def release(self, leases: list[str], pipe: Any = None) -> None:
        """Done with these: out of Redis (in ``pipe`` when given, else at once)."""
        done = [self.held.pop(lease).data for lease in leases if lease in self.held]
        if not done:
            return
        if pipe is not None:
            pipe.zrem(self.key, *done)
        else:
            self.server.zrem(self.key, *done)

    def sweep(self, in_engine: set[Request]) -> int:
        """Release the leases whose requests the engine no longer holds: not downloading,
        not being scraped (the scraper keeps a request until its items are through the
        pipelines). Seen missing twice, a second apart, so the moment between the
        downloader and the scraper is not taken for the end. Returns how many."""
        now = time.monotonic()
        done = []
        for lease, held in self.held.items():
            if held.request in in_engine or now - held.taken < 1.0:
                held.missed = 0
                continue
            held.missed += 1
            if held.missed >= 2:
                done.append(lease)
        self.release(done)
        return len(done)

    def hand_back(self, worker: str | None = None) -> int:
        """Every lease of ``worker`` (this one by default) back into the frontier."""
        keys = [self.keys.requests, self.keys.leases(worker or self.worker)]
        moved = int(self._hand_back(keys=[*keys, self.keys.last_take(worker or self.worker)]))
        if worker is None:
            self.held.clear()
        return moved


class LeasedQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue (``SCHEDULER_QUEUE_CLASS``), popping into leases."""

    def __init__(self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        from .presence import WorkerPresence

        self.leases = WorkerPresence.of(spider.crawler).leases

    def push(self, request: Request) -> None:
        old = request.meta.pop(LEASE, None)
        data = self._encode_request(request)
        pipe = self.server.pipeline(transaction=True)
        pipe.zadd(self.key, {data: -request.priority})
        if old:  # a redirect or a retry of a leased request: the lease ends as this is queued
            self.leases.release([old], pipe)
        pipe.execute()

    def pop(self, timeout: int = 0) -> Request | None:
        taken = self.leases.take()
        if taken is None:
            return None
        data, _ = taken
        request: Request = self._decode_request(data)
        lease = uuid.uuid4().hex
        request.meta[LEASE] = lease
        self.leases.hold(lease, data, request)
        return request


def push_requests(
    server: redis.Redis, keys: RedisKeys, spider: Spider, requests: list[Request]
) -> int:
    """Requests into the frontier from outside a crawl (``seed``); the number pushed."""
    queue = PriorityQueue(server, spider, keys.requests)
    pipe = server.pipeline(transaction=True)
    for request in requests:
        pipe.zadd(keys.requests, {queue._encode_request(request): -request.priority})
    pipe.execute()
    return len(requests)


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler (``SCHEDULER``), as it is, but for the two calls this Scrapy
    deprecated: it logs through the spider's logger and counts without a ``spider``
    argument (scrapy-redis 0.9.1 warns on every request otherwise)."""

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df: Any = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            spider.logger.info("joining a shared crawl with %d requests queued", len(self.queue))

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request: Request | None = self.queue.pop(self.idle_before_close)
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

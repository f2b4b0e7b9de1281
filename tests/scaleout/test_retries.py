"""A command the Redis client retries after its connection broke (Redis restarting) may have
run the first time with its reply lost. Retried, it must answer as the first run did: a seen
check that took its own record for another worker's would drop the request; a take that took
a second request would leave the first in a lease set nobody knows it holds; a version claim
that took its own pending claim for another worker's would write no row for the article."""

from __future__ import annotations

import redis

from newsarchiver.scaleout.connection import RedisKeys
from newsarchiver.scaleout.ledger import SharedLedger
from newsarchiver.scaleout.queue import Leases
from newsarchiver.scaleout.seen import ExpiringSeen
from tests.conftest import RedisServer

KEYS = RedisKeys("retries")


def test_a_retried_seen_check_keeps_its_request(redis_server: RedisServer) -> None:
    server = redis.Redis.from_url(redis_server.url)
    seen = ExpiringSeen(server, KEYS.seen, 3600, keys=KEYS)
    assert seen.seen_or_record("fp-1", "check-a") is False  # new: recorded by check a
    assert seen.seen_or_record("fp-1", "check-a") is False  # check a retried: still new
    assert seen.seen_or_record("fp-1", "check-b") is True  # another check: a duplicate
    assert server.zcard(KEYS.seen) == 1


def test_a_retried_take_gets_the_same_request(redis_server: RedisServer) -> None:
    server = redis.Redis.from_url(redis_server.url)
    server.zadd(KEYS.requests, {b"first": -10, b"second": 0})
    leases = Leases(server, KEYS, "worker-1")
    assert leases.take("take-1") == (b"first", -10.0)
    assert leases.take("take-1") == (b"first", -10.0)  # the retry: the same, not "second"
    assert server.zrange(KEYS.requests, 0, -1) == [b"second"]
    assert leases.take("take-2") == (b"second", 0.0)
    assert server.zcard(KEYS.leases("worker-1")) == 2
    # handed back, both are in the frontier again and the last take is forgotten
    assert leases.hand_back() == 2
    assert server.zcard(KEYS.requests) == 2
    assert not server.exists(KEYS.last_take("worker-1"))


def test_a_retried_version_claim_still_writes_its_row(redis_server: RedisServer) -> None:
    server = redis.Redis.from_url(redis_server.url)
    server.set(KEYS.alive_prefix + "worker-1", 1)  # both workers are alive
    server.set(KEYS.alive_prefix + "worker-2", 1)
    one = SharedLedger(server, KEYS, "worker-1", days=1)
    two = SharedLedger(server, KEYS, "worker-2", days=1)
    assert one.claim("example.org/a", "sha1:AAA", "text-1", 0, "claim-1") == 1
    assert one.claim("example.org/a", "sha1:AAA", "text-1", 0, "claim-1") == 1  # the retry
    assert one.claim("example.org/a", "sha1:AAA", "text-1", 0, "claim-2") == 0  # a second claim
    assert two.claim("example.org/a", "sha1:AAA", "text-1", 0) == 0  # another worker: no row
    one.written("example.org/a")
    assert one.claim("example.org/a", "sha1:AAA", "text-1", 0) == 0  # written: no second row
    assert one.claim("example.org/a", "sha1:BBB", "text-2", 0) == 2  # a changed text

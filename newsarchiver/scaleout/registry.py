"""The workers of a shared crawl as Redis knows them: ``PREFIX:workers`` (a hash: worker →
JSON record, written by each worker's heartbeat), its ``alive`` key and its lease set.

Read in one pipelined round trip, whoever asks: a worker reaping the dead or deciding whether
the crawl is done (presence.py), ``newsarchiver workers`` (status.py), the benchmark.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import redis

from .connection import RedisKeys

RUNNING, STOPPED, GONE = "running", "stopped", "gone"


def text_of(value: bytes | str) -> str:
    """A Redis reply as text (the client returns bytes: requests are pickled)."""
    return value.decode() if isinstance(value, bytes) else value


@dataclass(frozen=True)
class WorkerView:
    name: str
    record: dict[str, Any]
    #: its heartbeat has not expired
    alive: bool
    #: requests it holds
    leases: int

    @property
    def state(self) -> str:
        """As recorded, but ``gone`` for a worker recorded running whose heartbeat expired
        (not reaped yet: no worker has looked since it stopped answering)."""
        state = str(self.record.get("state", "?"))
        return GONE if state == RUNNING and not self.alive else state

    @property
    def running(self) -> bool:
        return self.record.get("state") == RUNNING


def read_workers(server: redis.Redis, keys: RedisKeys) -> list[WorkerView]:
    records = sorted(
        (text_of(name), json.loads(raw)) for name, raw in server.hgetall(keys.workers).items()
    )
    pipe = server.pipeline(transaction=False)
    for name, _ in records:
        pipe.exists(keys.alive(name))
        pipe.zcard(keys.leases(name))
    replies = pipe.execute()
    return [
        WorkerView(name, record, bool(replies[2 * i]), int(replies[2 * i + 1]))
        for i, (name, record) in enumerate(records)
    ]


def crawl_done(server: redis.Redis, keys: RedisKeys) -> bool:
    """Nothing in the frontier, and no worker recorded running holds a request (a dead one's
    are counted until it is reaped and they are back in the frontier)."""
    if server.zcard(keys.requests):
        return False
    return not any(w.leases for w in read_workers(server, keys) if w.running)

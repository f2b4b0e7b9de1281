"""Scale-out: one crawl shared by many worker processes and machines through Redis.

scrapy-redis's scheduler keeps the frontier in Redis; what it does not do, this package adds,
each as a Scrapy component the add-on wires in when ``REDIS_URL`` is set:

- leases (queue.py): a request a worker takes is held under its name until the worker is done
  with it, and handed out again when the worker stops answering (kill -9, a power cut);
- seen URLs that expire (seen.py), so recurring crawls re-fetch listings;
- a shared version ledger (ledger.py): exactly one row per article version across workers;
- politeness across workers (politeness.py): a per-site delay and concurrency held in Redis;
- presence (presence.py): heartbeats, counters for ``newsarchiver workers``, reaping the dead;
- the sites a crawl covers (sites.py), which ``seed`` writes and workers read.

Without ``REDIS_URL`` none of it is loaded and a crawl is the single-process one.
"""

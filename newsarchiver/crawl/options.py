"""What one crawl is asked to do: where to start, and the knobs of how it behaves.

The knobs (limits and politeness) are written once, in :class:`CrawlKnobs`: a site's config
(``sites.toml``) and a crawl's options embed it, and the ``crawl`` and ``sites add/edit``
command-line options are made from its fields, so a new knob is one edit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..layout import new_crawl_id


def _knob(default: Any, kind: type, help: str, minimum: float | None = None) -> Any:
    return field(default=default, metadata={"kind": kind, "help": help, "min": minimum})


@dataclass(frozen=True)
class CrawlKnobs:
    max_articles: int = _knob(0, int, "Stop after this many articles (0: no limit).", 0)
    max_pages: int = _knob(0, int, "Stop after this many fetched pages (0: no limit).", 0)
    depth: int | None = _knob(
        None, int, "How many links deep to follow from the start pages [default: 5].", 1
    )
    user_agent: str | None = _knob(None, str, "User-Agent header to identify the crawler with.")
    delay: float | None = _knob(
        None, float, "Seconds between requests to one site (AutoThrottle starts here).", 0
    )
    concurrency: int | None = _knob(None, int, "Requests in flight per site [default: 4].", 1)
    obey_robots: bool = _knob(True, bool, "Obey robots.txt (turn off only for your own sites).")
    private_addresses: bool = _knob(
        False,
        bool,
        "Follow links and redirects to private, loopback and link-local addresses besides the"
        " hosts started on (intranet archives).",
    )

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def settings(self) -> dict[str, Any]:
        """The Scrapy settings these knobs stand for."""
        values: dict[str, Any] = {
            "ROBOTSTXT_OBEY": self.obey_robots,
            "REACH_PRIVATE_ADDRESSES": self.private_addresses,
            "CLOSESPIDER_ITEMCOUNT": self.max_articles,
            "CLOSESPIDER_PAGECOUNT": self.max_pages,
        }
        if self.depth is not None:
            values["DEPTH_LIMIT"] = self.depth
        if self.user_agent:
            values["USER_AGENT"] = self.user_agent
        if self.delay is not None:
            values["DOWNLOAD_DELAY"] = self.delay
            values["AUTOTHROTTLE_START_DELAY"] = self.delay
        if self.concurrency is not None:
            values["CONCURRENT_REQUESTS_PER_DOMAIN"] = self.concurrency
        return values


@dataclass
class CrawlOptions:
    start_urls: list[str]
    output: Path = Path("output")
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    knobs: CrawlKnobs = field(default_factory=CrawlKnobs)
    crawl_id: str = field(default_factory=new_crawl_id)
    #: any other Scrapy setting, as with ``scrapy crawl -s NAME=VALUE``
    settings: dict[str, Any] = field(default_factory=dict)
    #: more arguments of the news spider (deny, allow, domains, since)
    spider_args: dict[str, Any] = field(default_factory=dict)
    #: where the resumable job state lives (Scrapy's JOBDIR; see crawl/job.py); None: none
    job_dir: Path | None = None
    #: what the job is called in "… is being crawled now"
    job_name: str = "this crawl"
    #: drop an interrupted run's state and start over
    fresh: bool = False
    #: a worker of the crawl shared through this Redis (scaleout/): no start URLs of its own
    redis_url: str | None = None
    #: a shared crawl's worker stops when the shared frontier is empty (else it waits)
    until_done: bool = False

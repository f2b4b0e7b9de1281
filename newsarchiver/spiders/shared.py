"""The ``news-shared`` spider: the news spider as a worker of a crawl shared through Redis.

It has no start URLs of its own: ``newsarchiver seed`` puts each site's start requests into
the shared frontier and writes the site's record (scaleout/sites.py), and every worker takes
requests from there. Where the news spider reads its reach and its deny/allow/since rules from
its arguments, this one reads them from the record of the site a URL belongs to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import cached_property
from typing import Any

from ..crawl.reach import Reach
from ..scaleout.sites import SharedSites, SiteRecord
from .news import LinkRules, NewsSpider


class SharedNewsSpider(NewsSpider):
    name = "news-shared"
    #: no start URLs, so no allowed domains: Scrapy's offsite filter lets everything through
    #: and the reach middleware, which reads the seeded sites, keeps the crawl on them
    needs_start_urls = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: each site's rules, compiled once per version of its record
        self._rules: dict[str, tuple[SiteRecord, LinkRules]] = {}

    @cached_property
    def sites(self) -> SharedSites:
        """The seeded sites, as the worker's presence reads them from Redis."""
        from ..scaleout.presence import WorkerPresence

        return WorkerPresence.of(self.crawler).sites

    @property
    def reach(self) -> Reach:
        return self.sites.reach

    async def start(self) -> AsyncIterator[Any]:
        """Nothing of its own: the work is in the shared frontier."""
        nothing: tuple[Any, ...] = ()
        for request in nothing:
            yield request

    def _rules_for(self, url: str) -> LinkRules:
        site = self.sites.site_for(url)
        if site is None:
            return super()._rules_for(url)
        if site.name not in self._rules or self._rules[site.name][0] is not site:
            self._rules[site.name] = (site, LinkRules.of(site.deny, site.allow, site.since))
        return self._rules[site.name][1]

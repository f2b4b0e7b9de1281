"""The ``news-shared`` spider: the news spider as a worker of a crawl shared through Redis.

It has no start URLs of its own: ``newsarchiver seed`` puts each site's start requests into
the shared frontier and writes the site's record (scaleout/sites.py), and every worker takes
requests from there. Where the news spider reads its reach and its deny/allow/since rules from
its arguments, this one reads them from the record of the site a URL belongs to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy

from ..crawl.reach import Reach
from ..scaleout.connection import RedisKeys, from_settings
from ..scaleout.sites import SharedSites, SiteRecord
from .news import DEFAULT_DENY, LinkRules, NewsSpider


class SharedNewsSpider(NewsSpider):
    name = "news-shared"

    def __init__(self, **kwargs: Any) -> None:
        scrapy.Spider.__init__(self, **kwargs)
        #: none: Scrapy's offsite filter lets everything through; the reach middleware, which
        #: reads the seeded sites, keeps the crawl on them
        self.allowed_domains = []
        self.start_urls = []
        self.feed_urls = []
        self.sitemap_urls = []
        self.discover = True
        self.allow, self.deny, self.since = [], [], None
        self._link_deny = LinkRules.of(DEFAULT_DENY, (), None).deny
        self._linked: set[int] = set()
        self._feeds_probed: set[str] = set()
        self._unread = []
        self._sites: SharedSites | None = None
        #: each site's rules, compiled once per version of its record
        self._rules: dict[str, tuple[SiteRecord, LinkRules]] = {}

    @property
    def sites(self) -> SharedSites:
        if self._sites is None:
            settings = self.settings
            self._sites = SharedSites(
                from_settings(settings),
                RedisKeys.from_settings(settings),
                private_addresses=settings.getbool("REACH_PRIVATE_ADDRESSES"),
            )
        return self._sites

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

"""``--max-pages N`` as a hard limit: never more than N requests reach the network.

Scrapy's CLOSESPIDER_PAGECOUNT counts *responses* and then closes the spider, so the requests
already in flight still arrive (65 pages for ``--max-pages 50``, measured). This middleware,
last before the downloader, lets the first N requests through and refuses the rest, and says
so in the stats, where the spider looks before it reads on in a long sitemap or feed.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

#: stats key: True once the budget is spent
SPENT = "newsarchiver/page_budget_spent"


class PageBudgetSpent(IgnoreRequest):
    """The crawl's --max-pages are all used."""


def page_budget(crawler: Crawler) -> int:
    """How many requests the crawl may make (``--max-pages``); 0: no limit."""
    return crawler.settings.getint("CLOSESPIDER_PAGECOUNT")


def budget_spent(crawler: Crawler) -> bool:
    return bool(crawler.stats and crawler.stats.get_value(SPENT))


class PageBudget:
    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.sent = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageBudget:
        return cls(crawler, page_budget(crawler))

    def process_request(self, request: Request) -> None:
        if self.limit <= 0:
            return
        if self.sent >= self.limit:
            raise PageBudgetSpent(f"--max-pages {self.limit} reached")
        self.sent += 1
        if self.sent == self.limit and self.crawler.stats:
            self.crawler.stats.set_value(SPENT, True)

"""Every request, redirect and response kept within the crawl's reach (``crawl/reach.py``).

Links are filtered by the spider already; this catches what reaches the downloader any other
way: redirects (RedirectMiddleware's new request comes through here, before robots.txt is
asked), ``Sitemap:`` lines in robots.txt, announced and guessed feed locations. A name is
resolved before the request is sent (through Scrapy's cached resolver, the one the download
uses), and the address a response really came from is checked again, so a name that resolves
elsewhere by then (DNS rebinding) still gives nothing to the spider.
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from ..crawl.reach import Reach, ip_literal

logger = logging.getLogger(__name__)

STAT = "newsarchiver/out_of_reach"


class OutOfReach(IgnoreRequest):
    """A request the crawl may not make; its message says why, in one line."""


class ReachMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.private_addresses = crawler.settings.getbool("REACH_PRIVATE_ADDRESSES")
        self._reach: Reach | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReachMiddleware:
        return cls(crawler)

    @property
    def reach(self) -> Reach:
        """The spider's own, asked each time (the news spider says what it was asked for; a
        shared crawl's worker, what the seeded sites may reach, which grows as sites are
        seeded); for another project's spider, its start URLs and allowed domains."""
        spider: Spider | None = self.crawler.spider
        own = getattr(spider, "reach", None)
        if isinstance(own, Reach):
            return own
        if self._reach is None:
            self._reach = Reach.of(
                getattr(spider, "start_urls", ()),
                getattr(spider, "allowed_domains", None) or (),
                private_addresses=self.private_addresses,
            )
        return self._reach

    def _refuse(self, why: str, request: Request) -> OutOfReach:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(STAT)
        redirected = request.meta.get("redirect_urls")
        if redirected:
            why = f"redirected from {redirected[-1]}: {why}"
        logger.info("not fetched (out of reach): %s: %s", why, request.url)
        return OutOfReach(f"out of reach: {why}")

    async def process_request(self, request: Request) -> None:
        why = self.reach.refuses(request.url)
        if why:
            raise self._refuse(why, request)
        host = urlparse_cached(request).hostname or ""
        if not self.reach.needs_address_check(host):
            return
        literal = ip_literal(host)
        if literal is not None:
            address = str(literal)
        else:
            from twisted.internet import reactor

            try:
                address = await maybe_deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
            except Exception:  # the download itself says why the name does not resolve
                return
        why = self.reach.refuses_address(host, address)
        if why:
            raise self._refuse(why, request)

    def process_response(self, request: Request, response: Response) -> Response:
        host = urlparse_cached(request).hostname or ""
        if response.ip_address is not None:
            why = self.reach.refuses_address(host, str(response.ip_address))
            if why:
                raise self._refuse(f"answered from {response.ip_address}: {why}", request)
        return response

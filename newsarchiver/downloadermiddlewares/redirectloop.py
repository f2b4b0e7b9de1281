"""Redirect loops end at once, with one log line naming the loop.

Scrapy's RedirectMiddleware follows a -> b -> a until its duplicate filter silently drops the
second "a", so a loop leaves no trace in the logs or stats. This middleware sits before it
(a higher number in DOWNLOADER_MIDDLEWARES, so it sees responses first) and stops a redirect
whose target the chain has already visited.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL the chain already visited."""


class RedirectLoopMiddleware:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectLoopMiddleware:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = safe_url_string(response.urljoin(location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            loop = " -> ".join([*chain[chain.index(target) :], target])
            raise RedirectLoop(f"redirect loop {loop}")
        return response

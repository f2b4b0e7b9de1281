"""The ``news`` spider: from a site's home page to every article it can find.

It only decides what to fetch: home and section pages (following links and pagination), feeds
announced by the pages or found at common paths, sitemaps named in robots.txt or at common
paths. Every HTML page becomes a :class:`FetchedPage`; the extraction pipeline decides whether
it is an article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import islice
from typing import Any, Self
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import scrapy
from courlan import is_not_crawlable
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import sitemap_urls_from_robots
from scrapy.utils.url import url_has_any_extension
from twisted.python.failure import Failure

from ..crawl.discovery import (
    COMMON_FEED_PATHS,
    COMMON_SITEMAP_PATHS,
    DiscoveredUrl,
    Sitemap,
    parse_feed,
    parse_sitemap,
)
from ..crawl.failures import describe_failure, report_error
from ..crawl.reach import Reach
from ..dates import fetched_at, now, parse_iso
from ..decoding import better_text
from ..downloadermiddlewares.incremental import AlreadyArchived
from ..downloadermiddlewares.pagebudget import budget_spent, page_budget
from ..downloadermiddlewares.redirectloop import RedirectLoop
from ..items import FetchedPage, Meta
from ..urls import crawl_url, url_kind

logger = logging.getLogger(__name__)

# The bundled public-suffix snapshot only: the crawler never fetches the list from the network.

#: link paths never worth fetching on a news site: accounts, comment replies, print and share views
DEFAULT_DENY = (
    r"/(wp-admin|wp-login\.php|login|logout|signin|register|account|cart|checkout)\b",
    r"[?&](replytocom|share|print|output)=",
    r"/(print|share|amp)/?$",
)
#: file extensions that are not pages (Scrapy's list, as its LinkExtractor uses it)
_NOT_PAGES = frozenset("." + extension for extension in IGNORED_EXTENSIONS)
#: hrefs that lead to no page
_NOT_LINKS = ("#", "javascript:", "mailto:", "tel:", "data:")
#: fetch likely articles before listings so a bounded crawl spends its budget on articles
ARTICLE_PRIORITY = 10
LISTING_PRIORITY = 0
_MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit per file


@dataclass(frozen=True)
class LinkRules:
    """Which discovered URLs are fetched: never the denied ones; when ``allow`` is given,
    only articles matching it (listings are still followed); none older than ``since``."""

    deny: list[re.Pattern[str]]
    allow: list[re.Pattern[str]]
    since: datetime | None

    @classmethod
    def of(cls, deny: Iterable[str], allow: Iterable[str], since: str | None) -> LinkRules:
        return cls(
            [re.compile(p) for p in _split(deny)],
            [re.compile(p) for p in _split(allow)],
            parse_iso(since),
        )


def _split(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [part for part in value if part]


class NewsSpider(scrapy.Spider):
    name = "news"
    #: False for a spider given its work from elsewhere (a shared crawl's worker, shared.py)
    needs_start_urls = True

    def __init__(
        self,
        start_urls: str | list[str] | None = None,
        feeds: str | list[str] | None = None,
        sitemaps: str | list[str] | None = None,
        deny: str | list[str] | None = None,
        discover: str | bool = True,
        allow: str | list[str] | None = None,
        domains: str | list[str] | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_urls = _split(start_urls)
        self.feed_urls = _split(feeds)
        self.sitemap_urls = _split(sitemaps)
        if self.needs_start_urls and not self.start_urls + self.feed_urls + self.sitemap_urls:
            raise ValueError(
                "the news spider needs -a start_urls=URL[,URL...] (or feeds=... / sitemaps=...)"
            )
        self.discover = str(discover).lower() not in ("0", "false", "no", "off")
        every = self.start_urls + self.feed_urls + self.sitemap_urls
        self._asked_for = (every, _split(domains))
        #: Scrapy's OffsiteMiddleware reads these; ``reach`` adds scheme, ports and addresses
        self.allowed_domains = sorted(Reach.of(*self._asked_for).domains)
        #: when given, only URLs matching one of these are fetched as articles (listing pages
        #: are still followed); deny patterns are never fetched, wherever the URL came from
        rules = LinkRules.of(deny or (), allow or (), since)
        self.allow = rules.allow
        self.deny = rules.deny
        #: feed and sitemap entries last changed before this are not fetched (the site's last
        #: run saw them): a scheduled crawl does not walk a years-deep sitemap every time
        self.since = rules.since
        self._link_deny = [re.compile(p) for p in DEFAULT_DENY]
        #: links already followed from some page (most links are in every page's menus):
        #: answered before any other work on them. An optimisation only: the duplicate filter
        #: still decides, and a resumed job starts with it empty
        self._linked: set[int] = set()
        #: the same, for links as written (with what a relative one is relative to)
        self._hrefs_seen: set[int] = set()
        self._feeds_probed: set[str] = set()
        #: sitemaps read in slices (``_a_budget_at_a_time``): what is left of each
        self._unread: list[Iterator[scrapy.Request]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._read_on, signal=signals.spider_idle)
        return spider

    @cached_property
    def reach(self) -> Reach:
        """Where this crawl may go (crawl/reach.py); the reach middleware enforces it."""
        settings = getattr(self, "settings", None)
        private = bool(settings and settings.getbool("REACH_PRIVATE_ADDRESSES"))
        return Reach.of(*self._asked_for, private_addresses=private)

    @property
    def _max_redirects(self) -> int:
        settings = getattr(self, "settings", None)
        return settings.getint("REDIRECT_MAX_TIMES") if settings else 20

    @property
    def incremental(self) -> bool:
        settings = getattr(self, "settings", None)
        return bool(settings and settings.getbool("INCREMENTAL_ENABLED"))

    # -- start -------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.start_urls:
            yield self._page_request(url, "start", priority=ARTICLE_PRIORITY)
        for url in self.feed_urls:
            yield self._feed_request(url)
        for url in self.sitemap_urls:
            yield self._sitemap_request(url)
        if self.discover:
            for root in sorted({urljoin(u, "/") for u in self.start_urls}):
                yield scrapy.Request(
                    urljoin(root, "/robots.txt"),
                    callback=self.parse_robots,
                    errback=self.on_error,
                    meta={Meta.PROBE: True},
                )

    # -- callbacks -----------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        if response.status == 304:  # re-checked and not modified: the WARC has a revisit
            return
        if not isinstance(response, TextResponse) or not _is_html(response):
            return
        # what a feed or sitemap said travels with the request (and its redirects, and a
        # JOBDIR queue): nothing is kept in the spider that a filtered request would leak
        yield self._fetched_page(response, dict(response.meta.get(Meta.HINTS) or {}))
        if self.discover:
            yield from self._announced_feeds(response)
        for url in self._new_links(response):
            if (
                self.reach.refuses(url) is None
                and not is_not_crawlable(url)
                and self._wanted(DiscoveredUrl(url))
            ):
                yield self._page_request(url, "link")

    def _new_links(self, response: TextResponse) -> Iterator[str]:
        """The page's links not followed before, absolute and normalised.

        By hand, not Scrapy's LinkExtractor: that one builds a Link object, canonicalises and
        filters every one of a page's ~170 links (16 % of a crawl's CPU, py-spy), although most
        are the same menu and footer links on every page. Here a link seen before, as
        written, costs one set lookup; a new href, one join and a second lookup (two hrefs
        can name one URL). Its rules are kept: ``<base href>``, no ``javascript:`` or
        ``mailto:``, no file extensions that are not pages, the deny patterns.
        """
        base = get_base_url(response)
        parts = urlsplit(base)
        for href in _hrefs(response.text):
            href = href.strip()
            if not href or href.startswith(_NOT_LINKS):
                continue
            # the href as written, in what it is relative to: a menu link seen before is
            # skipped without its join (the join was 40 % of this loop, py-spy)
            if href.startswith(("http://", "https://")):
                scope = ""
            elif href.startswith("//"):
                scope = parts.scheme
            elif href.startswith("/"):
                scope = f"{parts.scheme}://{parts.netloc}"
            else:
                scope = base
            written = hash((scope, href))
            if written in self._hrefs_seen:
                continue
            self._hrefs_seen.add(written)
            absolute = urljoin(base, href)
            key = hash(absolute)
            if key in self._linked:
                continue
            self._linked.add(key)
            if url_has_any_extension(absolute, _NOT_PAGES) or any(
                p.search(absolute) for p in self._link_deny
            ):
                continue
            url = crawl_url(absolute)  # one article, one URL
            if url.startswith(("http://", "https://")):
                yield url

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        entries = parse_feed(response.body, response.url)
        if entries is None:
            logger.debug("not a feed: %s", response.url)
            return
        self.crawler.stats.inc_value("newsarchiver/feeds")
        for entry in entries:
            if self._wanted(entry):
                yield self._page_request(
                    entry.url, "feed", hints=entry.hints, lastmod=entry.lastmod
                )

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        named = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        paths = named or [urljoin(response.url, p) for p in COMMON_SITEMAP_PATHS]
        for url in paths:
            yield self._sitemap_request(url, probe=not named)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = response.body
        if body[:2] == b"\x1f\x8b":  # a .xml.gz file served as is
            body = gunzip(body, max_size=_MAX_SITEMAP_BYTES)
        sitemap = parse_sitemap(body)
        if sitemap is None:
            logger.debug("not a sitemap: %s", response.url)
            return
        self.crawler.stats.inc_value("newsarchiver/sitemaps")
        yield from self._a_budget_at_a_time(self._sitemap_requests(sitemap))

    def _sitemap_requests(self, sitemap: Sitemap) -> Iterator[scrapy.Request]:
        for entry in sitemap.urls:
            if self.since and entry.older_than(self.since):
                self.crawler.stats.inc_value("newsarchiver/incremental/older_than_last_run")
            elif sitemap.kind == "index":
                yield self._sitemap_request(entry.url)
            elif self._wanted(entry):
                yield self._page_request(
                    entry.url, "sitemap", hints=entry.hints, lastmod=entry.lastmod
                )

    def _a_budget_at_a_time(self, requests: Iterator[scrapy.Request]) -> Iterator[scrapy.Request]:
        """With --max-pages N, a long sitemap is read N requests at a time; the rest waits
        until the crawl runs idle, and is never read once the budget is spent.

        Scrapy takes a callback's whole output before it fetches again (the sitemap's response
        holds the scraper's slot), so a 100,000-URL sitemap would otherwise be queued in full,
        in 17 s and 100 MB, for a crawl that fetches 50 pages (measured)."""
        budget = page_budget(self.crawler)
        if budget <= 0:
            yield from requests
            return
        given = 0
        for request in islice(requests, budget):
            given += 1
            yield request
        if given == budget:  # there may be more
            self._unread.append(requests)

    def _read_on(self) -> None:
        """spider_idle: the next slice of a sitemap read in slices, while the budget lasts."""
        while self._unread and not budget_spent(self.crawler):
            more = list(self._a_budget_at_a_time(self._unread.pop(0)))
            if more:
                for request in more:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider

    def on_error(self, failure: Failure) -> None:
        """Every failed fetch is counted and logged on one line; the crawl goes on."""
        request = failure.request  # type: ignore[attr-defined]
        error = failure.value
        if isinstance(error, HttpError):
            status = error.response.status
            kind, message = f"http_{status}", f"HTTP {status}"
        elif isinstance(error, AlreadyArchived):
            logger.debug("not fetched: %s: %s", error, request.url)
            return
        elif isinstance(error, RedirectLoop):
            kind, message = "redirect_loop", str(error)
        elif isinstance(error, IgnoreRequest):
            # Scrapy's own reasons to drop a request. Too many redirects is told by the
            # request's redirect count, not by the message; the rest (robots.txt, counted as
            # robotstxt/forbidden; offsite) are the crawl obeying its rules, not errors.
            if request.meta.get("redirect_times", 0) < self._max_redirects:
                logger.debug("not fetched (%s): %s", error, request.url)
                return
            kind, message = "too_many_redirects", str(error) or "too many redirects"
        elif error is not None:
            kind, message = describe_failure(error)
        else:
            kind, message = "unknown", failure.getErrorMessage()
        if request.meta.get(Meta.PROBE):
            # a guessed feed or sitemap location that is not there: expected, not an error
            logger.debug("probe failed (%s): %s", message, request.url)
            return
        report_error(self.crawler.stats, kind, f"fetch failed: {message}", request.url)

    # -- requests ------------------------------------------------------------------------------

    def _rules_for(self, url: str) -> LinkRules:
        """The deny, allow and since rules a URL is judged by: the crawl's own."""
        return LinkRules(self.deny, self.allow, self.since)

    def _wanted(self, entry: DiscoveredUrl) -> bool:
        url = entry.url
        rules = self._rules_for(url)
        if any(p.search(url) for p in rules.deny):
            return False
        if rules.since and entry.older_than(rules.since):
            self.crawler.stats.inc_value("newsarchiver/incremental/older_than_last_run")
            return False
        if rules.allow and url_kind(url) != "listing":
            return any(p.search(url) for p in rules.allow)
        return True

    def _page_request(
        self,
        url: str,
        via: str,
        *,
        priority: int | None = None,
        hints: dict[str, str] | None = None,
        lastmod: str | None = None,
    ) -> scrapy.Request:
        if priority is None:
            priority = LISTING_PRIORITY if url_kind(url) == "listing" else ARTICLE_PRIORITY
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            priority=priority,
            # the first source to say something about a URL wins: later requests for it are
            # duplicates, filtered
            meta={
                Meta.DISCOVERED_VIA: via,
                Meta.LASTMOD: lastmod,
                Meta.HINTS: {"source": via, **hints} if hints else None,
            },
            # in an incremental crawl a dated entry may say a page changed after a link to it
            # was skipped as archived: it must not be dropped as a duplicate of that link
            dont_filter=bool(lastmod) and self.incremental,
        )

    def _feed_request(self, url: str, *, probe: bool = False) -> scrapy.Request:
        return self._discovery_request(url, self.parse_feed, probe)

    def _sitemap_request(self, url: str, *, probe: bool = False) -> scrapy.Request:
        return self._discovery_request(url, self.parse_sitemap, probe)

    def _discovery_request(
        self, url: str, callback: Callable[[Response], Any], probe: bool
    ) -> scrapy.Request:
        """Feeds and sitemaps first: they lead to articles. A probe is a guessed location."""
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            meta={Meta.PROBE: probe},
        )

    def _announced_feeds(self, response: TextResponse) -> Iterator[scrapy.Request]:
        root = urljoin(response.url, "/")
        if root in self._feeds_probed:
            return
        self._feeds_probed.add(root)
        announced = response.xpath(
            "//link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@href"
        ).getall()
        for href in announced:
            yield self._feed_request(response.urljoin(href))
        if not announced:
            for path in COMMON_FEED_PATHS:
                yield self._feed_request(urljoin(root, path), probe=True)

    def _fetched_page(self, response: TextResponse, hints: dict[str, str]) -> FetchedPage:
        meta = response.meta
        warc = meta.get(Meta.WARC)
        # Scrapy's decoding, unless a wrong charset label made it garbage (decoding.py)
        decoded = better_text(response.body, response.encoding, response.text)
        return FetchedPage(
            url=response.url,
            html=decoded.text,
            status=response.status,
            fetched_at=meta.get(Meta.FETCHED_AT) or fetched_at(now()),
            content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
            encoding=decoded.encoding,
            discovered_via=meta.get(Meta.DISCOVERED_VIA, "link"),
            hints=hints,
            warc_file=warc.filename if warc else None,
            warc_record_id=warc.record_id if warc else None,
            warc_offset=warc.offset if warc else None,
            payload_digest=warc.payload_digest if warc else None,
        )


def _hrefs(html: str) -> set[str]:
    """The ``<a href>`` values of a page, from a tree of our own that is dropped at once.

    Not ``response.xpath``: that caches a parsed tree on the response for as long as anything
    holds the response, and with responses waiting for extraction that was 140 MB more peak
    memory in the crawl process (measured on bench/throughput.py's site: 391 against 171 MB).
    """
    try:
        tree = lxml.html.document_fromstring(html, parser=_LINK_PARSER)
    except (lxml.etree.ParserError, ValueError):  # an empty or undecodable page: no links
        return set()
    return {str(a.get("href")) for a in tree.iter("a") if a.get("href")}


_LINK_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)


def _is_html(response: TextResponse) -> bool:
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    return not content_type or "html" in content_type

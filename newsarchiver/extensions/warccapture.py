"""Every HTTP exchange into WARC, captured as it came off the wire.

Connected to ``response_downloaded``, which fires before any downloader middleware has touched
the response: the body is still compressed if the server compressed it, and redirects,
robots.txt and error pages are all seen. The record's place is left in ``Meta.WARC`` for the
JSONL row to point at.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.statscollectors import StatsCollector

from ..crawl.failures import stop_for_write_error
from ..dates import fetched_at, now
from ..errors import ArchiveWriteError
from ..items import Meta
from ..layout import ArchiveLayout, CrawlLayout
from ..warc.cdxj import CaptureIndex
from ..warc.writer import HttpExchange, WarcFileWriter

logger = logging.getLogger(__name__)


def _header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Repeated headers (Set-Cookie) stay separate; bytes pass through latin-1 unchanged."""
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def exchange_from_scrapy(request: Request, response: Response) -> HttpExchange:
    protocol = response.protocol or "HTTP/1.1"
    return HttpExchange(
        url=response.url,
        method=request.method,
        request_headers=_header_pairs(request.headers),
        request_body=request.body,
        status=response.status,
        response_headers=_header_pairs(response.headers),
        body=response.body,
        protocol=protocol if protocol.upper().startswith("HTTP/") else "HTTP/1.1",
        ip_address=str(response.ip_address) if response.ip_address else None,
        date=now(),
        truncated="dataloss" in response.flags,
        not_modified_of=request.meta.get(Meta.NOT_MODIFIED_OF) if response.status == 304 else None,
    )


class WarcCapture:
    def __init__(self, writer: WarcFileWriter, crawler: Crawler, layout: ArchiveLayout) -> None:
        self.writer = writer
        self.layout = layout
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        settings = crawler.settings
        if not settings.getbool("WARC_ENABLED"):
            raise NotConfigured("WARC_ENABLED is off")
        layout = CrawlLayout.from_settings(settings)
        writer = WarcFileWriter(
            layout.warc_dir,
            root=layout.root,
            prefix=settings.get("WARC_PREFIX"),
            max_size=settings.getint("WARC_MAX_SIZE"),
            info={
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "http-header-user-agent": settings.get("USER_AGENT"),
                "isPartOf": layout.crawl_id,
                "operator": settings.get("WARC_OPERATOR") or "",
                "description": settings.get("WARC_DESCRIPTION") or "",
            },
            index=CaptureIndex(layout.root),
            revisits=settings.getbool("WARC_REVISITS"),
            gzip_level=(
                None
                if settings.get("WARC_GZIP_LEVEL") is None
                else settings.getint("WARC_GZIP_LEVEL")
            ),
            gzip_engine=settings.get("WARC_GZIP_ENGINE"),
        )
        extension = cls(writer, crawler, layout.archive)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if self.stats.get_value("newsarchiver/write_error"):
            return  # the crawl is stopping: nothing more is written
        exchange = exchange_from_scrapy(request, response)
        try:
            ref = self.writer.write_exchange(exchange)
        except ArchiveWriteError as error:
            stop_for_write_error(self.crawler, error)
            return
        request.meta[Meta.WARC] = ref
        request.meta[Meta.FETCHED_AT] = fetched_at(exchange.date)
        self.stats.inc_value("newsarchiver/warc_records", 2)
        if ref.revisit:
            self.stats.inc_value("newsarchiver/warc_revisits")
        self.stats.inc_value("newsarchiver/warc_bytes", ref.length)

    def spider_closed(self, spider: Spider, reason: str) -> Any:
        try:
            self.writer.close()
        except ArchiveWriteError as error:  # left open: the next crawl's recovery closes it
            logger.error("%s; the file stays open until the next crawl recovers it", error)
        self.stats.set_value(
            "newsarchiver/warc_files",
            [self.layout.relative(p) for p in self.writer.closed_files],
        )

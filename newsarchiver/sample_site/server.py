"""A local HTTP server for the sample news site: what `make demo` crawls and the tests crawl.

It binds to 127.0.0.1 only. With ``faults=True`` it also serves (and links from its home page)
the bad pages a crawler meets in the wild: a binary body sent as HTML, a 500, a 404, a redirect
loop, a page slower than any sane timeout, an oversized page, malformed HTML and a bogus charset.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from . import render
from .content import SECTIONS, SampleArticle, articles

REDIRECTS = {"/alt/inflation-mai": "/wirtschaft/inflation-sinkt-im-mai-a-20240512.html"}


class SampleSiteHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # needed for the chunked page and keep-alive
    server: SampleSiteServer

    def log_message(self, format: str, *args: Any) -> None:
        """Keep a request log for tests instead of printing to stderr."""

    def do_GET(self) -> None:
        path = unquote(self.path.split("?", 1)[0])
        self.server.requested_paths.append(path)
        if self.server.delay_seconds:
            time.sleep(self.server.delay_seconds)
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        site = self.server.site_articles
        with suppress(BrokenPipeError, ConnectionResetError):  # a crawler that gave up waiting
            self._route(path, base, site)

    def _route(self, path: str, base: str, site: list[SampleArticle]) -> None:
        if path == "/":
            self._send(
                200,
                render.home(site, faults=self.server.faults),
                extra=[
                    ("Set-Cookie", "session=abc123; Path=/"),
                    ("Set-Cookie", "consent=pending; Path=/; Max-Age=3600"),
                ],
            )
        elif path == "/robots.txt":
            self._send(200, render.robots(base), content_type="text/plain; charset=utf-8")
        elif path == "/feed.xml":
            self._send(200, render.rss(site, base), content_type="application/rss+xml")
        elif path == "/sitemap_index.xml":
            self._send(200, render.sitemap_index(base), content_type="application/xml")
        elif path == "/sitemap-news.xml":
            self._send(200, render.news_sitemap(site, base), content_type="application/xml")
        elif path == "/sitemap-pages.xml":
            self._send(200, render.pages_sitemap(base), content_type="application/xml")
        elif path in REDIRECTS:
            self._send(301, "", extra=[("Location", REDIRECTS[path])])
        elif path.startswith("/faults/") and self.server.faults and self._fault(path[8:]):
            return
        elif (article := next((a for a in site if a.path == path), None)) is not None:
            self._send_article(article, render.article_page(article, site, base))
        elif (page := self._listing(path, site)) is not None:
            self._send(200, page)
        else:
            self._send(404, "<h1>Seite nicht gefunden</h1>")

    def _listing(self, path: str, site: list[SampleArticle]) -> str | None:
        if match := re.fullmatch(r"/(\w+)/(?:page/(\d+)/)?", path):
            key, page = match.group(1), int(match.group(2) or 1)
            if key in SECTIONS:
                return render.section(key, site, page)
        if match := re.fullmatch(r"/tag/([\w-]+)/", path):
            return render.tag_page(match.group(1), site)
        if match := re.fullmatch(r"/autor/([\w-]+)/", path):
            return render.author_page(match.group(1), site)
        return render.static_page(path)

    def _send_article(self, article: SampleArticle, html: str) -> None:
        if article.served == "chunked":
            self._send_chunked(html.encode())
            return
        content_type, extra = "text/html; charset=utf-8", []
        if article.served == "gzip":
            # mtime 0, as web servers compress: the same page gives the same bytes every time
            data = gzip.compress(html.encode(), mtime=0)
            extra.append(("Content-Encoding", "gzip"))
        elif article.served == "latin-1":
            data = html.encode("iso-8859-1", "xmlcharrefreplace")
            content_type = "text/html; charset=iso-8859-1"
        elif article.served == "cp1252-undeclared":  # as old CMSs send it: no charset at all
            data = html.replace('<meta charset="utf-8">', "").encode("cp1252", "xmlcharrefreplace")
            content_type = "text/html"
        elif article.served == "cp1252-as-utf8":  # labelled UTF-8 in header and markup, is not
            data = html.encode("cp1252", "xmlcharrefreplace")
        elif article.served == "bogus-charset":
            data = html.replace('charset="utf-8"', 'charset="x-bogus-42"').encode()
            content_type = "text/html; charset=x-bogus-42"
        else:
            data = html.encode()
        # validators, as a CMS sends them, so re-checks can be conditional
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        changed = datetime.fromisoformat(article.modified or article.published)
        extra += [
            ("ETag", etag),
            ("Last-Modified", format_datetime(changed.astimezone(timezone.utc), usegmt=True)),
        ]
        if self.headers.get("If-None-Match") == etag:
            self.server.not_modified.append(article.path)
            self._send(304, b"", content_type=content_type, extra=extra)
            return
        self._send(200, data, content_type=content_type, extra=extra)

    def _fault(self, name: str) -> bool:
        if name == "binary":
            body = random.Random(42).randbytes(20_000)
            self._send(200, body, content_type="text/html")
        elif name == "error-500":
            self._send(500, "<h1>Interner Serverfehler</h1>")
        elif name == "loop-a":
            self._send(302, "", extra=[("Location", "/faults/loop-b")])
        elif name == "loop-b":
            self._send(302, "", extra=[("Location", "/faults/loop-a")])
        elif name == "slow":
            time.sleep(self.server.slow_seconds)
            self._send(200, "<p>zu spät</p>")
        elif name == "huge":
            filler = "<p>" + "Füllwort " * 100 + "</p>\n"
            self._send(200, "<html><body>" + filler * (3 * 1024 * 1024 // len(filler)))
        else:
            return False  # "missing" and unknown names fall through to the 404 page
        return True

    def _send(
        self,
        status: int,
        body: str | bytes,
        *,
        content_type: str = "text/html; charset=utf-8",
        extra: list[tuple[str, str]] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in extra or []:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send_chunked(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(data), 1000):
            chunk = data[start : start + 1000]
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


class SampleSiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        port: int = 0,
        *,
        faults: bool = False,
        slow_seconds: float = 10.0,
        delay_seconds: float = 0.0,
        site: list[SampleArticle] | None = None,
    ):
        super().__init__(("127.0.0.1", port), SampleSiteHandler)
        self.faults = faults
        #: the bundled articles, or others (the benchmark serves a few hundred generated ones)
        self.site_articles = site if site is not None else articles(faults=faults)
        #: how long /faults/slow takes to answer
        self.slow_seconds = slow_seconds
        #: added to every response, to make a crawl slow enough to interrupt in tests
        self.delay_seconds = delay_seconds
        self.requested_paths: list[str] = []
        #: articles answered "304 Not Modified"
        self.not_modified: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@contextmanager
def serve_sample_site(
    port: int = 0,
    *,
    faults: bool = False,
    slow_seconds: float = 10.0,
    delay_seconds: float = 0.0,
    site: list[SampleArticle] | None = None,
) -> Iterator[SampleSiteServer]:
    """Serve the sample site from a background thread for the duration of the block."""
    server = SampleSiteServer(
        port, faults=faults, slow_seconds=slow_seconds, delay_seconds=delay_seconds, site=site
    )
    thread = threading.Thread(target=server.serve_forever, name="sample-site", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()

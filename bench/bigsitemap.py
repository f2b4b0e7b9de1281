"""A news sitemap of 100,000 URLs, crawled with ``--max-pages 50``: does the crawl stay within
its page budget, and in the memory of one with a 1,000-URL sitemap (the baseline, same run)?

The site is generated on the fly on 127.0.0.1: ``/sitemap.xml`` lists N article URLs, each
answered with a small article page. Run with ``make bench``.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from childprocess import crawl_command, results_table, run_measured
from rich.console import Console

MAX_PAGES = 50
SIZES = (1_000, 100_000)
ARTICLE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story {n}</title>'
    '<meta property="og:type" content="article"></head><body><article><h1>Story {n}</h1>'
    + "".join(
        f"<p>Paragraph {i} of story {{n}} says enough for the page to count as an article.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def sitemap(count: int, base: str) -> bytes:
    entries = "".join(
        f"<url><loc>{base}news/2024/05/16/story-{n}.html</loc>"
        "<lastmod>2024-05-16T08:00:00Z</lastmod></url>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    ).encode()


@contextmanager
def generated_site(count: int) -> Iterator[tuple[str, list[str]]]:
    requested: list[str] = []
    cache: dict[str, bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            base = f"http://127.0.0.1:{port}/"
            if self.path == "/robots.txt":
                body, kind = f"Sitemap: {base}sitemap.xml\n".encode(), "text/plain"
            elif self.path == "/sitemap.xml":
                body = cache.setdefault("sitemap", sitemap(count, base))
                kind = "application/xml"
            elif self.path.startswith("/news/"):
                n = self.path.rsplit("-", 1)[-1].split(".")[0]
                body, kind = ARTICLE.format(n=n).encode(), "text/html; charset=utf-8"
            else:
                body, kind = b"<html><body><p>home</p></body></html>", "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/", requested
    finally:
        server.shutdown()
        server.server_close()


def measure(count: int) -> dict[str, float]:
    with generated_site(count) as (url, requested), tempfile.TemporaryDirectory() as output:
        seconds, rss_mb = run_measured(
            crawl_command(
                url,
                output,
                "--max-pages",
                str(MAX_PAGES),
                "--delay",
                "0",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            )
        )
        [summary_file] = Path(output).glob("crawls/*/summary.json")
        summary = json.loads(summary_file.read_text())
        fetched = len(requested)
    return {"seconds": seconds, "rss_mb": rss_mb, "pages": summary["pages"], "asked": fetched}


def main() -> None:
    console = Console(width=130)
    results = {}
    for count in SIZES:
        console.print(f"crawling a {count:,}-URL sitemap with --max-pages {MAX_PAGES} …")
        results[count] = measure(count)
    base = results[SIZES[0]]
    title = f"--max-pages {MAX_PAGES} against a big sitemap ({os.cpu_count()} cores)"
    columns = ("sitemap URLs", "pages (summary)", "requests served", "wall s", "peak RSS MB",
               "× baseline RSS")  # fmt: skip
    rows = [
        (
            f"{count:,}" + (" (baseline)" if count == SIZES[0] else ""),
            str(r["pages"]),
            str(r["asked"]),
            f"{r['seconds']:.1f}",
            f"{r['rss_mb']:.0f}",
            f"{r['rss_mb'] / base['rss_mb']:.2f}",
        )
        for count, r in results.items()
    ]
    table = results_table(title, columns, rows)
    console.print(table)


if __name__ == "__main__":
    main()

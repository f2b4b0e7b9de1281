"""A crawled page cannot make the crawler reach other ports of its host or private addresses:
real crawls of a site on 127.0.0.1 that points everywhere else, with a second server (another
port of the same host) that must never be asked for anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PagesServer, add_site, html_page, run_crawl

STORY = (
    200,
    {"Content-Type": "text/html; charset=utf-8"},
    (
        '<!DOCTYPE html><html lang="de"><head><title>Hafen investiert</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-16T09:00:00+02:00">'
        "</head><body><article><h1>Hafen investiert</h1>"
        + "".join(
            f"<p>Der Hafen meldet im Absatz {i} neue Zahlen, mit genug Text, damit die Seite "
            "als Artikel gilt und nicht als Liste oder Übersicht.</p>"
            for i in range(8)
        )
        + "</article></body></html>"
    ).encode(),
)


@pytest.fixture
def trap() -> Iterator[PagesServer]:
    """Another port of the crawled host: what a hostile page would have the crawler probe."""
    with PagesServer({}) as server:
        yield server


@pytest.fixture
def site(trap: PagesServer) -> Iterator[PagesServer]:
    other = f"http://127.0.0.1:{trap.port}"
    pages = {
        "/": html_page(
            f'<link rel="alternate" type="application/rss+xml" href="{other}/feed.xml">'
            f'<a href="{other}/linked">another port</a>'
            '<a href="/moved">moved</a>'
            '<a href="http://localhost:{PORT}/named/story.html">by name</a>'
            '<a href="file:///etc/passwd">a file</a>'
            '<a href="/2024/05/16/story.html">story</a>'
        ),
        "/moved": (302, {"Location": f"{other}/redirected"}, b""),
        "/2024/05/16/story.html": STORY,
        "/named/story.html": STORY,
        "/robots.txt": (200, {"Content-Type": "text/plain"}, f"Sitemap: {other}/sm.xml\n".encode()),
    }
    with PagesServer(pages) as server:
        yield server


def test_links_redirects_sitemaps_and_feeds_to_another_port_are_never_fetched(
    site: PagesServer, trap: PagesServer, tmp_path: Path
) -> None:
    crawl = run_crawl(tmp_path / "out", site.url)
    assert crawl.returncode == 0, crawl.stderr
    assert trap.requested == []  # not the link, the redirect, robots' Sitemap: or the feed
    assert "/2024/05/16/story.html" in site.requested  # the site itself is crawled
    assert crawl.summary["out_of_reach"] >= 3  # redirect, sitemap, announced feed
    assert crawl.summary["errors"] == 0
    log = next((tmp_path / "out" / "crawls").glob("*/crawl.log")).read_text()
    assert (
        f"not fetched (out of reach): redirected from {site.url}moved: port {trap.port} is not "
        f"the site's ({site.port}): http://127.0.0.1:{trap.port}/redirected"
    ) in log


def test_a_private_address_not_asked_for_is_reached_only_when_allowed(
    site: PagesServer, tmp_path: Path
) -> None:
    """``localhost`` is in the crawl (--domains) and on its port, but it is a loopback address
    nobody started the crawl on: a public site's page could point at it just the same."""
    refused_output, allowed_output = tmp_path / "refused", tmp_path / "allowed"
    add_site(refused_output, "t", site.url, "--domain", "localhost")
    refused = run_crawl(refused_output, "--site", "t")
    assert refused.returncode == 0, refused.stderr
    assert "/named/story.html" not in site.requested
    log = next((refused_output / "crawls").glob("*/crawl.log")).read_text()
    assert "localhost (127.0.0.1) is a private address (allow with REACH_PRIVATE_ADDRESSES)" in log
    add_site(allowed_output, "t", site.url, "--domain", "localhost", "--private-addresses")
    allowed = run_crawl(allowed_output, "--site", "t")
    assert allowed.returncode == 0, allowed.stderr
    assert "/named/story.html" in site.requested
    assert f"http://localhost:{site.port}/named/story.html" in {row["url"] for row in allowed.rows}

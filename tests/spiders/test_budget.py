"""``--max-pages N`` against long sitemaps: never more than N requests reach the site, and a
sitemap read in slices still yields what the budget allows."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import PagesServer, html_page, run_crawl


def _sitemap(paths: list[str]) -> tuple[int, dict[str, str], bytes]:
    entries = "".join(f"<url><loc>http://127.0.0.1:{{PORT}}{p}</loc></url>" for p in paths)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )
    return 200, {"Content-Type": "application/xml"}, body.encode()


def _site(sitemap_paths: list[str]) -> PagesServer:
    return PagesServer(
        {
            "/": html_page("<p>home</p>"),
            "/robots.txt": (
                200,
                {"Content-Type": "text/plain"},
                b"Sitemap: http://127.0.0.1:{PORT}/sitemap.xml\n",
            ),
            "/sitemap.xml": _sitemap(sitemap_paths),
        }
    )


def test_a_20000_url_sitemap_with_max_pages_20_makes_20_requests(tmp_path: Path) -> None:
    with _site([f"/2024/05/16/story-{n}.html" for n in range(20_000)]) as site:
        crawl = run_crawl(tmp_path / "out", site.url, "--max-pages", "20")
    assert crawl.returncode == 0, crawl.stderr
    assert len(site.requested) == 20, site.requested  # Scrapy's own count alone let 35 through
    assert crawl.summary["pages"] == 20


def test_a_sitemap_read_in_slices_reaches_entries_past_the_first_slice(tmp_path: Path) -> None:
    """The first slice (the budget, 30) is mostly one URL listed 25 times: the distinct URLs
    after it are read when the crawl runs idle, because pages are left in the budget."""
    repeated = ["/2024/05/16/same.html"] * 25
    distinct = [f"/2024/05/16/story-{n}.html" for n in range(12)]
    with _site(repeated + distinct) as site:
        crawl = run_crawl(tmp_path / "out", site.url, "--max-pages", "30")
    assert crawl.returncode == 0, crawl.stderr
    assert set(distinct) <= set(site.requested)
    assert len(site.requested) <= 30

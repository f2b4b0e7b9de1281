"""Does a crawl's memory grow with its size? Peak RSS of a 2,000- and a 20,000-page crawl of
the generated benchmark site (full pipeline: WARC, extraction, JSONL, index), same run.

The target (issue 10): the larger crawl at most 1.5 × the smaller one's peak. Run with
``make bench``; BENCH_MEMORY_PAGES="2000,20000" sets the sizes.
"""

from __future__ import annotations

import os

from bigsitemap import generated_site
from childprocess import results_table
from crawl import measure, synthetic_site
from rich.console import Console

from newsarchiver.sample_site import serve_sample_site

SIZES = [int(n) for n in os.environ.get("BENCH_MEMORY_PAGES", "2000,20000").split(",")]
TARGET = 1.5
OTHER_SITE = int(os.environ.get("BENCH_MEMORY_OTHER", "3000"))


def main() -> None:
    console = Console(width=130)
    results = {}
    for size in SIZES:
        console.print(f"crawling {size:,} generated articles (full pipeline) …")
        with serve_sample_site(site=synthetic_site(size)) as site:
            results[size] = measure(site.url, [])
    base = results[SIZES[0]]
    # the scraper settings were chosen on the site above: checked on one they were not, the
    # sitemap-only site of bench/bigsitemap.py (small pages, no listings), against Scrapy's own
    scrapy_defaults = ["-s", "CONCURRENT_ITEMS=100", "-s", "SCRAPER_SLOT_MAX_ACTIVE_SIZE=5000000"]
    other = {}
    with generated_site(OTHER_SITE) as (url, _):
        for name, extra in (
            ("newsarchiver's settings", []),
            ("Scrapy's defaults", scrapy_defaults),
        ):
            console.print(f"crawling the sitemap-only site ({OTHER_SITE:,} articles), {name} …")
            other[name] = measure(url, extra)
    title = f"Peak memory by crawl size ({os.cpu_count()} cores; target ≤ {TARGET}×)"
    columns = ("articles on the site", "pages", "articles", "wall s", "pages/s", "peak RSS MB",
               "× smallest")  # fmt: skip
    rows = [
        (
            f"{size:,}",
            str(r["pages"]),
            str(r["articles"]),
            f"{r['seconds']:.0f}",
            f"{r['pages'] / r['seconds']:.0f}",
            f"{r['rss_mb']:.0f}",
            f"{r['rss_mb'] / base['rss_mb']:.2f}",
        )
        for size, r in results.items()
    ]
    table = results_table(title, columns, rows)
    console.print(table)
    title = f"The same settings on a site they were not chosen on ({OTHER_SITE:,} articles)"
    other_rows = [
        (name, str(r["pages"]), str(r["articles"]), f"{r['seconds']:.0f}",
         f"{r['pages'] / r['seconds']:.0f}", f"{r['rss_mb']:.0f}")
        for name, r in other.items()
    ]  # fmt: skip
    table = results_table(title, ("settings", "pages", "articles", "wall s", "pages/s",
                                  "peak RSS MB"), other_rows)  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()

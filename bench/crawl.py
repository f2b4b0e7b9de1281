"""Crawl throughput and memory: what archiving costs on top of fetching.

Serves a few hundred generated articles (the sample site's templates and text, shuffled) on
127.0.0.1 and crawls them three ways in fresh processes:

- fetch only: the same spider with no WARC capture and no item pipelines (the baseline);
- + WARC: capture every exchange;
- full: WARC, extraction and the JSONL archive (what `newsarchiver crawl` does);
- a configured site's second, incremental run (`crawl --site`, nothing changed): what a
  scheduled re-crawl costs once the archive holds the site.

Prints pages/s, articles/s, wall time and peak RSS, with ratios against the baseline.
Run with `make bench`; BENCH_ARTICLES sets the size (default 400).
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from childprocess import crawl_command, results_table, run_measured
from rich.console import Console

from newsarchiver.sample_site import serve_sample_site
from newsarchiver.sample_site.content import ARTICLES, SampleArticle

ARTICLE_COUNT = int(os.environ.get("BENCH_ARTICLES", "400"))
FAST = [
    "--depth",  # every page of a paginated section (a site's sitemap would list them too)
    "1000",
    "--delay",
    "0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "CONCURRENT_REQUESTS=16",
    "--concurrency",
    "16",
    "-s",
    "LOG_LEVEL=INFO",
]
VARIANTS = {
    "fetch only (baseline)": ["-s", "WARC_ENABLED=False", "-s", "ITEM_PIPELINES={}"],
    "+ WARC capture": ["-s", "ITEM_PIPELINES={}"],
    "full: WARC + extraction + JSONL": [],
}


def synthetic_site(count: int) -> list[SampleArticle]:
    """Articles in every markup style with shuffled real paragraphs, listed on paginated
    section pages (the newest 30 also on the home page)."""
    rng = random.Random(1)
    templates = [a for a in ARTICLES if not a.fault and not a.disallowed and a.served == "plain"]
    paragraphs = [p for a in templates for p in a.paragraphs]
    site = []
    for i in range(count):
        template = templates[i % len(templates)]
        site.append(
            dataclasses.replace(
                template,
                path=f"/{template.section}/2024/05/{1 + i % 28:02d}/bench-article-number-{i}/",
                title=f"{template.title} ({i})",
                paragraphs=tuple(rng.sample(paragraphs, 5)),
                # the newest on the home page, every one on its section's pages (50 a page),
                # as news sites list them: no page links to thousands of articles
                found_via=("home", "section") if i < 30 else ("section",),
                related_paths=(),
            )
        )
    return site


def measure(url: str, extra: list[str]) -> dict[str, float]:
    """One crawl in a fresh process."""
    with tempfile.TemporaryDirectory() as output:
        seconds, rss_mb = run_measured(crawl_command(url, output, *FAST, *extra))
        [summary_file] = Path(output).glob("crawls/*/summary.json")
        summary = json.loads(summary_file.read_text())
    return {
        "seconds": seconds,
        "pages": summary["pages"],
        "articles": summary["articles"],
        "rss_mb": rss_mb,
    }


def measure_rerun(url: str) -> dict[str, float]:
    """The second run of a configured site whose pages have not changed."""
    with tempfile.TemporaryDirectory() as output:
        newsarchiver = [sys.executable, "-m", "newsarchiver"]
        subprocess.run(
            [
                *newsarchiver,
                "sites",
                "add",
                "bench",
                url,
                "--delay",
                "0",
                "--concurrency",
                "16",
                "-o",
                output,
            ],
            check=True,
            capture_output=True,
        )
        crawl = [*newsarchiver, "crawl", "--site", "bench", "-o", output, "--no-progress"]
        subprocess.run(crawl, check=True, capture_output=True)
        seconds, rss_mb = run_measured(crawl)
        summaries = sorted(Path(output).glob("crawls/*/summary.json"))
        summary = json.loads(summaries[-1].read_text())
    return {
        "seconds": seconds,
        "pages": summary["pages"],
        "articles": summary["articles"],
        "rss_mb": rss_mb,
    }


def main() -> None:
    console = Console(width=130)
    results = {}
    with serve_sample_site(site=synthetic_site(ARTICLE_COUNT)) as site:
        for name, extra in VARIANTS.items():
            console.print(f"crawling {ARTICLE_COUNT} articles: {name} …")
            results[name] = measure(site.url, extra)
        console.print(f"crawling {ARTICLE_COUNT} articles twice as a configured site …")
        results["incremental re-run, nothing changed"] = measure_rerun(site.url)
    base = results["fetch only (baseline)"]
    title = f"Crawl of {ARTICLE_COUNT} generated articles on 127.0.0.1 ({os.cpu_count()} cores)"
    columns = ("variant", "pages", "articles", "wall s", "pages/s", "× baseline time",
               "peak RSS MB", "× baseline RSS")  # fmt: skip
    rows = [
        (
            name,
            str(r["pages"]),
            str(r["articles"]),
            f"{r['seconds']:.1f}",
            f"{r['pages'] / r['seconds']:.0f}",
            f"{r['seconds'] / base['seconds']:.2f}",
            f"{r['rss_mb']:.0f}",
            f"{r['rss_mb'] / base['rss_mb']:.2f}",
        )
        for name, r in results.items()
    ]
    table = results_table(title, columns, rows)
    console.print(table)


if __name__ == "__main__":
    main()

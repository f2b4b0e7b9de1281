"""The add-on: another Scrapy project archives with newsarchiver by naming it in ADDONS."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from newsarchiver.sample_site import serve_sample_site

#: a project of someone else's: none of newsarchiver's settings, only the add-on
OTHER_PROJECT = """
import sys
from scrapy.crawler import CrawlerProcess
from newsarchiver.spiders.news import NewsSpider

process = CrawlerProcess({
    "ADDONS": {"newsarchiver.addon.Newsarchiver": 0},
    "NEWSARCHIVER_OUTPUT": sys.argv[1],
    "DOWNLOAD_DELAY": 0,
    "CLOSESPIDER_ITEMCOUNT": 3,
    "LOG_LEVEL": "WARNING",
})
for url in sys.argv[2:]:
    process.crawl(NewsSpider, start_urls=url)
process.start()
"""


def test_two_crawlers_in_one_process_of_another_project_never_share_a_file(
    tmp_path: Path,
) -> None:
    output = tmp_path / "archive"
    with serve_sample_site() as one, serve_sample_site() as two:
        done = subprocess.run(
            [sys.executable, "-c", OTHER_PROJECT, str(output), one.url, two.url],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    summaries = [json.loads(p.read_text()) for p in output.glob("crawls/*/summary.json")]
    assert len(summaries) == 2 and len({s["crawl_id"] for s in summaries}) == 2
    jsonl = sorted(output.glob("articles/**/*.jsonl"))
    assert [p.stem for p in jsonl] == sorted(s["crawl_id"] for s in summaries)
    for path in jsonl:  # each crawl's rows are its own site's, and name their crawl
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        assert rows and {r["crawl_id"] for r in rows} == {path.stem}
        assert len({r["url"].split("/")[2] for r in rows}) == 1
    warcs = [w for s in summaries for w in s["warc_files"]]
    assert len(warcs) == len(set(warcs)) >= 2

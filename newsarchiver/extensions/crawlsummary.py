"""``OUTPUT/crawls/CRAWL_ID/summary.json``: what a crawl did, where its files went.

Written when the spider closes, atomically (temporary file, then rename), so the CLI, the
scheduler and users read either the whole summary or none.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from ..files import replacing
from ..layout import OutputLayout


def progress_counts(stats: dict[str, Any]) -> dict[str, Any]:
    """What a crawl has done so far: the live progress line and the summary both show these."""
    return {
        "pages": stats.get("downloader/response_count", 0),
        "bytes": stats.get("downloader/response_bytes", 0),
        "articles": stats.get("newsarchiver/articles", 0),
        "errors": stats.get("newsarchiver/errors", 0),
    }


def summarize(stats: dict[str, Any], layout: OutputLayout, reason: str) -> dict[str, Any]:
    errors = {
        k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newsarchiver/errors/")
    }
    return {
        "crawl_id": layout.crawl_id,
        "finish_reason": reason,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "output": str(layout.root),
        **progress_counts(stats),
        "pages_not_article": stats.get("newsarchiver/pages_not_article", 0),
        "paywalled": stats.get("newsarchiver/access/paywalled", 0),
        "blocked": stats.get("newsarchiver/access/blocked", 0),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "errors_by_kind": errors,
        "jsonl_file": stats.get("newsarchiver/jsonl_file")
        if stats.get("newsarchiver/articles")
        else None,
        "warc_files": stats.get("newsarchiver/warc_files", []),
        "warc_records": stats.get("newsarchiver/warc_records", 0),
        "warc_revisits": stats.get("newsarchiver/warc_revisits", 0),
        # incremental crawls: articles not fetched again, fetched again, found unchanged
        "skipped": stats.get("newsarchiver/incremental/skipped", 0),
        "rechecked": stats.get("newsarchiver/incremental/rechecked", 0),
        "unchanged": stats.get("newsarchiver/incremental/unchanged", 0),
        "older_than_last_run": stats.get("newsarchiver/incremental/older_than_last_run", 0),
    }


class CrawlSummary:
    def __init__(self, layout: OutputLayout, stats: StatsCollector) -> None:
        self.layout = layout
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        extension = cls(OutputLayout.from_settings(crawler.settings), crawler.stats)
        # after the WARC writer has closed its files (signal handlers run in connection order)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        summary = summarize(self.stats.get_stats(), self.layout, reason)
        with replacing(self.layout.summary_file) as temporary:
            temporary.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")

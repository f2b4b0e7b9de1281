"""What a crawl did: the live progress counts and the summary written when it ends.

``OUTPUT/crawls/CRAWL_ID/summary.json`` is this dataclass as JSON; the CLI, the run history
and site runs read it as a :class:`CrawlSummary`, never by string keys.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..dates import fetched_at, now
from ..errors import CrawlError
from ..layout import CrawlLayout
from .job import SHUTDOWN, WRITE_FAILED


@dataclass(frozen=True)
class Progress:
    """What a crawl has done so far: the live progress line and the summary both show these."""

    pages: int = 0
    bytes: int = 0
    articles: int = 0
    errors: int = 0

    @classmethod
    def of(cls, stats: dict[str, Any]) -> Progress:
        return cls(
            pages=stats.get("downloader/response_count", 0),
            bytes=stats.get("downloader/response_bytes", 0),
            articles=stats.get("newsarchiver/articles", 0),
            errors=stats.get("newsarchiver/errors", 0),
        )


#: Scrapy's finish reasons (kept as they are in summary.json) → what a person is told
_ENDED = {
    "finished": "finished",
    "closespider_itemcount": "stopped at --max-articles",
    "closespider_pagecount": "stopped at --max-pages",
    "closespider_timeout": "stopped at its time limit",
    SHUTDOWN: "stopped (interrupted; the same command resumes it)",
    WRITE_FAILED: "stopped: a write failed",
}


def ended_as(reason: str) -> str:
    """How a crawl ended, in words ("stopped at --max-articles", not closespider_itemcount)."""
    return _ENDED.get(reason, f"ended ({reason})")


#: summary counts → the crawl stats they are read from
_COUNTS = {
    "pages_not_article": "newsarchiver/pages_not_article",
    "uncertain": "newsarchiver/articles_uncertain",
    "paywalled": "newsarchiver/access/paywalled",
    "blocked": "newsarchiver/access/blocked",
    "robots_forbidden": "robotstxt/forbidden",
    "out_of_reach": "newsarchiver/out_of_reach",
    "warc_records": "newsarchiver/warc_records",
    "warc_revisits": "newsarchiver/warc_revisits",
    "skipped": "newsarchiver/incremental/skipped",
    "rechecked": "newsarchiver/incremental/rechecked",
    "unchanged": "newsarchiver/incremental/unchanged",
    "older_than_last_run": "newsarchiver/incremental/older_than_last_run",
}


@dataclass
class CrawlSummary:
    crawl_id: str
    finish_reason: str
    finished_at: str
    output: str
    pages: int = 0
    bytes: int = 0
    articles: int = 0
    errors: int = 0
    pages_not_article: int = 0
    #: pages left out of the text archive, by reason ("listing", "too_little_text"…)
    not_article_by_reason: dict[str, int] = field(default_factory=dict)
    #: rows labelled page_type "uncertain" (shown by query --uncertain)
    uncertain: int = 0
    paywalled: int = 0
    blocked: int = 0
    robots_forbidden: int = 0
    #: requests refused as outside the crawl (another port, a private address; crawl/reach.py)
    out_of_reach: int = 0
    errors_by_kind: dict[str, int] = field(default_factory=dict)
    #: relative to ``output``; None when the crawl archived no article
    jsonl_file: str | None = None
    warc_files: list[str] = field(default_factory=list)
    warc_records: int = 0
    warc_revisits: int = 0
    # incremental crawls: articles not fetched again, fetched again, found unchanged
    skipped: int = 0
    rechecked: int = 0
    unchanged: int = 0
    older_than_last_run: int = 0
    #: the failed write that stopped the crawl (finish reason "write_failed"), if one did
    write_error: str | None = None
    #: the crawl's log (not in summary.json: known from where the summary lies)
    log_file: str = ""
    #: how a configured site's run ended ("finished", "interrupted", "failed"); "" otherwise
    status: str = ""

    @classmethod
    def of(cls, stats: dict[str, Any], layout: CrawlLayout, reason: str) -> CrawlSummary:
        def by_kind(prefix: str) -> dict[str, int]:
            return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}

        errors = by_kind("newsarchiver/errors/")
        return cls(
            crawl_id=layout.crawl_id,
            finish_reason=reason,
            finished_at=fetched_at(now()),
            output=str(layout.root),
            **asdict(Progress.of(stats)),
            **{name: stats.get(key, 0) for name, key in _COUNTS.items()},
            errors_by_kind=errors,
            not_article_by_reason=by_kind("newsarchiver/not_article/"),
            jsonl_file=stats.get("newsarchiver/jsonl_file")
            if stats.get("newsarchiver/articles")
            else None,
            warc_files=stats.get("newsarchiver/warc_files", []),
            write_error=stats.get("newsarchiver/write_error"),
        )

    def to_json(self) -> str:
        data = asdict(self)
        del data["log_file"], data["status"]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def read(cls, layout: CrawlLayout) -> CrawlSummary:
        if not layout.summary_file.exists():
            raise CrawlError(f"the crawl ended without a summary; see {layout.log_file}")
        data = json.loads(layout.summary_file.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        summary = cls(**{k: v for k, v in data.items() if k in known})
        summary.log_file = str(layout.log_file)
        return summary

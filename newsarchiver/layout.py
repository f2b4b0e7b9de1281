"""Where a crawl's files go under the output directory.

    OUTPUT/articles/YYYY-MM/CRAWL_ID.jsonl      one JSON object per article
    OUTPUT/warc/YYYY-MM/PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz
    OUTPUT/crawls/CRAWL_ID/summary.json         what the crawl did (and crawl.log from the CLI)

Months keep directories small over years of scheduled crawls; one crawl id names every file
of one run, so several crawls (or workers) never write to the same file.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from scrapy.settings import BaseSettings


def new_crawl_id(now: datetime | None = None) -> str:
    """A sortable, unique id: UTC start time plus a random suffix."""
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f"{when:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class OutputLayout:
    root: Path
    crawl_id: str

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> OutputLayout:
        return cls(Path(settings.get("NEWSARCHIVER_OUTPUT")), settings.get("NEWSARCHIVER_CRAWL_ID"))

    @property
    def month(self) -> str:
        """The crawl's start month from its id, or this month for a hand-picked id."""
        if re.match(r"\d{8}T", self.crawl_id):
            return f"{self.crawl_id[0:4]}-{self.crawl_id[4:6]}"
        return f"{datetime.now(timezone.utc):%Y-%m}"

    @property
    def articles_file(self) -> Path:
        return self.root / "articles" / self.month / f"{self.crawl_id}.jsonl"

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc" / self.month

    @property
    def crawl_dir(self) -> Path:
        return self.root / "crawls" / self.crawl_id

    @property
    def summary_file(self) -> Path:
        return self.crawl_dir / "summary.json"

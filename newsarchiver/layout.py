"""Every path under the output directory, in one place: the layout README.md documents.

    OUTPUT/articles/YYYY-MM/CRAWL_ID.jsonl      one JSON object per article version
    OUTPUT/warc/YYYY-MM/PREFIX-TIMESTAMP-SERIAL-HOST.warc.gz   (….open while written)
    OUTPUT/warc/imported/NAME.warc.gz           WARC files brought in by `import`
    OUTPUT/index/articles.sqlite                the article index (derived from the JSONL)
    OUTPUT/index/cdxj/*.cdxj                    the capture index (derived from the WARCs)
    OUTPUT/crawls/CRAWL_ID/summary.json         what a crawl did, and its crawl.log
    OUTPUT/sites.toml                           configured sites
    OUTPUT/schedule/runs.sqlite                 the run history of configured sites
    OUTPUT/schedule/jobs/SITE/ and SITE.lock    a site's resumable job state, and its lock
    OUTPUT/jobs/KEY/ and KEY.lock               a plain crawl's, by what it was asked

Months keep directories small over years of scheduled crawls; one crawl id names every file
of one run, so several crawls (or workers) never write to the same file.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scrapy.settings import BaseSettings

from .dates import UTC, now
from .errors import ArchiveNotFound

WARC_SUFFIXES = (".warc.gz", ".warc")
OPEN_SUFFIX = ".open"
CDXJ_SUFFIX = ".cdxj"


def new_crawl_id(when: datetime | None = None) -> str:
    """A sortable, unique id: UTC start time plus a random suffix."""
    return f"{(when or now()).astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class ArchiveLayout:
    """One archive: the output directory and everything in it."""

    root: Path

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ArchiveLayout:
        return cls(Path(settings.get("NEWSARCHIVER_OUTPUT")))

    def exists(self) -> bool:
        """Anything archived: articles, WARC files (crawled or imported) or an index."""
        return any(p.is_dir() for p in (self.articles_dir, self.warc_dir, self.index_dir))

    def require(self) -> ArchiveLayout:
        """This layout, when there is an archive; raises ArchiveNotFound when there is none."""
        if not self.exists():
            raise ArchiveNotFound(f"{self.root} holds no archive (no {self.warc_dir})")
        return self

    # -- the text side ------------------------------------------------------------------------

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    def jsonl_files(self) -> list[Path]:
        return sorted(self.articles_dir.glob("**/*.jsonl"))

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def article_index(self) -> Path:
        return self.index_dir / "articles.sqlite"

    # -- the WARC side ------------------------------------------------------------------------

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc"

    @property
    def imported_dir(self) -> Path:
        return self.warc_dir / "imported"

    @property
    def cdxj_dir(self) -> Path:
        return self.index_dir / "cdxj"

    def warc_files(self, *, with_open: bool = False) -> list[Path]:
        """Every WARC file; with ``with_open``, also those still named ``….open``: being
        written, or left by a killed crawl (every record in them is whole)."""
        if not self.warc_dir.is_dir():
            return []
        suffixes: tuple[str, ...] = WARC_SUFFIXES
        if with_open:
            suffixes += tuple(s + OPEN_SUFFIX for s in WARC_SUFFIXES)
        return sorted(p for p in self.warc_dir.rglob("*") if p.name.endswith(suffixes))

    def warc_name(self, path: Path) -> str:
        """A WARC file's name in the capture index: its path under OUTPUT/warc."""
        return path.relative_to(self.warc_dir).as_posix()

    def cdxj_file(self, warc_name: str) -> Path:
        """The index file of a WARC file: its path under OUTPUT/warc, flattened."""
        return self.cdxj_dir / (warc_name.replace("/", "__") + CDXJ_SUFFIX)

    def relative(self, path: Path) -> str:
        """How rows and summaries name a file: relative to the output directory."""
        return path.relative_to(self.root).as_posix()

    # -- crawls and schedules -----------------------------------------------------------------

    def crawl(self, crawl_id: str) -> CrawlLayout:
        return CrawlLayout(self, crawl_id)

    @property
    def sites_file(self) -> Path:
        return self.root / "sites.toml"

    @property
    def schedule_dir(self) -> Path:
        return self.root / "schedule"

    @property
    def runs_db(self) -> Path:
        return self.schedule_dir / "runs.sqlite"

    def job_dir(self, site: str) -> Path:
        """A configured site's resumable job state (and ``SITE.lock`` beside it)."""
        return self.schedule_dir / "jobs" / site

    def plain_job_dir(self, key: str) -> Path:
        """A plain crawl's resumable job state, by what it was asked (crawl/job.py)."""
        return self.root / "jobs" / key


@dataclass(frozen=True)
class CrawlLayout:
    """The files of one crawl (or import) run, named by its id."""

    archive: ArchiveLayout
    crawl_id: str

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CrawlLayout:
        crawl_id = settings.get("NEWSARCHIVER_CRAWL_ID")
        if not crawl_id:
            raise ValueError("NEWSARCHIVER_CRAWL_ID is not set (the newsarchiver add-on sets it)")
        return cls(ArchiveLayout.from_settings(settings), crawl_id)

    @property
    def root(self) -> Path:
        return self.archive.root

    @property
    def month(self) -> str:
        """The crawl's start month from its id, or this month for a hand-picked id."""
        if re.match(r"\d{8}T", self.crawl_id):
            return f"{self.crawl_id[0:4]}-{self.crawl_id[4:6]}"
        return f"{now():%Y-%m}"

    @property
    def articles_file(self) -> Path:
        return self.archive.articles_dir / self.month / f"{self.crawl_id}.jsonl"

    @property
    def warc_dir(self) -> Path:
        return self.archive.warc_dir / self.month

    @property
    def crawl_dir(self) -> Path:
        return self.root / "crawls" / self.crawl_id

    @property
    def summary_file(self) -> Path:
        return self.crawl_dir / "summary.json"

    @property
    def log_file(self) -> Path:
        return self.crawl_dir / "crawl.log"

"""What flows through the crawl: the request meta keys components share, fetched pages in,
archived articles (the JSONL rows) out."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Final


class Meta:
    """The ``request.meta`` keys newsarchiver's components set and read, declared once and
    prefixed so that no other component's keys collide. Values are plain data or dataclasses,
    so a request pickled into a JOBDIR queue comes back whole."""

    #: how the URL was found first: "start", "link", "feed", "sitemap" (the spider)
    DISCOVERED_VIA: Final = "newsarchiver_discovered_via"
    #: when a feed or sitemap says the page last changed, ISO 8601 (the spider)
    LASTMOD: Final = "newsarchiver_lastmod"
    #: what a feed or news sitemap said of the page: title, published, language, source
    HINTS: Final = "newsarchiver_hints"
    #: a guessed feed or sitemap location: failing is expected, not an error (the spider)
    PROBE: Final = "newsarchiver_probe"
    #: the WarcRef of the response record (WarcCapture), and when it was fetched
    WARC: Final = "newsarchiver_warc"
    FETCHED_AT: Final = "newsarchiver_fetched_at"
    #: set once IncrementalFetch has decided on a request (its redirects and retries keep it)
    RECHECKED: Final = "newsarchiver_rechecked"
    #: the capture a 304 to a conditional re-check stands for (IncrementalFetch → WarcCapture)
    NOT_MODIFIED_OF: Final = "newsarchiver_not_modified_of"


@dataclass
class FetchedPage:
    """An HTML page the spider fetched, on its way to extraction."""

    url: str
    html: str
    status: int
    fetched_at: str
    content_type: str = ""
    #: the charset the body was decoded with (after the declared one, a BOM or detection)
    encoding: str = "utf-8"
    #: how the URL was found first: "start", "link", "feed", "sitemap"
    discovered_via: str = "link"
    #: what a feed or news sitemap said of the URL (title, published, language)
    hints: dict[str, str] = field(default_factory=dict)
    warc_file: str | None = None
    warc_record_id: str | None = None
    warc_offset: int | None = None
    payload_digest: str | None = None


#: the JSONL contract, in row order; README.md documents each field
ARTICLE_FIELDS = (
    "url",
    "canonical_url",
    "title",
    "authors",
    "agencies",
    "published",
    "modified",
    "language",
    "site_name",
    "description",
    "tags",
    "section",
    "image",
    "text",
    "access",
    "page_type",
    "page_evidence",
    "extractor",
    "metadata_sources",
    "fetched_at",
    "status",
    "discovered_via",
    "crawl_id",
    "warc_file",
    "warc_record_id",
    "warc_offset",
    "payload_digest",
    "content_digest",
    "version",
)
#: present only when the crawl was asked for Markdown (EXTRACTION_MARKDOWN, --format markdown)
OPTIONAL_FIELDS = ("markdown",)


@dataclass
class ArchivedArticle:
    """One row of ``OUTPUT/articles/**/*.jsonl``."""

    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str]
    published: str | None
    modified: str | None
    language: str | None
    site_name: str | None
    description: str | None
    tags: list[str]
    section: str | None
    image: str | None
    text: str
    access: str
    metadata_sources: dict[str, str]
    fetched_at: str
    status: int
    discovered_via: str
    crawl_id: str
    warc_file: str | None
    warc_record_id: str | None
    warc_offset: int | None
    payload_digest: str | None
    content_digest: str
    #: 1 for an article's first row; each changed text gets the next (articles/versions.py)
    version: int = 1
    #: news agencies the byline credits (authors holds persons only)
    agencies: list[str] = field(default_factory=list)
    #: "article", or "uncertain" when the page's evidence was mixed (extraction/classify.py)
    page_type: str = "article"
    #: what that decision rested on: {"score": int, "signals": [...]}
    page_evidence: dict[str, Any] = field(default_factory=dict)
    #: which extractor made the text: "newsarchiver X.Y.Z" (reextract writes a new row when a
    #: newer one reads an archived page differently)
    extractor: str = ""
    markdown: str | None = None

    def to_json_line(self) -> bytes:
        data = asdict(self)
        row = {name: data[name] for name in ARTICLE_FIELDS}  # the documented order
        if self.markdown is not None:
            row["markdown"] = self.markdown
        return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

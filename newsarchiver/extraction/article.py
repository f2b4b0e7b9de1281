"""The article as extraction returns it: what the page says about itself, plus its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleMetadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    #: news agencies the byline credits (dpa, AFP, AP, Reuters…): not people, still credited
    agencies: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    image: str | None = None
    canonical_url: str | None = None
    #: where each field came from: "json-ld", "opengraph", "meta", "html" (time, lang, title
    #: and canonical elements), "text" (trafilatura's byline and date heuristics), "detected"
    metadata_sources: dict[str, str] = field(default_factory=dict)

    def fill(self, name: str, value: Any, source: str) -> bool:
        """Set a field that is still empty, noting the source; True when it was set."""
        if not value or getattr(self, name):
            return False
        setattr(self, name, value)
        self.metadata_sources[name] = source
        return True


@dataclass
class Article(ArticleMetadata):
    text: str = ""
    #: "open"; "paywalled" when the page shows a teaser in place of the article; "blocked"
    #: when a consent wall or a bot check stands in place of the page
    access: str = "open"
    #: the text with headings, lists and quotes, when asked for (extract_article(markdown=True))
    markdown: str | None = None
    #: "article", or "uncertain" when the evidence is mixed (see classify.py)
    page_type: str = "article"
    #: what that rested on: {"score": int, "signals": [...]}
    evidence: dict[str, Any] = field(default_factory=dict)

"""The article as extraction returns it: what the page says about itself, plus its text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ArticleMetadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str | None = None


@dataclass
class Article(ArticleMetadata):
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

"""A fetched page and its extracted article → the JSONL row (crawls and imports alike)."""

from __future__ import annotations

from ..digests import sha1_digest
from ..extraction import EXTRACTOR, Article
from ..items import ArchivedArticle, FetchedPage


def text_digest(text: str) -> str:
    """The row's ``content_digest``: the text's digest, written as WARC payload digests are."""
    return sha1_digest(text.encode())


def archived_article(page: FetchedPage, article: Article, crawl_id: str) -> ArchivedArticle:
    """The JSONL row: the extracted article, completed by what feeds and sitemaps said. Its
    ``version`` is the archive's to give (VersionLedger.place)."""
    hint_source = page.hints.get("source", "feed")
    for name in ("title", "published", "language"):  # the page's own word comes first
        article.fill(name, page.hints.get(name), hint_source)
    return ArchivedArticle(
        url=page.url,
        canonical_url=article.canonical_url,
        title=article.title,
        authors=article.authors,
        agencies=article.agencies,
        published=article.published,
        modified=article.modified,
        language=article.language,
        site_name=article.site_name,
        description=article.description,
        tags=article.tags,
        section=article.section,
        image=article.image,
        text=article.text,
        access=article.access,
        page_type=article.page_type,
        page_evidence=article.evidence,
        extractor=EXTRACTOR,
        metadata_sources=article.metadata_sources,
        fetched_at=page.fetched_at,
        status=page.status,
        discovered_via=page.discovered_via,
        crawl_id=crawl_id,
        warc_file=page.warc_file,
        warc_record_id=page.warc_record_id,
        warc_offset=page.warc_offset,
        payload_digest=page.payload_digest,
        content_digest=text_digest(article.text),
        markdown=article.markdown,
    )

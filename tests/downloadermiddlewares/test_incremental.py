"""What the incremental middleware reads of the archive: the last capture, found by index."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

from newsarchiver.articles.index import ArticleIndex
from newsarchiver.downloadermiddlewares.incremental import ARCHIVED_SQL, archived, last_capture
from newsarchiver.sample_site.content import ARTICLES
from tests.conftest import CrawlRun


def test_an_archived_article_is_found_by_index_with_its_validators(
    site_crawl: CrawlRun, tmp_path: Path
) -> None:
    output = tmp_path / "archive"
    shutil.copytree(site_crawl.output, output)
    with ArticleIndex(output) as index:
        index.update()
        plan = " ".join(
            str(row[3]) for row in index.db.execute(f"EXPLAIN QUERY PLAN {ARCHIVED_SQL}", ("", ""))
        )
        assert "SCAN article_versions" not in plan  # one lookup per request, at any size
        plain = {a.path for a in ARTICLES if a.served == "plain"}  # sent with ETag, Last-Modified
        row = next(r for r in site_crawl.rows if urlsplit(r["url"]).path in plain)
        found = archived(index.db, row["url"])
        assert found is not None and found.version == 1
        assert found.content_digest == row["content_digest"]
        assert archived(index.db, row["url"].replace("http://", "https://www.")) is not None
        assert archived(index.db, row["url"] + "-not-there") is None
    original, validators = last_capture(output, found)
    assert original is not None and original.record_id == row["warc_record_id"]
    assert [name for name, _ in validators] == ["If-None-Match", "If-Modified-Since"]

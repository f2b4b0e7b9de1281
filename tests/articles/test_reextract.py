"""`reextract`: better text for archived captures, from the WARC, without fetching anything.

The "older extractor" is a crawl whose extraction read the pages differently: one that dropped
every second paragraph (``EXTRACTION_DROP_SELECTORS``), and one that dropped whole pages.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsarchiver.extraction import EXTRACTOR
from newsarchiver.sample_site import SampleSiteServer
from tests.conftest import archived_rows, expected_articles, run_cli, run_crawl


def rows_by_url(output: Path) -> dict[str, list[dict[str, object]]]:
    found: dict[str, list[dict[str, object]]] = {}
    for row in archived_rows(output):
        found.setdefault(str(row["url"]), []).append(row)
    return found


def test_reextract_gives_old_captures_the_current_text(
    sample_site: SampleSiteServer, tmp_path: Path
) -> None:
    crawled = run_crawl(
        tmp_path, sample_site.url, "-s", 'EXTRACTION_DROP_SELECTORS=["p:nth-of-type(2)"]'
    )
    assert crawled.returncode == 0, crawled.stderr
    before = rows_by_url(tmp_path)
    articles = {sample_site.url.rstrip("/") + a.path: a for a in expected_articles()}
    shortened = [
        u for u, rows in before.items() if rows[0]["text"] != "\n\n".join(articles[u].paragraphs)
    ]
    assert shortened, "the old extraction should have lost paragraphs"

    done = run_cli(tmp_path, "reextract")
    assert done.returncode == 0, done.stderr
    assert f"{len(shortened)} texts changed" in done.stdout
    after = rows_by_url(tmp_path)
    for url in shortened:
        old, new = after[url]
        assert new["text"] == "\n\n".join(articles[url].paragraphs)
        # the same capture, read again: same version, time and record; the extractor named
        assert (new["version"], new["fetched_at"], new["warc_record_id"]) == (
            old["version"], old["fetched_at"], old["warc_record_id"]
        )  # fmt: skip
        assert new["extractor"] == EXTRACTOR

    # what users read is the new text, and the history is still one version per capture
    url = shortened[0]
    queried = run_cli(tmp_path, "query", "--url-prefix", url, "--format", "jsonl")
    assert queried.returncode == 0, queried.stderr
    [row] = [json.loads(line) for line in queried.stdout.splitlines()]
    assert row["text"] == "\n\n".join(articles[url].paragraphs)
    history = run_cli(tmp_path, "history", url, "--format", "jsonl")
    assert history.returncode == 0, history.stderr
    assert len(history.stdout.splitlines()) == 1

    # nothing changed since: a second run writes nothing
    again = run_cli(tmp_path, "reextract")
    assert again.returncode == 0, again.stderr
    assert "0 texts changed, 0 articles new" in again.stdout
    assert len(archived_rows(tmp_path)) == sum(len(r) for r in after.values())


def test_reextract_adds_pages_an_older_extractor_left_out(
    sample_site: SampleSiteServer, tmp_path: Path
) -> None:
    # an extractor that found no text on any page: every article stayed in the WARC alone
    crawled = run_crawl(tmp_path, sample_site.url, "-s", 'EXTRACTION_DROP_SELECTORS=["body"]')
    assert crawled.returncode == 0, crawled.stderr
    assert archived_rows(tmp_path) == []
    site = "127.0.0.1"
    done = run_cli(tmp_path, "reextract", "--site", site, "--since", "2000-01-01")
    assert done.returncode == 0, done.stderr
    got = {str(r["url"]) for r in archived_rows(tmp_path)}
    assert got == {sample_site.url.rstrip("/") + a.path for a in expected_articles()}
    assert all(r["discovered_via"] == "reextract" for r in archived_rows(tmp_path))

    nothing = run_cli(tmp_path, "reextract", "--since", "2999-01-01")
    assert nothing.returncode == 0 and nothing.stdout.startswith("0 archived pages read")

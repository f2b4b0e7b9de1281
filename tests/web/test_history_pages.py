"""The web pages of an article's versions: the versions table, the marked diff, the changes
page and its Atom feed, on a real archive's JSONL and index."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from werkzeug.test import Client

from newsarchiver.web.app import ArchiveWebApp
from newsarchiver.web.origins import Origins, allowed_hosts
from tests.conftest import VERSIONED_URL as URL


@pytest.fixture
def web(three_versions: Path) -> Client:
    return Client(ArchiveWebApp(three_versions, Origins(8080, 8081, allowed_hosts("127.0.0.1"))))


def test_the_article_page_lists_its_versions_with_their_captures(web: Client) -> None:
    page = web.get("/article", query_string={"url": URL}).get_data(as_text=True)
    assert '<h2 id="versions">Versions</h2>' in page
    assert page.count('class="compare"') == 2  # 3 → 2 and 2 → 1
    assert "headline changed" in page
    assert "+9 −1 words; title" in page
    # each version's time replays the capture it came from, in the banner's frame
    assert 'href="/replay/20240516120000/' + URL + '"' in page
    assert 'href="/replay/20240516080000/' + URL + '"' in page


def test_the_diff_page_marks_removed_and_added_words_and_changed_fields(web: Client) -> None:
    reply = web.get("/diff", query_string={"url": URL, "from": 1, "to": 2})
    assert reply.status_code == 200
    page = reply.get_data(as_text=True)
    assert "<del>12</del>" in page and "<ins>14</ins>" in page
    assert "<ins>\nDer Senat will den Ausbau bis 2030 abschließen.</ins>" in page
    assert '<tr class="field-title"><th>title</th>' in page and "<del>Titel 7</del>" in page
    assert '<strong id="size">+9 −1 words</strong>' in page
    # any two: the form offers every version, the pair shown selected
    assert page.count('<option value="') == 6
    assert '<option value="1" selected>' in page and '<option value="2" selected>' in page
    wide = web.get("/diff", query_string={"url": URL, "from": 1, "to": 3}).get_data(as_text=True)
    assert "<del>12</del>" in wide and '<option value="3" selected>' in wide
    missing = web.get("/diff", query_string={"url": URL, "from": 9})
    assert missing.status_code == 404 and "no version 9" in missing.get_data(as_text=True)
    never = web.get("/diff", query_string={"url": "https://never.example/x"})
    assert never.status_code == 404


def test_the_changes_page_and_its_atom_feed(web: Client) -> None:
    page = web.get("/changes").get_data(as_text=True)
    assert page.count('class="result change"') == 2
    assert "+9 −1 words" not in page  # the summary uses the feed's plain wording
    assert "+9 -1 words; changed: title" in page
    headlines = web.get("/changes", query_string={"headline_only": "1"}).get_data(as_text=True)
    assert headlines.count('class="result change"') == 1
    assert 'href="/changes.atom?headline_only=1"' in headlines
    feed = web.get("/changes.atom", query_string={"headline_only": "1"})
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.get_data())
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["[headline] Hafen: Rekord"]

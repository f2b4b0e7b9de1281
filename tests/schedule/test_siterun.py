"""Scheduled, incremental runs of a configured site, against the sample site changing between
runs: new articles added, one edited, one unchanged."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.layout import ArchiveLayout
from newsarchiver.sample_site import SampleSiteServer, serve_sample_site
from newsarchiver.sample_site.content import ARTICLES, SampleArticle, articles
from newsarchiver.warc.cdxj import CaptureIndex
from tests.conftest import add_site, archived_rows, run_cli

NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
TEMPLATE = next(a for a in ARTICLES if a.style == "html5" and a.served == "plain" and not a.fault)
EDITED = next(
    a
    for a in ARTICLES
    if "sitemap" in a.found_via and a.served == "plain" and not a.fault and a.is_archivable
)
CORRECTION = "Korrektur: In einer früheren Fassung dieses Artikels stand eine falsche Zahl."


def _iso(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def new_article(n: int, published: datetime) -> SampleArticle:
    return dataclasses.replace(
        TEMPLATE,
        path=f"/politik/2026/11/27/neue-meldung-{n}/",
        title=f"Neue Meldung Nummer {n} aus dem Rathaus",
        published=_iso(published),
        modified=None,
        paragraphs=tuple(
            f"Absatz {i} der neuen Meldung {n}: {p}" for i, p in enumerate(TEMPLATE.paragraphs)
        ),
        found_via=("home", "feed", "sitemap"),
    )


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Any:
    output = tmp_path_factory.mktemp("site") / "archive"
    now = datetime.now(timezone.utc)
    fresh = new_article(0, now - timedelta(hours=1))  # within the re-check window, unchanged
    with serve_sample_site(site=[*articles(faults=False), fresh]) as server:
        add_site(output, "sample", server.url, "--every", "30m", "--recheck-hours", "24")
        first = run_cli(output, "crawl", "--site", "sample")
        assert first.returncode == 0, first.stderr
        before = len(server.requested_paths)
        later = datetime.now(timezone.utc)  # after the first run: corrected and published since
        edited = dataclasses.replace(
            EDITED, paragraphs=(*EDITED.paragraphs, CORRECTION), modified=_iso(later)
        )
        new = [new_article(1, later), new_article(2, later)]
        server.site_articles = [
            edited if a.path == EDITED.path else a for a in server.site_articles
        ] + new
        second = run_cli(output, "crawl", "--site", "sample")
        assert second.returncode == 0, second.stderr
        yield {
            "output": output,
            "server": server,
            "first": first,
            "second": second,
            "requested": server.requested_paths[before:],
            "fresh": fresh,
            "new": new,
        }


def test_the_second_run_fetches_only_new_and_recheck_window_articles(two_runs: Any) -> None:
    server: SampleSiteServer = two_runs["server"]
    known = {a.path for a in server.site_articles}
    fetched = {p for p in two_runs["requested"] if p in known}
    expected = {EDITED.path, two_runs["fresh"].path, *(a.path for a in two_runs["new"])}
    assert fetched == expected
    assert server.not_modified == [two_runs["fresh"].path]  # asked conditionally, 304
    assert "already archived" in two_runs["second"].stdout


def test_unchanged_is_a_revisit_edited_is_version_2_new_are_version_1(two_runs: Any) -> None:
    output: Path = two_runs["output"]
    by_path: dict[str, list[dict[str, Any]]] = {}
    for row in archived_rows(output):
        by_path.setdefault(urlsplit(row["url"]).path, []).append(row)
    assert [r["version"] for r in by_path[EDITED.path]] == [1, 2]
    old, new = by_path[EDITED.path]
    assert new["text"].endswith(CORRECTION) and not old["text"].endswith(CORRECTION)
    assert [r["version"] for r in by_path[two_runs["fresh"].path]] == [1]  # no second row
    for article in two_runs["new"]:
        assert [r["version"] for r in by_path[article.path]] == [1]
    # the 304 is a revisit record referring to the first run's capture
    second_warc = ArchiveLayout(output).warc_files()[-1]
    with second_warc.open("rb") as stream:
        records = [r for r in ArchiveIterator(stream) if r.rec_type == "revisit"]
    [not_modified] = [r for r in records if r.rec_headers["WARC-Profile"] == NOT_MODIFIED]
    assert not_modified.rec_headers["WARC-Target-URI"].endswith(two_runs["fresh"].path)
    assert not_modified.http_headers.get_statuscode() == "304"
    first_capture = by_path[two_runs["fresh"].path][0]
    assert not_modified.rec_headers["WARC-Refers-To"] == first_capture["warc_record_id"]
    # not offered for replay (pywb would show the bare 304): the first capture stands for it
    url = not_modified.rec_headers["WARC-Target-URI"]
    assert [c.mime for c in CaptureIndex(output).lookup(url)] == ["text/html"]
    replay = run_cli(output, "replay", url, "--text")
    assert replay.returncode == 0, replay.stderr
    assert two_runs["fresh"].paragraphs[0].split(":")[0] in replay.stdout
    # queries show the newest version only; --all-versions both
    query = run_cli(output, "query", "Korrektur", "--format", "jsonl", "--fields", "url,version")
    assert [json.loads(line)["version"] for line in query.stdout.splitlines()] == [2]
    # and the change itself, from the archive: the correction added, each version's capture
    edited_url = by_path[EDITED.path][0]["url"]
    diff = run_cli(output, "diff", edited_url)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.startswith("version 1 (") and " → version 2 (" in diff.stdout
    assert "{+\n" + CORRECTION + "+}" in diff.stdout, diff.stdout  # a new paragraph
    history = run_cli(output, "history", edited_url, "--format", "jsonl")
    captures = [json.loads(line)["capture"] for line in history.stdout.splitlines()]
    assert captures == [f"{r['warc_file']}@{r['warc_offset']}" for r in by_path[EDITED.path]]


def test_runs_are_recorded_with_what_they_did(two_runs: Any) -> None:
    output: Path = two_runs["output"]
    with sqlite3.connect(output / "schedule" / "runs.sqlite") as db:
        recorded = db.execute(
            "SELECT status, articles, skipped, unchanged FROM runs ORDER BY id"
        ).fetchall()
    first, second = recorded
    assert first[0] == second[0] == "finished"
    assert first[1] == len([a for a in articles(faults=False) if a.is_archivable]) + 1
    assert second[1] == 3  # two new, one edited
    assert second[2] > 0 and second[3] == 1
    listed = run_cli(output, "runs", "--site", "sample", "--format", "jsonl")
    assert [json.loads(line)["status"] for line in listed.stdout.splitlines()] == [
        "finished",
        "finished",
    ]
    sites = run_cli(output, "sites", "list", "--format", "jsonl")
    [site] = [json.loads(line) for line in sites.stdout.splitlines()]
    assert site["schedule"] == "every 30m" and site["articles"] == first[1] + 3
    assert site["last_status"] == "finished" and site["next_run"] > site["last_run"]
    assert not (output / "schedule" / "jobs" / "sample").exists()  # finished: nothing to resume


def test_feed_and_sitemap_entries_older_than_the_last_run_are_not_followed(
    two_runs: Any,
) -> None:
    output: Path = two_runs["output"]
    summaries = sorted(
        (json.loads(p.read_text()) for p in output.glob("crawls/*/summary.json")),
        key=lambda s: s["crawl_id"],
    )
    first, second = summaries
    assert first["older_than_last_run"] == 0  # no earlier run: everything is new
    assert second["older_than_last_run"] > 0
    assert second["skipped"] > 0 and second["rechecked"] == 2 and second["unchanged"] == 1


ALLOW = r"-a-\d{6,8}\.html$"


def test_allow_and_deny_patterns_choose_the_articles(tmp_path: Path) -> None:
    output = tmp_path / "archive"
    with serve_sample_site() as server:
        # a pattern with a comma: site settings reach the spider as lists, never split
        add_site(output, "filtered", server.url, "--deny", "/kultur/", "--allow", ALLOW)
        done = run_cli(output, "crawl", "--site", "filtered")
        assert done.returncode == 0, done.stderr
    paths = {urlsplit(r["url"]).path for r in archived_rows(output)}
    expected = {
        a.path
        for a in articles(faults=False)
        if a.is_archivable
        and re.search(ALLOW, a.path)
        and not a.path.startswith("/kultur/")
        and a.found_via != ("redirect",)  # linked only as /alt/…, which --allow rules out
    }
    assert paths == expected
    assert not [p for p in server.requested_paths if p.startswith("/kultur/")]

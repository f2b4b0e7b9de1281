"""The web page in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from newsarchiver.sample_site.content import ARTICLES, SampleArticle
from tests.conftest import TwiceCrawled, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: as root in a container, with no network but loopback: no sandbox, no background fetches
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTICLE = next(a for a in ARTICLES if a.served == "gzip")  # "Hamburger Hafen investiert …"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    yield context.new_page()
    context.close()


def test_search_read_and_replay_with_links_that_stay_in_the_archive(
    twice_crawled: TwiceCrawled, page: Page, tmp_path: Path
) -> None:
    live_requests = len(twice_crawled.site.requested_paths)
    with serving(twice_crawled.output) as served:
        base = served.ui
        page.goto(base + "/")
        assert page.locator("h1").inner_text() == "Latest articles"
        page.fill("input[name=q]", "hafen")
        page.click("button[type=submit]")
        page.wait_for_url("**/?q=hafen**")
        titles = page.locator(".result h2 a").all_inner_texts()
        assert ARTICLE.title in titles
        assert page.locator(".result mark").first.inner_text().lower() == "hafen"

        page.click(f"text={ARTICLE.title}")
        page.wait_for_url("**/article?url=**")
        assert page.locator("article h1").inner_text() == ARTICLE.title
        text = page.locator("article .text").inner_text()
        assert all(paragraph in text for paragraph in ARTICLE.paragraphs)
        assert ", ".join(ARTICLE.authors) in page.locator("table.metadata").inner_text()
        assert page.locator("table.captures tr").count() == 3  # header, response, revisit
        page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

        page.click("#original")
        page.wait_for_url("**/replay/**")
        # the Wayback Machine's framed replay: the banner on the UI, the page from its own origin
        assert page.url.startswith(f"{base}/replay/")
        replayed = page.frame_locator("#replay")
        frame = page.locator("#replay")
        assert (frame.get_attribute("src") or "").startswith(f"{served.replay}/replay/")
        replayed.locator("body", has_text=ARTICLE.paragraphs[0]).wait_for(timeout=15_000)
        first, second = page.locator(".timeline .tick").all()  # the crawl, then the re-crawl
        # the capture the article's text came from: the first (the re-crawl found it unchanged)
        assert "current" in (first.get_attribute("class") or "")
        assert "revisit" in (second.get_attribute("class") or "")
        assert "capture 1 of 2" in page.locator("#banner").inner_text()
        page.screenshot(path=str(tmp_path / "replay-frame.png"))
        # navigating inside the replay: the banner follows (wombat tells the frame page)
        section = replayed.locator("header a", has_text="Politik").first
        assert section.get_attribute("href", timeout=5000)  # rewritten into the archive
        section.click()
        page.locator("#capture-url", has_text="/politik/").wait_for(timeout=15_000)
        page.wait_for_url("**/politik/")
        assert page.url.startswith(f"{base}/replay/")
        politics = [a.title for a in ARTICLES if a.section == "politik" and not a.fault]
        listing = replayed.locator("body").inner_text()
        assert any(title in listing for title in politics)
        # pywb replays the section page nearest in time: the first crawl's
        assert "capture 1 of 2" in page.locator("#banner").inner_text()
        # the next capture: a later time in the banner, the re-crawl's copy in the frame
        older = page.locator("#capture-time").get_attribute("datetime")
        page.click("#next-capture")
        page.wait_for_load_state()
        newer = page.locator("#capture-time").get_attribute("datetime")
        assert older and newer and older < newer, (older, newer)
        assert "capture 2 of 2" in page.locator("#banner").inner_text()
        assert page.locator("#previous-capture").count() == 1
        replayed.locator("body", has_text=politics[0]).wait_for(timeout=15_000)
        page.screenshot(path=str(tmp_path / "replay.png"), full_page=True)

        missing = page.goto(base + "/replay/2024/https://never.example/story")  # sent on
        assert missing is not None and missing.status == 404
        assert page.locator("h1").inner_text() == "Not archived"
    assert (tmp_path / "replay.png").stat().st_size > 10_000
    # nothing reached the live site while browsing its archive
    assert len(twice_crawled.site.requested_paths) == live_requests


#: what an archived page's script tries, each reported into #result as "name=outcome"
ATTACK = """
<script>
const tries = {
  dotdot: () => fetch('/replay/../?q=hafen').then(r => r.text()),
  root: () => fetch('/?q=hafen').then(r => r.text()),
  ui: () => fetch('UI/?q=hafen').then(r => r.text()),
  ui_cors: () => fetch('UI/?q=hafen', {mode: 'cors', credentials: 'include'}).then(r => r.text()),
  ui_xhr: () => new Promise((done, fail) => {
    const request = new XMLHttpRequest();
    request.open('GET', 'UI/article?url=' + encodeURIComponent('ARTICLE'));
    request.onload = () => done(request.responseText);
    request.onerror = () => fail(new Error('xhr'));
    request.send();
  }),
  ui_frame: () => new Promise(done => {
    const frame = document.createElement('iframe');
    frame.src = 'UI/?q=hafen';
    frame.onload = () => {
      try { done(frame.contentDocument ? frame.contentDocument.body.innerText : 'opaque'); }
      catch (error) { done('denied'); }
    };
    document.body.appendChild(frame);
    setTimeout(() => done('no load'), 4000);
  }),
};
Promise.all(Object.entries(tries).map(([name, attempt]) =>
  attempt().then(
    text => name + '=' + (text.includes('TITLE') ? 'LEAKED' : 'nothing'),
    error => name + '=blocked')
)).then(lines => { document.getElementById('result').textContent = lines.join(' '); });
</script>
"""


def test_an_archived_page_cannot_read_the_ui(
    twice_crawled: TwiceCrawled, page: Page, tmp_path: Path
) -> None:
    """An archived page's scripts run in replay, rewritten by pywb (``/replay/T/``) or raw
    (``id_``, no rewriting at all): either way they reach no search result and no article."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from tests.conftest import free_ports, run_cli

    output = tmp_path / "archive"
    shutil.copytree(twice_crawled.output, output)
    ui_port, replay_port = free_ports(2)
    ui = f"http://127.0.0.1:{ui_port}"
    [article_url] = [
        row["url"] for row in twice_crawled.first.rows if row["title"] == ARTICLE.title
    ]
    script = (
        ATTACK.replace("UI/", ui + "/").replace("ARTICLE", article_url).replace("TITLE", "Hafen")
    )
    html = f"<!DOCTYPE html><html><body><p id=result>waiting</p>{script}</body></html>".encode()
    warc = tmp_path / "attack.warc.gz"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://evil.example/attack.html",
                "response",
                payload=BytesIO(html),
                length=len(html),
                http_headers=headers,
            )
        )
    assert run_cli(output, "import", str(warc)).returncode == 0
    with serving(output, ports=(ui_port, replay_port)) as served:
        assert served.ui == ui
        # the UI itself does answer these (so "nothing" below is the origin's doing)
        page.goto(f"{ui}/?q=hafen")
        assert "Hafen" in page.locator("main").inner_text()
        for modifier in ("", "id_"):
            page.goto(f"{served.replay}/replay/2030{modifier}/https://evil.example/attack.html")
            # the page itself: in the UI's banner frame, its content from the replay origin
            framed = modifier == ""
            result = (page.frame_locator("#replay") if framed else page).locator("#result")
            result.filter(has_text="ui_frame=").wait_for(timeout=15_000)
            outcomes = dict(item.split("=") for item in result.inner_text().split())
            assert set(outcomes) == {"dotdot", "root", "ui", "ui_cors", "ui_xhr", "ui_frame"}
            assert "LEAKED" not in outcomes.values(), (modifier, outcomes)
            if modifier == "id_":  # unrewritten: the browser's same-origin rule itself stops them
                assert {outcomes[name] for name in ("ui", "ui_cors", "ui_xhr")} == {"blocked"}
            assert page.url.startswith(served.ui if framed else served.replay)


def test_an_edited_article_shows_its_versions_and_a_marked_diff(page: Page, tmp_path: Path) -> None:
    """Scheduled runs (`crawl --site`) of the sample site while it edits an article: a
    corrected number, a new paragraph and a new headline (a real version), then the same text
    re-typeset (no version). `history` lists exactly the real versions, `diff` the changed
    words, `changes --atom` the change; in the browser the article page lists both versions,
    the diff marks the words, and each version's time replays the capture it came from."""
    import dataclasses
    import json
    import time
    from datetime import datetime, timezone

    import feedparser

    from newsarchiver.sample_site import serve_sample_site
    from newsarchiver.sample_site.content import articles
    from tests.conftest import add_site, run_cli

    def numbered(paragraph: str) -> bool:
        return any(word[0].isdigit() for word in paragraph.split())

    original = next(
        a for a in ARTICLES
        if "sitemap" in a.found_via and a.served == "plain" and not a.fault and a.is_archivable
        and any(numbered(p) for p in a.paragraphs)
    )  # fmt: skip
    at = next(i for i, p in enumerate(original.paragraphs) if numbered(p))
    number = next(w for w in original.paragraphs[at].split() if w[0].isdigit()).strip(".,;:")
    paragraphs = list(original.paragraphs)
    paragraphs[at] = paragraphs[at].replace(number, number + "0", 1)  # a corrected number

    def edited(title: str, paragraphs: tuple[str, ...]) -> SampleArticle:
        """The article as changed now: the sitemap's <lastmod> says so to the next run (a
        second later than the last run's captures, which are dated to the second)."""
        time.sleep(1.1)
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return dataclasses.replace(original, title=title, paragraphs=paragraphs, modified=now)

    output = tmp_path / "archive"

    def run_with(article: SampleArticle) -> None:
        site.site_articles = [
            article if a.path == original.path else a for a in articles(faults=False)
        ]
        done = run_cli(output, "crawl", "--site", "sample")
        assert done.returncode == 0, done.stderr

    with serve_sample_site() as site:
        add_site(output, "sample", site.url, "--every", "30m")
        run_with(original)
        corrected = edited(
            title=original.title + " (korrigiert)",
            paragraphs=(
                *paragraphs,
                "Korrektur: In einer früheren Fassung stand eine falsche Zahl.",
            ),
        )
        run_with(corrected)
        retypeset = edited(
            title=corrected.title,
            paragraphs=tuple(
                p.replace(" ", "  ").replace(".", ".\u00a0") for p in corrected.paragraphs
            ),
        )
        run_with(retypeset)
        assert site.requested_paths.count(original.path) == 3  # fetched by each run
        url = site.url.rstrip("/") + original.path
    history = run_cli(output, "history", url, "--format", "jsonl")
    listed = [json.loads(line) for line in history.stdout.splitlines()]
    assert [v["version"] for v in listed] == [1, 2], history.stdout  # the re-typeset made none
    assert "title" in listed[1]["changed"]
    diff = run_cli(output, "diff", url)
    assert f"[-{number}-] {{+{number}0+}}" in diff.stdout.replace(",", "").replace(".", ""), (
        diff.stdout
    )
    atom = run_cli(output, "changes", "--atom")
    feed = feedparser.parse(atom.stdout)
    assert not feed.bozo and [e.link for e in feed.entries] == [url]
    with serving(output) as served:
        page.goto(f"{served.ui}/article?url={url}")
        assert page.locator("article h1").inner_text() == corrected.title
        versions = page.locator("table.versions tr")
        assert versions.count() == 3  # header, version 2, version 1
        assert "headline changed" in versions.nth(1).inner_text()
        page.click("a.compare")
        page.wait_for_url("**/diff?**")
        assert page.locator("tr.field-title del").inner_text() == original.title
        assert page.locator("tr.field-title ins").inner_text() == corrected.title
        marked = page.locator(".diff ins").all_inner_texts()
        assert any("Korrektur: In einer früheren Fassung" in text for text in marked), marked
        page.screenshot(path=str(tmp_path / "diff.png"), full_page=True)
        page.goto(f"{served.ui}/article?url={url}")
        page.locator("table.versions tr").nth(2).locator("a").first.click()  # version 1
        page.wait_for_url(f"{served.ui}/replay/**")
        replayed = page.frame_locator("#replay").locator("body")
        replayed.filter(has_text=original.paragraphs[0]).wait_for(timeout=15_000)
        assert "Korrektur: In einer" not in replayed.inner_text()
    assert (tmp_path / "diff.png").stat().st_size > 10_000


def test_every_page_fits_a_phone_screen(
    twice_crawled: TwiceCrawled, browser: Browser, tmp_path: Path
) -> None:
    """At 375 px (a small phone) no page is wider than the screen: long addresses wrap and wide
    tables scroll inside their own box."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    phone = context.new_page()
    try:
        with serving(twice_crawled.output) as served:
            phone.goto(f"{served.ui}/?q=hafen")
            phone.click(f"text={ARTICLE.title}")
            phone.wait_for_url("**/article?url=**")
            url = phone.locator("article code.url").inner_text()
            for path in ("", f"/captures?url={url}", "/sites", "/site?key=127.0.0.1", "/changes"):
                if path:
                    phone.goto(served.ui + path)
                width = phone.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (path or "article", width)
            phone.goto(f"{served.ui}/article?url={url}")
            phone.screenshot(path=str(tmp_path / "phone-article.png"), full_page=True)
    finally:
        context.close()

"""The web page in a real headless browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from newsarchiver.sample_site.content import ARTICLES
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
    with serving(twice_crawled.output) as base:
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
        assert page.url.startswith(f"{base}/replay/")
        body = page.locator("body").inner_text()
        assert ARTICLE.paragraphs[0] in body  # the archived page itself, replayed by pywb
        section = page.locator("header a", has_text="Politik").first
        assert section.get_attribute("href", timeout=5000)  # rewritten into the archive
        section.click()
        page.wait_for_url("**/politik/")
        assert page.url.startswith(f"{base}/replay/")
        politics = [a.title for a in ARTICLES if a.section == "politik" and not a.fault]
        listing = page.locator("body").inner_text()
        assert any(title in listing for title in politics)
        page.screenshot(path=str(tmp_path / "replay.png"), full_page=True)

        missing = page.goto(base + "/replay/2024/https://never.example/story")
        assert missing is not None and missing.status == 404
        assert page.locator("h1").inner_text() == "Not archived"
    assert (tmp_path / "replay.png").stat().st_size > 10_000
    # nothing reached the live site while browsing its archive
    assert len(twice_crawled.site.requested_paths) == live_requests

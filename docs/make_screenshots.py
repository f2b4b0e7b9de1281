"""The README's screenshots, taken in headless Chromium from `newsarchiver serve` over the
archive `make demo` makes (`output/`): search, article, replay frame, sites, phone article.

    .venv/bin/python docs/make_screenshots.py [OUTPUT]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent / "screenshots"
UI, REPLAY = 8090, 8091
ARTICLE = "http://127.0.0.1:8000/wirtschaft/hamburger-hafen-investiert-in-landstrom-a-20240513.html"


def main() -> None:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "output")
    server = subprocess.Popen(
        [sys.executable, "-m", "newsarchiver", "serve", "-o", str(output), "--port", str(UI)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    ui = f"http://127.0.0.1:{UI}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(ui + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        HERE.mkdir(exist_ok=True)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(f"{ui}/?q=hafen")
            page.screenshot(path=str(HERE / "search.png"))
            page.goto(f"{ui}/article?url={ARTICLE}")
            page.screenshot(path=str(HERE / "article.png"), full_page=True)
            page.click("#original")
            page.frame_locator("#replay").locator("h1").first.wait_for()
            page.wait_for_timeout(500)
            page.screenshot(path=str(HERE / "replay-frame.png"))
            page.goto(f"{ui}/sites")
            page.screenshot(path=str(HERE / "sites.png"))
            page.goto(f"{ui}/captures?url={ARTICLE}")
            page.screenshot(path=str(HERE / "captures.png"))
            phone = browser.new_page(viewport={"width": 375, "height": 740})
            phone.goto(f"{ui}/article?url={ARTICLE}")
            phone.screenshot(path=str(HERE / "phone-article.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()

"""scrapyd deployment: scrapyd-deploy builds an egg, a real scrapyd on 127.0.0.1 runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from newsarchiver.sample_site import SampleSiteServer
from newsarchiver.sample_site.content import articles
from tests.conftest import free_port

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def _post(url: str, fields: list[tuple[str, str]]) -> Any:
    body = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=30) as reply:
        return json.loads(reply.read())


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as reply:
        return json.loads(reply.read())


def test_scrapyd_deploy_and_schedule_crawl_the_sample_site(
    sample_site: SampleSiteServer, tmp_path: Path
) -> None:
    port = free_port()
    service = tmp_path / "scrapyd"
    service.mkdir()
    (service / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n"
        "max_proc = 1\npoll_interval = 0.5\n"
    )
    scrapyd = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=service, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    output = tmp_path / "output"
    # scrapyd-deploy writes setup.py and build files next to scrapy.cfg: deploy from a copy,
    # with our scrapy.cfg plus a target for this scrapyd
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project)
    shutil.copytree(ROOT / "newsarchiver", project / "newsarchiver")
    (project / "scrapy.cfg").write_text(
        (ROOT / "scrapy.cfg").read_text()
        + f"\n[deploy:test]\nurl = {base}/\nproject = newsarchiver\n"
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _get(f"{base}/daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        deployed = subprocess.run(
            [str(BIN / "scrapyd-deploy"), "test", "--version", "1"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert deployed.returncode == 0, deployed.stderr
        assert '"status": "ok"' in deployed.stdout + deployed.stderr
        assert _get(f"{base}/listspiders.json?project=newsarchiver")["spiders"] == [
            "news",
            "news-shared",
        ]
        job = _post(
            f"{base}/schedule.json",
            [
                ("project", "newsarchiver"),
                ("spider", "news"),
                ("start_urls", sample_site.url),  # the spider's own argument, as with -a
                ("setting", f"NEWSARCHIVER_OUTPUT={output}"),
                ("setting", "DOWNLOAD_DELAY=0"),
                ("setting", "AUTOTHROTTLE_START_DELAY=0"),
            ],
        )
        assert job["status"] == "ok", job
        deadline = time.monotonic() + 120
        while True:
            jobs = _get(f"{base}/listjobs.json?project=newsarchiver")
            if [j for j in jobs["finished"] if j["id"] == job["jobid"]]:
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=20)
    rows = [
        json.loads(line)
        for path in output.glob("articles/**/*.jsonl")
        for line in path.read_text().splitlines()
    ]
    expected = {a.title for a in articles(faults=False) if a.is_archivable}
    assert {r["title"] for r in rows} == expected
    [summary] = [json.loads(p.read_text()) for p in output.glob("crawls/*/summary.json")]
    assert summary["finish_reason"] == "finished" and summary["errors"] == 0
    assert list(output.glob("warc/**/*.warc.gz")) and list(output.glob("index/cdxj/*.cdxj"))

"""Shared fixtures: the sample news site on 127.0.0.1, and real crawls of it in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from newsarchiver.sample_site import SampleSiteServer, serve_sample_site
from newsarchiver.sample_site.content import ARTICLES, SampleArticle

#: settings that make a crawl of a local site fast and its failures quick
FAST = [
    "--delay",
    "0",
    "-s",
    "AUTOTHROTTLE_START_DELAY=0",
    "-s",
    "DOWNLOAD_TIMEOUT=2",
    "-s",
    "RETRY_TIMES=0",
]


@dataclass
class CrawlRun:
    output: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def summary(self) -> dict[str, Any]:
        """This run's summary (the archive may hold others), by the crawl id it printed."""
        import re

        printed = re.search(r"^Crawl (\S+) ", self.stdout, re.M)
        pattern = f"{printed.group(1)}/summary.json" if printed else "*/summary.json"
        [path] = (self.output / "crawls").glob(pattern)
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            json.loads(line)
            for path in sorted((self.output / "articles").glob("**/*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]

    def rows_by_path(self) -> dict[str, dict[str, Any]]:
        from urllib.parse import urlsplit

        return {urlsplit(row["url"]).path: row for row in self.rows}

    @property
    def warc_files(self) -> list[Path]:
        return sorted((self.output / "warc").glob("**/*.warc.gz"))


def newsarchiver_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsarchiver", *args]


def run_crawl(output: Path, *args: str, timeout: float = 120) -> CrawlRun:
    """`newsarchiver crawl` in a subprocess, as a user runs it."""
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        newsarchiver_command("crawl", *args, "--output", str(output), *FAST),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return CrawlRun(output, done.returncode, done.stdout, done.stderr)


def expected_articles(*, faults: bool = False) -> list[SampleArticle]:
    """What a crawl of the sample site must archive: every article robots.txt allows."""
    return [a for a in ARTICLES if a.is_archivable and (faults or not a.fault)]


@pytest.fixture(scope="session")
def sample_site() -> Iterator[SampleSiteServer]:
    with serve_sample_site() as server:
        yield server


@pytest.fixture(scope="session")
def fault_site() -> Iterator[SampleSiteServer]:
    with serve_sample_site(faults=True, slow_seconds=4) as server:
        yield server


@pytest.fixture(scope="session")
def site_crawl(sample_site: SampleSiteServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    """One crawl of the sample site, shared by the tests that only read its output."""
    run = run_crawl(tmp_path_factory.mktemp("site-crawl"), sample_site.url)
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture(scope="session")
def fault_crawl(fault_site: SampleSiteServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    """One crawl of the sample site with its bad pages linked from the home page."""
    return run_crawl(
        tmp_path_factory.mktemp("fault-crawl"), fault_site.url, "-s", "DOWNLOAD_MAXSIZE=1000000"
    )


@dataclass
class TwiceCrawled:
    """The sample site crawled twice into one archive; the second run found nothing changed."""

    output: Path
    site: SampleSiteServer
    first: CrawlRun
    second: CrawlRun


@pytest.fixture(scope="session")
def twice_crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwiceCrawled]:
    """Its own server, so replay tests can check that it gets no request while they browse."""
    with serve_sample_site() as site:
        output = tmp_path_factory.mktemp("archive")
        first = run_crawl(output, site.url)
        assert first.returncode == 0, first.stderr
        second = run_crawl(output, site.url)
        assert second.returncode == 0, second.stderr
        yield TwiceCrawled(output, site, first, second)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


@contextmanager
def wayback_collection(workdir: Path, *add_args: str) -> Iterator[str]:
    """pywb's own tools: `wb-manager` makes a collection "news" of the files, `wayback` serves
    it on 127.0.0.1; yields the server's base URL."""
    import shutil
    import time
    import urllib.request

    from newsarchiver.web.pywbenv import ensure_pywb

    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    tools = ensure_pywb().parent  # pywb's own environment (web/pywbenv.py)
    for args in (["init", "news"], ["add", "news", *add_args]):
        subprocess.run(
            [str(tools / "wb-manager"), *args],
            cwd=workdir,
            check=True,
            capture_output=True,
            env=env,
        )
    port = free_port()
    server = subprocess.Popen(
        [str(tools / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir / "collections", ignore_errors=True)


class Served(NamedTuple):
    """The UI's and the replay's origin, without a trailing slash."""

    ui: str
    replay: str


@contextmanager
def serving(output: Path, *args: str, ports: tuple[int, int] | None = None) -> Iterator[Served]:
    """`newsarchiver serve` in a subprocess, as a user starts it; yields its two origins."""
    import time
    import urllib.request

    port, replay_port = ports or free_ports(2)
    process = subprocess.Popen(
        newsarchiver_command(
            "serve",
            "--port",
            str(port),
            "--replay-port",
            str(replay_port),
            "-o",
            str(output),
            *args,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {process.communicate()[0]}") from None
                time.sleep(0.2)
        yield Served(base, f"http://127.0.0.1:{replay_port}")
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stdout:
            process.stdout.close()


@dataclass
class DemoRun:
    """`newsarchiver demo` run as `make demo` runs it: in a directory of its own, into
    ``output/`` there."""

    directory: Path
    done: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.directory / "output"


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One demo for the tests of the demo and of the README's commands, which run on it."""
    work = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        newsarchiver_command("demo"),
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )
    return DemoRun(work, done)


def run_cli(output: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """A `newsarchiver` command on the archive OUTPUT, in a subprocess, as a user runs it."""
    return subprocess.run(
        newsarchiver_command(*args, "--output", str(output)),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "200"},
    )


def archived_rows(output: Path) -> list[dict[str, Any]]:
    """Every JSONL row of the archive, in file order (each line must be whole JSON)."""
    return [
        json.loads(line)
        for path in sorted((output / "articles").glob("**/*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def add_site(output: Path, name: str, url: str, *options: str) -> None:
    """`sites add` with a fast crawl of the local site (no politeness delay)."""
    added = run_cli(output, "sites", "add", name, url, "--delay", "0", *options)
    assert added.returncode == 0, added.stderr


def article_row(n: int, **changes: Any) -> dict[str, Any]:
    """A JSONL row whose every field is known (article n of the Tagesblatt), changed as asked."""
    base = {
        "url": f"https://www.tagesblatt.example/politik/artikel-nummer-{n}.html",
        "canonical_url": None, "title": f"Titel {n}", "authors": ["Anna Weber"],
        "published": f"2024-05-{n:02d}T10:00:00+02:00", "modified": None, "language": "de",
        "site_name": "Tagesblatt", "description": None, "tags": ["Hafen"], "image": None,
        "text": f"Text des Artikels {n} über den Hafen.", "fetched_at": "2024-06-01T08:00:00+00:00",
        "status": 200, "discovered_via": "link", "crawl_id": "c1", "warc_file": "warc/x.warc.gz",
        "warc_record_id": f"<urn:uuid:{n}>", "warc_offset": n * 100,
        "payload_digest": f"sha1:P{n}", "content_digest": f"sha1:T{n}",
    }  # fmt: skip
    return {**base, **changes}


def append_rows(path: Path, *rows: dict[str, Any], raw: str = "") -> None:
    """Rows appended to a JSONL file as a crawl writes them, then ``raw`` as it is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as f:
        f.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + raw)


def wait_for(condition: Any, timeout: float = 90) -> None:
    """Until ``condition()`` holds, checked every 0.2 s; fails the test after ``timeout``."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@contextmanager
def running(command: list[str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """A command started in the background; killed and reaped on the way out if it is still
    running (a failed assertion would otherwise leave it running into the next test)."""
    process = subprocess.Popen(command, **popen)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


@contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` (a disk of our own to fill or make read-only);
    skips the test where mounting needs root and the tests do not run as root."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI and `make test` here run as root)")
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


class PagesServer:
    """A tiny site on 127.0.0.1 for a test's own pages: path → (status, headers, body).

    Records every path asked for, so a test can show that a request was never made."""

    def __init__(self, pages: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.pages = pages
        self.requested: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requested.append(self.path)
                status, headers, body = owner.pages.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not here")
                )
                body = body.replace(b"{PORT}", str(owner.port).encode())
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{PORT}", str(owner.port)))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PagesServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def html_page(body: str, status: int = 200, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return (
        status,
        {"Content-Type": "text/html; charset=utf-8", **headers},
        f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode(),
    )


VERSIONED_URL = "https://www.tagesblatt.example/politik/artikel-nummer-7.html"
FIRST = (
    "Der Hafen meldet 12 Millionen Container im Jahr.\n"
    "Die Reedereien sind zufrieden, sagt der Sprecher."
)
#: a corrected number, a new paragraph, typographic quotes that print alike
SECOND = (
    "Der Hafen meldet 14 Millionen Container im Jahr.\n"
    "Die Reedereien sind zufrieden, sagt der Sprecher.\n"
    "Der Senat will den Ausbau bis 2030 abschließen."
)
#: the same text re-typeset: doubled and non-breaking spaces, typographic quotes
THIRD = SECOND.replace("sagt der Sprecher", "sagt  der\u00a0Sprecher").replace(
    "Der Senat", "\u201eDer Senat\u201c"
)


@pytest.fixture
def three_versions(tmp_path: Path) -> Path:
    """An archive whose article 7 has three versions: a corrected number, a new paragraph
    and headline, then a change of spacing only (no change of text)."""
    rows = [
        article_row(7, text=FIRST, version=1, content_digest="sha1:A",
                    fetched_at="2024-05-16T08:00:00+00:00", warc_offset=100),
        article_row(7, text=SECOND, version=2, content_digest="sha1:B", title="Hafen: Rekord",
                    fetched_at="2024-05-16T12:00:00+00:00", warc_offset=900),
        article_row(7, text=THIRD, version=3, content_digest="sha1:C", title="Hafen: Rekord",
                    fetched_at="2024-05-17T08:00:00+00:00", warc_offset=1800),
        article_row(8, fetched_at="2024-05-16T08:00:00+00:00"),
    ]  # fmt: skip
    append_rows(tmp_path / "articles" / "2024-05" / "c1.jsonl", *rows)
    (tmp_path / "warc").mkdir()
    from newsarchiver.articles.index import ArticleIndex

    with ArticleIndex(tmp_path) as index:
        index.update()
    return tmp_path


class RedisServer:
    """A real redis-server on a free port of 127.0.0.1, persisting to its own directory with
    an append-only file (fsync on every write), as a deployment that must survive a restart
    runs it."""

    def __init__(self, directory: Path) -> None:
        import shutil

        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed (make system-packages installs it)")
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        import time

        import redis

        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.directory), "--appendonly", "yes", "--appendfsync", "always",
             "--save", "", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()  # SIGTERM: Redis flushes its append-only file and exits
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        yield server
    finally:
        server.stop()

"""Throughput end to end, against trafilatura's own CLI and the extraction ceiling, in one run.

A generated news site in the shape of a WordPress theme (articles of 50–115 KB with ~170 links,
inline scripts and styles, share bars, counters, comment forms, related lists; paginated
section pages; a feed and a sitemap) is written to a temporary directory and served from
127.0.0.1 by nginx when it is installed (Debian's ``nginx``; ``make bench`` installs it), else
by a threaded Python server (the table says which). Then, each figure the median of
BENCH_RUNS runs (default 3):

1. the extraction ceiling: ``extract_article`` and ``trafilatura.extract`` over the article
   pages from disk, in 1 and 2 processes;
2. ``newsarchiver crawl`` end to end (concurrency 32, no delay, no AutoThrottle): pages/s,
   articles/s, CPU ms per page and peak RSS of the whole process tree;
3. the same with WARC off, with WARC records gzipped by ISA-L (``WARC_GZIP_ENGINE=isal``),
   and with extraction in threads (``--workers 0``, as before);
4. trafilatura's CLI (``--input-file`` of the article URLs, ``--parallel 2``);
5. the ratios;
6. the per-response capture cost (the revisit check and the write) with 0, 200 and 2,000 CDXJ
   files already in the archive, beside the CDXJ bisection the check used before.

BENCH_THROUGHPUT_ARTICLES sets the site's size (default 3,000).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import get_context
from pathlib import Path

from childprocess import crawl_command, results_table
from rich.console import Console

from newsarchiver.sample_site.content import ARTICLES

ARTICLE_COUNT = int(os.environ.get("BENCH_THROUGHPUT_ARTICLES", "3000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECTIONS = ("politik", "wirtschaft", "kultur", "sport", "wissen", "reise", "auto", "digital")
PAGE_SIZE = 15  # teasers per section page
console = Console(width=150)

# --- the site ------------------------------------------------------------------------------------

_WORDS = " ".join(p for a in ARTICLES for p in a.paragraphs).split()


def _prose(rng: random.Random, words: int) -> str:
    start = rng.randrange(0, len(_WORDS) - words)
    return " ".join(_WORDS[start : start + words])


def _links(total: int, count: int, rng: random.Random) -> str:
    """Links to other pages of the site: articles, and now and then a section."""
    links = []
    for _ in range(count):
        n = rng.randrange(total)
        href = f"/{SECTIONS[n % len(SECTIONS)]}/" + (f"artikel-{n}.html" if n % 5 else "")
        links.append(f'<li><a href="{href}">{_prose(rng, 4)}</a></li>')
    return "".join(links)


def article_page(n: int, total: int, rng: random.Random) -> str:
    title = _prose(rng, 8).capitalize()
    body = "".join(f"<p>{_prose(rng, rng.randint(40, 90))}</p>" for _ in range(rng.randint(6, 14)))
    styles = "".join(
        f".td-block-{i}{{margin:0 {i}px;padding:{i % 7}px;color:#3{i % 10}3}}" for i in range(400)
    )
    script = json.dumps(
        {"ads": [{"slot": f"div-gpt-{i}", "sizes": [[300, 250]]} for i in range(150)]}
    )
    padding = "".join(
        f'<div class="td-module-thumb"><img src="/img/{n}-{i}.jpg" alt=""></div>'
        for i in range(rng.randint(60, 850))
    )  # themes' markup weight varies: 50–115 KB a page
    json_ld = json.dumps(
        {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
         "datePublished": f"2024-05-{1 + n % 28:02d}T10:00:00+02:00",
         "author": {"@type": "Person", "name": "Anna Weber"}}
    )  # fmt: skip
    return f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:type" content="article"><style>{styles}</style>
<script type="application/ld+json">{json_ld}</script><script>var tdConfig = {script};</script>
</head><body class="post-template-default single td-theme">
<header class="td-header"><nav class="td-menu"><ul>{_links(total, 60, rng)}</ul></nav></header>
<div class="td-container"><div class="td-ss-main-content"><article>
<h1 class="entry-title">{title}</h1>
<div class="td-post-sharing-top"><a class="td-social-sharing-button" href="#">Facebook</a>
<a class="td-social-sharing-button" href="#">Twitter</a></div>
<div class="td-post-views"><span>{rng.randint(100, 9000)}</span> views</div>
<div class="td-post-content">{body}</div>
<div class="td_block_related_posts"><h4>Related</h4><ul>{_links(total, 10, rng)}</ul></div>
</article>
<div id="respond" class="comment-respond"><h3>LEAVE A REPLY</h3><form class="comment-form">
<textarea placeholder="Please enter your comment!"></textarea><input name="author"></form></div>
</div><aside class="td-sidebar"><h4>Most read</h4><ul>{_links(total, 20, rng)}</ul>{padding}
</aside></div><footer><ul>{_links(total, 80, rng)}</ul></footer></body></html>"""


def listing_page(section: str, page: int, articles: list[int], pages: int) -> str:
    teasers = "".join(
        f'<div class="td-module"><h3><a href="/{section}/artikel-{n}.html">Artikel {n}</a></h3>'
        f"<p>Kurz: Meldung {n} aus dem Ressort {section}.</p></div>"
        for n in articles
    )
    more = f'<a class="next" href="/{section}/page/{page + 1}/">Weiter</a>' if page < pages else ""
    return (
        f"<!DOCTYPE html><html lang='de'><head><title>{section}</title>"
        f'<meta property="og:type" content="website"></head><body><main>{teasers}{more}'
        "</main></body></html>"
    )


def write_site(root: Path, count: int) -> list[str]:
    """The site's files under ``root``; the article paths."""
    rng = random.Random(7)
    paths = []
    by_section: dict[str, list[int]] = {s: [] for s in SECTIONS}
    for n in range(count):
        section = SECTIONS[n % len(SECTIONS)]
        path = f"/{section}/artikel-{n}.html"
        (root / section).mkdir(parents=True, exist_ok=True)
        (root / path[1:]).write_text(article_page(n, count, rng), encoding="utf-8")
        paths.append(path)
        by_section[section].append(n)
    home = "".join(f'<li><a href="/{s}/">{s}</a></li>' for s in SECTIONS)
    (root / "index.html").write_text(f"<html><body><ul>{home}</ul></body></html>")
    for section, numbers in by_section.items():
        pages = [numbers[i : i + PAGE_SIZE] for i in range(0, len(numbers), PAGE_SIZE)]
        for page, chunk in enumerate(pages, 1):
            where = root / section / (f"page/{page}" if page > 1 else "")
            where.mkdir(parents=True, exist_ok=True)
            (where / "index.html").write_text(listing_page(section, page, chunk, len(pages)))
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return paths


# --- serving -------------------------------------------------------------------------------------


@contextmanager
def served(root: Path) -> Iterator[tuple[str, str]]:
    """(base URL, which server) for the site under ``root``, on 127.0.0.1."""
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx:
        port = _free_port()
        conf = root.parent / "nginx.conf"
        conf.write_text(
            f"daemon off; worker_processes 1; pid {root.parent}/nginx.pid;\n"
            f"error_log {root.parent}/nginx-error.log;\n"
            f"events {{ worker_connections 512; }}\nhttp {{ access_log off; sendfile on;\n"
            f"  client_body_temp_path {root.parent}/tmp; proxy_temp_path {root.parent}/tmp;\n"
            f"  fastcgi_temp_path {root.parent}/tmp; uwsgi_temp_path {root.parent}/tmp;\n"
            f"  scgi_temp_path {root.parent}/tmp;\n"
            f"  types {{ text/html html; text/plain txt; }} default_type text/html;\n"
            f"  server {{ listen 127.0.0.1:{port}; root {root}; index index.html; }} }}\n"
        )
        (root.parent / "tmp").mkdir(exist_ok=True)
        process = subprocess.Popen([nginx, "-c", str(conf), "-p", str(root.parent)])
        time.sleep(0.5)
        try:
            yield f"http://127.0.0.1:{port}/", "nginx"
        finally:
            process.terminate()
            process.wait(timeout=10)
        return
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", "threaded Python server"
    finally:
        server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _fetched(output: Path) -> int:
    """Pages the crawl fetched, from its summary (robots.txt and the feed probes included)."""
    [summary] = output.glob("crawls/*/summary.json")
    return int(json.loads(summary.read_text())["pages"])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- measuring a process tree --------------------------------------------------------------------


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        rss = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "")
        total += int(rss.split()[1]) if rss else 0
        stack += [int(c) for c in children]
    return total / 1024


def run_tree(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of the tree, peak RSS MB of the tree) of one run."""
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.1)
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(process.stderr.read().decode() if process.stderr else "failed")
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, peak


# --- (1) the extraction ceiling ------------------------------------------------------------------


def _ours(path: str) -> int:
    from newsarchiver.extraction import extract_article

    html = Path(path).read_text(encoding="utf-8")
    return int(extract_article(html, "http://127.0.0.1/" + Path(path).name) is not None)


def _theirs(path: str) -> int:
    import trafilatura

    html = Path(path).read_text(encoding="utf-8")
    return int(bool(trafilatura.extract(html, output_format="json", with_metadata=True)))


def ceiling(files: list[str], work: Callable[[str], int], processes: int) -> tuple[float, float]:
    """(pages/s, CPU ms per page) extracting ``files`` in ``processes`` processes."""
    with get_context("spawn").Pool(processes) as pool:
        pool.map(work, files[: processes * 2])  # imports and models loaded: not measured
        workers = [p.pid for p in pool._pool]  # type: ignore[attr-defined]
        # the workers are reaped only at exit: their CPU is read from /proc around the work
        before = sum(map(_cpu_seconds, workers))
        started = time.perf_counter()
        pool.map(work, files, chunksize=8)
        wall = time.perf_counter() - started
        cpu = sum(map(_cpu_seconds, workers)) - before
    return len(files) / wall, cpu * 1000 / len(files)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _trafilatura_config() -> str:
    """trafilatura's own settings, with no pause between requests (it waits 5 s per host by
    default) and requests to 127.0.0.1 allowed (its SSRF protection refuses them)."""
    import trafilatura

    default = Path(trafilatura.__file__).with_name("settings.cfg").read_text()
    return default.replace("SLEEP_TIME = 5.0", "SLEEP_TIME = 0").replace(
        "SSRF_PROTECTION = on", "SSRF_PROTECTION = off"
    )


# --- (6) per-response capture cost ---------------------------------------------------------------


def capture_cost(files: int, responses: int = 300) -> tuple[float, float]:
    """(ms per response written, ms per lookup by CDXJ bisection) with ``files`` CDXJ files."""
    from newsarchiver.warc.cdxj import Capture, CaptureIndex, surt_key
    from newsarchiver.warc.writer import HttpExchange, WarcFileWriter

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        index = CaptureIndex(root)
        for f in range(files):
            name = f"2024-05/old-{f}.warc.gz"
            urls = [f"http://127.0.0.1/alt/{f}-{i}.html" for i in range(50)]
            index.add(
                name,
                [
                    Capture(
                        surt_key(u), "20240501000000", u, "text/html", "200", "sha1:X", 9, 0, name
                    )
                    for u in urls
                ],
            )
        writer = WarcFileWriter(root / "warc" / "2024-06", root=root, index=index)
        body = b"<html><body>" + b"<p>text</p>" * 5000 + b"</body></html>"
        exchanges = [
            HttpExchange(f"http://127.0.0.1/neu/{i}.html", "GET", [], 200,
                         [("Content-Type", "text/html")], body)
            for i in range(responses)
        ]  # fmt: skip
        writer.write_exchange(exchanges[0])  # the table opened and caught up: not per response
        started = time.perf_counter()
        for exchange in exchanges[1:]:
            writer.write_exchange(exchange)
        per_response = (time.perf_counter() - started) * 1000 / (responses - 1)
        writer.close()
        started = time.perf_counter()
        for exchange in exchanges[:100]:
            index.lookup(exchange.url)
        bisect = (time.perf_counter() - started) * 1000 / 100
    return per_response, bisect


# --- the run -------------------------------------------------------------------------------------

ISAL = "(3) the same, WARC gzipped by ISA-L (WARC_GZIP_ENGINE=isal)"
CRAWL_FAST = [
    "--delay", "0", "--concurrency", "32", "--depth", "1000",
    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=32", "-s", "LOG_LEVEL=INFO",
]  # fmt: skip


def median_of(runs: Sequence[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(statistics.median(column) for column in zip(*runs, strict=True))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)  # nginx's workers run as another user
        root = Path(tmp) / "site"
        root.mkdir()
        console.print(f"writing a site of {ARTICLE_COUNT} articles …")
        paths = write_site(root, ARTICLE_COUNT)
        sizes = [(root / p[1:]).stat().st_size for p in paths]
        listings = sum(1 for _ in root.glob("**/index.html"))
        files = [str(root / p[1:]) for p in paths]
        rows: list[list[str]] = []
        figures: dict[str, float] = {}

        for label, work in (("extract_article", _ours), ("trafilatura.extract → JSON", _theirs)):
            for processes in (1, 2):
                console.print(f"extraction ceiling: {label}, {processes} process(es) …")
                rate, cpu = median_of([ceiling(files, work, processes) for _ in range(RUNS)])
                figures[f"{label} {processes}"] = rate
                rows.append([f"(1) {label}, {processes} process(es), from disk",
                             f"{rate:.0f}", "", f"{cpu:.1f}", ""])  # fmt: skip

        with served(root) as (base, server):
            third = ARTICLE_COUNT // 3
            stopped = f"(3) the same, stopped after {third:,} articles"
            variants = {  # label: (extra options, articles expected)
                "(2) newsarchiver crawl, end to end": ([], ARTICLE_COUNT),
                "(3) the same, WARC off": (["-s", "WARC_ENABLED=False"], ARTICLE_COUNT),
                ISAL: (["-s", "WARC_GZIP_ENGINE=isal"], ARTICLE_COUNT),
                "(3) the same, extraction in threads (--workers 0)": (["--workers", "0"],
                                                                      ARTICLE_COUNT),
                stopped: (["--max-articles", str(third)], third),
            }  # fmt: skip
            for label, (extra, expected) in variants.items():
                console.print(f"{label} …")
                runs = []
                for _ in range(RUNS):
                    with tempfile.TemporaryDirectory() as out:
                        wall, cpu, rss = run_tree(crawl_command(base, out, *CRAWL_FAST, *extra))
                        got = sum(1 for p in Path(out).glob("articles/**/*.jsonl")
                                  for _ in p.open(encoding="utf-8"))  # fmt: skip
                        fetched = _fetched(Path(out))
                    if got < expected * 0.95:
                        raise RuntimeError(f"{label}: only {got} of {expected} articles")
                    runs.append((fetched / wall, got / wall, cpu * 1000 / fetched, rss))
                rate, articles, cpu, rss = median_of(runs)
                figures[label] = rate
                figures[f"{label} RSS"] = rss
                rows.append([label, f"{rate:.0f}", f"{articles:.0f}", f"{cpu:.1f}", f"{rss:.0f}"])

            trafilatura_cli = shutil.which("trafilatura", path=str(Path(sys.executable).parent))
            if trafilatura_cli:
                console.print("(4) trafilatura's CLI …")
                runs = []
                for _ in range(RUNS):
                    with tempfile.TemporaryDirectory() as out:
                        urls = Path(out) / "urls.txt"
                        urls.write_text("".join(base + p[1:] + "\n" for p in paths))
                        config = Path(out) / "settings.cfg"
                        config.write_text(_trafilatura_config())
                        command = [trafilatura_cli, "--input-file", str(urls), "--parallel", "2",
                                   "--output-dir", str(Path(out) / "json"), "--json",
                                   "--config-file", str(config)]  # fmt: skip
                        wall, cpu, rss = run_tree(command)
                        got = sum(1 for _ in (Path(out) / "json").glob("*"))
                    runs.append((len(paths) / wall, got / wall, cpu * 1000 / len(paths), rss))
                rate, articles, cpu, rss = median_of(runs)
                figures["(4)"] = rate
                label = "(4) trafilatura --input-file URLS --parallel 2 --json"
                rows.append([label, f"{rate:.0f}", f"{articles:.0f}", f"{cpu:.1f}", f"{rss:.0f}"])

        end_to_end = figures["(2) newsarchiver crawl, end to end"]
        ratios = [
            ("(5) end to end / extraction ceiling (2 processes)",
             end_to_end / figures["extract_article 2"]),
            ("(5) end to end / trafilatura's CLI", end_to_end / figures.get("(4)", float("nan"))),
            ("(5) WARC off / end to end", figures["(3) the same, WARC off"] / end_to_end),
            ("(5) WARC off / WARC gzipped by ISA-L",
             figures["(3) the same, WARC off"] / figures[ISAL]),
            ("(5) end to end / extraction in threads",
             end_to_end / figures["(3) the same, extraction in threads (--workers 0)"]),
            (f"(5) peak RSS, {ARTICLE_COUNT:,} articles / {third:,}",
             figures["(2) newsarchiver crawl, end to end RSS"] / figures[f"{stopped} RSS"]),
        ]  # fmt: skip
        for label, value in ratios:
            rows.append([label, f"{value:.2f}×", "", "", ""])
        for count in (0, 200, 2000):
            console.print(f"(6) capture cost with {count} CDXJ files …")
            written, bisect = capture_cost(count)
            label = f"(6) per response, {count:,} CDXJ files (bisecting them: {bisect:.2f} ms)"
            rows.append([label, "", "", f"{written:.2f}", ""])

    console.print(
        results_table(
            f"Throughput on a generated site of {ARTICLE_COUNT:,} articles "
            f"({min(sizes) // 1000}–{max(sizes) // 1000} KB) and {listings} listing pages, "
            f"served by {server}; median of {RUNS} ({os.cpu_count()} cores)",
            ["what", "pages/s", "articles/s", "CPU ms/page", "peak RSS MB (tree)"],
            rows,
        )
    )


if __name__ == "__main__":
    main()

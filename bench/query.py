"""Index build and query speed on a large synthetic archive.

Writes BENCH_QUERY_ARTICLES (default 200,000) synthetic articles of about 3 KB of text each
as JSONL (vocabulary: a Zipf distribution over 60,000 words, so common words are common and
rare ones rare, as in news text), indexes them, and measures:

- index build rate (`reindex` with no index yet, then over the index built), against a
  baseline that only reads and parses the same JSONL and against FTS5 alone;
- median and p95 latency of a one-word search (words from the 200th-5,000th most frequent),
  of a phrase search with a site and a one-month date filter, and of a count by site and day,
  each against a baseline that answers the same question without the index (a scan);
- peak memory of `newsarchiver query` (a fresh process).

BENCH_QUERY_CORPUS=dev writes real prose instead (paragraphs of ../shared/extraction-dev's
reference texts, recombined): the same measures on text the index was not tuned on.

Targets (issue 5): build ≥ 10,000 articles/s (issue 16: ≥ 0.8 × FTS5's insert rate alone,
measured here on 20,000 of the same texts); full-text median ≤ 20 ms, p95 ≤ 100 ms;
count-by ≤ 500 ms; query peak memory < 200 MB. Run with `make bench`.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import lxml.html
from childprocess import run_measured
from rich.console import Console
from rich.table import Table

from newsarchiver.articles.index import ArticleIndex, build_index
from newsarchiver.articles.query import Query, count_by, search

ARTICLES = int(os.environ.get("BENCH_QUERY_ARTICLES", "200000"))
#: "zipf": synthetic words, as the targets were set on; "dev": real prose from
#: ../shared/extraction-dev, recombined (a corpus the index was not tuned on)
CORPUS = os.environ.get("BENCH_QUERY_CORPUS", "zipf")
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "extraction-dev"
VOCABULARY = 60_000
WORDS_PER_ARTICLE = 420  # about 3 KB of text
SITES = [f"site{i:02d}" for i in range(20)]
REPEATS = 50
console = Console(width=130)


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    syllables = [
        "ka",
        "ro",
        "mi",
        "ten",
        "sa",
        "ber",
        "lo",
        "un",
        "dre",
        "fi",
        "ga",
        "hel",
        "ost",
        "an",
        "ner",
        "pu",
        "lin",
        "ze",
        "ma",
        "tor",
        "ei",
        "schu",
        "va",
        "dis",
    ]
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choices(syllables, k=rng.randint(1, 4))))
    ordered = sorted(words, key=lambda w: (len(w), w))  # short words are the frequent ones
    rng.shuffle(ordered[200:])
    cumulative, total = [], 0.0
    for rank in range(1, VOCABULARY + 1):
        total += 1 / rank
        cumulative.append(total)
    return ordered, cumulative


def dev_paragraphs() -> list[str]:
    """The paragraphs of the 210 dev pages' reference texts (fundus and Readability)."""
    if not SHARED.is_dir():
        sys.exit(f"BENCH_QUERY_CORPUS=dev needs {SHARED}")
    paragraphs = [
        p.strip()
        for record in json.loads((SHARED / "ground_truth.json").read_text()).values()
        for p in record["body"]
    ]
    for path in sorted(SHARED.glob("readability/*/expected.html.gz")):
        tree = lxml.html.fromstring(gzip.decompress(path.read_bytes()))
        paragraphs += ["".join(map(str, p.itertext())).strip() for p in tree.iter("p")]
    return [p for p in paragraphs if len(p) > 40]


def write_archive(output: Path) -> tuple[list[str], list[str]]:
    """The JSONL archive; returns the vocabulary by frequency and some phrases from the text."""
    rng = random.Random(5)
    if CORPUS == "dev":
        return write_dev_archive(output, rng)
    words, weights = vocabulary(rng)
    phrases = []
    target = output / "articles" / "2024-06" / "bench.jsonl"
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="utf-8") as f:
        for n in range(ARTICLES):
            text_words = rng.choices(words, cum_weights=weights, k=WORDS_PER_ARTICLE)
            paragraphs = [" ".join(text_words[i : i + 60]) for i in range(0, len(text_words), 60)]
            if n % 997 == 0:
                phrases.append(" ".join(text_words[100:102]))
            site = SITES[n % len(SITES)]
            day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
            row = {
                "url": f"https://www.{site}.example/news/{day}/article-{n}",
                "canonical_url": None,
                "title": " ".join(rng.choices(words, cum_weights=weights, k=8)),
                "authors": [f"Author {n % 700}"], "published": f"{day}T10:00:00+02:00",
                "modified": None, "language": "de", "site_name": site.title(),
                "description": None, "tags": [f"tag{n % 150}"], "image": None,
                "text": "\n\n".join(paragraphs), "fetched_at": "2024-12-01T00:00:00+00:00",
                "status": 200, "discovered_via": "link", "crawl_id": "bench",
                "warc_file": "warc/bench.warc.gz", "warc_record_id": f"<urn:uuid:{n}>",
                "warc_offset": n, "payload_digest": f"sha1:P{n}", "content_digest": f"sha1:T{n}",
            }  # fmt: skip
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words, phrases


def write_dev_archive(output: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    """The same rows with real prose: 6-14 paragraphs of the dev pages' texts each, so the
    build and the searches are measured on a vocabulary nobody tuned them on."""
    pool = dev_paragraphs()
    counts = Counter(w for p in pool for w in re.findall(r"\w{4,}", p.lower()))
    words = [w for w, _ in counts.most_common()]
    phrases = []
    target = output / "articles" / "2024-06" / "bench.jsonl"
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="utf-8") as f:
        for n in range(ARTICLES):
            chosen = rng.sample(pool, rng.randint(6, 14))
            text = "\n\n".join(chosen)
            if n % 997 == 0:
                phrases.append(" ".join(re.findall(r"\w+", text)[20:22]))
            site = SITES[n % len(SITES)]
            day = f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}"
            row = {
                "url": f"https://www.{site}.example/news/{day}/article-{n}",
                "title": chosen[0][:80], "authors": [f"Author {n % 700}"],
                "published": f"{day}T10:00:00+02:00", "site_name": site.title(),
                "tags": [f"tag{n % 150}"], "text": text,
                "fetched_at": "2024-12-01T00:00:00+00:00", "status": 200, "crawl_id": "bench",
                "content_digest": f"sha1:T{n}",
            }  # fmt: skip
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return words, phrases


def run_search(index: ArticleIndex, query: Query) -> list[dict[str, object]]:
    return list(search(index, query, limit=20))


def latency(run: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    return [latency(run) for _ in range(repeats)]


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def fts5_alone_rate(jsonl: Path, count: int) -> float:
    """How fast SQLite's FTS5 alone indexes these texts: the ceiling for one writer."""
    texts = []
    with jsonl.open("rb") as f:
        for line, _ in zip(f, range(count), strict=False):
            row = json.loads(line)
            texts.append((row["title"], row["text"]))
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "fts.sqlite")
        db.execute(
            "CREATE VIRTUAL TABLE f USING fts5(title, text, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        started = time.perf_counter()
        with db:
            db.executemany("INSERT INTO f VALUES (?, ?)", texts)
        rate = count / (time.perf_counter() - started)
        db.close()
    return rate


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "output"
        console.print(f"writing {ARTICLES:,} synthetic articles …")
        words, phrases = write_archive(output)
        jsonl = next(output.glob("articles/**/*.jsonl"))
        size_mb = jsonl.stat().st_size / 1e6

        started = time.perf_counter()
        with jsonl.open("rb") as f:
            for line in f:
                json.loads(line)
        parse_rate = ARTICLES / (time.perf_counter() - started)

        fts_rate = fts5_alone_rate(jsonl, min(ARTICLES, 20_000))
        console.print(f"indexing {size_mb:,.0f} MB of JSONL …")
        started = time.perf_counter()
        build_index(output)  # what `reindex` and an archive's first query do
        build_rate = ARTICLES / (time.perf_counter() - started)
        console.print("indexing it again, over the index built …")
        started = time.perf_counter()
        build_index(output)  # `reindex` of an archive that has an index, maybe being read
        rebuild_rate = ARTICLES / (time.perf_counter() - started)

        rng = random.Random(9)
        index = ArticleIndex(output, readonly=True)
        one_word = [rng.choice(words[200:5000]) for _ in range(REPEATS)]
        word_queries = [Query(text=word) for word in one_word]
        phrase_queries = [
            Query(
                text=f'"{p}"',
                site=rng.choice(SITES),
                since=date(2024, 3, 1),
                until=date(2024, 3, 31),
            )
            for p in rng.sample(phrases, min(REPEATS, len(phrases)))
        ]
        word_times = [latency(partial(run_search, index, q)) for q in word_queries]
        phrase_times = [latency(partial(run_search, index, q)) for q in phrase_queries]
        count_times = timed(lambda: count_by(index, Query(), ["site", "day"]), 10)

        # baselines: the same questions without the index (SQL scans of the stored rows)
        # (a ranked search must look at every match: without the index that is a full scan)
        scan_word = timed(
            lambda: index.db.execute(
                "SELECT count(*) FROM article_texts WHERE text LIKE ?", (f"% {one_word[0]} %",)
            ).fetchall(),
            3,
        )
        scan_count = timed(
            lambda: index.db.execute(
                "SELECT site_name, published_day, count(*) FROM article_versions NOT INDEXED "
                "GROUP BY 1, 2"
            ).fetchall(),
            3,
        )
        index.close()

        _, rss = run_measured(
            [
                sys.executable,
                "-m",
                "newsarchiver",
                "query",
                one_word[0],
                "--format",
                "jsonl",
                "--limit",
                "100",
                "-o",
                str(output),
            ]
        )

    table = Table(
        title=f"Article index: {ARTICLES:,} articles ({CORPUS} text), {size_mb:,.0f} MB of JSONL "
        f"({os.cpu_count()} cores)"
    )
    for column in ("measure", "result", "target", "baseline (no index)", "× baseline"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    table.add_row(
        "index build (`reindex`, no index yet)",
        f"{build_rate:,.0f} articles/s",
        "≥ 10,000/s",
        f"{parse_rate:,.0f}/s (parse only)",
        f"{build_rate / parse_rate:.2f}",
    )
    table.add_row(
        "  ceiling: FTS5 insert alone", f"{fts_rate:,.0f} articles/s", "", "same texts, 1 core", ""
    )
    table.add_row("  build / ceiling", f"{build_rate / fts_rate:.2f}", "≥ 0.8", "", "")
    table.add_row(
        "`reindex` over the index built",
        f"{rebuild_rate:,.0f} articles/s",
        "",
        "",
        f"{rebuild_rate / fts_rate:.2f} × ceiling",
    )
    for name, times, target, base in (
        ("one-word search, median", word_times, 20, scan_word),
        ("one-word search, p95", word_times, 100, scan_word),
        ("phrase + site + month, median", phrase_times, 20, scan_word),
        ("phrase + site + month, p95", phrase_times, 100, scan_word),
        ("count by site, day, median", count_times, 500, scan_count),
    ):
        value = p95(times) if "p95" in name else statistics.median(times)
        baseline = statistics.median(base)
        table.add_row(
            name,
            f"{value:,.1f} ms",
            f"≤ {target} ms",
            f"{baseline:,.1f} ms",
            f"{value / baseline:.3f}",
        )
    table.add_row("`query` peak memory", f"{rss:,.0f} MB", "< 200 MB", "", "")
    console.print(table)


if __name__ == "__main__":
    main()

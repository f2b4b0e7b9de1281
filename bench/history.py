"""Article history speed: `history`/`diff` of a much-edited article, and `changes --since` over
a large archive, each against a baseline measured in the same run.

- An article with 50 versions of 2,000 words in 31 paragraphs (5 words changed each time, as a
  correction changes a few): reading every
  version and comparing each with the one before (what `history` does), and one `diff`;
  baseline: reading the versions alone.
- BENCH_HISTORY_ARTICLES (default 200,000) articles, a tenth of them changed once
  (20,000 versions) over 200 days: `changes --since` the last week, against the same question
  answered by a scan of the version table (the partial index dropped).

Targets (issue 12): history/diff under 100 ms; changes under 500 ms. Run with `make bench`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

from childprocess import results_table
from rich.console import Console

from newsarchiver.articles.history import changes, compare, versions
from newsarchiver.articles.index import ArticleIndex

ARTICLES = int(os.environ.get("BENCH_HISTORY_ARTICLES", "200000"))
WORDS = [f"wort{i}" for i in range(5000)]
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def row(n: int, version: int, text: str, when: datetime, title: str) -> str:
    return json.dumps(
        {
            "url": f"https://www.tagesblatt.example/politik/artikel-{n}.html",
            "canonical_url": None,
            "title": title,
            "authors": ["Anna Weber"],
            "published": START.isoformat(),
            "modified": None,
            "language": "de",
            "site_name": "Tagesblatt",
            "description": None,
            "tags": [],
            "image": None,
            "text": text,
            "fetched_at": when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "status": 200,
            "discovered_via": "link",
            "crawl_id": "bench",
            "warc_file": "warc/x.warc.gz",
            "warc_record_id": f"<urn:uuid:{n}-{version}>",
            "warc_offset": n,
            "payload_digest": f"sha1:P{n}-{version}",
            "content_digest": f"sha1:T{n}-{version}",
            "version": version,
        }
    )


#: real articles nobody tuned the diff on: Mozilla Readability's reviewed outputs (see
#: ../shared/extraction-dev/readability/README); absent in a user's clone, then skipped
REAL = Path(__file__).resolve().parents[2] / "shared" / "extraction-dev" / "readability"


def real_texts() -> list[str]:
    """The paragraphs of each reviewed article as plain text, one paragraph a line."""
    import gzip

    from lxml import html

    texts = []
    for path in sorted(REAL.glob("*/expected.html.gz")):
        tree = html.fromstring(gzip.decompress(path.read_bytes()))
        blocks = [
            " ".join("".join(map(str, b.itertext())).split())
            for b in tree.iter("p", "li", "h2", "h3")
        ]
        text = "\n".join(b for b in blocks if b)
        if len(text.split()) >= 200:
            texts.append(text)
    return texts


def edited(text: str, rng: random.Random, count: int = 5) -> str:
    """The text with ``count`` words replaced, as corrections change a few."""
    lines = [line.split(" ") for line in text.split("\n")]
    for _ in range(count):
        line = rng.choice(lines)
        line[rng.randrange(len(line))] = rng.choice(WORDS)
    return "\n".join(" ".join(line) for line in lines)


def real_history(rng: random.Random) -> tuple[int, int, float, float]:
    """(articles, median words, median ms, max ms) of comparing 50 versions of real articles."""
    from newsarchiver.articles.history import word_runs

    texts = real_texts()
    if not texts:
        return 0, 0, 0.0, 0.0
    times = []
    for text in texts:
        chain = [text]
        for _ in range(49):
            chain.append(edited(chain[-1], rng))
        cold()
        started = time.perf_counter()
        for before, after in pairwise(chain):
            word_runs(before, after)
        times.append((time.perf_counter() - started) * 1000)
    median_words = statistics.median(len(t.split()) for t in texts)
    return len(texts), int(median_words), statistics.median(times), max(times)


def cold() -> None:
    """Forget what the diff caches (words and paragraphs seen before): every timed call
    starts as a fresh `history` or `diff` command does."""
    from newsarchiver.articles import history, sametext

    for cached in (sametext.comparable, sametext.comparable_word, history._words_of):
        cached.cache_clear()


def timed(call: Callable[[], object], repeat: int = 7) -> float:
    """Median milliseconds of ``repeat`` calls, each from cold caches."""
    times = []
    for _ in range(repeat):
        cold()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(12)
    console = Console(width=130)
    with tempfile.TemporaryDirectory() as work:
        output = Path(work)
        (output / "warc").mkdir()
        jsonl = output / "articles" / "2024-07" / "bench.jsonl"
        jsonl.parent.mkdir(parents=True)
        console.print(
            f"writing {ARTICLES:,} articles, a tenth changed once, and one with 50 versions …"
        )
        with jsonl.open("w") as out:
            words = [rng.choice(WORDS) for _ in range(2000)]
            for version in range(1, 51):  # article 0: 50 versions of 2,000 words
                for _ in range(5):
                    words[rng.randrange(2000)] = rng.choice(WORDS)
                when = START + timedelta(hours=version)
                text = "\n".join(" ".join(words[i : i + 66]) for i in range(0, 2000, 66))
                out.write(row(0, version, text, when, f"Titel {version // 10}") + "\n")
            for n in range(1, ARTICLES):
                text = " ".join(rng.choice(WORDS) for _ in range(80))
                when = START + timedelta(minutes=n)
                out.write(row(n, 1, text, when, f"Titel {n}") + "\n")
                if n % 10 == 0:  # changed once, some time in the next 200 days
                    later = START + timedelta(days=rng.uniform(0, 200))
                    changed = text.replace(text.split()[3], "korrigiert", 1)
                    out.write(row(n, 2, changed, later, f"Titel {n}") + "\n")
        started = time.perf_counter()
        with ArticleIndex(output) as index:
            index.update()
        console.print(f"indexed in {time.perf_counter() - started:.0f} s")
        url = "https://www.tagesblatt.example/politik/artikel-0.html"
        since = START + timedelta(days=193)
        with ArticleIndex(output) as index:
            read_only = timed(lambda: versions(index, url))
            every = versions(index, url)
            history = timed(lambda: [compare(a, b) for a, b in pairwise(every)])
            read_and_history = read_only + history
            one_diff = timed(lambda: compare(*versions(index, url)[-2:]))
            found = len(list(changes(index, since=since)))
            recent = timed(lambda: list(changes(index, since=since)))
            index.db.execute("DROP INDEX versions_changed")
            scan = timed(lambda: list(changes(index, since=since)), repeat=3)
    articles, real_words, real_median, real_max = real_history(rng)
    rows = [
        ("read 50 versions of 2,000 words (baseline)", f"{read_only:.1f}", "1.00", "—"),
        ("history: read + compare each with the one before", f"{read_and_history:.1f}",
         f"{read_and_history / read_only:.2f}", "< 100 ms"),
        ("diff: read + compare the last two", f"{one_diff:.1f}", f"{one_diff / read_only:.2f}",
         "< 100 ms"),
        (f"changes --since, scan of the version table (baseline, {found} changes)",
         f"{scan:.1f}", "1.00", "—"),
        (f"changes --since with the partial index ({found} changes)", f"{recent:.1f}",
         f"{recent / scan:.2f}", "< 500 ms"),
    ]  # fmt: skip
    if articles:
        what = f"history of {articles} real articles (median {real_words} words), 50 versions"
        rows.append((f"{what} each: median / slowest", f"{real_median:.1f} / {real_max:.1f}",
                     "—", "< 100 ms"))  # fmt: skip
    else:
        console.print(f"{REAL} is absent: the real-article row is skipped")
    title = f"Article history on {ARTICLES:,} articles ({os.cpu_count()} cores; median ms)"
    console.print(results_table(title, ("what", "ms", "× its baseline", "target"), rows))


if __name__ == "__main__":
    main()

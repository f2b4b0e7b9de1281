"""Extraction quality and speed: newsarchiver against the usual extractors, on labelled pages.

Labelled pages: ../shared/extraction-dev (80 English news pages, skipped when absent) and the
non-English pages in tests/extraction/labelled (German, French, Spanish, Turkish, Arabic,
Russian). Pages labelled as not open (a paywall teaser, a consent wall, a bot check) are scored
on access detection, not on text.

Per extractor: token precision / recall / F1 (whitespace tokens counted as multisets, the
common article-extraction measure), ROUGE-LSum F1, the share of pages with F1 ≥ 0.9 and the
median time per page; then F1 per language group, newsarchiver's worst ten pages, metadata
accuracy per field on the labelled pages, and access detection. Run with
`make bench-extraction`.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura
from lxml.html import document_fromstring, fromstring
from readability import Document
from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer

from newsarchiver.extraction import extract_article

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "extraction-dev"
LABELLED = ROOT / "tests" / "extraction" / "labelled"
console = Console(width=140)


@dataclass
class Sample:
    name: str
    url: str
    html: str
    body: list[str]
    language: str
    label: dict[str, Any]


def load_samples() -> list[Sample]:
    samples = []
    if DEV.is_dir():
        truth = json.loads((DEV / "ground_truth.json").read_text())
        for name, record in sorted(truth.items()):
            html = gzip.decompress((DEV / "html" / name).read_bytes()).decode("utf-8", "replace")
            samples.append(
                Sample(
                    name,
                    record.get("url") or "https://example.com/",
                    html,
                    record["body"],
                    "en",
                    {},
                )
            )
    else:
        console.print(f"[yellow]{DEV} not found: scoring the labelled pages in tests/ only[/]")
    for name, label in sorted(json.loads((LABELLED / "labels.json").read_text()).items()):
        html = (LABELLED / name).read_text(encoding="utf-8")
        samples.append(Sample(name, label["url"], html, label["body"], label["language"], label))
    return samples


# --- extractors ---------------------------------------------------------------------------------


def ours(sample: Sample) -> str:
    article = extract_article(sample.html, sample.url)
    return article.text if article is not None and article.access == "open" else ""


def trafilatura_default(sample: Sample) -> str:
    return trafilatura.extract(sample.html, url=sample.url) or ""


def trafilatura_precision(sample: Sample) -> str:
    return trafilatura.extract(sample.html, url=sample.url, favor_precision=True) or ""


def readability_lxml(sample: Sample) -> str:
    summary = fromstring(Document(sample.html).summary(html_partial=True))
    return "\n".join(" ".join("".join(map(str, p.itertext())).split()) for p in summary.iter("p"))


def visible_text(sample: Sample) -> str:
    tree = document_fromstring(sample.html)
    for element in list(tree.iter("script", "style", "noscript", "template")):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return "".join(map(str, tree.itertext()))


EXTRACTORS: dict[str, Callable[[Sample], str]] = {
    "newsarchiver": ours,
    "trafilatura (defaults)": trafilatura_default,
    "trafilatura (favor_precision)": trafilatura_precision,
    "readability-lxml": readability_lxml,
    "all visible text (floor)": visible_text,
}
FLOOR = "all visible text (floor)"

# --- measures -----------------------------------------------------------------------------------


class _Whitespace:
    """rouge-score's own tokenizer keeps only [a-z0-9]: no Cyrillic, Arabic or umlauts."""

    def tokenize(self, text: str) -> list[str]:
        return text.split()


_ROUGE = rouge_scorer.RougeScorer(["rougeLsum"], tokenizer=_Whitespace())


def token_scores(predicted: str, truth: str) -> tuple[float, float, float]:
    got, want = Counter(predicted.split()), Counter(truth.split())
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def rouge_lsum(predicted: str, truth: str) -> float:
    # ROUGE-LSum splits on newlines: one paragraph a "sentence" on both sides
    prediction = "\n".join(p for p in re.split(r"\n+", predicted) if p.strip())
    return float(_ROUGE.score("\n".join(truth.split("\n")), prediction)["rougeLsum"].fmeasure)


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    rouge: float
    ms: float


def score_all(samples: list[Sample]) -> dict[str, dict[str, Score]]:
    results: dict[str, dict[str, Score]] = {name: {} for name in EXTRACTORS}
    for sample in samples:
        if sample.label.get("access", "open") != "open":
            continue
        truth = "\n".join(sample.body)
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            text = extract(sample)
            ms = (time.perf_counter() - started) * 1000
            p, r, f = token_scores(text, truth)
            # rouge-score's LCS is quadratic in pure Python: minutes on whole pages of text
            rouge = rouge_lsum(text, truth) if name != FLOOR else float("nan")
            results[name][sample.name] = Score(p, r, f, rouge, ms)
    return results


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


# --- report -------------------------------------------------------------------------------------


def main() -> None:
    samples = load_samples()
    by_name = {s.name: s for s in samples}
    results = score_all(samples)

    table = Table(title=f"Text extraction on {len(results['newsarchiver'])} labelled pages")
    for column in (
        "extractor",
        "precision",
        "recall",
        "F1",
        "ROUGE-LSum F1",
        "pages F1 ≥ 0.9",
        "median ms/page",
    ):
        table.add_column(column, justify="left" if column == "extractor" else "right")
    for name, scores in results.items():
        values = list(scores.values())
        table.add_row(
            name,
            f"{mean([s.precision for s in values]):.3f}",
            f"{mean([s.recall for s in values]):.3f}",
            f"{mean([s.f1 for s in values]):.3f}",
            "—" if name == FLOOR else f"{mean([s.rouge for s in values]):.3f}",
            f"{sum(s.f1 >= 0.9 for s in values) / len(values):.0%}",
            f"{statistics.median(s.ms for s in values):.1f}",
        )
    console.print(table)

    groups = sorted({by_name[n].language for n in results["newsarchiver"]})
    per_group = Table(title="F1 per language group")
    per_group.add_column("extractor")
    for group in groups:
        count = sum(by_name[n].language == group for n in results["newsarchiver"])
        per_group.add_column(f"{group} ({count})", justify="right")
    for name in ("newsarchiver", "trafilatura (defaults)", "trafilatura (favor_precision)"):
        per_group.add_row(
            name,
            *(
                f"{mean([s.f1 for n, s in results[name].items() if by_name[n].language == g]):.3f}"
                for g in groups
            ),
        )
    console.print(per_group)

    worst = Table(title="newsarchiver's worst ten pages")
    for column in ("page", "F1", "precision", "recall", "trafilatura F1"):
        worst.add_column(column, justify="left" if column == "page" else "right")
    for name, score in sorted(results["newsarchiver"].items(), key=lambda i: i[1].f1)[:10]:
        worst.add_row(
            name,
            f"{score.f1:.3f}",
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{results['trafilatura (defaults)'][name].f1:.3f}",
        )
    console.print(worst)
    console.print(metadata_report(samples))


def metadata_report(samples: list[Sample]) -> Table:
    """Accuracy per field on the labelled pages (the dev set has no metadata labels)."""
    fields = ("title", "authors", "published", "language", "tags", "access")
    hits: dict[str, list[bool]] = {f: [] for f in fields}
    for sample in samples:
        if not sample.label:
            continue
        article = extract_article(sample.html, sample.url)
        expected_access = sample.label["access"]
        hits["access"].append(
            (article.access if article else "open") == expected_access
            if expected_access != "open"
            else article is not None and article.access == "open"
        )
        if expected_access != "open" or article is None:
            continue
        for name in fields[:-1]:
            hits[name].append(getattr(article, name) == sample.label[name])
    table = Table(title="Metadata and access on the labelled pages")
    table.add_column("field")
    table.add_column("correct", justify="right")
    table.add_column("accuracy", justify="right")
    for name, values in hits.items():
        table.add_row(
            name, f"{sum(values)}/{len(values)}", f"{mean([float(v) for v in values]):.0%}"
        )
    return table


if __name__ == "__main__":
    main()

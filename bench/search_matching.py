"""Which words a plain search word should find: exact, prefix*, or the same Snowball stem.

Measured on the labelled dev sets' texts (bench/extraction.py's samples: fundus, Readability,
the multilingual labelled pages) and the project's German seed text, with a judge independent
of the methods: a document is relevant to a search word when it holds a form with the same
lemma (simplemma's dictionaries, in the document's language) or the word with a possessive or
genitive "s" (names: simplemma has no "Putins"). Search words: up to five per document, drawn
(seeded) from its words of 4+ letters outside its language's 150 most frequent words. Prints
one table: macro precision and recall per method, and how many searches miss a relevant
document exactly.

    .venv/bin/python bench/search_matching.py
"""

from __future__ import annotations

import bisect
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import simplemma

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import fundus, labelled, readability_set

from newsarchiver.articles.fts import fold
from newsarchiver.articles.stems import same_stem, stemmed_languages

SEED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def corpus() -> list[tuple[str, set[str], dict[str, str]]]:
    """(language, folded tokens, folded token → its surface form) per document."""
    docs = []
    texts = [(s.language, s.truth) for s in [*fundus(), *readability_set(), *labelled()]]
    if SEED_TEXT.is_dir():
        texts += [("de", p.read_text()) for p in sorted(SEED_TEXT.glob("*.txt"))]
    for language, text in texts:
        if not text.strip() or language in ("?", "la"):  # lorem ipsum: no language to judge
            continue
        surface = {fold(w): w for w in _TOKEN.findall(text) if not w.isdigit()}
        docs.append((language, set(surface), surface))
    return docs


def main() -> None:
    docs = corpus()
    if not docs:
        print("no dev set found (../shared/extraction-dev): nothing to measure")
        return
    frequent: dict[str, set[str]] = {}
    for language in {d[0] for d in docs}:
        counts = Counter(t for lang, tokens, _ in docs if lang == language for t in tokens)
        frequent[language] = {t for t, _ in counts.most_common(150)}
    by_count = Counter(d[0] for d in docs)
    languages = stemmed_languages(lang for lang, _ in by_count.most_common())
    vocabulary = sorted({t for _, tokens, _ in docs for t in tokens})

    def starting_with(prefix: str, limit: int) -> list[str]:
        at = bisect.bisect_left(vocabulary, prefix)
        return [t for t in vocabulary[at : at + limit] if t.startswith(prefix)]

    expansions: dict[str, set[str]] = {}

    def expanded(word: str) -> set[str]:
        if word not in expansions:
            expansions[word] = set(same_stem(word, languages, starting_with))
        return expansions[word]

    lemma_cache: dict[tuple[str, str], str] = {}

    def lemma(word: str, language: str) -> str:
        key = (word, language)
        if key not in lemma_cache:
            try:
                lemma_cache[key] = fold(simplemma.lemmatize(word, lang=language))
            except ValueError:  # a language simplemma has no dictionary for
                lemma_cache[key] = fold(word)
        return lemma_cache[key]

    rng = random.Random(16)
    queries = []
    for language, tokens, surface in docs:
        pool = sorted(
            t for t in tokens if len(t) >= 4 and t.isalpha() and t not in frequent[language]
        )
        queries += [(q, language, surface[q]) for q in rng.sample(pool, min(5, len(pool)))]
    postings: dict[str, set[int]] = {}
    for i, (_, tokens, _) in enumerate(docs):
        for t in tokens:
            postings.setdefault(t, set()).add(i)

    def docs_with(terms: Iterable[str]) -> set[int]:
        return set().union(*(postings.get(t, set()) for t in terms))

    def prefixed(q: str) -> list[str]:
        return starting_with(q, len(vocabulary))

    top = languages[:1]
    shares = [lang for lang in languages if by_count[lang] >= 0.1 * len(docs)]
    methods: dict[str, Callable[[str], Iterable[str]]] = {
        "exact (today)": lambda q: [q],
        "prefix*": prefixed,
        "prefix* (6+ letters)": lambda q: prefixed(q) if len(q) >= 6 else [q],
        f"same stem, all {len(languages)} languages": expanded,
        f"same stem, languages ≥ 10 % ({', '.join(shares)})": lambda q: same_stem(
            q, shares, starting_with
        ),
        f"same stem, the main language ({top[0]})": lambda q: same_stem(q, top, starting_with),
    }
    scores: dict[str, list[tuple[float, float]]] = {m: [] for m in methods}
    missed: Counter[str] = Counter()
    for q, language, shown in queries:
        wanted = lemma(shown, language)
        near = starting_with(q[:3], len(vocabulary))
        relevant_terms = [
            t for t in near if t == q or t in (q + "s", q + "es") or lemma(t, language) == wanted
        ]
        relevant = {i for i in docs_with(relevant_terms) if docs[i][0] == language}
        for name, terms in methods.items():
            found = docs_with(terms(q))
            same_language = {i for i in found if docs[i][0] == language}
            hit = len(same_language & relevant)
            precision = hit / len(same_language) if same_language else 1.0
            scores[name].append((precision, hit / len(relevant) if relevant else 1.0))
            missed[name] += int(bool(relevant - found))
    print(f"{len(queries)} search words over {len(docs)} documents ({', '.join(languages)})")
    print("| method | precision | recall | searches missing a relevant document |")
    print("|---|---|---|---|")
    for name, pairs in scores.items():
        p = sum(a for a, _ in pairs) / len(pairs)
        r = sum(b for _, b in pairs) / len(pairs)
        print(f"| {name} | {p:.3f} | {r:.3f} | {missed[name]} of {len(pairs)} |")


if __name__ == "__main__":
    main()

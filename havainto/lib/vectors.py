"""Sentence vectors of reports: storage as bytes, centring per language, nearest neighbours.

Django-free. The vectors come from havainto.lib.themes.Embedder (multilingual-e5-small,
L2-normalised rows of 384 float32).

Why centre per language: every text of one language shares an offset in the e5 space, so
before centring a Swedish report's nearest reports are Swedish ones whatever they are about.
On the development reports (240, 32 Swedish, 8 English; scripts/eval_topics.py) the Finnish
share among a Swedish or English report's 5 nearest reports went from 0.02 to 0.61, the main
theme of the nearest report matched 0.30 of the time instead of 0.26 (Swedish and English
reports alone: 0.23 instead of 0.03). Removing more common directions ("all but the top")
made it worse. havainto.lib.signals centres the same way (without the reference means).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

DTYPE = np.dtype("<f4")  # little-endian float32, the stored byte order on every machine
# Without a reference mean, a language needs this many vectors for a mean of its own; fewer
# use the overall mean.
MIN_FOR_LANGUAGE_MEAN = 3
# How many reports the reference mean of a language counts as (see language_means).
PRIOR_WEIGHT = 10
REFERENCE_MEANS_PATH = (
    Path(__file__).resolve().parent.parent / "data" / "embedding_language_means.json"
)


def pack(vector: np.ndarray) -> bytes:
    """The bytes stored for one vector."""
    return np.ascontiguousarray(vector, dtype=DTYPE).tobytes()


def unpack(data: bytes | memoryview) -> np.ndarray:
    """One stored vector (float32)."""
    return np.frombuffer(bytes(data), dtype=DTYPE).astype(np.float32)


def unpack_many(blobs: Iterable[bytes | memoryview], dim: int) -> np.ndarray:
    """Stored vectors as rows of an n × dim float32 matrix (a wrong length raises)."""
    joined = b"".join(bytes(blob) for blob in blobs)
    matrix = np.frombuffer(joined, dtype=DTYPE).astype(np.float32)
    if matrix.size % dim:
        raise ValueError(f"stored vectors are not {dim}-dimensional")
    return matrix.reshape(-1, dim)


def normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


@functools.cache
def reference_means(model_version: str) -> Mapping[str, np.ndarray]:
    """The mean vector of each language over the demo reports (scripts/language_means.py), if
    the file was made with this model version; else none."""
    try:
        data = json.loads(REFERENCE_MEANS_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("model_version") != model_version:
        return {}
    return {lang: np.asarray(v, dtype=np.float32) for lang, v in data["means"].items()}


def language_means(
    matrix: np.ndarray,
    languages: Sequence[str],
    prior: Mapping[str, np.ndarray] | None = None,
    prior_weight: float = PRIOR_WEIGHT,
) -> dict[str, np.ndarray]:
    """Each language's mean vector; the key "" holds the overall mean (for a language seen
    later).

    With a `prior` (reference means), a language's mean is shrunk towards its reference mean
    as if that were `prior_weight` more reports: (n · own mean + w · reference) / (n + w). An
    organisation with few reports, or with reports on one subject only, would otherwise take
    their shared subject for the language's offset and centre it away. Without a reference,
    languages with fewer than MIN_FOR_LANGUAGE_MEAN vectors get the overall mean.
    """
    prior = prior or {}
    dim = matrix.shape[1] if matrix.ndim == 2 else 0
    overall = matrix.mean(axis=0) if len(matrix) else np.zeros(dim, dtype=np.float32)
    langs = np.asarray(languages)
    means = {"": overall}
    for lang in sorted(set(languages) | set(prior)):
        rows = langs == lang if len(matrix) else np.zeros(0, dtype=bool)
        count = int(rows.sum())
        reference = prior.get(lang)
        if reference is not None and reference.shape == (dim,):
            own = matrix[rows].sum(axis=0) if count else np.zeros(dim, dtype=np.float32)
            means[lang] = (own + prior_weight * reference) / (count + prior_weight)
        elif count >= MIN_FOR_LANGUAGE_MEAN:
            means[lang] = matrix[rows].mean(axis=0)
        else:
            means[lang] = overall
    return means


def centre(
    matrix: np.ndarray,
    languages: Sequence[str],
    prior: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Rows minus their language's mean (language_means), L2-normalised again (float32)."""
    means = language_means(matrix, languages, prior)
    if len(matrix) == 0:
        return matrix.astype(np.float32)
    offsets = np.stack([means.get(lang, means[""]) for lang in languages])
    return normalise(matrix - offsets).astype(np.float32)


def nearest(
    matrix: np.ndarray, query: np.ndarray, k: int, *, exclude: Iterable[int] = ()
) -> list[tuple[int, float]]:
    """The k rows most similar to `query` (cosine of normalised rows), best first, as
    (row, similarity); rows in `exclude` never come back. Ties go to the lower row."""
    if len(matrix) == 0 or k <= 0:
        return []
    scores = matrix @ query.astype(matrix.dtype, copy=False)
    excluded = [row for row in exclude if 0 <= row < len(scores)]
    if excluded:
        scores = scores.copy()
        scores[excluded] = -np.inf
    k = min(k, len(scores))
    # argpartition is O(n); only the k best are sorted (stable: ties keep the row order).
    best = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    best = best[np.lexsort((best, -scores[best]))]
    return [(int(row), float(scores[row])) for row in best if np.isfinite(scores[row])]

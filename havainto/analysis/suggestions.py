"""Theme suggestions from the database: reading side (havainto.analysis.services changes things).

The engine is `havainto.lib.themes` (Django-free); this module turns the organisation's rows into
what it takes and gives back:

- the *codebook* is the organisation's own `coding.Theme` rows, without hidden themes and
  without themes merged into another one (when the codebook has merging);
- a *coded report* is a report with themes given in handling (`coding.ReportTheme`). Its main
  theme is the one given first: `set_report_themes` adds new themes in one insert per save, in
  codebook order, so the ReportTheme ids order a report's themes by when they were given, and
  within one save by the codebook. A coordinator who accepts a suggestion on an uncoded report
  thus makes it the main theme, and themes added later are secondary;
- the form fields the engine uses (service line, observation type, client groups, sectors,
  SHL 11 § support needs) as codes, as in the evaluation format (`../shared/spec`), and the
  language the search index detected (the form's language follows the interface language).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet

from havainto.accounts.models import Organisation
from havainto.analysis.models import SuggestionDecision, ThemeModelSnapshot, ThemeTrainingState
from havainto.coding.models import ReportTheme, Theme
from havainto.reports.models import Report

if TYPE_CHECKING:
    from havainto.lib import themes as engine_types

# Below this many coded reports (or with fewer main themes in use) the model is zero-shot.
MIN_CODED_REPORTS = 20
MIN_THEMES_IN_USE = 2
# The newest coded reports a training reads: enough to learn from, and training stays minutes.
MAX_TRAINING_REPORTS = 2000
# How many ranked themes a report's cache keeps (some may be on the report already), and how
# many are shown: three, the figure the models are measured by (top-3).
RANKED_KEPT = 10
SHOWN = 3
_CHUNK = 500


def engine() -> ModuleType:
    """havainto.lib.themes, imported on first use: it loads scikit-learn (about a second),
    which commands and processes that never suggest themes need not wait for."""
    from havainto.lib import themes

    return themes


# The many-to-many form fields, named as in the engine's report dicts.
_M2M_FIELDS = ("client_groups", "sectors", "support_needs")


# --- The codebook ------------------------------------------------------------------------


def codebook_themes(organisation: Organisation) -> QuerySet[Theme]:
    """The themes suggestions may name: the organisation's, not hidden, not merged away."""
    return Theme.objects.offered().filter(organisation=organisation).order_by("order", "id")


def codebook(themes: Iterable[Theme]) -> list[engine_types.Theme]:
    return [
        engine().Theme(
            code=theme.code,
            labels={"fi": theme.label_fi, "sv": theme.label_sv, "en": theme.label_en},
            descriptions={
                lang: text
                for lang, text in (
                    ("fi", theme.description_fi),
                    ("sv", theme.description_sv),
                    ("en", theme.description_en),
                )
                if text
            },
        )
        for theme in themes
    ]


def fingerprint(entries: Sequence[engine_types.Theme]) -> str:
    """Changes when a theme is added, hidden or merged, or its labels or descriptions change."""
    data = [
        [theme.code, dict(sorted(theme.labels.items())), dict(sorted(theme.descriptions.items()))]
        for theme in sorted(entries, key=lambda theme: theme.code)
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


# --- Reports as the engine's dicts -------------------------------------------------------

_VALUES = (
    "pk",
    "language",
    "title",
    "description",
    "proposal",
    "causes",
    "service_effects",
    "service_line__code",
    "observation_type__code",
    "search_index__language",
)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _choices(name: str, ids: Sequence[int]) -> dict[int, list[str]]:
    """The codes of a many-to-many form field per report, read from its through table."""
    field = Report._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source = field.m2m_field_name()  # type: ignore[attr-defined]
    target = field.m2m_reverse_field_name()  # type: ignore[attr-defined]
    result: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = through.objects.filter(**{f"{source}_id__in": chunk}).values_list(
            f"{source}_id", f"{target}__code"
        )
        for report_id, code in rows:
            result[report_id].append(code)
    return result


def report_dicts(reports: QuerySet[Report]) -> list[dict[str, Any]]:
    """The reports as `havainto.lib.themes` report dicts (without themes), in queryset order."""
    rows = list(reports.values(*_VALUES))
    ids = [row["pk"] for row in rows]
    choices = {name: _choices(name, ids) for name in _M2M_FIELDS}
    result = []
    for row in rows:
        report: dict[str, Any] = {
            "id": row["pk"],
            # The language the text is in (detected when indexed), else the form's.
            "language": row["search_index__language"] or row["language"],
            "title": row["title"],
            "description": row["description"],
            "proposal": row["proposal"],
            "causes": row["causes"],
            "service_effects": row["service_effects"],
            "service_line": row["service_line__code"],
            "observation_type": row["observation_type__code"],
        }
        for name in _M2M_FIELDS:
            report[name] = sorted(choices[name].get(row["pk"], []))
        result.append(report)
    return result


def report_themes(report_ids: Sequence[int], codes: dict[int, str]) -> dict[int, list[str]]:
    """Per report, the codes of its themes in the codebook, the main (first given) theme first."""
    result: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(report_ids):
        rows = (
            ReportTheme.objects.filter(report_id__in=chunk, theme_id__in=codes)
            .order_by("report_id", "id")
            .values_list("report_id", "theme_id")
        )
        for report_id, theme_id in rows:
            result[report_id].append(codes[theme_id])
    return result


def training_reports(
    organisation: Organisation, themes: Sequence[Theme], *, limit: int = MAX_TRAINING_REPORTS
) -> list[dict[str, Any]]:
    """The organisation's newest coded reports (up to `limit`) with their `themes`."""
    codes = {theme.pk: theme.code for theme in themes}
    coded = (
        Report.objects.of(organisation)
        .filter(pk__in=ReportTheme.objects.filter(theme_id__in=codes).values("report_id"))
        .order_by("-submitted_on", "-id")[:limit]
    )
    reports = report_dicts(coded)
    labels = report_themes([r["id"] for r in reports], codes)
    for report in reports:
        report["themes"] = labels.get(report["id"], [])
    return [report for report in reports if report["themes"]]


# --- Loaded models -----------------------------------------------------------------------

_LOADED_MAX = 4
# Keyed by id and time: a snapshot never changes, and the time tells apart ids that a database
# hands out again (SQLite reuses the ids of rolled-back rows, as in tests).
_loaded: OrderedDict[tuple[int, str], engine_types.ThemeModel] = OrderedDict()
_loaded_lock = threading.Lock()


def load_model(snapshot: ThemeModelSnapshot) -> engine_types.ThemeModel:
    """The snapshot's model, unpickled once per process."""
    key = (snapshot.pk, snapshot.trained_at.isoformat())
    with _loaded_lock:
        model = _loaded.get(key)
        if model is not None:
            _loaded.move_to_end(key)
            return model
    model = engine().ThemeModel.from_bytes(bytes(snapshot.model))
    with _loaded_lock:
        _loaded[key] = model
        while len(_loaded) > _LOADED_MAX:
            _loaded.popitem(last=False)
    return model


def forget_loaded_models() -> None:
    with _loaded_lock:
        _loaded.clear()


def latest_snapshot(organisation: Organisation) -> ThemeModelSnapshot | None:
    snapshots = ThemeModelSnapshot.objects.filter(
        organisation=organisation, state=ThemeModelSnapshot.State.READY
    )
    # The bytes (megabytes) are read only when this process has not loaded the model yet.
    return snapshots.defer("model").order_by("-trained_at", "-id").first()


def rank(
    model: engine_types.ThemeModel, reports: Sequence[dict[str, Any]]
) -> list[list[dict[str, Any]]]:
    """The best `RANKED_KEPT` themes of each report, as JSON-ready dicts."""
    return [
        [{"code": s.code, "score": s.score, "why": list(s.why)} for s in ranked]
        for ranked in model.suggest_many(list(reports), top=RANKED_KEPT)
    ]


# --- What the workspace shows -------------------------------------------------------------


@dataclass(frozen=True)
class ShownSuggestion:
    theme: Theme
    rank: int
    score: float
    why: list[str]


@dataclass(frozen=True)
class SuggestionPanel:
    """The suggestions of one report for the report page; `preparing` (without a snapshot)
    while its ranking runs in the background."""

    suggestions: list[ShownSuggestion]
    snapshot: ThemeModelSnapshot | None
    language: str
    preparing: bool = False


@dataclass(frozen=True)
class ThemeRate:
    theme: Theme
    suggested: int
    accepted: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected

    @property
    def acceptance(self) -> float | None:
        """Accepted of the decided suggestions (None before any decision)."""
        return self.accepted / self.decided if self.decided else None


def acceptance_rates(organisation: Organisation) -> tuple[list[ThemeRate], ThemeRate | None]:
    """Per theme that has been suggested: how often it was shown, accepted and rejected;
    and the totals (None when nothing has been suggested yet)."""
    rows = (
        SuggestionDecision.objects.filter(organisation=organisation)
        .values("theme_id")
        .annotate(
            n_suggested=Count("id"),
            n_accepted=Count("id", filter=Q(accepted=True)),
            n_rejected=Count("id", filter=Q(accepted=False)),
        )
    )
    counts = {row["theme_id"]: row for row in rows}
    themes = Theme.objects.filter(pk__in=counts).order_by("order", "id")
    rates = [
        ThemeRate(
            theme=theme,
            suggested=counts[theme.pk]["n_suggested"],
            accepted=counts[theme.pk]["n_accepted"],
            rejected=counts[theme.pk]["n_rejected"],
        )
        for theme in themes
    ]
    rates.sort(key=lambda rate: (-rate.suggested, rate.theme.order, rate.theme.pk))
    if not rates:
        return [], None
    total = ThemeRate(
        theme=Theme(label_fi="", label_sv="", label_en=""),
        suggested=sum(rate.suggested for rate in rates),
        accepted=sum(rate.accepted for rate in rates),
        rejected=sum(rate.rejected for rate in rates),
    )
    return rates, total


def coded_report_count(organisation: Organisation) -> int:
    return (
        ReportTheme.objects.filter(theme__in=codebook_themes(organisation))
        .values("report_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class ModelStatus:
    """What the rates page tells about the organisation's theme model."""

    snapshot: ThemeModelSnapshot | None  # the model in use (the latest ready one)
    failure: ThemeModelSnapshot | None  # a failed training after it
    coded_reports: int
    changes: int  # coding changes the model has not seen
    queued_at: datetime | None
    started_at: datetime | None
    min_coded_reports: int = MIN_CODED_REPORTS


def model_status(organisation: Organisation) -> ModelStatus:
    snapshot = latest_snapshot(organisation)
    failures = ThemeModelSnapshot.objects.filter(
        organisation=organisation, state=ThemeModelSnapshot.State.FAILED
    )
    if snapshot is not None:
        failures = failures.filter(trained_at__gt=snapshot.trained_at)
    state = ThemeTrainingState.objects.filter(organisation=organisation).first()
    return ModelStatus(
        snapshot=snapshot,
        failure=failures.order_by("-trained_at").first(),
        coded_reports=coded_report_count(organisation),
        changes=state.changes if state else 0,
        queued_at=state.queued_at if state else None,
        started_at=state.started_at if state else None,
    )

"""The search screen: full-text search over an organisation's reports with the basic filters;
theme suggestions on the report page and their acceptance rates (section at the end);
and the discovery screens: similar reports (on the report page), candidate topics, weak signals.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from havainto.accounts.access import AnyUser
from havainto.accounts.forms import AccessibleFormMixin
from havainto.accounts.models import Organisation, Role
from havainto.analysis import services
from havainto.analysis.search import MAX_QUERY_CHARS
from havainto.analysis.services import (
    candidate_topics,
    period_end,
    record_signals_read,
    record_topics_read,
    search_reports,
    signal_periods,
    similar_reports,
    weak_signals,
)
from havainto.analysis.suggestions import acceptance_rates, codebook_themes, model_status
from havainto.coding.access import (
    can_edit_phenomena,
    can_read_texts,
    get_organisation_for_member,
    get_organisation_for_settings,
    get_organisation_for_texts,
    get_report_for_user,
    visible_reports,
    workspace_nav,
)
from havainto.coding.forms import LONG_TEXT_FIELDS
from havainto.coding.models import ReportTheme
from havainto.coding.services import EditConflict, state_labels
from havainto.lib.signals import Signal
from havainto.reports.forms import NamedChoiceField, VocabularyChoiceField
from havainto.reports.models import Report, Status, VocabularyEntry, VocabularyKind

RESULTS_SHOWN = 50


def get_reports_for_search(user: AnyUser, slug: str) -> tuple[Organisation, QuerySet[Report]]:
    """The organisation and the reports the user may search in it, by the workspace's one rule
    for reading texts (havainto.coding.access): 404 for non-members, 403 for members whose role
    may not read report texts; handlers get their units' reports, readers only with a grant."""
    organisation, roles = get_organisation_for_texts(user, slug)
    return organisation, visible_reports(user, organisation, roles)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class SearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        help_text=_(
            "Finds inflected forms and compounds too: “velka” also finds “velkojen” and "
            "“velkaneuvonta”. Every word must occur."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    municipality = NamedChoiceField(
        label=_("Municipality"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    service_line = NamedChoiceField(
        label=_("Service line"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    observation_type = VocabularyChoiceField(
        label=_("Type of observation"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Status.choices]
    )
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())

    FILTERS = ("municipality", "service_line", "observation_type", "status")

    def __init__(self, data: QueryDict | None, *, organisation: Organisation) -> None:
        super().__init__(data)
        self.fields["municipality"].queryset = organisation.municipalities.all()
        self.fields["service_line"].queryset = organisation.service_lines.all()
        self.fields["observation_type"].queryset = VocabularyEntry.objects.filter(
            organisation=organisation, kind=VocabularyKind.OBSERVATION_TYPE
        )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        """The reports that pass the (valid) filters."""
        c = self.cleaned_data
        for name in self.FILTERS:
            if c.get(name):
                reports = reports.filter(**{name: c[name]})
        if c.get("date_from"):
            reports = reports.filter(submitted_on__gte=c["date_from"])
        if c.get("date_to"):
            reports = reports.filter(submitted_on__lte=c["date_to"])
        return reports

    def used_filters(self) -> list[str]:
        return [name for name in (*self.FILTERS, "date_from", "date_to") if self.cleaned_data[name]]


@never_cache
@login_required
@require_GET
def search_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, reports = get_reports_for_search(request.user, slug)
    form = SearchForm(request.GET or None, organisation=organisation)
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = search_reports(
            actor=request.user,
            organisation=organisation,
            reports=form.apply(reports),
            query=form.cleaned_data["q"],
            filters=form.used_filters(),
            limit=RESULTS_SHOWN,
        )
    context = {"organisation": organisation, "form": form, "results": results}
    return render(request, "analysis/search.html", context)


# =============================================================================================
# Theme suggestions (issue part 3, point 3): Accept / Reject on the report page, and the
# acceptance rates with the model's status for coordinators and organisation admins.
# =============================================================================================


class SuggestionForm(AccessibleFormMixin, forms.Form):
    """The hidden fields of one suggestion's Accept / Reject buttons."""

    theme = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict, *, organisation: Organisation, accept: bool) -> None:
        super().__init__(data)
        self.fields["theme"].queryset = codebook_themes(organisation)
        # Accepting changes the report: the version the user saw is checked (REL-06).
        self.fields["version"].required = accept


def _suggestion_request(
    request: HttpRequest, slug: str, pk: int, *, accept: bool
) -> tuple[Report, SuggestionForm | None, str]:
    """The report (404/403 unless the user may handle it), the valid form or None (a clear
    message is set), and where to go back to."""
    organisation, report, _roles = get_report_for_user(request.user, slug, pk, write=True)
    back = reverse("coding:report", args=[organisation.slug, report.pk]) + "#suggestions-title"
    form = SuggestionForm(request.POST, organisation=organisation, accept=accept)
    if not form.is_valid():
        messages.error(request, gettext("The suggestion could not be handled. Reload the page."))
        return report, None, back
    return report, form, back


# While the suggestions are prepared in the background, the report page's panel asks for them
# every 2 s (htmx, analysis/_suggestions_body.html) and gives up politely after about a minute.
POLL_ATTEMPTS = 30


def _poll_attempt(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), POLL_ATTEMPTS)
    except ValueError:
        return 1


@never_cache
@login_required
@require_GET
def suggestions_panel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The body of the report page's suggestion panel, asked for by htmx while it is being
    prepared; without JavaScript its "Show suggestions" link comes here and is sent on to the
    report page at the panel (a link to the page itself, at the panel, would only scroll).

    Those who may handle the report (the report page shows them the panel); 404 / 403 as the
    report page. It never ranks (see `report_suggestions`). No report text: only the themes
    and, once ready, the words behind them, whose read is logged.
    """
    organisation, report, _roles = get_report_for_user(request.user, slug, pk, write=True)
    if request.headers.get("HX-Request") != "true":
        page = reverse("coding:report", args=[organisation.slug, report.pk])
        return redirect(page + "#suggestions-title")
    attempt = _poll_attempt(request.GET.get("attempt"))
    panel = services.report_suggestions(report)
    if panel is not None and panel.suggestions:
        services.record_suggestions_read(actor=request.user, report=report)
    context = {
        "organisation": organisation,
        "report": report,
        "theme_suggestions": panel,
        "poll_attempt": attempt + 1,
        "gave_up": attempt >= POLL_ATTEMPTS,
    }
    return render(request, "analysis/_suggestions_body.html", context)


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report, form, back = _suggestion_request(request, slug, pk, accept=True)
    if form is None:
        return redirect(back)
    theme = form.cleaned_data["theme"]
    try:
        services.accept_suggestion(
            actor=request.user,
            report=report,
            theme=theme,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(
            request,
            gettext(
                "Not saved: someone else changed the report after you opened it. Check its "
                "themes and decide again."
            ),
        )
        return redirect(back)
    except services.NotSuggested:
        messages.error(request, gettext("This theme is not among the report's suggestions."))
        return redirect(back)
    messages.success(request, gettext("The theme “%(theme)s” was added.") % {"theme": theme.label})
    return redirect(back)


@login_required
@require_POST
def reject_suggestion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    report, form, back = _suggestion_request(request, slug, pk, accept=False)
    if form is None:
        return redirect(back)
    theme = form.cleaned_data["theme"]
    try:
        services.reject_suggestion(actor=request.user, report=report, theme=theme)
    except services.NotSuggested:
        messages.error(request, gettext("This theme is not among the report's suggestions."))
        return redirect(back)
    messages.success(
        request,
        gettext(
            "The suggestion “%(theme)s” was rejected. It is not suggested on this report again."
        )
        % {"theme": theme.label},
    )
    return redirect(back)


@login_required
@require_GET
def suggestion_rates(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_settings(request.user, slug)
    rates, total = acceptance_rates(organisation)
    context = {
        "organisation": organisation,
        "status": model_status(organisation),
        "rates": rates,
        "total": total,
        "retrain_after_changes": services.RETRAIN_AFTER_CHANGES,
        "can_configure": True,
        "is_admin": Role.ADMIN in roles,
    }
    return render(request, "analysis/suggestion_rates.html", context)


@login_required
@require_POST
def retrain_themes(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _roles = get_organisation_for_settings(request.user, slug)
    if services.request_retraining(actor=request.user, organisation=organisation):
        messages.success(
            request,
            gettext("The training was queued. The new model is used as soon as it is ready."),
        )
    else:
        messages.info(request, gettext("A training is already queued or running."))
    return redirect("analysis:suggestions", organisation.slug)


# === Similar reports, candidate topics and weak signals (discover) ===========================

# Report ids carried to the phenomenon screen by one "Suggest a phenomenon" link.
MAX_SUGGESTED_REPORTS = 50
# Report titles listed openly per topic; the rest are behind a "show all" disclosure.
TOPIC_REPORTS_SHOWN = 8


def phenomenon_suggestion_url(
    organisation: Organisation, name: str, report_ids: Sequence[int]
) -> str:
    """The phenomenon creation screen, prefilled with a name and the reports."""
    base = reverse("coding:phenomenon-create", args=[organisation.slug])
    query = [("name", name)] + [("report", str(pk)) for pk in report_ids[:MAX_SUGGESTED_REPORTS]]
    return f"{base}?{urlencode(query)}"


@dataclass
class ListedReport:
    """A report as a discovery page lists it (title, date, place, state, themes)."""

    report: Report
    state_label: str = ""
    themes: list[str] = field(default_factory=list)
    similarity: int | None = None  # percent


def _listed(organisation: Organisation, ids: Sequence[int]) -> dict[int, ListedReport]:
    """The reports with the ids, for listing (texts other than the title are not loaded)."""
    labels = state_labels(organisation)
    rows = (
        Report.objects.of(organisation)
        .filter(pk__in=list(ids))
        .select_related("municipality", "service_line")
        .defer(*LONG_TEXT_FIELDS)
    )
    themes: dict[int, list[str]] = defaultdict(list)
    for link in ReportTheme.objects.filter(report_id__in=list(ids)).select_related("theme"):
        themes[link.report_id].append(link.theme.label)
    return {
        report.pk: ListedReport(
            report, labels.get(report.status, report.status), sorted(themes[report.pk])
        )
        for report in rows
    }


# --- Similar reports (an include on the report page) --------------------------------------


def similar_context(
    user: AbstractBaseUser, organisation: Organisation, report: Report, roles: set[str]
) -> dict[str, Any]:
    """The context of templates/analysis/_similar.html for the report page."""
    found = similar_reports(
        actor=user, report=report, reports=visible_reports(user, organisation, roles)
    )
    listed = _listed(organisation, [pk for pk, _score in found.neighbours])
    rows = []
    for pk, score in found.neighbours:
        if pk in listed:
            listed[pk].similarity = round(100 * score)
            rows.append(listed[pk])
    return {"similar": rows, "similar_method": found.method}


# --- Candidate topics ------------------------------------------------------------------------


class TopicsForm(AccessibleFormMixin, forms.Form):
    scope = forms.ChoiceField(
        label=_("Reports"),
        required=False,
        choices=[
            ("uncoded", _("Not yet coded (no themes)")),
            ("all", _("All reports of the period")),
        ],
    )
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def apply(self, reports: QuerySet[Report]) -> QuerySet[Report]:
        c = self.cleaned_data if self.is_bound else {}
        if c.get("scope", "uncoded") in ("", "uncoded"):
            reports = reports.filter(report_themes__isnull=True)
        if c.get("date_from"):
            reports = reports.filter(submitted_on__gte=c["date_from"])
        if c.get("date_to"):
            reports = reports.filter(submitted_on__lte=c["date_to"])
        return reports


@dataclass
class TopicView:
    label: str
    terms: dict[str, list[str]]  # language → label words
    size: int
    reports: list[ListedReport]
    municipalities: list[tuple[str, int]]
    service_lines: list[tuple[str, int]]
    languages: list[str]
    suggest_url: str


def _counted(names: Iterable[str]) -> list[tuple[str, int]]:
    counts = Counter(names)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


@never_cache
@login_required
@require_GET
def topics_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_texts(request.user, slug)
    reports = visible_reports(request.user, organisation, roles)
    form = TopicsForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    result, views = None, []
    if valid:
        result = candidate_topics(form.apply(reports), organisation=organisation)
        listed = _listed(organisation, [pk for t in result.topics for pk in t.report_ids])
        suggest = can_edit_phenomena(roles)
        for number, topic in enumerate(result.topics, 1):
            rows = sorted(
                (listed[pk] for pk in topic.report_ids if pk in listed),
                key=lambda row: (row.report.submitted_on, row.report.pk),
                reverse=True,
            )
            label = topic.label or str(_("Topic %(number)s") % {"number": number})
            views.append(
                TopicView(
                    label=label,
                    terms=topic.terms,
                    size=len(rows),
                    reports=rows,
                    municipalities=_counted(row.report.municipality.name for row in rows),
                    service_lines=_counted(row.report.service_line.name for row in rows),
                    languages=sorted(topic.languages),
                    suggest_url=phenomenon_suggestion_url(
                        organisation, label, [row.report.pk for row in rows]
                    )
                    if suggest
                    else "",
                )
            )
        if views:
            record_topics_read(actor=request.user, organisation=organisation)
    context = {
        "organisation": organisation,
        "form": form,
        "result": result,
        "topics": views,
        "shown": TOPIC_REPORTS_SHOWN,
        **workspace_nav(roles),
    }
    return render(request, "analysis/topics.html", context, status=200 if valid else 400)


# --- Weak signals ----------------------------------------------------------------------------

SIGNAL_ROLES = {Role.COORDINATOR, Role.READER}
_PERIOD_NAME = {"quarter": re.compile(r"^\d{4}-Q[1-4]$"), "month": re.compile(r"^\d{4}-\d{2}$")}


def get_organisation_for_signals(user: AnyUser, slug: str) -> tuple[Organisation, set[str]]:
    """Coordinators and readers (leadership); 404 for outsiders, 403 for other members. Whether
    report titles are shown follows the one rule for texts (can_read_texts)."""
    organisation, roles = get_organisation_for_member(user, slug)
    if not roles & SIGNAL_ROLES:
        raise PermissionDenied
    return organisation, roles


class SignalsForm(AccessibleFormMixin, forms.Form):
    period = forms.ChoiceField(
        label=_("Period length"),
        required=False,
        choices=[("quarter", _("Quarter")), ("month", _("Month"))],
    )
    until = forms.CharField(label=_("Latest period"), required=False, max_length=10)

    def __init__(self, data: QueryDict | None, *, organisation: Organisation) -> None:
        super().__init__(data)
        self.organisation = organisation
        period = self.period_kind()
        names = signal_periods(organisation, period)
        self.fields["until"].widget = forms.Select(
            choices=[(name, name) for name in names]
            or [("", _("No reports yet"))]  # an empty select would have nothing to choose
        )
        self.fields["until"].help_text = _(
            "The signals of this period and the one before it, compared with everything earlier."
        )
        self.known_periods = names
        self.annotate_aria()  # the help text is set here, after the mixin's set-up

    def period_kind(self) -> str:
        value = self.data.get("period") if self.is_bound else None
        return value if value in _PERIOD_NAME else "quarter"

    def clean_until(self) -> str:
        value = (self.cleaned_data.get("until") or "").strip()
        period = self.period_kind()
        other = "month" if period == "quarter" else "quarter"
        if not value or _PERIOD_NAME[other].match(value):
            return ""  # the period length was changed: start from the latest period
        if not _PERIOD_NAME[period].match(value) or period_end(value, period) is None:
            raise forms.ValidationError(_("Choose a period from the list."))
        return value


@dataclass
class SignalView:
    signal: Signal
    kind_label: str
    municipalities: list[tuple[str, bool]]  # name, new
    service_lines: list[tuple[str, bool]]
    reports: list[ListedReport]
    suggest_url: str


@never_cache
@login_required
@require_GET
def signals_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_signals(request.user, slug)
    show_reports = can_read_texts(request.user, organisation, roles)
    form = SignalsForm(request.GET or None, organisation=organisation)
    valid = not form.is_bound or form.is_valid()
    result, views = None, []
    if valid:
        period = form.period_kind()
        until = (form.cleaned_data.get("until") if form.is_bound else "") or None
        result = weak_signals(organisation=organisation, period=period, until=until)
        views = _signal_views(organisation, result.signals, roles, show_reports=show_reports)
        if show_reports and any(view.reports for view in views):
            record_signals_read(actor=request.user, organisation=organisation)
    context = {
        "organisation": organisation,
        "form": form,
        "result": result,
        "signals": views,
        "show_reports": show_reports,
        **workspace_nav(roles),
    }
    return render(request, "analysis/signals.html", context, status=200 if valid else 400)


def _signal_views(
    organisation: Organisation, signals: Sequence[Signal], roles: set[str], *, show_reports: bool
) -> list[SignalView]:
    kinds = {"new": _("New"), "rising": _("Rising"), "spreading": _("Spreading")}
    municipalities = {m.code: m.name for m in organisation.municipalities.all()}
    lines = {s.code: s.name for s in organisation.service_lines.all()}
    ids = [int(pk) for signal in signals for pk in signal.report_ids]
    listed = _listed(organisation, ids) if show_reports else {}
    suggest = can_edit_phenomena(roles)
    views = []
    for signal in signals:
        rows = [listed[int(pk)] for pk in signal.report_ids if int(pk) in listed]
        rows.sort(key=lambda row: (row.report.submitted_on, row.report.pk), reverse=True)
        views.append(
            SignalView(
                signal=signal,
                kind_label=kinds.get(signal.kind, signal.kind),
                municipalities=[
                    (municipalities.get(code, code), code in signal.new_municipalities)
                    for code in signal.municipalities
                ],
                service_lines=[
                    (lines.get(code, code), code in signal.new_service_lines)
                    for code in signal.service_lines
                ],
                reports=rows,
                suggest_url=phenomenon_suggestion_url(
                    organisation, signal.label, [int(pk) for pk in signal.report_ids]
                )
                if suggest
                else "",
            )
        )
    return views

"""The search screen: full-text search over an organisation's reports with the basic filters;
theme suggestions on the report page and their acceptance rates (section at the end)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from havainto.analysis.services import search_reports
from havainto.analysis.suggestions import acceptance_rates, codebook_themes, model_status
from havainto.coding.access import (
    get_organisation_for_settings,
    get_organisation_for_texts,
    get_report_for_user,
    visible_reports,
)
from havainto.coding.services import EditConflict
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

"""The search screen: full-text search over an organisation's reports with the basic filters."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from havainto.accounts.access import AnyUser
from havainto.accounts.forms import AccessibleFormMixin
from havainto.accounts.models import Organisation
from havainto.analysis.search import MAX_QUERY_CHARS
from havainto.analysis.services import search_reports
from havainto.coding.access import get_organisation_for_texts, visible_reports
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

"""The inbox's filters and queries (keyset pages), and its saved views.

How the inbox stays fast with a million reports
-----------------------------------------------
- Pages are keyset ("seek") pages on (submitted_on, id): the next page is the rows *after*
  the last row shown, `submitted_on <= d AND (submitted_on < d OR id < i)` with
  `ORDER BY submitted_on DESC, id DESC LIMIT n+1`. The first conjunct is an index range
  condition, so PostgreSQL starts reading the index at the cursor instead of counting past
  OFFSET rows; page 10 000 costs what page 1 costs.
- The composite indexes (organisation, submitted_on, id), (unit, submitted_on, id) and
  (assignee, submitted_on, id) on reports_report (reports migration 0002) match the three
  ways into the inbox: a coordinator's organisation, a handler's units, "assigned to me".
  (organisation, status, submitted_on, id) serves the status filter (reports migration 0003).
- No COUNT(*) over the filtered set: one extra row tells whether there is a next page ("more"
  links). The only count is "new since the last visit", `id > watermark`, which reads the
  newest end of the primary key and stops at NEW_CAP.
- The list does not load the long text columns (defer), and it joins only the small
  vocabularies it shows (select_related).
- Selective filters on many-to-many vocabularies and the free-text icontains still filter
  rows along the index; the free text moves to havainto.analysis.search (full-text index)
  through filter_text() alone.
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import AccessibleFormMixin, clean_text
from havainto.accounts.models import Organisation
from havainto.analysis.search import filter_matching
from havainto.coding.forms._common import DateInput
from havainto.coding.forms.codebook import ThemeChoiceField
from havainto.coding.models import Theme, WorkflowState
from havainto.coding.services import theme_paths
from havainto.reports.forms import NamedChoiceField, VocabularyChoiceField
from havainto.reports.models import Report, VocabularyEntry, VocabularyKind

PAGE_SIZE = 50
NEW_CAP = 999
QUERY_MAX = 2_000


# The inbox list never needs the long texts.
LONG_TEXT_FIELDS = ("description", "causes", "service_effects", "proposal", "extra_answers")


def filter_text(queryset: QuerySet[Report], q: str) -> QuerySet[Report]:
    """The inbox's free-text filter: the same lemma-based full-text matching as the search
    screen (inflected and compound forms), keeping the inbox's order and keyset paging."""
    return filter_matching(queryset, q)


# --- Keyset pages --------------------------------------------------------------------------


Cursor = tuple[datetime.date, int]


def encode_cursor(report: Report) -> str:
    return f"{report.submitted_on.isoformat()}_{report.pk}"


def decode_cursor(value: str | None) -> Cursor | None:
    if not value:
        return None
    day, _sep, pk = value.partition("_")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def _beyond(cursor: Cursor, *, greater: bool) -> Q:
    """Rows after the cursor in (submitted_on, id) order, written so that the date bound is
    an index range condition: d <= x AND (d < x OR id < i), not (d < x) OR (...)."""
    day, pk = cursor
    if greater:
        return Q(submitted_on__gte=day) & (Q(submitted_on__gt=day) | Q(id__gt=pk))
    return Q(submitted_on__lte=day) & (Q(submitted_on__lt=day) | Q(id__lt=pk))


@dataclass(frozen=True)
class Page:
    rows: list[Report]
    next_cursor: str | None
    previous_cursor: str | None


def keyset_page(
    queryset: QuerySet[Report],
    *,
    newest_first: bool = True,
    after: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the queryset in (submitted_on, id) order, after or before a cursor."""
    desc = ("-submitted_on", "-id")
    asc = ("submitted_on", "id")
    forward_order, backward_order = (desc, asc) if newest_first else (asc, desc)
    after_cursor, before_cursor = decode_cursor(after), decode_cursor(before)
    if before_cursor is not None:
        rows = list(
            queryset.filter(_beyond(before_cursor, greater=newest_first)).order_by(*backward_order)[
                : size + 1
            ]
        )
        has_previous = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows=rows,
            next_cursor=encode_cursor(rows[-1]) if rows else None,
            previous_cursor=encode_cursor(rows[0]) if rows and has_previous else None,
        )
    if after_cursor is not None:
        queryset = queryset.filter(_beyond(after_cursor, greater=not newest_first))
    rows = list(queryset.order_by(*forward_order)[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    return Page(
        rows=rows,
        next_cursor=encode_cursor(rows[-1]) if rows and has_next else None,
        previous_cursor=encode_cursor(rows[0]) if rows and after_cursor is not None else None,
    )


# --- The inbox filters -----------------------------------------------------------------

FILTER_NAMES = (
    "date_from",
    "date_to",
    "municipality",
    "service_line",
    "unit",
    "observation_type",
    "theme",
    "status",
    "support_need",
    "sector",
    "client_group",
    "assigned",
    "new",
    "q",
    "sort",
)


class InboxFilterForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Words in the title or description"), required=False)
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())
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
    unit = NamedChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=_("All"))
    observation_type = VocabularyChoiceField(
        label=_("Type of observation"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    theme = ThemeChoiceField(
        label=_("Theme"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    support_need = VocabularyChoiceField(
        label=_("Support need (SHL 11 §)"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    sector = VocabularyChoiceField(
        label=_("Sector"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )
    client_group = VocabularyChoiceField(
        label=_("Client group"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("All"),
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone or no one")), ("me", _("Me")), ("none", _("No one"))],
    )
    new = forms.BooleanField(label=_("Only new since my last visit"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Newest first")), ("oldest", _("Oldest first"))],
    )

    def __init__(
        self,
        data: QueryDict | None,
        *,
        organisation: Organisation,
        states: list[WorkflowState],
    ) -> None:
        super().__init__(data)
        vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
        fields = self.fields
        fields["municipality"].queryset = organisation.municipalities.all()
        fields["service_line"].queryset = organisation.service_lines.all()
        fields["unit"].queryset = organisation.units.all()
        themes = Theme.objects.filter(organisation=organisation)
        # Merged themes are not offered, but a saved view or link that names one finds the
        # reports of the theme it was merged into (see clean_theme).
        fields["theme"].offered = themes.current()
        fields["theme"].queryset = themes
        fields["theme"].paths = theme_paths(themes)
        for name, kind in (
            ("observation_type", VocabularyKind.OBSERVATION_TYPE),
            ("support_need", VocabularyKind.SUPPORT_NEED),
            ("sector", VocabularyKind.SECTOR),
            ("client_group", VocabularyKind.CLIENT_GROUP),
        ):
            fields[name].queryset = vocabulary.filter(kind=kind)
        fields["status"].choices = [("", _("All"))] + [(s.code, s.label) for s in states]

    def clean_q(self) -> str:
        return clean_text(self.cleaned_data.get("q"), short=True)[:200]

    def clean_theme(self) -> Theme | None:
        theme = self.cleaned_data.get("theme")
        if theme is not None and theme.merged_into_id is not None:
            theme = theme.merged_into
            # Show the theme the reports are under now as the chosen one.
            self.data = self.data.copy()
            self.data["theme"] = theme.code
        return theme

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def apply(
        self, reports: QuerySet[Report], *, user: AbstractBaseUser, seen_up_to: int
    ) -> QuerySet[Report]:
        """The reports that pass the (valid) filters."""
        c = self.cleaned_data
        if c.get("date_from"):
            reports = reports.filter(submitted_on__gte=c["date_from"])
        if c.get("date_to"):
            reports = reports.filter(submitted_on__lte=c["date_to"])
        for name in ("municipality", "service_line", "unit", "observation_type", "status"):
            if c.get(name):
                reports = reports.filter(**{name: c[name]})
        for name, relation in (
            ("support_need", "support_needs"),
            ("sector", "sectors"),
            ("client_group", "client_groups"),
        ):
            if c.get(name):
                reports = reports.filter(**{relation: c[name]})
        if c.get("theme"):
            reports = reports.filter(report_themes__theme=c["theme"])
        if c.get("assigned") == "me":
            reports = reports.filter(assignee=user)
        elif c.get("assigned") == "none":
            reports = reports.filter(assignee__isnull=True)
        if c.get("new"):
            reports = reports.filter(id__gt=seen_up_to)
        if c.get("q"):
            reports = filter_text(reports, c["q"])
        return reports

    @property
    def newest_first(self) -> bool:
        return not (self.is_valid() and self.cleaned_data.get("sort") == "oldest")

    def is_filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in FILTER_NAMES if name != "sort")


def clean_query(data: QueryDict | dict[str, Any]) -> str:
    """The inbox filters of a query string, re-encoded (no cursors, nothing unknown)."""
    pairs = []
    for name in FILTER_NAMES:
        value = data.get(name)
        if value:
            pairs.append((name, str(value)[:200]))
    return urlencode(pairs)[:QUERY_MAX]


class SavedViewForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=QUERY_MAX)

    def clean_name(self) -> str:
        value = clean_text(self.cleaned_data.get("name"), short=True)
        if not value:
            raise forms.ValidationError(_("Give the view a name."), code="required")
        return value

    def clean_query(self) -> str:
        return clean_query(QueryDict(self.cleaned_data.get("query") or ""))

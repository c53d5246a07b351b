"""Forms of the handling workspace, and the inbox's queries (filters and keyset pages).

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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import AccessibleFormMixin, LabelsMixin, clean_text, lang_widget
from havainto.accounts.models import Organisation, Role
from havainto.analysis.search import filter_matching
from havainto.coding.models import (
    AdvocacyStep,
    Phenomenon,
    Proposal,
    Quote,
    QuoteQuerySet,
    ReportTextField,
    ReportTheme,
    Theme,
    WorkflowState,
)
from havainto.coding.services import THEME_TEXT_FIELDS, theme_paths
from havainto.core.i18n import CONTENT_LANGUAGES
from havainto.lib.passages import (
    AmbiguousPassage,
    PassageError,
    check_span,
    excerpt,
    locate,
    occurrences,
    same_words,
)
from havainto.reports.forms import NamedChoiceField, VocabularyChoiceField
from havainto.reports.models import TEXT_MAX, Report, Status, VocabularyEntry, VocabularyKind

PAGE_SIZE = 50
NEW_CAP = 999
QUERY_MAX = 2_000
REASON_MAX = 2_000
NOTE_MAX = 4_000

# The inbox list never needs the long texts.
LONG_TEXT_FIELDS = ("description", "causes", "service_effects", "proposal", "extra_answers")


def filter_text(queryset: QuerySet[Report], q: str) -> QuerySet[Report]:
    """The inbox's free-text filter: the same lemma-based full-text matching as the search
    screen (inflected and compound forms), keeping the inbox's order and keyset paging."""
    return filter_matching(queryset, q)


class WorkspaceFormMixin(AccessibleFormMixin):
    """AccessibleFormMixin for forms with a prefix (several forms on one page): the
    described-by ids follow the fields' own ids, as includes/field.html writes them."""

    def annotate_aria(self) -> None:
        for name, field in self.fields.items():
            auto_id = self[name].auto_id  # type: ignore[index]
            describedby = []
            if field.help_text:
                describedby.append(f"{auto_id}_helptext")
            if self.is_bound and name in self.errors:
                describedby.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if describedby:
                field.widget.attrs["aria-describedby"] = " ".join(describedby)
            else:
                field.widget.attrs.pop("aria-describedby", None)


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


class LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", None) or getattr(obj, "name", obj))


def person_name(user: AbstractBaseUser) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


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


class OfferedThemeIterator(ModelChoiceIterator):
    """The choices of a theme field: its `offered` themes (read when the choices are listed),
    while the field accepts everything in its queryset."""

    def _offered(self) -> QuerySet[Theme]:
        offered = getattr(self.field, "offered", None)
        return offered if offered is not None else self.field.queryset

    def __iter__(self) -> Iterator[Any]:
        self.queryset = self._offered()
        yield from super().__iter__()

    def __len__(self) -> int:
        return self._offered().count() + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or self._offered().exists()


class ThemeChoiceMixin:
    """Themes by their place in the codebook ("Main theme › Sub-theme"), hidden ones marked.
    Lists `offered` but accepts all of `queryset`: old links, saved views and forms opened
    before a merge name themes that are no longer offered."""

    iterator = OfferedThemeIterator
    offered: QuerySet[Theme] | None = None
    paths: dict[int, str] = {}  # replaced per form, never mutated

    def label_from_instance(self, obj: Theme) -> str:
        label = self.paths.get(obj.pk) or obj.label
        return _("%(label)s (hidden)") % {"label": label} if obj.hidden else label


class ThemeChoiceField(ThemeChoiceMixin, forms.ModelChoiceField):
    pass


class ThemeMultipleChoiceField(ThemeChoiceMixin, forms.ModelMultipleChoiceField):
    pass


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


# --- Handling a report -------------------------------------------------------------------


class VersionedForm(WorkspaceFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TemplateSelect(forms.Select):
    """A select whose options carry the message template of their state, for workspace.js
    to fill the message box with (the server uses the template too when it is left empty)."""

    def __init__(self, templates: dict[str, str]) -> None:
        super().__init__()
        self.templates = templates

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.templates:
            option["attrs"]["data-template"] = self.templates[str(value)]
        return option


class StateChangeForm(VersionedForm):
    prefix = "state"

    to_status = forms.ChoiceField(label=_("New state"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the state changes. For the handlers only."),
    )
    notify_reporter = forms.BooleanField(
        label=_("Show the change and the message to the reporter"), required=False, initial=True
    )
    message = forms.CharField(
        label=_("Message to the reporter"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Filled in from the template of the new state; edit it as needed. Left empty, "
            "the template is sent."
        ),
    )

    def __init__(
        self, *args: Any, report: Report, states: list[WorkflowState], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.templates = {s.code: s.template_in(report.language) for s in states}
        field = self.fields["to_status"]
        field.choices = [
            (s.code, s.label) for s in states if s.code != report.status and not s.hidden
        ]
        field.widget = TemplateSelect(self.templates)
        field.widget.choices = field.choices
        # Who reads the message: it is written in the language of the report.
        self.fields["message"].widget.attrs["lang"] = report.language

    def clean_reason(self) -> str:
        value = clean_text(self.cleaned_data.get("reason"), short=False)
        if not value:
            raise forms.ValidationError(_("Say why the state changes."), code="required")
        return value

    def clean_message(self) -> str:
        return clean_text(self.cleaned_data.get("message"), short=False)


class AssignForm(VersionedForm):
    prefix = "assign"

    assignee = PersonChoiceField(
        label=_("Handler"), queryset=None, required=False, empty_label=_("No one")
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__organisation=organisation,
                memberships__role__in=[Role.HANDLER, Role.COORDINATOR],
                is_active=True,
            )
            .distinct()
            .order_by("username")
        )


class ThemesForm(VersionedForm):
    """The themes of a report: those in use are offered, plus the hidden ones the report
    already carries (so that saving does not drop them). A merged theme posted from a page
    opened before the merge means the theme it was merged into."""

    prefix = "themes"

    themes = ThemeMultipleChoiceField(
        label=_("Themes"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, organisation: Organisation, report: Report | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(organisation=organisation)
        self.carried = set(
            ReportTheme.objects.filter(report=report).values_list("theme_id", flat=True)
            if report is not None
            else ()
        )
        usable = Q(hidden=False) | Q(pk__in=self.carried)
        field = self.fields["themes"]
        field.offered = themes.current().filter(usable)
        field.queryset = themes.filter(usable | Q(merged_into__isnull=False))
        field.paths = theme_paths(themes)

    def clean_themes(self) -> list[Theme]:
        chosen: dict[int, Theme] = {}
        for theme in self.cleaned_data.get("themes") or ():
            target = theme.merged_into if theme.merged_into_id else theme
            if target is None or (target.hidden and target.pk not in self.carried):
                raise forms.ValidationError(
                    _("Hidden themes cannot be given to reports."), code="hidden"
                )
            chosen[target.pk] = target
        return list(chosen.values())


class NoteForm(WorkspaceFormMixin, forms.Form):
    prefix = "note"

    text = forms.CharField(
        label=_("Internal note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the handlers only, never by the reporter."),
    )

    def clean_text(self) -> str:
        value = clean_text(self.cleaned_data.get("text"), short=False)
        if not value:
            raise forms.ValidationError(_("Write the note."), code="required")
        return value


class MessageForm(WorkspaceFormMixin, forms.Form):
    prefix = "answer"

    message = forms.CharField(
        label=_("Answer to the reporter"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the receipt page and e-mailed to a reporter who asked for it."),
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].widget.attrs["lang"] = report.language

    def clean_message(self) -> str:
        value = clean_text(self.cleaned_data.get("message"), short=False)
        if not value:
            raise forms.ValidationError(_("Write the answer."), code="required")
        return value


# --- Workflow settings -------------------------------------------------------------------

LANGUAGE_LABELS = {"fi": _("in Finnish"), "sv": _("in Swedish"), "en": _("in English")}


class WorkflowStateForm(AccessibleFormMixin, forms.Form):
    label_fi = forms.CharField(label=_("Name in Finnish"), max_length=100, widget=lang_widget("fi"))
    label_sv = forms.CharField(
        label=_("Name in Swedish"), max_length=100, required=False, widget=lang_widget("sv")
    )
    label_en = forms.CharField(
        label=_("Name in English"), max_length=100, required=False, widget=lang_widget("en")
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=9999)
    is_final = forms.BooleanField(label=_("Final state: handling has ended"), required=False)
    hidden = forms.BooleanField(
        label=_("No longer in use"),
        required=False,
        help_text=_(
            "Not offered for new changes. Reports in this state keep it, and their history "
            "still shows its name."
        ),
    )
    template_fi = forms.CharField(
        label=_("Message to the reporter in Finnish"),
        required=False,
        max_length=TEXT_MAX,
        widget=lang_widget("fi", textarea=True),
    )
    template_sv = forms.CharField(
        label=_("Message to the reporter in Swedish"),
        required=False,
        max_length=TEXT_MAX,
        widget=lang_widget("sv", textarea=True),
    )
    template_en = forms.CharField(
        label=_("Message to the reporter in English"),
        required=False,
        max_length=TEXT_MAX,
        widget=lang_widget("en", textarea=True),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for lang in CONTENT_LANGUAGES:
            for prefix, short in (("label", True), ("template", False)):
                name = f"{prefix}_{lang}"
                if name in cleaned:
                    try:
                        cleaned[name] = clean_text(cleaned[name], short=short)
                    except forms.ValidationError as error:
                        self.add_error(name, error)
        if "label_fi" in cleaned and not cleaned["label_fi"]:
            self.add_error("label_fi", _("Give the Finnish name."))
        if cleaned.get("hidden") and self.initial.get("code") == Status.RECEIVED:
            self.add_error("hidden", _("New reports start in this state: it stays in use."))
        return cleaned


class NewWorkflowStateForm(WorkflowStateForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=30,
        help_text=_("Stored with the reports in this state and never changed afterwards."),
    )
    field_order = ["code"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if WorkflowState.objects.filter(organisation=self.organisation, code=code).exists():
            raise forms.ValidationError(_("A state with this code exists already."))
        return code


# --- The audit log -----------------------------------------------------------------------


class AuditFilterForm(AccessibleFormMixin, forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_("For example report.viewed, or report. for every action on reports."),
    )
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=40)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def apply(self, events: QuerySet[Any]) -> QuerySet[Any]:
        c = self.cleaned_data
        if c.get("action"):
            events = events.filter(action__startswith=c["action"])
        if c.get("user"):
            events = events.filter(actor__username=c["user"])
        if c.get("object_id"):
            events = events.filter(object_id=c["object_id"])
        if c.get("date_from"):
            events = events.filter(created_at__date__gte=c["date_from"])
        if c.get("date_to"):
            events = events.filter(created_at__date__lte=c["date_to"])
        return events


# --- Phenomena ----------------------------------------------------------------------------

NAME_MAX = 200
LONG_MAX = 8_000


def _required_text(form: forms.Form, name: str, message: str, *, short: bool = False) -> str:
    value = clean_text(form.cleaned_data.get(name), short=short)
    if not value:
        raise forms.ValidationError(message, code="required")
    return value


class ReportsField(forms.ModelMultipleChoiceField):
    """Supporting reports, listed by title (only people who may read texts see this)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.submitted_on:%d.%m.%Y})"


class PhenomenonForm(WorkspaceFormMixin, forms.Form):
    prefix = "phenomenon"

    name = forms.CharField(label=_("Name of the phenomenon"), max_length=NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=LONG_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the phenomenon is, whom it affects and why it matters."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, organisation: Organisation, reports: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["themes"]
        field.queryset = Theme.objects.filter(organisation=organisation).offered()
        field.label_from_instance = lambda theme: theme.label
        if reports is not None:
            self.fields["reports"] = ReportsField(
                label=_("Supporting reports"),
                queryset=reports,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def clean_name(self) -> str:
        return _required_text(self, "name", _("Give the phenomenon a name."), short=True)

    def clean_description(self) -> str:
        return clean_text(self.cleaned_data.get("description"), short=False)


class PhenomenonEditForm(VersionedForm, PhenomenonForm):
    prefix = "edit"

    state = forms.ChoiceField(
        label=_("State"),
        choices=[
            ("open", _("Open")),
            ("closed", _("Closed")),
        ],
    )


class ProposalForm(VersionedForm):
    prefix = "proposal"

    text = forms.CharField(
        label=_("Proposal for action"),
        max_length=4_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    addressed_to = forms.CharField(
        label=_("Addressed to"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("For example a board, a service area or the county's leadership."),
    )

    def clean_text(self) -> str:
        return _required_text(self, "text", _("Write the proposal."))

    def clean_addressed_to(self) -> str:
        return clean_text(self.cleaned_data.get("addressed_to"), short=True)


class OutcomeForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"))
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    outcome_note = forms.CharField(
        label=_("What was done"),
        max_length=4_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tell_reporters = forms.BooleanField(
        label=_("Tell the reporters of the supporting reports"), required=False
    )

    def __init__(self, *args: Any, proposal_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"outcome-{proposal_id}")
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Proposal.Outcome.choices

    def clean_outcome_note(self) -> str:
        return clean_text(self.cleaned_data.get("outcome_note"), short=False)


def _state_choices(states: list[WorkflowState]) -> list[tuple[str, str]]:
    return [("", _("Do not change"))] + [
        (state.code, state.label) for state in states if not state.hidden
    ]


class StepForm(VersionedForm):
    prefix = "step"

    recipient = forms.CharField(
        label=_("Taken to"),
        max_length=NAME_MAX,
        help_text=_("The forum, body or official, e.g. “Social and health committee”."),
    )
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"))
    taken_on = forms.DateField(label=_("Date"), widget=DateInput())
    proposal = forms.ModelChoiceField(
        label=_("About the proposal"),
        queryset=None,
        required=False,
        empty_label=_("The whole phenomenon"),
    )
    summary = forms.CharField(
        label=_("What was presented"),
        max_length=4_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tell_reporters = forms.BooleanField(
        label=_("Tell the reporters of the supporting reports"), required=False, initial=True
    )
    report_status = forms.ChoiceField(
        label=_("New state of the supporting reports"), required=False
    )

    def __init__(
        self, *args: Any, phenomenon: Any, states: list[WorkflowState], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_kind"].choices = AdvocacyStep.RecipientKind.choices
        proposal = self.fields["proposal"]
        proposal.queryset = phenomenon.proposals.all()
        proposal.label_from_instance = lambda p: p.text[:80]
        self.fields["report_status"].choices = _state_choices(states)

    def clean_recipient(self) -> str:
        return _required_text(self, "recipient", _("Say to whom it was taken."), short=True)

    def clean_summary(self) -> str:
        return clean_text(self.cleaned_data.get("summary"), short=False)


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_("Answer"), max_length=LONG_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())
    answered_by = forms.CharField(
        label=_("Answered by"),
        max_length=NAME_MAX,
        required=False,
        help_text=_("Left empty, the recipient of the step."),
    )
    share_with_reporters = forms.BooleanField(
        label=_("Show the answer to the reporters of the supporting reports"),
        required=False,
        initial=True,
    )
    report_status = forms.ChoiceField(
        label=_("New state of the supporting reports"), required=False
    )

    def __init__(
        self, *args: Any, step_id: int, states: list[WorkflowState], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", f"answer-{step_id}")
        super().__init__(*args, **kwargs)
        self.fields["report_status"].choices = _state_choices(states)

    def clean_answer(self) -> str:
        return _required_text(self, "answer", _("Write the answer."))

    def clean_answered_by(self) -> str:
        return clean_text(self.cleaned_data.get("answered_by"), short=True)


class PhenomenonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class MergeForm(VersionedForm):
    prefix = "merge"

    sources = forms.ModelMultipleChoiceField(
        label=_("Merge these phenomena into this one"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, phenomenon: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["sources"]
        field.queryset = (
            Phenomenon.objects.filter(organisation_id=phenomenon.organisation_id)
            .exclude(pk=phenomenon.pk)
            .exclude(state=Phenomenon.State.MERGED)
            .order_by("name")
        )
        field.label_from_instance = lambda p: p.name


class SplitForm(VersionedForm):
    prefix = "split"

    name = forms.CharField(label=_("Name of the new phenomenon"), max_length=NAME_MAX)
    reports = ReportsField(
        label=_("Reports that move to the new phenomenon"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    keep_in_original = forms.BooleanField(
        label=_("Keep the reports in this phenomenon too"), required=False
    )

    def __init__(self, *args: Any, reports: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports

    def clean_name(self) -> str:
        return _required_text(self, "name", _("Give the new phenomenon a name."), short=True)


class AddToPhenomenonForm(WorkspaceFormMixin, forms.Form):
    prefix = "gather"

    phenomenon = PhenomenonChoiceField(label=_("Phenomenon"), queryset=None)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phenomenon"].queryset = Phenomenon.objects.filter(
            organisation=organisation, state=Phenomenon.State.OPEN
        ).order_by("name")


# --- Overview (aggregates for everyone in the workspace) -------------------------------------


class PeriodForm(AccessibleFormMixin, forms.Form):
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        """The chosen period; by default the twelve calendar months up to today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("date_to") or today
        if data.get("date_from"):
            return data["date_from"], end
        months = end.year * 12 + end.month - 1 - 11
        return datetime.date(months // 12, months % 12 + 1, 1), end


class DigestForm(AccessibleFormMixin, forms.Form):
    date_from = forms.DateField(label=_("Reports received from"), widget=DateInput())
    date_to = forms.DateField(label=_("Reports received until"), widget=DateInput())
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=4_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A greeting in your own words, shown above the generated summary. The summary "
            "itself is written in the language of each report."
        ),
    )

    def clean_intro(self) -> str:
        return clean_text(self.cleaned_data.get("intro"), short=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned


# --- Passages: quotes and redaction ----------------------------------------------------------

PASSAGE_MESSAGES = {
    "empty": _("Select the words in the report, or copy them into the box."),
    "not_found": _(
        "These words are not in “%(field)s”. Select them in the report, or copy them exactly "
        "as they are there."
    ),
    "ambiguous": _("The words occur %(count)s times in “%(field)s”: choose which one you mean."),
}


OFFSET_DIGITS = 9  # far beyond any text's length, far below what int() refuses


class PassageForm(WorkspaceFormMixin, forms.Form):
    """One passage of a report's text, for a quote or a redaction.

    Without JavaScript the user chooses the field and copies the words into the box; they are
    found in the text with any whitespace between them, and when they occur more than once the
    form asks which occurrence. With passages.js, selecting words in the report fills the box
    and the exact offsets (hidden start/end), which win as long as the box still holds the
    selected words. Valid: cleaned_data["span"] (a lib.passages.Span) and ["text"].
    """

    field = forms.ChoiceField(
        label=_("Part of the report"),
        choices=ReportTextField.choices,
        initial=ReportTextField.DESCRIPTION,
    )
    passage = forms.CharField(
        label=_("Words"),
        max_length=TEXT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Select the words in the report above, or copy them here."),
    )
    occurrence = forms.TypedChoiceField(
        label=_("Which occurrence"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    # Filled in by passages.js; anything unusable here just leaves the words to decide.
    start = forms.CharField(widget=forms.HiddenInput, required=False)
    end = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["passage"].widget.attrs["lang"] = report.language
        self.fields["occurrence"].choices = self._occurrence_choices()

    def _posted_text(self) -> tuple[str, str] | None:
        """(field, text of the report) for the posted field, if it is a text field."""
        name = str(self.data.get(self.add_prefix("field"), "")) if self.is_bound else ""
        if name not in ReportTextField.values:
            return None
        return name, getattr(self.report, name) or ""

    def _occurrence_choices(self) -> list[tuple[int, str]]:
        posted = self._posted_text()
        if posted is None:
            return []
        passage = str(self.data.get(self.add_prefix("passage"), ""))
        found = occurrences(posted[1], passage)
        if len(found) < 2:
            return []
        choices = []
        for number, span in enumerate(found, start=1):
            shown = excerpt(posted[1], span, context=30)
            choices.append((number, f"{number}: {shown.before}[{shown.passage}]{shown.after}"))
        return choices

    @property
    def ambiguous(self) -> bool:
        return bool(self.fields["occurrence"].choices)

    def clean_passage(self) -> str:
        return clean_text(self.cleaned_data.get("passage"), short=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name, passage = cleaned.get("field"), cleaned.get("passage")
        if not name or passage is None:
            return cleaned
        text = getattr(self.report, name) or ""
        label = ReportTextField(name).label
        try:
            span = self._selected(text, passage, cleaned.get("start"), cleaned.get("end"))
            if span is None:
                span = locate(text, passage, cleaned.get("occurrence"))
        except AmbiguousPassage as error:
            message = PASSAGE_MESSAGES["ambiguous"] % {"count": len(error.spans), "field": label}
            self.add_error("occurrence" if self.ambiguous else "passage", message)
        except PassageError as error:
            self.add_error("passage", PASSAGE_MESSAGES[error.code] % {"field": label})
        else:
            cleaned["span"] = span
            cleaned["text"] = span.of(text)
        return cleaned

    def _selected(self, text: str, passage: str, start: str | None, end: str | None) -> Any:
        """The span selected on the page, if it lies in the text and the box still holds its
        words; otherwise (the box was edited, the text changed) the words decide."""
        offsets = (start or "", end or "")
        if not all(
            value.isascii() and value.isdigit() and len(value) <= OFFSET_DIGITS for value in offsets
        ):
            return None
        try:
            span = check_span(text, int(offsets[0]), int(offsets[1]))
        except PassageError:
            return None
        return span if same_words(span.of(text), passage) else None


REDACTION_REASON_HELP = _(
    "Why the passage is removed, for example “a client's name”. Seen by the handlers; the "
    "removed words are not."
)


def _redaction_reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the redaction"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REDACTION_REASON_HELP,
    )


def _clean_reason(value: str | None) -> str:
    value = clean_text(value, short=False)
    if not value:
        raise forms.ValidationError(_("Say why the passage is redacted."), code="required")
    return value


class QuoteForm(PassageForm):
    prefix = "quote"

    theme = LabelledChoiceField(label=_("Theme"), queryset=None, empty_label=_("Choose…"))

    def __init__(self, *args: Any, report: Report, **kwargs: Any) -> None:
        super().__init__(*args, report=report, **kwargs)
        self.fields["theme"].queryset = Theme.objects.filter(
            organisation_id=report.organisation_id
        ).offered()


class RedactionForm(PassageForm):
    prefix = "redact"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = _redaction_reason()

    def clean_reason(self) -> str:
        return _clean_reason(self.cleaned_data.get("reason"))


class CandidateRedactionForm(VersionedForm):
    """Redacting what the redaction queue found: the passage is the candidate's."""

    prefix = "redact"

    reason = _redaction_reason()

    def clean_reason(self) -> str:
        return _clean_reason(self.cleaned_data.get("reason"))


class QuoteFilterForm(AccessibleFormMixin, forms.Form):
    theme = LabelledChoiceField(
        label=_("Theme"), queryset=None, to_field_name="code", required=False, empty_label=_("All")
    )
    approval = forms.ChoiceField(
        label=_("Approval for publication"),
        required=False,
        choices=[
            ("", _("All")),
            ("approved", _("Approved")),
            ("waiting", _("Not approved")),
            ("changed", _("Changed after coding")),
        ],
    )

    def __init__(self, data: QueryDict | None, *, organisation: Organisation) -> None:
        super().__init__(data)
        self.fields["theme"].queryset = Theme.objects.filter(organisation=organisation)

    def apply(self, quotes: QuoteQuerySet) -> QuoteQuerySet:
        c = self.cleaned_data
        if c.get("theme"):
            quotes = quotes.filter(theme=c["theme"])
        if c.get("approval") == "approved":
            quotes = quotes.approved()
        elif c.get("approval") == "waiting":
            quotes = quotes.filter(approved_for_publication=False)
        elif c.get("approval") == "changed":
            quotes = quotes.exclude(pk__in=Quote.objects.current().values("pk"))
        return quotes


# --- Codebook ------------------------------------------------------------------------------

THEME_LABEL_MAX = 200
THEME_DESCRIPTION_MAX = 2_000
THEME_CODE_MAX = 40


def _theme_field_label(name: str) -> Any:
    return capfirst(Theme._meta.get_field(name).verbose_name)


class ThemeTextsForm(LabelsMixin, WorkspaceFormMixin, forms.Form):
    """The labels (Finnish required) and descriptions of a theme in fi, sv and en."""

    label_fi = forms.CharField(
        label=_theme_field_label("label_fi"),
        max_length=THEME_LABEL_MAX,
        widget=lang_widget("fi"),
        error_messages={"required": _("Give the Finnish label.")},
    )
    label_sv = forms.CharField(
        label=_theme_field_label("label_sv"),
        max_length=THEME_LABEL_MAX,
        required=False,
        widget=lang_widget("sv"),
    )
    label_en = forms.CharField(
        label=_theme_field_label("label_en"),
        max_length=THEME_LABEL_MAX,
        required=False,
        widget=lang_widget("en"),
    )
    description_fi = forms.CharField(
        label=_theme_field_label("description_fi"),
        max_length=THEME_DESCRIPTION_MAX,
        required=False,
        widget=lang_widget("fi", textarea=True),
        help_text=_("What belongs to the theme, and what does not. Helps the handlers choose."),
    )
    description_sv = forms.CharField(
        label=_theme_field_label("description_sv"),
        max_length=THEME_DESCRIPTION_MAX,
        required=False,
        widget=lang_widget("sv", textarea=True),
    )
    description_en = forms.CharField(
        label=_theme_field_label("description_en"),
        max_length=THEME_DESCRIPTION_MAX,
        required=False,
        widget=lang_widget("en", textarea=True),
    )

    def _description(self, name: str) -> str:
        return clean_text(self.cleaned_data.get(name), short=False)

    def clean_description_fi(self) -> str:
        return self._description("description_fi")

    def clean_description_sv(self) -> str:
        return self._description("description_sv")

    def clean_description_en(self) -> str:
        return self._description("description_en")

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in THEME_TEXT_FIELDS}


class ThemeEditForm(ThemeTextsForm):
    prefix = "texts"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _parent_field(organisation: Organisation, exclude: Theme | None = None) -> ThemeChoiceField:
    themes = Theme.objects.filter(organisation=organisation)
    field = ThemeChoiceField(
        label=_theme_field_label("parent"),
        queryset=themes.offered().exclude(pk=exclude.pk if exclude else None),
        required=False,
        empty_label=_("None: a main theme"),
        help_text=_("A theme can be under a main theme or under its sub-theme (three levels)."),
    )
    field.paths = theme_paths(themes)
    return field


class NewThemeForm(ThemeTextsForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=THEME_CODE_MAX,
        help_text=_(
            "Identifies the theme in exports and links and never changes. Use 1–40 lower-case "
            "letters a–z, digits, hyphens (-) or underscores (_)."
        ),
    )
    field_order = ["code", "parent"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["parent"] = _parent_field(organisation)
        self.order_fields(self.field_order)
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )

    def clean_code(self) -> str:
        from havainto.accounts.services import CODE_RE

        code = clean_text(self.cleaned_data.get("code"), short=True)
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(
                _(
                    "The code may contain only lower-case letters a–z, digits, hyphens (-) "
                    "and underscores (_), at most 40 characters."
                ),
                code="invalid",
            )
        if Theme.objects.filter(organisation=self.organisation, code=code).exists():
            raise forms.ValidationError(
                _(
                    "The codebook already has a theme with this code. Codes stay reserved, "
                    "also for hidden and merged themes: choose another code."
                ),
                code="taken",
            )
        return code


class ThemePlaceForm(VersionedForm):
    prefix = "place"

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _parent_field(theme.organisation, exclude=theme)


class ThemeOrderForm(VersionedForm):
    prefix = "order"

    direction = forms.ChoiceField(choices=[("up", _("Move up")), ("down", _("Move down"))])


class ThemeVisibilityForm(VersionedForm):
    prefix = "visibility"

    hidden = forms.TypedChoiceField(
        label=_theme_field_label("hidden"),
        choices=[("1", _("Hide")), ("0", _("Show"))],
        coerce=lambda value: value == "1",
    )


class ThemeMergeForm(VersionedForm):
    prefix = "merge"

    confirm = forms.BooleanField(
        label=_("I have checked the target: the merge cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the merge.")},
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = Theme.objects.filter(organisation=theme.organisation)
        field = ThemeChoiceField(
            label=_("Merge into"),
            queryset=themes.offered().exclude(pk=theme.pk),
            empty_label=_("Choose a theme"),
            error_messages={"required": _("Choose the theme to merge into.")},
            help_text=_(
                "Every report of this theme will carry the chosen theme instead, and its "
                "sub-themes move under it."
            ),
        )
        field.paths = theme_paths(themes)
        self.fields["into"] = field
        self.order_fields(["into", "confirm"])

"""Passages of report texts: picking a passage for a quote or a redaction, redacting what
the redaction queue found, and the quote list's filter."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import AccessibleFormMixin, clean_text
from havainto.accounts.models import Organisation
from havainto.coding.forms._common import REASON_MAX, VersionedForm, WorkspaceFormMixin
from havainto.coding.models import Quote, QuoteQuerySet, ReportTextField, Theme
from havainto.lib.passages import (
    AmbiguousPassage,
    PassageError,
    check_span,
    excerpt,
    locate,
    occurrences,
    same_words,
)
from havainto.reports.models import TEXT_MAX, Report


class LabelledChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", None) or getattr(obj, "name", obj))


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

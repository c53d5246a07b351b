"""The period of the readers' overview, and the "you said, we did" digest."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import AccessibleFormMixin, clean_text
from havainto.coding.forms._common import DateInput

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

"""Handling one report: its state, handler, themes, internal notes and answers."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import clean_text
from havainto.accounts.models import Organisation, Role
from havainto.coding.forms._common import REASON_MAX, VersionedForm, WorkspaceFormMixin
from havainto.coding.forms.codebook import ThemeMultipleChoiceField
from havainto.coding.models import ReportTheme, Theme, WorkflowState
from havainto.coding.services import theme_paths
from havainto.reports.models import TEXT_MAX, Report

NOTE_MAX = 4_000


def person_name(user: AbstractBaseUser) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_name(obj)


# --- Handling a report -------------------------------------------------------------------


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

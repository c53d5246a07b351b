"""Phenomena: creating and editing one, proposals and outcomes, advocacy steps and answers,
merging, splitting, and adding a report to one."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import clean_text
from havainto.accounts.models import Organisation
from havainto.coding.forms._common import DateInput, VersionedForm, WorkspaceFormMixin
from havainto.coding.models import AdvocacyStep, Phenomenon, Proposal, Theme, WorkflowState

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

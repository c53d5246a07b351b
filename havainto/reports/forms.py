"""The reporting form. The same form validates the web form and the JSON API, so both
accept exactly the same input: pick-lists by their stable codes, texts normalised and
checked for client-identifying data."""

import uuid
from typing import Any

from django import forms
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from havainto.accounts.access import reporter_membership
from havainto.accounts.models import Organisation
from havainto.core.i18n import active_language
from havainto.lib.pii import BLOCKING_KINDS, KINDS, WARNING_KINDS, Finding, find_personal_data
from havainto.lib.text import UnacceptableText, excerpt, normalise
from havainto.reports.models import (
    SHORT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ExtraQuestion,
    VocabularyEntry,
    VocabularyKind,
)

LANGUAGE_NAMES = {"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")}

# Fields whose free text is checked for client-identifying data before anything is stored.
CHECKED_TEXT_FIELDS = ("title", "description", "causes", "service_effects", "proposal")

PII_MESSAGES = {
    "hetu": _("This looks like a personal identity code"),
    "phone": _("This looks like a phone number"),
    "email": _("This looks like an e-mail address"),
    "address": _("This looks like a street address"),
    "other_id": _("This looks like a customer number, licence plate or other identifier"),
}

CONFIRM_NAMES_LABEL = _(
    "These are not names of clients (e.g. staff or public figures) — send anyway"
)


class VocabularyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: VocabularyEntry) -> str:
        return obj.label


class VocabularyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: VocabularyEntry) -> str:
        return obj.label


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


def pii_error_message(field_text: str, finding: Finding) -> str:
    if finding.kind in WARNING_KINDS:
        return name_warning_message(field_text, finding)
    kind = PII_MESSAGES.get(finding.kind, _("This looks like identifying data"))
    return _(
        "%(kind)s at characters %(start)s–%(end)s (“%(excerpt)s”). Remove it: a report "
        "must not contain anything that identifies a client."
    ) % {
        "kind": kind,
        "start": finding.start + 1,
        "end": finding.end,
        "excerpt": excerpt(field_text, finding.start, finding.end),
    }


def name_warning_message(field_text: str, finding: Finding) -> str:
    """The message for a name: a warning the reporter may override with ``confirm_names``."""
    return _(
        "This looks like a person's name at characters %(start)s–%(end)s (“%(excerpt)s”). "
        "If it is a client's name, remove it. If it is not, tick “%(confirm)s” and send again."
    ) % {
        "start": finding.start + 1,
        "end": finding.end,
        "excerpt": excerpt(field_text, finding.start, finding.end),
        "confirm": CONFIRM_NAMES_LABEL,
    }


class ReportForm(forms.Form):
    IDENTITY_CHOICES = [
        ("anonymous", _("Anonymous: my name is not stored with the report")),
        ("named", _("With my name, so that handlers can ask me more")),
    ]

    # A: context
    municipality = NamedChoiceField(
        label=_("Municipality"), queryset=None, to_field_name="code", empty_label=_("Choose…")
    )
    service_line = NamedChoiceField(
        label=_("Service line"), queryset=None, to_field_name="code", empty_label=_("Choose…")
    )
    unit = NamedChoiceField(
        label=_("Unit or team"),
        queryset=None,
        required=False,
        empty_label=_("Not given"),
        help_text=_("Optional. Units are never shown in published summaries."),
    )
    reporter_role = VocabularyChoiceField(
        label=_("Your role"), queryset=None, to_field_name="code", empty_label=_("Choose…")
    )
    language = forms.ChoiceField(label=_("Language of the report"))
    # B: the observation
    observation_type = VocabularyChoiceField(
        label=_("What kind of observation is it?"),
        queryset=None,
        to_field_name="code",
        widget=forms.RadioSelect,
        empty_label=None,
    )
    title = forms.CharField(
        label=_("Short title"),
        max_length=TITLE_MAX,
        help_text=_("A few words that name the phenomenon."),
    )
    description = forms.CharField(
        label=_("Describe what you have observed"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Describe the phenomenon, not a client: no names, identity codes, addresses, "
            "phone numbers or details that could identify someone."
        ),
    )
    client_groups = VocabularyMultipleChoiceField(
        label=_("Client groups affected"),
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_needs = VocabularyMultipleChoiceField(
        label=_("Support needs (Social Welfare Act 11 §)"),
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sectors = VocabularyMultipleChoiceField(
        label=_("Sectors involved"),
        queryset=None,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    recurrence = VocabularyChoiceField(
        label=_("How often do you see this?"),
        queryset=None,
        to_field_name="code",
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    clients_affected = VocabularyChoiceField(
        label=_("Roughly how many clients are affected?"),
        queryset=None,
        to_field_name="code",
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    causes = forms.CharField(
        label=_("Causes and societal connections"),
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    service_effects = forms.CharField(
        label=_("Effects of services: what worked, what did not"),
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # C: the proposal
    proposal = forms.CharField(
        label=_("Your proposal for action"),
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposal_level = VocabularyChoiceField(
        label=_("Who should act on the proposal?"),
        queryset=None,
        to_field_name="code",
        widget=forms.RadioSelect,
        required=False,
        empty_label=None,
    )
    # D: consent and follow-up
    identity = forms.ChoiceField(
        label=_("Your identity"),
        choices=IDENTITY_CHOICES,
        widget=forms.RadioSelect,
        initial="anonymous",
        required=False,
    )
    contact_name = forms.CharField(
        label=pgettext_lazy("reporter", "Your name"),
        max_length=200,
        required=False,
        help_text=_("Optional. Only if you want feedback by e-mail."),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Optional. We send news about this report here."),
    )
    wants_feedback = forms.BooleanField(
        label=_("Send me feedback on what happens to this report"), required=False
    )
    confirm_names = forms.BooleanField(
        label=CONFIRM_NAMES_LABEL,
        required=False,
        help_text=_(
            "Tick this only if none of the words marked as names is the name of a client or "
            "of someone close to a client."
        ),
    )
    confirm_no_client_data = forms.BooleanField(
        label=_("I confirm that no client can be identified from this report"),
        error_messages={"required": _("Please confirm that no client can be identified.")},
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        user: AbstractBaseUser | AnonymousUser,
        prefill: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.user = user
        # Per text field: the findings shown as errors (blocking kinds, and names until the
        # reporter confirms them), and every name found (also after confirmation).
        self.pii_findings: dict[str, list[Finding]] = {}
        self.name_findings: dict[str, list[Finding]] = {}
        self._names_confirmed = False
        vocab = VocabularyEntry.objects.filter(organisation=organisation)
        kinds = {
            "reporter_role": VocabularyKind.REPORTER_ROLE,
            "observation_type": VocabularyKind.OBSERVATION_TYPE,
            "client_groups": VocabularyKind.CLIENT_GROUP,
            "support_needs": VocabularyKind.SUPPORT_NEED,
            "sectors": VocabularyKind.SECTOR,
            "recurrence": VocabularyKind.RECURRENCE,
            "clients_affected": VocabularyKind.CLIENTS_AFFECTED,
            "proposal_level": VocabularyKind.PROPOSAL_LEVEL,
        }
        for name, kind in kinds.items():
            self.fields[name].queryset = vocab.filter(kind=kind, hidden=False)
        self.fields["municipality"].queryset = organisation.municipalities.filter(hidden=False)
        self.fields["service_line"].queryset = organisation.service_lines.filter(hidden=False)
        self.fields["unit"].queryset = organisation.units.filter(hidden=False)
        languages = list(organisation.languages or ["fi"])
        self.fields["language"].choices = [(code, LANGUAGE_NAMES[code]) for code in languages]
        # The report's language defaults to the interface language when the organisation offers it.
        ui_language = active_language()
        self.fields["language"].initial = ui_language if ui_language in languages else languages[0]
        if not user.is_authenticated:
            # Without an account there is nobody to name: the report is anonymous.
            del self.fields["identity"]
        self.extra_questions = list(organisation.extra_questions.filter(hidden=False))
        for question in self.extra_questions:
            self.fields[f"extra_{question.pk}"] = self._extra_field(question)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)
            if prefill:
                self._prefill_context()
        self._annotate_aria()

    @staticmethod
    def _extra_field(question: ExtraQuestion) -> forms.Field:
        common = {"label": question.label, "required": question.required}
        if question.kind == ExtraQuestion.Kind.TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX, **common)
        if question.kind == ExtraQuestion.Kind.MULTI:
            return forms.MultipleChoiceField(
                choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(
            choices=question.choice_pairs(), widget=forms.RadioSelect, **common
        )

    def _prefill_context(self) -> None:
        membership = reporter_membership(self.user, self.organisation)
        if membership is None:
            return
        if membership.municipality_id:
            self.initial.setdefault("municipality", membership.municipality.code)
        if membership.service_line_id:
            self.initial.setdefault("service_line", membership.service_line.code)
        if membership.unit_id:
            self.initial.setdefault("unit", membership.unit_id)
        if membership.reporter_role:
            self.initial.setdefault("reporter_role", membership.reporter_role)

    @property
    def extra_field_names(self) -> list[str]:
        return [f"extra_{q.pk}" for q in self.extra_questions]

    def extra_text_fields(self) -> list[str]:
        return [f"extra_{q.pk}" for q in self.extra_questions if q.kind == ExtraQuestion.Kind.TEXT]

    def _normalise_text(self, name: str, *, short: bool) -> str:
        try:
            value = normalise(self.cleaned_data.get(name) or "", short=short)
        except UnacceptableText:
            raise forms.ValidationError(
                _("The text contains characters that cannot be stored."), code="bad_characters"
            ) from None
        if not value and self.fields[name].required:
            raise forms.ValidationError(
                self.fields[name].error_messages["required"], code="required"
            )
        return value

    def clean_title(self) -> str:
        return self._normalise_text("title", short=True)

    def clean_description(self) -> str:
        return self._normalise_text("description", short=False)

    def clean_causes(self) -> str:
        return self._normalise_text("causes", short=False)

    def clean_service_effects(self) -> str:
        return self._normalise_text("service_effects", short=False)

    def clean_proposal(self) -> str:
        return self._normalise_text("proposal", short=False)

    def clean_contact_name(self) -> str:
        return self._normalise_text("contact_name", short=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.extra_text_fields():
            if name in data:
                try:
                    data[name] = normalise(data[name] or "", short=False)
                except UnacceptableText:
                    self.add_error(name, _("The text contains characters that cannot be stored."))
        unit = data.get("unit")
        if (
            unit is not None
            and data.get("service_line")
            and unit.service_line_id != data["service_line"].pk
        ):
            self.add_error("unit", _("This unit belongs to another service line."))
        named_with_email = data.get("identity") == "named" and getattr(self.user, "email", "")
        if data.get("wants_feedback") and not data.get("contact_email") and not named_with_email:
            self.add_error(
                "contact_email", _("Give an e-mail address so that we can send feedback.")
            )
        # Identity codes, contact details, addresses and other identifiers always block; names
        # block until the reporter confirms that they are not clients' names.
        self._names_confirmed = bool(data.get("confirm_names"))
        for name in [*CHECKED_TEXT_FIELDS, *self.extra_text_fields()]:
            text = data.get(name)
            if not text:
                continue
            findings = find_personal_data(text)
            names = [f for f in findings if f.kind in WARNING_KINDS]
            if names:
                self.name_findings[name] = names
            shown = [f for f in findings if f.kind in self.blocking_kinds]
            if shown:
                self.pii_findings[name] = shown
                for finding in shown:
                    self.add_error(name, pii_error_message(text, finding))
        return data

    @property
    def blocking_kinds(self) -> frozenset[str]:
        """The finding kinds that stop this submission: names only while unconfirmed."""
        return BLOCKING_KINDS if self._names_confirmed else KINDS

    @property
    def has_name_warnings(self) -> bool:
        """True when names were found (whether or not the reporter has confirmed them)."""
        return bool(self.name_findings)

    @property
    def only_name_warnings(self) -> bool:
        """True when the only objection is unconfirmed names: ticking confirm_names would do."""
        if not self.only_personal_data_errors:
            return False
        return all(
            f.kind in WARNING_KINDS for findings in self.pii_findings.values() for f in findings
        )

    @property
    def only_personal_data_errors(self) -> bool:
        """True when the input is otherwise valid and only the privacy guard objected."""
        if not self.pii_findings or set(self.errors) - set(self.pii_findings):
            return False
        return all(
            len(self.errors[name]) == len(findings) for name, findings in self.pii_findings.items()
        )

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields grouped into the form's four parts, for the template."""
        groups = [
            (_("Context"), ["municipality", "service_line", "unit", "reporter_role", "language"]),
            (
                _("The observation"),
                [
                    "observation_type",
                    "title",
                    "description",
                    "client_groups",
                    "support_needs",
                    "sectors",
                    "recurrence",
                    "clients_affected",
                    "causes",
                    "service_effects",
                    *self.extra_field_names,
                ],
            ),
            (_("Proposal"), ["proposal", "proposal_level"]),
            (
                _("Follow-up and confirmation"),
                [
                    "identity",
                    "contact_name",
                    "contact_email",
                    "wants_feedback",
                    *(["confirm_names"] if self.show_confirm_names else []),
                    "confirm_no_client_data",
                ],
            ),
        ]
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in groups]

    @property
    def show_confirm_names(self) -> bool:
        """The name confirmation box is shown only once names have been found."""
        return self.is_bound and (bool(self.name_findings) or bool(self.data.get("confirm_names")))

    def full_clean(self) -> None:
        super().full_clean()
        self._annotate_aria()

    def _annotate_aria(self) -> None:
        """Tie help texts and errors to their inputs for screen readers (WCAG 3.3.1)."""
        for name, field in self.fields.items():
            describedby = []
            if field.help_text:
                describedby.append(f"id_{name}_helptext")
            if self.is_bound and name in self.errors:
                describedby.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if describedby:
                field.widget.attrs["aria-describedby"] = " ".join(describedby)

"""Forms of the organisation admin's settings screens.

The forms validate and normalise; the services in accounts/services.py and
publishing/services.py make the changes. The ModelForms are never saved directly.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.accounts.services import CODE_RE
from havainto.core.i18n import CONTENT_LANGUAGES
from havainto.lib.text import UnacceptableText, normalise
from havainto.publishing.models import OrganisationPage
from havainto.reports.forms import LANGUAGE_NAMES
from havainto.reports.models import ExtraQuestion, VocabularyEntry

LABEL_MAX = 200
ORDER_MAX = 9999
CHOICES_MAX = 50
CHOICES_TEXT_MAX = 20_000

BAD_CHARACTERS = _("The text contains characters that cannot be stored.")
CODE_HELP = _(
    "Stored with every report that uses the entry and never changed afterwards. "
    "Use 1–40 lower-case letters a–z, digits, hyphens (-) or underscores (_)."
)


class AccessibleFormMixin:
    """Tie help texts and errors to their inputs for screen readers (WCAG 3.3.1)."""

    fields: dict[str, forms.Field]
    errors: Any
    is_bound: bool

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.annotate_aria()

    def annotate_aria(self) -> None:
        for name, field in self.fields.items():
            describedby = []
            if field.help_text:
                describedby.append(f"id_{name}_helptext")
            if self.is_bound and name in self.errors:
                describedby.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if describedby:
                field.widget.attrs["aria-describedby"] = " ".join(describedby)


def clean_text(value: str | None, *, short: bool) -> str:
    try:
        return normalise(value or "", short=short)
    except UnacceptableText:
        raise forms.ValidationError(BAD_CHARACTERS, code="bad_characters") from None


def lang_widget(lang: str, *, textarea: bool = False, rows: int = 3) -> forms.Widget:
    """An input marked with the language of its content, so that it is read correctly."""
    if textarea:
        return forms.Textarea(attrs={"lang": lang, "rows": rows})
    return forms.TextInput(attrs={"lang": lang})


class LabelsMixin:
    """Normalise the fi/sv/en labels as short texts; the Finnish one is required."""

    cleaned_data: dict[str, Any]

    def _label(self, name: str) -> str:
        value = clean_text(self.cleaned_data.get(name), short=True)
        if name == "label_fi" and not value:
            raise forms.ValidationError(_("Give the Finnish label."), code="required")
        return value

    def clean_label_fi(self) -> str:
        return self._label("label_fi")

    def clean_label_sv(self) -> str:
        return self._label("label_sv")

    def clean_label_en(self) -> str:
        return self._label("label_en")


class OrganisationSettingsForm(AccessibleFormMixin, forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages of the report form"),
        choices=[(code, LANGUAGE_NAMES[code]) for code in CONTENT_LANGUAGES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Reporters can write in these languages. Choose at least one."),
        error_messages={"required": _("Choose at least one language.")},
    )

    class Meta:
        model = Organisation
        fields = ["allow_anonymous", "languages", "redaction_original_retention_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (an older form), the retention stays as it is.
        self.fields["redaction_original_retention_days"].required = False

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data["languages"])
        # Keep the current order (the first language is the form's default), new ones last.
        kept = [code for code in self.instance.languages or [] if code in chosen]
        return kept + [code for code in CONTENT_LANGUAGES if code in chosen and code not in kept]


class VocabularyEntryForm(LabelsMixin, AccessibleFormMixin, forms.ModelForm):
    """Labels, visibility and order of an entry. The code is not a field: it never changes."""

    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=ORDER_MAX,
        help_text=_("Entries are listed from the smallest number up."),
    )

    class Meta:
        model = VocabularyEntry
        fields = ["label_fi", "label_sv", "label_en", "hidden", "order"]
        widgets = {
            "label_fi": lang_widget("fi"),
            "label_sv": lang_widget("sv"),
            "label_en": lang_widget("en"),
        }


class NewVocabularyEntryForm(LabelsMixin, AccessibleFormMixin, forms.ModelForm):
    code = forms.CharField(label=_("Code"), max_length=100, help_text=CODE_HELP)

    class Meta:
        model = VocabularyEntry
        fields = ["code", "label_fi", "label_sv", "label_en"]
        widgets = {
            "label_fi": lang_widget("fi"),
            "label_sv": lang_widget("sv"),
            "label_en": lang_widget("en"),
        }

    def __init__(self, *args: Any, organisation: Organisation, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.kind = kind
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        )

    def clean_code(self) -> str:
        code = clean_text(self.cleaned_data.get("code"), short=True)
        if not CODE_RE.fullmatch(code):
            raise forms.ValidationError(
                _(
                    "The code may contain only lower-case letters a–z, digits, hyphens (-) "
                    "and underscores (_), at most 40 characters."
                ),
                code="invalid",
            )
        taken = VocabularyEntry.objects.of(self.organisation, self.kind).filter(code=code)
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "This vocabulary already has an entry with the code “%(code)s”. Codes "
                    "stay reserved, also for hidden entries: choose another code, or edit "
                    "the existing entry."
                ),
                code="taken",
                params={"code": code},
            )
        return code


def parse_choices(text: str) -> list[dict[str, str]]:
    """Parse `code | fi | sv | en` lines into choices; errors name the line numbers."""
    choices: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    errors: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 4:
            errors.append(
                _("Line %(line)s: too many parts. Write code | Finnish | Swedish | English.")
                % {"line": number}
            )
            continue
        parts += [""] * (4 - len(parts))
        try:
            code, fi, sv, en = (normalise(part, short=True) for part in parts)
        except UnacceptableText:
            errors.append(
                _("Line %(line)s: the text contains characters that cannot be stored.")
                % {"line": number}
            )
            continue
        if not CODE_RE.fullmatch(code):
            errors.append(
                _(
                    "Line %(line)s: the code “%(code)s” may contain only lower-case letters "
                    "a–z, digits, hyphens (-) and underscores (_), at most 40 characters."
                )
                % {"line": number, "code": code[:40]}
            )
        elif code in seen:
            errors.append(
                _("Line %(line)s: the code “%(code)s” is already used on line %(first)s.")
                % {"line": number, "code": code, "first": seen[code]}
            )
        else:
            seen[code] = number
        if not fi:
            errors.append(_("Line %(line)s: the Finnish label is missing.") % {"line": number})
        if any(len(label) > LABEL_MAX for label in (fi, sv, en)):
            errors.append(
                _("Line %(line)s: a label can be at most %(max)s characters long.")
                % {"line": number, "max": LABEL_MAX}
            )
        choices.append({"code": code, "fi": fi, "sv": sv, "en": en})
    if len(choices) > CHOICES_MAX:
        errors.append(_("Give at most %(max)s choices.") % {"max": CHOICES_MAX})
    if errors:
        raise forms.ValidationError(errors)
    return choices


def format_choices(choices: list[dict[str, str]]) -> str:
    """The choices as `code | fi | sv | en` lines, for editing."""
    lines = []
    for choice in choices:
        parts = [choice.get(key, "") for key in ("code", "fi", "sv", "en")]
        while len(parts) > 2 and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines)


class ExtraQuestionForm(LabelsMixin, AccessibleFormMixin, forms.ModelForm):
    field_order = ["kind", "label_fi", "label_sv", "label_en", "choices", "required", "hidden"]

    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=CHOICES_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_(
            "For the choice types: one choice per line, as code | Finnish | Swedish | "
            "English, for example: rent | Vuokra | Hyra | Rent. At least two choices. Codes "
            "are stored with the answers: use lower-case letters a–z, digits, - and _. "
            "Leave empty for a text question."
        ),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=ORDER_MAX,
        required=False,
        help_text=_("Questions are shown from the smallest number up. Empty: last."),
    )

    class Meta:
        model = ExtraQuestion
        fields = ["kind", "label_fi", "label_sv", "label_en", "required", "hidden", "order"]
        widgets = {
            "kind": forms.RadioSelect,
            "label_fi": lang_widget("fi"),
            "label_sv": lang_widget("sv"),
            "label_en": lang_widget("en"),
        }
        labels = {
            "required": _("An answer is required"),
            "hidden": _("Hidden: not shown on the form"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ExtraQuestion.Kind.choices  # no empty "-----" radio
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = format_choices(self.instance.choices)

    def clean_choices(self) -> list[dict[str, str]]:
        text = self.cleaned_data.get("choices") or ""
        if "\x00" in text:
            raise forms.ValidationError(BAD_CHARACTERS, code="bad_characters")
        return parse_choices(text.replace("\r\n", "\n").replace("\r", "\n"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        choices = data.get("choices")
        if kind is None or choices is None:
            return data
        if kind == ExtraQuestion.Kind.TEXT and choices:
            self.add_error(
                "choices",
                _("A text question has no choices: leave the field empty or change the type."),
            )
        elif kind != ExtraQuestion.Kind.TEXT and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        return data


class OrganisationPageForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = OrganisationPage
        fields = ["body_fi", "body_sv", "body_en"]
        widgets = {
            "body_fi": lang_widget("fi", textarea=True, rows=14),
            "body_sv": lang_widget("sv", textarea=True, rows=14),
            "body_en": lang_widget("en", textarea=True, rows=14),
        }
        help_texts = {
            "body_fi": _("Plain text. Separate paragraphs with an empty line."),
        }

    def _body(self, name: str) -> str:
        return clean_text(self.cleaned_data.get(name), short=False)

    def clean_body_fi(self) -> str:
        return self._body("body_fi")

    def clean_body_sv(self) -> str:
        return self._body("body_sv")

    def clean_body_en(self) -> str:
        return self._body("body_en")

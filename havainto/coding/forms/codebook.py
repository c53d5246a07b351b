"""The theme codebook's forms, and the theme choice fields of every form that picks themes
(by their place in the codebook)."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import LabelsMixin, clean_text, lang_widget
from havainto.accounts.models import Organisation
from havainto.coding.forms._common import VersionedForm, WorkspaceFormMixin
from havainto.coding.models import Theme
from havainto.coding.services import THEME_TEXT_FIELDS, theme_paths


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

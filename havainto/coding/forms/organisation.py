"""The organisation's settings in the workspace: workflow states and the audit log's filter."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from havainto.accounts.forms import AccessibleFormMixin, clean_text, lang_widget
from havainto.accounts.models import Organisation
from havainto.coding.forms._common import DateInput
from havainto.coding.models import WorkflowState
from havainto.core.i18n import CONTENT_LANGUAGES
from havainto.reports.models import TEXT_MAX, Status

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

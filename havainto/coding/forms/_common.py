"""What the form modules share: the prefixed-form accessibility mixin, the version field
of every change that is version-checked (REL-06), the date input, the reason's length."""

from django import forms

from havainto.accounts.forms import AccessibleFormMixin

REASON_MAX = 2_000


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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class VersionedForm(WorkspaceFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

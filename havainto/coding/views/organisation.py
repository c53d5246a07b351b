"""The organisation's settings in the workspace: workflow states (coordinators and
organisation admins), readers' access to report texts and the audit log (organisation
admins)."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from havainto.accounts.models import Organisation, Role
from havainto.audit.models import AuditEvent
from havainto.audit.services import record
from havainto.coding import services
from havainto.coding.access import get_organisation_for_audit, get_organisation_for_settings
from havainto.coding.forms import AuditFilterForm, NewWorkflowStateForm, WorkflowStateForm
from havainto.coding.models import TextGrant, WorkflowState
from havainto.coding.views._common import _data, _nav

AUDIT_PAGE_SIZE = 100
ADMIN_NAV = {"can_configure": True, "is_admin": True}


# --- Workflow settings -------------------------------------------------------------------


@login_required
@require_GET
def workflow(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_settings(request.user, slug)
    return render(
        request,
        "coding/workflow_list.html",
        {
            "organisation": organisation,
            "states": services.workflow_states(organisation),
            **_nav(roles),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workflow_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _roles = get_organisation_for_settings(request.user, slug)
    state = get_object_or_404(WorkflowState, pk=pk, organisation=organisation)
    initial = {"code": state.code, **{name: getattr(state, name) for name in services.STATE_FIELDS}}
    form = WorkflowStateForm(_data(request), initial=initial)
    if form.is_bound and form.is_valid():
        services.update_workflow_state(actor=request.user, state=state, values=form.cleaned_data)
        messages.success(request, _("The state was saved."))
        return redirect("coding:workflow", organisation.slug)
    return render(
        request,
        "coding/workflow_form.html",
        {"organisation": organisation, "state": state, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workflow_state_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _roles = get_organisation_for_settings(request.user, slug)
    form = NewWorkflowStateForm(_data(request), organisation=organisation, initial={"order": 100})
    if form.is_bound and form.is_valid():
        values = dict(form.cleaned_data)
        services.add_workflow_state(
            actor=request.user, organisation=organisation, code=values.pop("code"), values=values
        )
        messages.success(request, _("The state was added."))
        return redirect("coding:workflow", organisation.slug)
    return render(
        request,
        "coding/workflow_form.html",
        {"organisation": organisation, "state": None, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Readers' access to texts ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def text_access(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisation admins decide which readers may read report texts."""
    organisation = get_organisation_for_audit(request.user, slug)
    readers = (
        get_user_model()
        .objects.filter(memberships__organisation=organisation, memberships__role=Role.READER)
        .distinct()
        .order_by("username")
    )
    if request.method == "POST":
        reader = get_object_or_404(readers, pk=request.POST.get("user", "0") or 0)
        grant = TextGrant.objects.filter(organisation=organisation, user=reader).first()
        if request.POST.get("action") == "grant":
            services.grant_text_access(actor=request.user, organisation=organisation, user=reader)
        elif grant is not None:
            services.revoke_text_access(actor=request.user, grant=grant)
        messages.success(request, _("Access was saved."))
        return redirect("coding:text-access", organisation.slug)
    granted = set(
        TextGrant.objects.filter(organisation=organisation).values_list("user_id", flat=True)
    )
    return render(
        request,
        "coding/text_access.html",
        {
            "organisation": organisation,
            "readers": [(reader, reader.pk in granted) for reader in readers],
            **ADMIN_NAV,
        },
    )


# --- The audit log -----------------------------------------------------------------------
# Lazy: each label is translated when shown, in the language of the person reading the log.
ACTION_LABELS = {
    "report.viewed": gettext_lazy("Read the report's text"),
    "report.status_changed": gettext_lazy("Changed the state"),
    "report.assigned": gettext_lazy("Assigned a handler"),
    "report.themes_changed": gettext_lazy("Changed the themes"),
    "report.note_added": gettext_lazy("Added an internal note"),
    "report.answered": gettext_lazy("Answered the reporter"),
    "report.redacted": gettext_lazy("Redacted a passage of the report"),
    "report.excerpt_viewed": gettext_lazy("Saw passages of the report (quotes, redaction queue)"),
    "quote.added": gettext_lazy("Added a quote"),
    "quote.removed": gettext_lazy("Removed a quote"),
    "quote.approved": gettext_lazy("Approved a quote for publication"),
    "quote.approval_withdrawn": gettext_lazy("Withdrew the approval of a quote"),
    "quote.changed": gettext_lazy("A redaction changed a quote"),
    "redaction.original_viewed": gettext_lazy("Read the original of a redacted passage"),
    "redaction.original_purged": gettext_lazy("The original of a redacted passage was erased"),
    "redaction_candidate.dismissed": gettext_lazy("Marked a finding as not personal data"),
    "phenomenon.created": gettext_lazy("Created a phenomenon"),
    "phenomenon.changed": gettext_lazy("Changed a phenomenon"),
    "phenomenon.reports_added": gettext_lazy("Added reports to a phenomenon"),
    "phenomenon.report_removed": gettext_lazy("Removed a report from a phenomenon"),
    "phenomenon.reports_listed": gettext_lazy("Saw the titles of a phenomenon's reports"),
    "phenomenon.proposal_added": gettext_lazy("Added a proposal for action"),
    "phenomenon.proposal_outcome": gettext_lazy("Updated the outcome of a proposal"),
    "phenomenon.step_recorded": gettext_lazy("Recorded an advocacy step"),
    "phenomenon.answer_recorded": gettext_lazy("Recorded an answer"),
    "phenomenon.merged": gettext_lazy("Merged a phenomenon into another"),
    "phenomenon.merged_into": gettext_lazy("Merged phenomena into this one"),
    "phenomenon.split": gettext_lazy("Split a phenomenon"),
    "report.similar_listed": gettext_lazy("Saw the titles of similar reports"),
    "report.topics_listed": gettext_lazy("Saw the reports of candidate topics"),
    "report.signals_listed": gettext_lazy("Saw the reports of weak signals"),
    "analysis.embedded": gettext_lazy("Computed the sentence vectors of reports"),
    "digest.sent": _('Sent a "you said, we did" digest'),
    "report.submitted": gettext_lazy("Submitted a report"),
    "report.submitted_anonymously": gettext_lazy("A report was submitted anonymously"),
    "workflow_state.changed": gettext_lazy("Changed a handling state"),
    "workflow_state.added": gettext_lazy("Added a handling state"),
    "text_access.granted": gettext_lazy("Gave a reader access to report texts"),
    "text_access.revoked": gettext_lazy("Took away a reader's access to report texts"),
    "audit.exported": gettext_lazy("Exported the audit log"),
    "theme.created": gettext_lazy("Added a theme to the codebook"),
    "theme.changed": gettext_lazy("Changed a theme's labels or descriptions"),
    "theme.moved": gettext_lazy("Moved a theme in the codebook"),
    "theme.reordered": gettext_lazy("Changed the order of themes"),
    "theme.hidden": gettext_lazy("Hid a theme"),
    "theme.shown": gettext_lazy("Showed a hidden theme again"),
    "theme.merged": gettext_lazy("Merged a theme into another"),
    # Theme suggestions (havainto.analysis)
    "report.suggestions_shown": gettext_lazy(
        "Saw the suggested themes of a report and the words behind them"
    ),
    "suggestion.accepted": gettext_lazy("Accepted a suggested theme"),
    "suggestion.rejected": gettext_lazy("Rejected a suggested theme"),
    "theme_model.trained": gettext_lazy("Trained the theme suggestion model"),
    "theme_model.training_failed": gettext_lazy(
        "The training of the theme suggestion model failed"
    ),
    "theme_model.retraining_requested": gettext_lazy(
        "Asked for the theme suggestion model to be retrained"
    ),
}


def _audit_events(request: HttpRequest, organisation: Organisation) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET)
    events = AuditEvent.objects.filter(organisation=organisation).select_related("actor")
    if form.is_valid():
        return form, form.apply(events).order_by("-id")
    return form, events.none()


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_audit(request.user, slug)
    form, events = _audit_events(request, organisation)
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(id__lt=int(before))
    rows = list(events[: AUDIT_PAGE_SIZE + 1])
    more = len(rows) > AUDIT_PAGE_SIZE
    rows = rows[:AUDIT_PAGE_SIZE]
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "coding/audit_list.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": [(event, ACTION_LABELS.get(event.action, "")) for event in rows],
            "next_before": rows[-1].pk if more else None,
            "query": query.urlencode(),
            "query_prefix": f"{query.urlencode()}&" if query else "",
            **ADMIN_NAV,
        },
        status=200 if form.is_valid() else 400,
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def audit_export(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_audit(request.user, slug)
    form, events = _audit_events(request, organisation)
    if not form.is_valid():
        raise Http404
    record("audit.exported", actor=request.user, organisation=organisation)
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(["time", "user", "action", "object_type", "object_id", "fields"])
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    csv_safe(timezone.localtime(event.created_at).isoformat()),
                    csv_safe(event.actor.get_username() if event.actor else ""),
                    csv_safe(event.action),
                    csv_safe(event.object_type),
                    csv_safe(event.object_id),
                    csv_safe(" ".join(event.fields)),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="audit-{organisation.slug}-{stamp}.csv"'
    )
    return response

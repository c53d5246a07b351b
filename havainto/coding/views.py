"""The handling workspace: inbox, report handling, workflow settings, audit log.

Every view starts from a helper in coding/access.py: 404 for people outside the
organisation and for reports outside a handler's units, 403 (without data) for members
whose role lacks the right.
"""

import csv
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from havainto.accounts.models import Organisation, Role
from havainto.analysis.services import report_suggestions
from havainto.analysis.views import similar_context
from havainto.audit.models import AuditEvent
from havainto.audit.services import record
from havainto.coding import services
from havainto.coding.access import (
    SETTINGS_ROLES,
    can_edit_phenomena,
    can_handle,
    can_read_texts,
    get_organisation_for_audit,
    get_organisation_for_codebook,
    get_organisation_for_phenomena,
    get_organisation_for_settings,
    get_organisation_for_texts,
    get_phenomenon_for_user,
    get_report_for_user,
    visible_reports,
    workspace_nav,
)
from havainto.coding.forms import (
    LONG_TEXT_FIELDS,
    NEW_CAP,
    PAGE_SIZE,
    AddToPhenomenonForm,
    AnswerForm,
    AssignForm,
    AuditFilterForm,
    DigestForm,
    InboxFilterForm,
    MergeForm,
    MessageForm,
    NewThemeForm,
    NewWorkflowStateForm,
    NoteForm,
    OutcomeForm,
    Page,
    PeriodForm,
    PhenomenonEditForm,
    PhenomenonForm,
    ProposalForm,
    SavedViewForm,
    SplitForm,
    StateChangeForm,
    StepForm,
    ThemeEditForm,
    ThemeMergeForm,
    ThemeOrderForm,
    ThemePlaceForm,
    ThemesForm,
    ThemeVisibilityForm,
    VersionedForm,
    WorkflowStateForm,
    clean_query,
    keyset_page,
    person_name,
)
from havainto.coding.models import (
    AdvocacyStep,
    Digest,
    Phenomenon,
    PhenomenonReport,
    Proposal,
    ReportTheme,
    SavedView,
    TextGrant,
    Theme,
    ThemeChange,
    WorkflowState,
)
from havainto.coding.passage_context import report_passages_context
from havainto.core.i18n import CONTENT_LANGUAGES, active_language
from havainto.reports.models import Report

AUDIT_PAGE_SIZE = 100
ADMIN_NAV = {"can_configure": True, "is_admin": True}


def _nav(roles: set[str]) -> dict[str, bool]:
    return workspace_nav(roles)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- Inbox -------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_texts(request.user, slug)
    states = services.workflow_states(organisation)
    reports = visible_reports(request.user, organisation, roles)
    visit = services.visit_inbox(
        user=request.user,
        organisation=organisation,
        latest_id=services.latest_report_id(reports),
    )
    new_count = reports.filter(id__gt=visit.seen_up_to)[: NEW_CAP + 1].count()
    form = InboxFilterForm(request.GET, organisation=organisation, states=states)
    page = Page(rows=[], next_cursor=None, previous_cursor=None)
    if form.is_valid():
        listed = form.apply(
            reports.select_related(
                "municipality", "service_line", "unit", "observation_type", "assignee"
            ).defer(*LONG_TEXT_FIELDS),
            user=request.user,
            seen_up_to=visit.seen_up_to,
        )
        page = keyset_page(
            listed,
            newest_first=form.newest_first,
            after=request.GET.get("after"),
            before=request.GET.get("before"),
            size=PAGE_SIZE,
        )
    labels = {state.code: state.label for state in states}
    for report in page.rows:
        report.state_label = labels.get(report.status, report.status)  # type: ignore[attr-defined]
        report.is_new = report.pk > visit.seen_up_to  # type: ignore[attr-defined]
    query = clean_query(request.GET)
    return render(
        request,
        "coding/inbox.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "query": query,
            "query_prefix": f"{query}&" if query else "",
            "new_count": new_count,
            "new_capped": new_count > NEW_CAP,
            "saved_views": SavedView.objects.filter(user=request.user, organisation=organisation),
            "save_form": SavedViewForm(initial={"query": query}),
            **_nav(roles),
        },
        status=200 if form.is_valid() else 400,
    )


@login_required
@require_POST
def saved_view_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, _roles = get_organisation_for_texts(request.user, slug)
    form = SavedViewForm(request.POST)
    inbox_url = reverse("coding:inbox", args=[organisation.slug])
    if not form.is_valid():
        messages.error(request, _("The view was not saved: give it a name."))
        return redirect(f"{inbox_url}?{clean_query(request.POST.dict())}")
    view = services.save_view(
        actor=request.user,
        organisation=organisation,
        name=form.cleaned_data["name"],
        query=form.cleaned_data["query"],
    )
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(f"{inbox_url}?{view.query}")


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, _roles = get_organisation_for_texts(request.user, slug)
    view = get_object_or_404(SavedView, pk=pk, user=request.user, organisation=organisation)
    services.delete_view(actor=request.user, view=view)
    messages.success(request, _("The view “%(name)s” was removed.") % {"name": view.name})
    return redirect("coding:inbox", organisation.slug)


# --- One report --------------------------------------------------------------------------


def _handling_forms(
    organisation: Organisation, report: Report, states: list[WorkflowState]
) -> dict[str, forms.Form]:
    version = {"version": report.version}
    themes = list(report.report_themes.values_list("theme_id", flat=True))
    return {
        "state_form": StateChangeForm(
            initial={**version, "notify_reporter": True}, report=report, states=states
        ),
        "assign_form": AssignForm(
            initial={**version, "assignee": report.assignee_id}, organisation=organisation
        ),
        "themes_form": ThemesForm(
            initial={**version, "themes": themes}, organisation=organisation, report=report
        ),
        "note_form": NoteForm(),
        "message_form": MessageForm(report=report),
    }


def _render_report(
    request: HttpRequest,
    organisation: Organisation,
    report: Report,
    roles: set[str],
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    # Every page that shows the full text is a read, and the audit log says so.
    services.record_report_read(actor=request.user, report=report)
    states = services.workflow_states(organisation)
    labels = {state.code: state.label for state in states}
    handling = can_handle(request.user, organisation, roles, report)
    context: dict[str, Any] = {
        "organisation": organisation,
        "report": report,
        "state_label": labels.get(report.status, report.status),
        "can_handle": handling,
        "themes": Theme.objects.filter(report_themes__report=report),
        "events": [
            (event, labels.get(event.status, event.status))
            for event in report.events.filter(visible_to_reporter=True)
        ],
        "transitions": [
            (t, labels.get(t.from_status, t.from_status), labels.get(t.to_status, t.to_status))
            for t in report.transitions.select_related("actor")
        ],
        "notes": report.notes.select_related("author"),
        "phenomena": report.phenomena.order_by("name"),
        **_nav(roles),
        # discover: the similar reports of templates/analysis/_similar.html
        **similar_context(request.user, organisation, report, roles),
    }
    # Quotes and redactions (passage_context.py); their forms may be among `bound`.
    context.update(report_passages_context(organisation, report, roles, handling=handling))
    if can_edit_phenomena(roles):
        context["gather_form"] = (bound or {}).get("gather_form") or AddToPhenomenonForm(
            organisation=organisation
        )
    if handling:
        context.update(_handling_forms(organisation, report, states))
        context.update(bound or {})
        # Theme suggestions with Accept / Reject (havainto.analysis; cached per report).
        context["theme_suggestions"] = report_suggestions(report)
    return render(request, "coding/report_detail.html", context, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk)
    return _render_report(request, organisation, report, roles)


def _conflict(
    request: HttpRequest,
    organisation: Organisation,
    report: Report,
    conflict: services.EditConflict,
    form: forms.Form,
    template: str,
) -> HttpResponse:
    """Nothing was saved: show what the other person saved and the user's own input, in a
    form carrying the new version so that the user can decide again."""
    current = conflict.current
    labels = services.state_labels(organisation)
    retry_data = request.POST.copy()
    retry_data[form.add_prefix("version")] = str(current.version)
    retry = type(form)(retry_data, **_form_kwargs(form, organisation, current))
    retry.is_valid()
    yours = {
        name: form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        for name in form.fields
        if name != "version"
    }
    latest = current.transitions.select_related("actor").last()
    services.record_report_read(actor=request.user, report=current)
    return render(
        request,
        "coding/conflict.html",
        {
            "organisation": organisation,
            "report": current,
            "their_state": labels.get(current.status, current.status),
            "their_assignee": person_name(current.assignee) if current.assignee else "",
            "their_themes": Theme.objects.filter(report_themes__report=current),
            "latest": latest,
            "latest_actor": person_name(latest.actor) if latest and latest.actor else "",
            "your_state": labels.get(str(yours.get("to_status") or ""), ""),
            "yours": yours,
            "form": retry,
            "form_template": template,
            "your_assignee": person_name(yours["assignee"]) if yours.get("assignee") else "",
        },
        status=409,
    )


def _form_kwargs(form: forms.Form, organisation: Organisation, report: Report) -> dict[str, Any]:
    if isinstance(form, StateChangeForm):
        return {"report": report, "states": services.workflow_states(organisation)}
    if isinstance(form, ThemesForm):
        return {"organisation": organisation, "report": report}
    return {"organisation": organisation}


@login_required
@require_POST
def change_state(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    states = services.workflow_states(organisation)
    form = StateChangeForm(request.POST, report=report, states=states)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"state_form": form}, status=400
        )
    try:
        services.change_state(
            actor=request.user,
            report=report,
            expected_version=form.cleaned_data["version"],
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
            message=form.cleaned_data["message"],
            notify_reporter=form.cleaned_data["notify_reporter"],
        )
    except services.EditConflict as conflict:
        return _conflict(request, organisation, report, conflict, form, "coding/_state_form.html")
    except services.InvalidTransition:
        form.add_error("to_status", _("The report is in this state already."))
        return _render_report(
            request, organisation, report, roles, bound={"state_form": form}, status=400
        )
    messages.success(request, _("The state was changed."))
    return redirect("coding:report", organisation.slug, report.pk)


@login_required
@require_POST
def assign(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = AssignForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"assign_form": form}, status=400
        )
    try:
        services.assign_report(
            actor=request.user,
            report=report,
            expected_version=form.cleaned_data["version"],
            assignee=form.cleaned_data["assignee"],
        )
    except services.EditConflict as conflict:
        return _conflict(request, organisation, report, conflict, form, "coding/_assign_form.html")
    messages.success(request, _("The handler was saved."))
    return redirect("coding:report", organisation.slug, report.pk)


@login_required
@require_POST
def set_themes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = ThemesForm(request.POST, organisation=organisation, report=report)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"themes_form": form}, status=400
        )
    try:
        services.set_report_themes(
            actor=request.user,
            report=report,
            expected_version=form.cleaned_data["version"],
            themes=form.cleaned_data["themes"],
        )
    except services.EditConflict as conflict:
        return _conflict(request, organisation, report, conflict, form, "coding/_themes_form.html")
    messages.success(request, _("The themes were saved."))
    return redirect("coding:report", organisation.slug, report.pk)


@login_required
@require_POST
def add_note(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"note_form": form}, status=400
        )
    services.add_note(actor=request.user, report=report, text=form.cleaned_data["text"])
    messages.success(request, _("The note was added."))
    return redirect("coding:report", organisation.slug, report.pk)


@login_required
@require_POST
def send_message(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = MessageForm(request.POST, report=report)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"message_form": form}, status=400
        )
    services.send_reporter_message(
        actor=request.user, report=report, message=form.cleaned_data["message"]
    )
    messages.success(request, _("The answer was sent to the reporter."))
    return redirect("coding:report", organisation.slug, report.pk)


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


# --- Phenomena ---------------------------------------------------------------------------


def _supporting_reports(phenomenon: Phenomenon) -> Any:
    return (
        Report.objects.filter(phenomena=phenomenon)
        .select_related("municipality", "service_line")
        .defer(*LONG_TEXT_FIELDS)
        .order_by("-submitted_on", "-id")
    )


def _phenomenon_forms(
    organisation: Organisation, phenomenon: Phenomenon, states: list[WorkflowState]
) -> dict[str, Any]:
    version = {"version": phenomenon.version}
    today = timezone.localdate()
    return {
        "edit_form": PhenomenonEditForm(
            initial={
                **version,
                "name": phenomenon.name,
                "description": phenomenon.description,
                "themes": list(phenomenon.themes.values_list("pk", flat=True)),
                "state": phenomenon.state,
            },
            organisation=organisation,
        ),
        "proposal_form": ProposalForm(initial=version),
        "step_form": StepForm(
            initial={**version, "taken_on": today, "tell_reporters": True},
            phenomenon=phenomenon,
            states=states,
        ),
        "merge_form": MergeForm(initial=version, phenomenon=phenomenon),
    }


def _render_phenomenon(
    request: HttpRequest,
    organisation: Organisation,
    phenomenon: Phenomenon,
    roles: set[str],
    *,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    states = services.workflow_states(organisation)
    labels = {state.code: state.label for state in states}
    editing = can_edit_phenomena(roles) and phenomenon.state != Phenomenon.State.MERGED
    texts = can_read_texts(request.user, organisation, roles)
    reports = list(_supporting_reports(phenomenon)) if texts else []
    for report in reports:
        report.state_label = labels.get(report.status, report.status)  # type: ignore[attr-defined]
    if texts and reports:
        record(
            "phenomenon.reports_listed",
            actor=request.user,
            organisation=organisation,
            obj=phenomenon,
            fields=["title"],
        )
    bound = bound or {}
    proposals = list(phenomenon.proposals.all())
    steps = list(phenomenon.advocacy_steps.select_related("proposal"))
    context: dict[str, Any] = {
        "organisation": organisation,
        "phenomenon": phenomenon,
        "support": services.phenomenon_support(phenomenon),
        "themes": phenomenon.themes.all(),
        "can_edit": editing,
        "can_read_texts": texts,
        "reports": reports,
        "proposals": proposals,
        "steps": steps,
        "merged_from": phenomenon.merged_from.all(),
        "split_into": phenomenon.split_into.all(),
        **_nav(roles),
    }
    if editing:
        forms_ = _phenomenon_forms(organisation, phenomenon, states)
        forms_.update({k: v for k, v in bound.items() if k in forms_})
        context.update(forms_)
        version = {"version": phenomenon.version}
        for proposal in proposals:
            key = f"outcome-{proposal.pk}"
            proposal.form = bound.get(key) or OutcomeForm(  # type: ignore[attr-defined]
                initial={
                    **version,
                    "outcome": proposal.outcome,
                    "progress": proposal.progress,
                    "outcome_note": proposal.outcome_note,
                },
                proposal_id=proposal.pk,
            )
        for step in steps:
            key = f"answer-{step.pk}"
            step.form = bound.get(key) or AnswerForm(  # type: ignore[attr-defined]
                initial={
                    **version,
                    "answer": step.answer,
                    "answered_on": step.answered_on or timezone.localdate(),
                    "answered_by": step.answered_by,
                    "share_with_reporters": True,
                },
                step_id=step.pk,
                states=states,
            )
        context["open_form"] = next(iter(bound), "")
    return render(request, "coding/phenomenon_detail.html", context, status=status)


@login_required
@require_GET
def phenomenon_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_phenomena(request.user, slug)
    show = request.GET.get("show", "open")
    phenomena = Phenomenon.objects.filter(organisation=organisation)
    if show in (Phenomenon.State.OPEN, Phenomenon.State.CLOSED):
        phenomena = phenomena.filter(state=show)
    else:
        show = "all"
    phenomena = phenomena.annotate(
        report_count=Count("links", distinct=True),
        latest_seen=Max("reports__submitted_on"),
        latest_step=Max("advocacy_steps__taken_on"),
    ).prefetch_related("themes")
    return render(
        request,
        "coding/phenomenon_list.html",
        {
            "organisation": organisation,
            "phenomena": phenomena,
            "show": show,
            "can_edit": can_edit_phenomena(roles),
            **_nav(roles),
        },
    )


def _selected_reports(request: HttpRequest, organisation: Organisation, roles: set[str]) -> Any:
    """The reports named by ?report=… (from the inbox, a topic or a weak signal) that the
    user may read; ids that are not numbers or not theirs are ignored."""
    ids = [value for value in request.GET.getlist("report") if value.isdigit()][:500]
    return visible_reports(request.user, organisation, roles).filter(pk__in=ids)


@login_required
@require_http_methods(["GET", "POST"])
def phenomenon_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_phenomena(request.user, slug, write=True)
    readable = visible_reports(request.user, organisation, roles)
    if request.method == "POST":
        form = PhenomenonForm(request.POST, organisation=organisation, reports=readable)
        if form.is_valid():
            phenomenon = services.create_phenomenon(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                themes=form.cleaned_data["themes"],
                reports=form.cleaned_data["reports"],
            )
            messages.success(request, _("The phenomenon was created."))
            return redirect("coding:phenomenon", organisation.slug, phenomenon.pk)
        selected = readable.filter(pk__in=form.data.getlist(form.add_prefix("reports")))
    else:
        selected = _selected_reports(request, organisation, roles)
        themes = Theme.objects.filter(
            organisation=organisation, report_themes__report__in=selected
        ).distinct()
        form = PhenomenonForm(
            initial={
                "name": request.GET.get("name", "")[:200],
                "reports": list(selected.values_list("pk", flat=True)),
                "themes": list(themes.values_list("pk", flat=True)),
            },
            organisation=organisation,
            reports=readable,
        )
    # Only the chosen reports are listed as checkboxes (the organisation may have thousands).
    form.fields["reports"].queryset = selected.order_by("-submitted_on", "-id")
    form.fields["reports"].widget.choices = form.fields["reports"].choices
    if request.method == "POST" and not form.is_valid():
        status = 400
    else:
        status = 200
    return render(
        request,
        "coding/phenomenon_form.html",
        {"organisation": organisation, "form": form, **_nav(roles)},
        status=status,
    )


@login_required
@require_GET
def phenomenon_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, phenomenon, roles = get_phenomenon_for_user(request.user, slug, pk)
    return _render_phenomenon(request, organisation, phenomenon, roles)


def _phenomenon_post(
    request: HttpRequest,
    slug: str,
    pk: int,
    key: str,
    make_form: Any,
    act: Any,
    done: str,
) -> HttpResponse:
    """The shape of every change on the phenomenon page: bind the form, act through the
    service, and on a conflict show the page again with the user's input and a message."""
    organisation, phenomenon, roles = get_phenomenon_for_user(request.user, slug, pk, write=True)
    if phenomenon.state == Phenomenon.State.MERGED:
        raise Http404
    form = make_form(organisation, phenomenon)
    if not form.is_valid():
        return _render_phenomenon(
            request, organisation, phenomenon, roles, bound={key: form}, status=400
        )
    try:
        act(organisation, phenomenon, form.cleaned_data)
    except services.PhenomenonConflict as conflict:
        current = conflict.current
        data = request.POST.copy()
        data[form.add_prefix("version")] = str(current.version)
        retry = make_form(organisation, current, data=data)
        retry.is_valid()
        messages.error(
            request,
            _(
                "Someone else changed this phenomenon while you were working. Nothing was "
                "saved. Check the current version below; your input is kept in the form."
            ),
        )
        return _render_phenomenon(
            request, organisation, current, roles, bound={key: retry}, status=409
        )
    messages.success(request, done)
    return redirect("coding:phenomenon", organisation.slug, phenomenon.pk)


@login_required
@require_POST
def phenomenon_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        return PhenomenonEditForm(data or request.POST, organisation=organisation)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.update_phenomenon(
            actor=request.user,
            phenomenon=phenomenon,
            expected_version=data["version"],
            name=data["name"],
            description=data["description"],
            themes=data["themes"],
            state=data["state"],
        )

    return _phenomenon_post(
        request, slug, pk, "edit_form", make, act, _("The phenomenon was saved.")
    )


@login_required
@require_POST
def proposal_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        return ProposalForm(data or request.POST)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.add_proposal(
            actor=request.user,
            phenomenon=phenomenon,
            expected_version=data["version"],
            text=data["text"],
            addressed_to=data["addressed_to"],
        )

    return _phenomenon_post(
        request, slug, pk, "proposal_form", make, act, _("The proposal was added.")
    )


@login_required
@require_POST
def proposal_outcome(request: HttpRequest, slug: str, pk: int, proposal_pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        get_object_or_404(Proposal, pk=proposal_pk, phenomenon=phenomenon)
        return OutcomeForm(data or request.POST, proposal_id=proposal_pk)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.update_proposal_outcome(
            actor=request.user,
            proposal=Proposal.objects.select_related("phenomenon").get(pk=proposal_pk),
            expected_version=data["version"],
            outcome=data["outcome"],
            progress=data["progress"],
            outcome_note=data["outcome_note"],
            tell_reporters=data["tell_reporters"],
        )

    return _phenomenon_post(
        request, slug, pk, f"outcome-{proposal_pk}", make, act, _("The outcome was saved.")
    )


@login_required
@require_POST
def step_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        states = services.workflow_states(organisation)
        return StepForm(data or request.POST, phenomenon=phenomenon, states=states)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.record_advocacy_step(
            actor=request.user,
            phenomenon=phenomenon,
            expected_version=data["version"],
            recipient=data["recipient"],
            recipient_kind=data["recipient_kind"],
            taken_on=data["taken_on"],
            summary=data["summary"],
            proposal=data["proposal"],
            tell_reporters=data["tell_reporters"],
            report_status=data["report_status"],
        )

    return _phenomenon_post(request, slug, pk, "step_form", make, act, _("The step was recorded."))


@login_required
@require_POST
def step_answer(request: HttpRequest, slug: str, pk: int, step_pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        get_object_or_404(AdvocacyStep, pk=step_pk, phenomenon=phenomenon)
        states = services.workflow_states(organisation)
        return AnswerForm(data or request.POST, step_id=step_pk, states=states)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.record_answer(
            actor=request.user,
            step=AdvocacyStep.objects.select_related("phenomenon").get(pk=step_pk),
            expected_version=data["version"],
            answer=data["answer"],
            answered_on=data["answered_on"],
            answered_by=data["answered_by"],
            share_with_reporters=data["share_with_reporters"],
            report_status=data["report_status"],
        )

    return _phenomenon_post(
        request, slug, pk, f"answer-{step_pk}", make, act, _("The answer was recorded.")
    )


@login_required
@require_POST
def phenomenon_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    def make(organisation: Organisation, phenomenon: Phenomenon, data: Any = None) -> Any:
        return MergeForm(data or request.POST, phenomenon=phenomenon)

    def act(organisation: Organisation, phenomenon: Phenomenon, data: dict[str, Any]) -> None:
        services.merge_phenomena(
            actor=request.user,
            target=phenomenon,
            expected_version=data["version"],
            sources=data["sources"],
        )

    return _phenomenon_post(
        request, slug, pk, "merge_form", make, act, _("The phenomena were merged.")
    )


@login_required
@require_POST
def phenomenon_report_remove(
    request: HttpRequest, slug: str, pk: int, report_pk: int
) -> HttpResponse:
    organisation, phenomenon, roles = get_phenomenon_for_user(request.user, slug, pk, write=True)
    link = get_object_or_404(PhenomenonReport, phenomenon=phenomenon, report_id=report_pk)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return _render_phenomenon(request, organisation, phenomenon, roles, status=400)
    try:
        services.remove_report_from_phenomenon(
            actor=request.user,
            phenomenon=phenomenon,
            expected_version=form.cleaned_data["version"],
            report=link.report,
        )
    except services.PhenomenonConflict as conflict:
        messages.error(
            request,
            _("Someone else changed this phenomenon while you were working. Nothing was saved."),
        )
        return _render_phenomenon(request, organisation, conflict.current, roles, status=409)
    messages.success(request, _("The report was removed from the phenomenon."))
    return redirect("coding:phenomenon", organisation.slug, phenomenon.pk)


@login_required
@require_http_methods(["GET", "POST"])
def phenomenon_split(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, phenomenon, roles = get_phenomenon_for_user(request.user, slug, pk, write=True)
    if phenomenon.state == Phenomenon.State.MERGED:
        raise Http404
    if not can_read_texts(request.user, organisation, roles):
        raise PermissionDenied
    reports = _supporting_reports(phenomenon)
    form = SplitForm(_data(request), initial={"version": phenomenon.version}, reports=reports)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new = services.split_phenomenon(
                    actor=request.user,
                    phenomenon=phenomenon,
                    expected_version=form.cleaned_data["version"],
                    name=form.cleaned_data["name"],
                    reports=form.cleaned_data["reports"],
                    keep_in_original=form.cleaned_data["keep_in_original"],
                )
            except services.PhenomenonConflict as conflict:
                data = request.POST.copy()
                data[form.add_prefix("version")] = str(conflict.current.version)
                form = SplitForm(data, reports=reports)
                form.is_valid()
                messages.error(
                    request,
                    _(
                        "Someone else changed this phenomenon while you were working. "
                        "Nothing was saved. Check the choices and try again."
                    ),
                )
                status = 409
            else:
                messages.success(request, _("The phenomenon was split."))
                return redirect("coding:phenomenon", organisation.slug, new.pk)
        else:
            status = 400
    return render(
        request,
        "coding/phenomenon_split.html",
        {"organisation": organisation, "phenomenon": phenomenon, "form": form, **_nav(roles)},
        status=status,
    )


@login_required
@require_POST
def report_gather(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add the report (from its page) to an open phenomenon."""
    organisation, report, roles = get_report_for_user(request.user, slug, pk)
    if not can_edit_phenomena(roles):
        raise PermissionDenied
    form = AddToPhenomenonForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _render_report(
            request, organisation, report, roles, bound={"gather_form": form}, status=400
        )
    phenomenon = form.cleaned_data["phenomenon"]
    # Adding is commutative: the version read now is the one checked.
    services.add_reports_to_phenomenon(
        actor=request.user,
        phenomenon=phenomenon,
        expected_version=phenomenon.version,
        reports=[report],
    )
    messages.success(request, _("The report was added to the phenomenon."))
    return redirect("coding:report", organisation.slug, report.pk)


# --- Overview ----------------------------------------------------------------------------


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts for everyone in the workspace (readers included): no report text."""
    organisation, roles = get_organisation_for_phenomena(request.user, slug)
    form = PeriodForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "coding/overview.html",
            {"organisation": organisation, "form": form, **_nav(roles)},
            status=400,
        )
    start, end = form.period(timezone.localdate())
    if not form.is_bound:
        form = PeriodForm(initial={"date_from": start, "date_to": end})
    return render(
        request,
        "coding/overview.html",
        {
            "organisation": organisation,
            "form": form,
            "start": start,
            "end": end,
            "overview": services.overview(organisation, start, end),
            **_nav(roles),
        },
    )


# --- "You said, we did" ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def digests(request: HttpRequest, slug: str) -> HttpResponse:
    """Compose (preview) and send the digest of a period to everyone who reported in it."""
    organisation, roles = get_organisation_for_phenomena(request.user, slug, write=True)
    today = timezone.localdate()
    start, end = PeriodForm().period(today)
    form = DigestForm(_data(request), initial={"date_from": start, "date_to": end})
    preview, status, report_count = "", 200, 0
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
            if request.POST.get("send") == "yes":
                digest = services.send_digest(
                    actor=request.user,
                    organisation=organisation,
                    start=start,
                    end=end,
                    intro=form.cleaned_data["intro"],
                )
                messages.success(
                    request,
                    _("The digest was sent: %(reports)s reports, %(mails)s e-mails.")
                    % {"reports": digest.report_count, "mails": digest.mail_count},
                )
                return redirect("coding:digests", organisation.slug)
            language = (request.LANGUAGE_CODE or "fi")[:2]
            preview = services.compose_digest(organisation, start, end, language)
            if form.cleaned_data["intro"]:
                preview = f"{form.cleaned_data['intro']}\n\n{preview}"
            report_count = (
                Report.objects.of(organisation).filter(submitted_on__range=(start, end)).count()
            )
    return render(
        request,
        "coding/digests.html",
        {
            "organisation": organisation,
            "form": form,
            "preview": preview,
            "report_count": report_count,
            "sent": Digest.objects.filter(organisation=organisation)[:50],
            **_nav(roles),
        },
        status=status,
    )


# --- Codebook ------------------------------------------------------------------------------
# Every member of the workspace reads the codebook (labels, descriptions and report counts,
# never report texts); coordinators and organisation admins change it. Themes are never
# deleted: a merged theme keeps its page, which points to the theme it was merged into.

LANGUAGE_NAMES = {
    "fi": gettext_lazy("Finnish"),
    "sv": gettext_lazy("Swedish"),
    "en": gettext_lazy("English"),
}


def _can_edit_codebook(roles: set[str]) -> bool:
    return bool(roles & SETTINGS_ROLES)


def _theme_or_404(organisation: Organisation, pk: int) -> Theme:
    return get_object_or_404(
        Theme.objects.select_related("parent", "merged_into"), pk=pk, organisation=organisation
    )


def _merged_redirect(
    request: HttpRequest, organisation: Organisation, theme: Theme
) -> HttpResponse:
    messages.info(
        request,
        _("“%(theme)s” has been merged into “%(target)s” and can no longer be changed.")
        % {"theme": theme.label, "target": theme.merged_into.label if theme.merged_into else ""},
    )
    return redirect("coding:theme-history", organisation.slug, theme.pk)


def _with_labels(theme: Theme) -> Theme:
    """Mark the label in the user's language (or the first there is) and the others."""
    active = active_language()
    order = [active] + [lang for lang in CONTENT_LANGUAGES if lang != active]
    shown = next((lang for lang in order if getattr(theme, f"label_{lang}")), "fi")
    theme.shown_lang = shown  # type: ignore[attr-defined]
    theme.other_labels = [  # type: ignore[attr-defined]
        (lang, LANGUAGE_NAMES[lang], getattr(theme, f"label_{lang}"))
        for lang in CONTENT_LANGUAGES
        if lang != shown
    ]
    return theme


@login_required
@require_GET
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug)
    themes = [
        _with_labels(theme)
        for theme in Theme.objects.filter(organisation=organisation)
        .select_related("merged_into")
        .order_by("order", "id")
    ]
    # Counted on the (theme, report) index alone, apart from the themes: a GROUP BY over the
    # joined theme rows took about a second on SQLite with 100 000 coded reports.
    counts = dict(
        ReportTheme.objects.filter(theme_id__in=[theme.pk for theme in themes])
        .values("theme_id")
        .annotate(count=Count("id"))
        .values_list("theme_id", "count")
        .order_by()
    )
    for theme in themes:
        theme.report_count = counts.get(theme.pk, 0)  # type: ignore[attr-defined]
    paths = services.theme_paths(themes)
    return render(
        request,
        "coding/codebook_list.html",
        {
            "organisation": organisation,
            "tree": services.codebook_tree(themes),
            "hidden_themes": [
                (theme, paths[theme.pk])
                for theme in themes
                if theme.hidden and theme.merged_into_id is None
            ],
            "merged_themes": [theme for theme in themes if theme.merged_into_id is not None],
            "can_edit": _can_edit_codebook(roles),
            "levels": services.CODEBOOK_LEVELS,
            # Counts link to the inbox only for those who may read the reports.
            "can_open_reports": can_read_texts(request.user, organisation, roles),
            **_nav(roles),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    parent = request.GET.get("parent", "")
    form = NewThemeForm(
        _data(request),
        organisation=organisation,
        initial={"parent": parent if parent.isdigit() else None},
    )
    if form.is_bound and form.is_valid():
        try:
            theme = services.create_theme(
                actor=request.user,
                organisation=organisation,
                code=form.cleaned_data["code"],
                values=form.texts(),
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            fields = {"taken": "code", "invalid": "code", "required": "label_fi"}
            form.add_error(fields.get(str(error.code), "parent"), error)
        else:
            messages.success(
                request, _("The theme “%(theme)s” was added.") % {"theme": theme.label}
            )
            return redirect("coding:codebook", organisation.slug)
    return render(
        request,
        "coding/theme_form.html",
        {"organisation": organisation, "form": form, **_nav(roles)},
        status=400 if form.is_bound else 200,
    )


def _display(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Theme):
        return value.label
    return str(value)


def _conflict_rows(form: forms.Form, current: Theme) -> list[tuple[str, str, str]]:
    """(field, saved meanwhile, your input) for the fields of the form that was not saved."""
    yours = getattr(form, "cleaned_data", {})
    return [
        (
            str(field.label or name),
            _display(getattr(current, name, None)),
            _display(yours.get(name)),
        )
        for name, field in form.fields.items()
        if name != "version"
    ]


def _retry(form: forms.Form, current: Theme, **kwargs: Any) -> forms.Form:
    """The user's input again, with the version now saved, to decide again."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current.version)
    retry = type(form)(data, **kwargs)
    retry.is_valid()
    return retry


def _render_theme_edit(
    request: HttpRequest,
    organisation: Organisation,
    theme: Theme,
    roles: set[str],
    *,
    bound: dict[str, forms.Form] | None = None,
    conflict: list[tuple[str, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = {"version": theme.version}
    texts = {name: getattr(theme, name) for name in services.THEME_TEXT_FIELDS}
    context: dict[str, Any] = {
        "organisation": organisation,
        "theme": theme,
        "report_count": theme.report_themes.count(),
        "children": Theme.objects.current().filter(parent=theme),
        "texts_form": ThemeEditForm(initial={**version, **texts}),
        "place_form": ThemePlaceForm(initial={**version, "parent": theme.parent_id}, theme=theme),
        "visibility_form": ThemeVisibilityForm(initial=version),
        "conflict": conflict,
        **_nav(roles),
    }
    context.update(bound or {})
    return render(request, "coding/theme_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    if request.method == "GET":
        return _render_theme_edit(request, organisation, theme, roles)
    form = ThemeEditForm(request.POST)
    if form.is_valid():
        try:
            services.update_theme(
                actor=request.user,
                theme=theme,
                expected_version=form.cleaned_data["version"],
                values=form.texts(),
            )
        except services.ThemeConflict as conflict:
            return _render_theme_edit(
                request,
                organisation,
                conflict.current,
                roles,
                bound={"texts_form": _retry(form, conflict.current)},
                conflict=_conflict_rows(form, conflict.current),
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The theme was saved."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"texts_form": form}, status=400
    )


@login_required
@require_POST
def theme_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemePlaceForm(request.POST, theme=theme)
    if form.is_valid():
        try:
            services.move_theme(
                actor=request.user,
                theme=theme,
                expected_version=form.cleaned_data["version"],
                parent=form.cleaned_data["parent"],
            )
        except services.ThemeConflict as conflict:
            current = conflict.current
            return _render_theme_edit(
                request,
                organisation,
                current,
                roles,
                bound={"place_form": _retry(form, current, theme=current)},
                conflict=_conflict_rows(form, current),
                status=409,
            )
        except ValidationError as error:
            form.add_error("parent", error)
        else:
            messages.success(request, _("The theme was moved."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"place_form": form}, status=400
    )


@login_required
@require_POST
def theme_visibility(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeVisibilityForm(request.POST)
    if form.is_valid():
        change = services.hide_theme if form.cleaned_data["hidden"] else services.show_theme
        try:
            change(actor=request.user, theme=theme, expected_version=form.cleaned_data["version"])
        except services.ThemeConflict as conflict:
            current = conflict.current
            return _render_theme_edit(
                request,
                organisation,
                current,
                roles,
                bound={"visibility_form": _retry(form, current)},
                conflict=_conflict_rows(form, current),
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["hidden"]:
                messages.success(request, _("The theme was hidden."))
            else:
                messages.success(request, _("The theme is shown again."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"visibility_form": form}, status=400
    )


@login_required
@require_POST
def theme_order(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The move up / move down buttons of the codebook list."""
    organisation, _roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The order was not changed. Reload the page and try again."))
        return redirect("coding:codebook", organisation.slug)
    try:
        services.reorder_theme(
            actor=request.user,
            theme=theme,
            expected_version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )
    except services.ThemeConflict:
        messages.error(
            request,
            _(
                "The order was not changed: someone else changed “%(theme)s” meanwhile. Check "
                "the list below and try again."
            )
            % {"theme": theme.label},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The order was changed."))
    return redirect(f"{reverse('coding:codebook', args=[organisation.slug])}#theme-{theme.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeMergeForm(_data(request), theme=theme, initial={"version": theme.version})
    status = 400 if form.is_bound else 200
    conflict = False
    if form.is_bound and form.is_valid():
        try:
            result = services.merge_themes(
                actor=request.user,
                theme=theme,
                into=form.cleaned_data["into"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ThemeConflict as error:
            theme, conflict, status = error.current, True, 409
            form = _retry(form, theme, theme=theme)
        except ValidationError as error:
            form.add_error("into", error)
        else:
            messages.success(
                request,
                _(
                    "“%(source)s” was merged into “%(target)s”. Reports moved: %(moved)s; "
                    "reports that already had it: %(both)s."
                )
                % {
                    "source": result.source.label,
                    "target": result.target.label,
                    "moved": result.reports_moved,
                    "both": result.reports_had_both,
                },
            )
            return redirect("coding:codebook", organisation.slug)
    return render(
        request,
        "coding/theme_merge.html",
        {
            "organisation": organisation,
            "theme": theme,
            "report_count": theme.report_themes.count(),
            "children": Theme.objects.current().filter(parent=theme),
            "form": form,
            "conflict": conflict,
            **_nav(roles),
        },
        status=status,
    )


def _parent_name(code: str | None, names: dict[str, str]) -> str:
    if not code:
        return _("None: a main theme")
    return names.get(code, code)


def _relation_counts(after: dict[str, Any]) -> str:
    counts = (after.get("relations") or {}).get(services.REPORT_THEMES, {})
    return _("Reports moved: %(moved)s; reports that already had it: %(both)s.") % {
        "moved": counts.get("moved", 0),
        "both": counts.get("removed", 0),
    }


def _describe_change(change: ThemeChange, names: dict[str, str]) -> list[str]:
    """The change as sentences for the history page."""
    before, after = change.before or {}, change.after or {}
    kind = ThemeChange.Kind
    field_label = {
        name: str(capfirst(Theme._meta.get_field(name).verbose_name))
        for name in (*services.THEME_TEXT_FIELDS, "parent")
    }
    if change.kind == kind.CREATED:
        lines = [f"{_('Code')}: {after.get('code', '')}"]
        lines += [
            f"{field_label[name]}: {after[name]}"
            for name in services.THEME_TEXT_FIELDS
            if after.get(name)
        ]
        return [*lines, f"{field_label['parent']}: {_parent_name(after.get('parent'), names)}"]
    if change.kind == kind.RENAMED:
        return [
            _("%(field)s: “%(before)s” → “%(after)s”")
            % {"field": field_label.get(name, name), "before": before.get(name), "after": value}
            for name, value in after.items()
        ]
    if change.kind == kind.MOVED:
        return [
            _("%(field)s: “%(before)s” → “%(after)s”")
            % {
                "field": field_label["parent"],
                "before": _parent_name(before.get("parent"), names),
                "after": _parent_name(after.get("parent"), names),
            }
        ]
    if change.kind == kind.REORDERED:
        return [
            _("Position among its sibling themes: %(before)s → %(after)s")
            % {"before": (before.get("order") or 0) + 1, "after": (after.get("order") or 0) + 1}
        ]
    lines: list[str] = []
    if change.kind == kind.MERGED:
        target = after.get("merged_into") or ""
        lines = [_("Merged into “%(theme)s”.") % {"theme": names.get(target, target)}]
    elif change.kind == kind.RECEIVED:
        source = after.get("from") or ""
        lines = [
            _("“%(theme)s” was merged into this theme.") % {"theme": names.get(source, source)}
        ]
    if change.kind in (kind.MERGED, kind.RECEIVED):
        lines.append(_relation_counts(after))
        if after.get("children"):
            children = ", ".join(names.get(code, code) for code in after["children"])
            lines.append(_("Sub-themes moved: %(themes)s") % {"themes": children})
    return lines


@login_required
@require_GET
def theme_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug)
    theme = _with_labels(_theme_or_404(organisation, pk))
    names = {t.code: t.label for t in Theme.objects.filter(organisation=organisation)}
    return render(
        request,
        "coding/theme_history.html",
        {
            "organisation": organisation,
            "theme": theme,
            "report_count": theme.report_themes.count(),
            "children": Theme.objects.current().filter(parent=theme),
            "merged_from": theme.merged_from.all(),
            "changes": [
                (change, _describe_change(change, names))
                for change in theme.changes.select_related("actor")
            ],
            "can_edit": _can_edit_codebook(roles),
            **_nav(roles),
        },
    )

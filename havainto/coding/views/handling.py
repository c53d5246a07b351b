"""The inbox (filters, keyset pages, saved views) and one report: its page and the changes
of its state, handler, themes, notes and answers to the reporter.

Every view starts from a helper in coding/access.py: 404 for people outside the
organisation and for reports outside a handler's units, 403 (without data) for members
whose role lacks the right.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from havainto.accounts.models import Organisation
from havainto.analysis.services import report_suggestions
from havainto.analysis.views import similar_context
from havainto.coding import services
from havainto.coding.access import (
    can_edit_phenomena,
    can_handle,
    get_organisation_for_texts,
    get_report_for_user,
    visible_reports,
)
from havainto.coding.forms import (
    LONG_TEXT_FIELDS,
    NEW_CAP,
    PAGE_SIZE,
    AddToPhenomenonForm,
    AssignForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    Page,
    SavedViewForm,
    StateChangeForm,
    ThemesForm,
    clean_query,
    keyset_page,
    person_name,
)
from havainto.coding.models import SavedView, Theme, WorkflowState
from havainto.coding.views._common import _nav
from havainto.coding.views.passage_context import report_passages_context
from havainto.reports.models import Report

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

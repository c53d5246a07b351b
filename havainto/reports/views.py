import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from havainto.accounts.access import has_role, organisations_for
from havainto.accounts.models import Organisation
from havainto.coding.services import state_labels
from havainto.reports.forms import ReportForm
from havainto.reports.models import Report, ReportDraft
from havainto.reports.services import (
    DraftConflict,
    DraftRejected,
    ReplayMismatch,
    find_by_receipt,
    reporter_status,
    save_draft,
    submit_report,
)

SESSION_RECEIPT = "havainto_receipt"


def get_organisation_for_reporting(request: HttpRequest, slug: str) -> Organisation:
    """The organisation whose form this user may fill in; 404 for members of other
    organisations when it does not take anonymous reports."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.allow_anonymous:
        return organisation
    if request.user.is_authenticated and not has_role(
        request.user, organisation, ["reporter", "handler", "coordinator", "reader", "admin"]
    ):
        raise Http404
    return organisation


def _extra_answers(form: ReportForm) -> dict[str, Any]:
    answers = {}
    for question in form.extra_questions:
        value = form.cleaned_data.get(f"extra_{question.pk}")
        if value not in (None, "", []):
            answers[str(question.pk)] = value
    return answers


def _render_form(
    request: HttpRequest,
    organisation: Organisation,
    form: ReportForm,
    notice: str = "",
    status: int = 200,
    draft: ReportDraft | None = None,
) -> HttpResponse:
    return render(
        request,
        "reports/report_form.html",
        {"organisation": organisation, "form": form, "notice": notice, "draft": draft},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_reporting(request, slug)
    user = request.user
    if not organisation.allow_anonymous and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        draft = None
        initial: dict[str, Any] = {}
        if user.is_authenticated:
            draft = ReportDraft.objects.filter(user=user, organisation=organisation).first()
            if draft is not None:
                initial = dict(draft.data)
        form = ReportForm(organisation=organisation, user=user, initial=initial)
        return _render_form(request, organisation, form, draft=draft)

    form = ReportForm(request.POST, organisation=organisation, user=user)
    if request.POST.get("rendered_for_user") and not user.is_authenticated:
        # The session ended while the reporter typed: show the text again, store nothing.
        form.is_valid()
        return _render_form(
            request,
            organisation,
            form,
            status=200,
            notice=_(
                "Your session has expired. Your text is still here: log in again and "
                "send it, or send it anonymously."
            ),
        )
    if request.POST.get("action") == "save_draft" and user.is_authenticated:
        return _save_draft_without_js(request, organisation, form)
    if not form.is_valid():
        return _render_form(request, organisation, form, status=400)
    raw_key = form.cleaned_data.get("submission_key") or uuid.uuid4().hex
    try:
        result = submit_report(
            actor=user,
            organisation=organisation,
            cleaned=form.cleaned_data,
            raw_key=raw_key,
            extra_answers=_extra_answers(form),
        )
    except ReplayMismatch:
        fresh = ReportForm(request.POST.copy(), organisation=organisation, user=user)
        fresh.data["submission_key"] = uuid.uuid4().hex
        fresh.is_valid()
        return _render_form(
            request,
            organisation,
            fresh,
            status=409,
            notice=_(
                "This form was already sent once and you have changed it since. "
                "To send it as a new report, check it and press Send again."
            ),
        )
    request.session[SESSION_RECEIPT] = {
        "receipt": result.receipt,
        "organisation": organisation.slug,
        "title": result.report.title,
    }
    return redirect("reports:thanks")


def _save_draft_without_js(
    request: HttpRequest, organisation: Organisation, form: ReportForm
) -> HttpResponse:
    data = {k: (v if len(v) != 1 else v[0]) for k, v in request.POST.lists()}
    try:
        draft = save_draft(
            actor=request.user, organisation=organisation, data=data, base_version=None
        )
    except DraftRejected:
        form.is_valid()
        return _render_form(
            request,
            organisation,
            form,
            status=400,
            notice=_("The draft was not saved: it contains identifying data."),
        )
    form.is_valid()
    form.errors.clear()
    when = formats.time_format(timezone.localtime(draft.updated_at), "H.i")
    return _render_form(
        request,
        organisation,
        form,
        draft=draft,
        notice=_("Draft saved at %(time)s.") % {"time": when},
    )


@require_POST
def autosave_draft(request: HttpRequest, slug: str) -> HttpResponse:
    """Autosave from the form's script. JSON answers; never stores identifying data."""
    organisation = get_organisation_for_reporting(request, slug)
    if not request.user.is_authenticated:
        return JsonResponse({"saved": False, "message": _("Log in to save drafts.")}, status=401)
    data = {k: (v if len(v) != 1 else v[0]) for k, v in request.POST.lists()}
    base = data.pop("draft_version", None)
    try:
        base_version = int(base) if base not in (None, "") else None
    except (TypeError, ValueError):
        base_version = None
    try:
        draft = save_draft(
            actor=request.user, organisation=organisation, data=data, base_version=base_version
        )
    except DraftRejected:
        return JsonResponse(
            {
                "saved": False,
                "message": _("Not saved: the text contains identifying data. Remove it first."),
            },
            status=422,
        )
    except DraftConflict as conflict:
        return JsonResponse(
            {
                "saved": False,
                "version": conflict.current_version,
                "message": _(
                    "Not saved: the draft was changed in another window. Reload the "
                    "page to continue from the newer draft."
                ),
            },
            status=409,
        )
    when = formats.time_format(timezone.localtime(draft.updated_at), "H.i")
    return JsonResponse(
        {
            "saved": True,
            "version": draft.version,
            "message": _("Draft saved at %(time)s.") % {"time": when},
        }
    )


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    # Shown once: the receipt is not stored anywhere in readable form.
    shown = request.session.pop(SESSION_RECEIPT, None)
    organisation = None
    if shown:
        organisation = Organisation.objects.filter(slug=shown["organisation"]).first()
    return render(request, "reports/thanks.html", {"shown": shown, "organisation": organisation})


@never_cache
@require_http_methods(["GET", "POST"])
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """Type a receipt code to see what has happened to the report (POST keeps the code out
    of addresses and logs)."""
    code = request.POST.get("receipt", "") if request.method == "POST" else ""
    report = find_by_receipt(code) if code else None
    status = 404 if code and report is None else 200
    return render(
        request,
        "reports/receipt.html",
        {
            "report": report,
            "code": code,
            "not_found": status == 404,
            **reporter_status(report),
        },
        status=status,
    )


@never_cache
@require_GET
def receipt_status(request: HttpRequest, receipt: str) -> HttpResponse:
    report = find_by_receipt(receipt)
    if report is None:
        return render(
            request, "reports/receipt.html", {"not_found": True, "code": receipt}, status=404
        )
    return render(request, "reports/receipt.html", {"report": report, **reporter_status(report)})


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = (
        Report.objects.filter(author=request.user)
        .select_related("organisation")
        .order_by("-submitted_on", "-id")
    )
    reports = list(reports)
    labels = {}
    for report in reports:
        if report.organisation_id not in labels:
            labels[report.organisation_id] = state_labels(report.organisation)
        names = labels[report.organisation_id]
        report.state_label = names.get(report.status, report.get_status_display())
    drafts = ReportDraft.objects.filter(user=request.user).select_related("organisation")
    return render(
        request,
        "reports/my_reports.html",
        {"reports": reports, "drafts": drafts, "organisations": organisations_for(request.user)},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A failed CSRF check (an old tab, an expired cookie) must not eat the typed text:
    show the form again with a fresh token, store nothing (REL-03)."""
    match = request.resolver_match
    if match is not None and match.view_name == "reports:form" and request.method == "POST":
        organisation = Organisation.objects.filter(slug=match.kwargs.get("slug")).first()
        if organisation is not None:
            form = ReportForm(request.POST, organisation=organisation, user=request.user)
            form.is_valid()
            return _render_form(
                request,
                organisation,
                form,
                status=403,
                notice=_(
                    "Your form could not be sent because the page had expired. Nothing "
                    "was stored. Your text is below: check it and press Send again."
                ),
            )
    return render(request, "403_csrf.html", status=403)


@login_required
@require_GET
def my_report(request: HttpRequest, pk: int) -> HttpResponse:
    """What has happened to one of the user's own named reports."""
    report = get_object_or_404(Report, pk=pk, author=request.user)
    return render(
        request, "reports/receipt.html", {"report": report, "mine": True, **reporter_status(report)}
    )

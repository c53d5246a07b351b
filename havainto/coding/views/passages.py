"""Passages of report texts in the workspace: quotes coded with themes (and their approval
for publication), redaction, the originals of redacted passages, and the redaction queue.

Access as everywhere in the workspace: the helpers of coding/access.py (outsiders 404,
members whose role lacks the right 403). Pages that show passages of reports record the read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from havainto.accounts.models import Organisation
from havainto.coding import services
from havainto.coding.access import (
    can_approve_quotes,
    get_candidate_for_user,
    get_organisation_for_queue,
    get_organisation_for_texts,
    get_quote_for_user,
    get_redaction_for_coordinator,
    get_report_for_user,
    queue_candidates,
    visible_reports,
)
from havainto.coding.forms import CandidateRedactionForm, QuoteFilterForm, QuoteForm, RedactionForm
from havainto.coding.models import Quote
from havainto.coding.views._common import _nav
from havainto.coding.views.handling import _render_report
from havainto.coding.views.passage_context import queue_row, quote_rows
from havainto.reports.models import Report

QUOTES_PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 50


def _back(request: HttpRequest, organisation: Organisation, default: str) -> HttpResponse:
    """Back to the page the form was on (a workspace page of this organisation)."""
    target = request.POST.get("next", "")
    prefix = f"/o/{organisation.slug}/"
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _report_url(report: Report, anchor: str) -> str:
    return reverse("coding:report", args=[report.organisation.slug, report.pk]) + anchor


# --- Quotes --------------------------------------------------------------------------------


@login_required
@require_POST
def quote_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = QuoteForm(request.POST, report=report)
    if form.is_valid():
        span = form.cleaned_data["span"]
        try:
            services.add_quote(
                actor=request.user,
                report=report,
                field=form.cleaned_data["field"],
                start=span.start,
                end=span.end,
                theme=form.cleaned_data["theme"],
                expected_text=form.cleaned_data["text"],
            )
        except services.DuplicateQuote:
            messages.info(request, _("This passage has this theme already."))
            return redirect(_report_url(report, "#quotes-title"))
        except services.PassageChanged:
            form.add_error(None, _("The text changed meanwhile. Pick the words again."))
        else:
            messages.success(request, _("The quote was added."))
            return redirect(_report_url(report, "#quotes-title"))
    return _render_report(
        request, organisation, report, roles, bound={"quote_form": form}, status=400
    )


@login_required
@require_POST
def quote_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, quote, _roles = get_quote_for_user(request.user, slug, pk, write=True)
    services.remove_quote(actor=request.user, quote=quote)
    messages.success(request, _("The quote was removed."))
    return _back(request, organisation, _report_url(quote.report, "#quotes-title"))


@login_required
@require_POST
def quote_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, quote, _roles = get_quote_for_user(request.user, slug, pk, approve=True)
    try:
        services.approve_quote(actor=request.user, quote=quote)
    except services.QuoteNotCurrent:
        messages.error(
            request,
            _(
                "The report's text has changed after the quote was taken, so it cannot be "
                "approved. Remove it and take the quote again."
            ),
        )
    else:
        messages.success(request, _("The quote was approved for publication."))
    return _back(request, organisation, _report_url(quote.report, "#quotes-title"))


@login_required
@require_POST
def quote_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, quote, _roles = get_quote_for_user(request.user, slug, pk, approve=True)
    services.withdraw_quote_approval(actor=request.user, quote=quote)
    messages.success(request, _("The approval was withdrawn."))
    return _back(request, organisation, _report_url(quote.report, "#quotes-title"))


@login_required
@require_GET
def quote_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The quotes of the reports the user reads, by theme; coordinators approve here."""
    organisation, roles = get_organisation_for_texts(request.user, slug)
    form = QuoteFilterForm(request.GET, organisation=organisation)
    quotes = Quote.objects.filter(
        report__in=visible_reports(request.user, organisation, roles)
    ).select_related("theme", "report", "created_by", "approved_by")
    quotes = form.apply(quotes) if form.is_valid() else quotes.none()
    page = Paginator(
        quotes.order_by("theme__order", "theme_id", "-report_id", "field", "start", "id"),
        QUOTES_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = quote_rows(list(page.object_list))
    services.record_excerpt_reads(
        actor=request.user, organisation=organisation, report_ids=[q.report_id for q in rows]
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coding/quote_list.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "rows": rows,
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "can_approve_quotes": can_approve_quotes(roles),
            **_nav(roles),
        },
        status=200 if form.is_valid() else 400,
    )


# --- Redaction -----------------------------------------------------------------------------


@login_required
@require_POST
def redact(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, report, roles = get_report_for_user(request.user, slug, pk, write=True)
    form = RedactionForm(request.POST, report=report)
    status = 400
    if form.is_valid():
        span = form.cleaned_data["span"]
        try:
            services.redact_passage(
                actor=request.user,
                report=report,
                expected_version=form.cleaned_data["version"],
                field=form.cleaned_data["field"],
                start=span.start,
                end=span.end,
                reason=form.cleaned_data["reason"],
                expected_text=form.cleaned_data["text"],
            )
        except (services.EditConflict, services.PassageChanged):
            # Nothing was redacted. Show the current text and keep what the user entered,
            # with the current version, so that they can check and send again.
            report = get_report_for_user(request.user, slug, pk, write=True)[1]
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(report.version)
            form = RedactionForm(data, report=report)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Someone changed the report while you were redacting, and nothing was "
                    "redacted. Check the text and send again."
                ),
            )
            status = 409
        except services.AlreadyRedacted:
            form.add_error("passage", _("This passage has been redacted already."))
        except services.TextTooLong:
            form.add_error("passage", _("The text would become too long: pick a longer passage."))
        else:
            messages.success(request, _("The passage was redacted."))
            return redirect(_report_url(report, "#redactions-title"))
    return _render_report(
        request, organisation, report, roles, bound={"redaction_form": form}, status=status
    )


@login_required
@require_GET
def redaction_original(request: HttpRequest, slug: str, pk: int, redaction: int) -> HttpResponse:
    """The original of a redacted passage, for coordinators until it is erased (audited)."""
    organisation, found, roles = get_redaction_for_coordinator(request.user, slug, pk, redaction)
    try:
        original = services.read_redaction_original(actor=request.user, redaction=found)
    except services.OriginalPurged:
        original = None
    return render(
        request,
        "coding/redaction_original.html",
        {
            "organisation": organisation,
            "report": found.report,
            "redaction": found,
            "original": original,
            **_nav(roles),
        },
    )


# --- The redaction queue -------------------------------------------------------------------


def _queue_url(organisation: Organisation) -> str:
    return reverse("coding:redaction-queue", args=[organisation.slug])


@login_required
@require_GET
def redaction_queue(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_queue(request.user, slug)
    candidates = (
        queue_candidates(request.user, organisation, roles)
        .select_related("report")
        # Identity codes, phone numbers and the like before names (a warning only).
        .order_by(_names_last(), "-report_id", "field", "start", "id")
    )
    page = Paginator(candidates, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [queue_row(candidate) for candidate in page.object_list]
    services.record_excerpt_reads(
        actor=request.user,
        organisation=organisation,
        report_ids=[row.candidate.report_id for row in rows],
    )
    return render(
        request,
        "coding/redaction_queue.html",
        {"organisation": organisation, "page": page, "rows": rows, **_nav(roles)},
    )


def _names_last() -> Case:
    return Case(When(kind="name", then=Value(1)), default=Value(0), output_field=IntegerField())


@login_required
@require_http_methods(["GET", "POST"])
def candidate_redact(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Confirm the redaction of what the detector found, with a reason."""
    organisation, candidate, roles = get_candidate_for_user(request.user, slug, pk)
    report = candidate.report
    form = CandidateRedactionForm(
        request.POST if request.method == "POST" else None, initial={"version": report.version}
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                services.redact_candidate(
                    actor=request.user,
                    candidate=candidate,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except services.CandidateClosed:
                messages.info(request, _("This was decided already, or the text has changed."))
                return redirect(_queue_url(organisation))
            except services.EditConflict:
                # Nothing was redacted; the passage may have moved: read it again.
                try:
                    candidate = get_candidate_for_user(request.user, slug, pk)[1]
                except Http404:
                    messages.info(request, _("This was decided already, or the text has changed."))
                    return redirect(_queue_url(organisation))
                report = candidate.report
                data = request.POST.copy()
                data[form.add_prefix("version")] = str(report.version)
                form = CandidateRedactionForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _(
                        "Someone changed the report meanwhile, and nothing was redacted. "
                        "Check the passage and send again."
                    ),
                )
                status = 409
            else:
                messages.success(request, _("The passage was redacted."))
                return redirect(_queue_url(organisation))
    services.record_excerpt_reads(
        actor=request.user, organisation=organisation, report_ids=[report.pk]
    )
    return render(
        request,
        "coding/redaction_candidate.html",
        {
            "organisation": organisation,
            "row": queue_row(candidate, context=120),
            "report": report,
            "form": form,
            **_nav(roles),
        },
        status=status,
    )


@login_required
@require_POST
def candidate_dismiss(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, candidate, _roles = get_candidate_for_user(request.user, slug, pk)
    try:
        services.dismiss_candidate(actor=request.user, candidate=candidate)
    except services.CandidateClosed:
        messages.info(request, _("This was decided already, or the text has changed."))
    else:
        messages.success(request, _("Marked as not personal data."))
    return _back(request, organisation, _queue_url(organisation))

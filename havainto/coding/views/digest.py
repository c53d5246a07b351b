"""The readers' overview (counts only) and the "you said, we did" digest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from havainto.coding import services
from havainto.coding.access import get_organisation_for_phenomena
from havainto.coding.forms import DigestForm, PeriodForm
from havainto.coding.models import Digest
from havainto.coding.views._common import _data, _nav
from havainto.reports.models import Report

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

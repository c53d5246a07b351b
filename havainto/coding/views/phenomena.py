"""Phenomena: the list, creating one (also from the inbox, a topic or a weak signal), its
page with proposals, outcomes, advocacy steps and answers, merging, splitting, and adding
a report to one from the report's page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding import services
from havainto.coding.access import (
    can_edit_phenomena,
    can_read_texts,
    get_organisation_for_phenomena,
    get_phenomenon_for_user,
    get_report_for_user,
    visible_reports,
)
from havainto.coding.forms import (
    LONG_TEXT_FIELDS,
    AddToPhenomenonForm,
    AnswerForm,
    MergeForm,
    OutcomeForm,
    PhenomenonEditForm,
    PhenomenonForm,
    ProposalForm,
    SplitForm,
    StepForm,
    VersionedForm,
)
from havainto.coding.models import (
    AdvocacyStep,
    Phenomenon,
    PhenomenonReport,
    Proposal,
    Theme,
    WorkflowState,
)
from havainto.coding.views._common import _data, _nav
from havainto.coding.views.handling import _render_report
from havainto.reports.models import Report

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

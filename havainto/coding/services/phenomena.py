"""Phenomena (ilmiöt): their supporting reports, proposals and outcomes, the advocacy
steps and answers, merging and splitting, and what the reporters are told of them."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, F, Max, Min
from django.utils import timezone, translation
from django.utils.translation import gettext

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import (
    AdvocacyStep,
    Phenomenon,
    PhenomenonReport,
    Proposal,
    Theme,
    Transition,
)
from havainto.coding.services._common import _bump, _format_date, _queue_feedback_mail
from havainto.coding.services.states import InvalidTransition, workflow_states
from havainto.reports.models import Report, ReportEvent

# --- Phenomena (ilmiöt) ----------------------------------------------------------------
#
# Every change of a phenomenon is version-checked like a report's (REL-06). What the reporters
# are told (a step taken, an answer, an outcome) becomes a ReportEvent on each supporting
# report, so it shows on the receipt page and in "my reports" and is mailed to named reporters
# through the outbox, like any other feedback.


class PhenomenonConflict(Exception):
    """Someone else saved the phenomenon after the version the user started from."""

    def __init__(self, current: Phenomenon) -> None:
        super().__init__(current.pk)
        self.current = current


def _bump_phenomenon(phenomenon: Phenomenon, expected_version: int, **changes: Any) -> None:
    updated = Phenomenon.objects.filter(pk=phenomenon.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise PhenomenonConflict(Phenomenon.objects.get(pk=phenomenon.pk))
    for name, value in changes.items():
        setattr(phenomenon, name, value)
    phenomenon.version = expected_version + 1


def _check_same_organisation(organisation_id: int, objects: Iterable[Any]) -> None:
    if any(obj.organisation_id != organisation_id for obj in objects):
        raise ValueError("object of another organisation")


def _link_reports(phenomenon: Phenomenon, reports: Iterable[Report], actor: Any) -> int:
    have = set(phenomenon.links.values_list("report_id", flat=True))
    new = [report for report in reports if report.pk not in have]
    PhenomenonReport.objects.bulk_create(
        [PhenomenonReport(phenomenon=phenomenon, report=report, added_by=actor) for report in new],
        ignore_conflicts=True,
    )
    return len(new)


@transaction.atomic
def create_phenomenon(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    name: str,
    description: str = "",
    themes: Iterable[Theme] = (),
    reports: Iterable[Report] = (),
) -> Phenomenon:
    themes, reports = list(themes), list(reports)
    _check_same_organisation(organisation.pk, [*themes, *reports])
    phenomenon = Phenomenon.objects.create(
        organisation=organisation, name=name, description=description, created_by=actor
    )
    phenomenon.themes.set(themes)
    _link_reports(phenomenon, reports, actor)
    record("phenomenon.created", actor=actor, organisation=organisation, obj=phenomenon)
    return phenomenon


@transaction.atomic
def update_phenomenon(
    *,
    actor: AbstractBaseUser,
    phenomenon: Phenomenon,
    expected_version: int,
    name: str,
    description: str,
    themes: Iterable[Theme],
    state: str,
) -> Phenomenon:
    themes = list(themes)
    _check_same_organisation(phenomenon.organisation_id, themes)
    if state not in (Phenomenon.State.OPEN, Phenomenon.State.CLOSED):
        raise ValueError(state)
    _bump_phenomenon(phenomenon, expected_version, name=name, description=description, state=state)
    phenomenon.themes.set(themes)
    record(
        "phenomenon.changed",
        actor=actor,
        organisation=phenomenon.organisation,
        obj=phenomenon,
        fields=["name", "description", "themes", "state"],
    )
    return phenomenon


@transaction.atomic
def add_reports_to_phenomenon(
    *,
    actor: AbstractBaseUser,
    phenomenon: Phenomenon,
    expected_version: int,
    reports: Iterable[Report],
) -> int:
    """Add supporting reports; returns how many were new to the phenomenon."""
    reports = list(reports)
    _check_same_organisation(phenomenon.organisation_id, reports)
    _bump_phenomenon(phenomenon, expected_version)
    added = _link_reports(phenomenon, reports, actor)
    record(
        "phenomenon.reports_added",
        actor=actor,
        organisation=phenomenon.organisation,
        obj=phenomenon,
        fields=["reports"],
    )
    return added


@transaction.atomic
def remove_report_from_phenomenon(
    *, actor: AbstractBaseUser, phenomenon: Phenomenon, expected_version: int, report: Report
) -> None:
    _bump_phenomenon(phenomenon, expected_version)
    PhenomenonReport.objects.filter(phenomenon=phenomenon, report=report).delete()
    record(
        "phenomenon.report_removed",
        actor=actor,
        organisation=phenomenon.organisation,
        obj=phenomenon,
        fields=["reports"],
    )


@transaction.atomic
def add_proposal(
    *,
    actor: AbstractBaseUser,
    phenomenon: Phenomenon,
    expected_version: int,
    text: str,
    addressed_to: str = "",
) -> Proposal:
    _bump_phenomenon(phenomenon, expected_version)
    proposal = Proposal.objects.create(
        phenomenon=phenomenon, text=text, addressed_to=addressed_to, created_by=actor
    )
    record(
        "phenomenon.proposal_added", actor=actor, organisation=phenomenon.organisation, obj=proposal
    )
    return proposal


@transaction.atomic
def update_proposal_outcome(
    *,
    actor: AbstractBaseUser,
    proposal: Proposal,
    expected_version: int,
    outcome: str,
    progress: int,
    outcome_note: str,
    tell_reporters: bool = False,
) -> Proposal:
    """Follow a proposal to its outcome (Decidim "accountability": status and progress).
    With tell_reporters, the reporters of the supporting reports are told."""
    if outcome not in Proposal.Outcome.values or not 0 <= progress <= 100:
        raise ValueError(outcome)
    phenomenon = proposal.phenomenon
    _bump_phenomenon(phenomenon, expected_version)
    proposal.outcome, proposal.progress, proposal.outcome_note = outcome, progress, outcome_note
    proposal.save(update_fields=["outcome", "progress", "outcome_note", "updated_at"])
    record(
        "phenomenon.proposal_outcome",
        actor=actor,
        organisation=phenomenon.organisation,
        obj=proposal,
        fields=["outcome", "progress", "outcome_note"],
    )
    if tell_reporters:
        _tell_reporters(
            phenomenon, actor, lambda: _outcome_message(phenomenon, proposal), to_status=""
        )
    return proposal


@transaction.atomic
def record_advocacy_step(
    *,
    actor: AbstractBaseUser,
    phenomenon: Phenomenon,
    expected_version: int,
    recipient: str,
    recipient_kind: str,
    taken_on: Any,
    summary: str = "",
    proposal: Proposal | None = None,
    tell_reporters: bool = True,
    report_status: str = "",
) -> AdvocacyStep:
    """Record that the phenomenon was taken to a forum, body or official. With
    tell_reporters, every supporting report gets a message (and report_status, if given,
    becomes the state of the supporting reports that are not in it yet)."""
    if proposal is not None and proposal.phenomenon_id != phenomenon.pk:
        raise ValueError("proposal of another phenomenon")
    _bump_phenomenon(phenomenon, expected_version)
    step = AdvocacyStep.objects.create(
        phenomenon=phenomenon,
        proposal=proposal,
        recipient=recipient,
        recipient_kind=recipient_kind,
        taken_on=taken_on,
        summary=summary,
        created_by=actor,
    )
    record("phenomenon.step_recorded", actor=actor, organisation=phenomenon.organisation, obj=step)
    if tell_reporters or report_status:
        _tell_reporters(
            phenomenon,
            actor,
            lambda: _step_message(phenomenon, step) if tell_reporters else "",
            to_status=report_status,
        )
    return step


@transaction.atomic
def record_answer(
    *,
    actor: AbstractBaseUser,
    step: AdvocacyStep,
    expected_version: int,
    answer: str,
    answered_on: Any,
    answered_by: str = "",
    share_with_reporters: bool = True,
    report_status: str = "",
) -> AdvocacyStep:
    """Record the answer a recipient gave. Shared answers reach every supporting report's
    reporter: on the receipt page, in "my reports", and by e-mail to named reporters."""
    phenomenon = step.phenomenon
    _bump_phenomenon(phenomenon, expected_version)
    step.answer, step.answered_on, step.answered_by = answer, answered_on, answered_by
    step.answer_shared = step.answer_shared or share_with_reporters
    step.save(update_fields=["answer", "answered_on", "answered_by", "answer_shared"])
    record(
        "phenomenon.answer_recorded",
        actor=actor,
        organisation=phenomenon.organisation,
        obj=step,
        fields=["answer"],
    )
    if share_with_reporters or report_status:
        _tell_reporters(
            phenomenon,
            actor,
            lambda: _answer_message(phenomenon, step) if share_with_reporters else "",
            to_status=report_status,
        )
    return step


@transaction.atomic
def merge_phenomena(
    *,
    actor: AbstractBaseUser,
    target: Phenomenon,
    expected_version: int,
    sources: Iterable[Phenomenon],
) -> Phenomenon:
    """Merge sources into target: their reports, themes, proposals and advocacy steps move
    to target; each source is kept, marked merged, pointing at target."""
    sources = [source for source in sources if source.pk != target.pk]
    _check_same_organisation(target.organisation_id, sources)
    if any(source.state == Phenomenon.State.MERGED for source in sources):
        raise ValueError("merged already")
    _bump_phenomenon(target, expected_version)
    for source in sources:
        _link_reports(
            target, [link.report for link in source.links.select_related("report")], actor
        )
        target.themes.add(*source.themes.all())
        source.proposals.update(phenomenon=target)
        source.advocacy_steps.update(phenomenon=target)
        Phenomenon.objects.filter(pk=source.pk).update(
            state=Phenomenon.State.MERGED,
            merged_into=target,
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        record("phenomenon.merged", actor=actor, organisation=target.organisation, obj=source)
    record("phenomenon.merged_into", actor=actor, organisation=target.organisation, obj=target)
    return target


@transaction.atomic
def split_phenomenon(
    *,
    actor: AbstractBaseUser,
    phenomenon: Phenomenon,
    expected_version: int,
    name: str,
    reports: Iterable[Report],
    keep_in_original: bool = False,
) -> Phenomenon:
    """A new phenomenon from some of the supporting reports (moved, or copied with
    keep_in_original), with the same themes, recording where it came from."""
    chosen = [report for report in reports]
    supporting = set(phenomenon.links.values_list("report_id", flat=True))
    if not chosen or any(report.pk not in supporting for report in chosen):
        raise ValueError("split needs supporting reports of the phenomenon")
    _bump_phenomenon(phenomenon, expected_version)
    new = Phenomenon.objects.create(
        organisation=phenomenon.organisation,
        name=name,
        description=phenomenon.description,
        split_from=phenomenon,
        created_by=actor,
    )
    new.themes.set(phenomenon.themes.all())
    _link_reports(new, chosen, actor)
    if not keep_in_original:
        phenomenon.links.filter(report__in=chosen).delete()
    record("phenomenon.split", actor=actor, organisation=phenomenon.organisation, obj=phenomenon)
    record("phenomenon.created", actor=actor, organisation=phenomenon.organisation, obj=new)
    return new


def _step_message(phenomenon: Phenomenon, step: AdvocacyStep) -> str:
    text = gettext(
        "Your report is part of the phenomenon “%(name)s”. It was taken to %(recipient)s "
        "on %(date)s."
    ) % {"name": phenomenon.name, "recipient": step.recipient, "date": _format_date(step.taken_on)}
    return f"{text}\n\n{step.summary}".strip()


def _answer_message(phenomenon: Phenomenon, step: AdvocacyStep) -> str:
    heading = gettext(
        "The phenomenon “%(name)s”, which your report is part of, was answered by "
        "%(recipient)s on %(date)s:"
    ) % {
        "name": phenomenon.name,
        "recipient": step.answered_by or step.recipient,
        "date": _format_date(step.answered_on or step.taken_on),
    }
    return f"{heading}\n\n{step.answer}"


def _outcome_message(phenomenon: Phenomenon, proposal: Proposal) -> str:
    heading = gettext(
        "A proposal of the phenomenon “%(name)s”, which your report is part of: %(proposal)s"
    ) % {"name": phenomenon.name, "proposal": proposal.text}
    outcome = gettext("Outcome: %(outcome)s (%(progress)s %%).") % {
        "outcome": proposal.get_outcome_display(),
        "progress": proposal.progress,
    }
    return "\n\n".join(part for part in (heading, outcome, proposal.outcome_note) if part)


def _tell_reporters(
    phenomenon: Phenomenon, actor: AbstractBaseUser, message: Any, *, to_status: str
) -> int:
    """Give every supporting report an event for its reporter, written in the report's
    language (message() is called under that language), and optionally a new state.
    Returns the number of reports told."""
    states = {state.code: state for state in workflow_states(phenomenon.organisation)}
    if to_status and to_status not in states:
        raise InvalidTransition(to_status)
    reports = list(Report.objects.select_for_update().filter(phenomena=phenomenon).order_by("pk"))
    told = 0
    for report in reports:
        with translation.override(report.language):
            text = message()
        moves = bool(to_status) and report.status != to_status
        if moves:
            Transition.objects.create(
                report=report,
                actor=actor,
                from_status=report.status,
                to_status=to_status,
                reason=gettext("Phenomenon: %(name)s") % {"name": phenomenon.name},
            )
            _bump(report, report.version, status=to_status)
            record(
                "report.status_changed",
                actor=actor,
                organisation=report.organisation,
                obj=report,
                fields=["status"],
            )
        if not text and not moves:
            continue
        event = ReportEvent.objects.create(
            report=report,
            actor=actor,
            status=to_status if moves else "",
            message=text,
            visible_to_reporter=True,
        )
        _queue_feedback_mail(report, event)
        told += 1
    return told


@dataclass(frozen=True)
class Support:
    """What the supporting reports of a phenomenon say in numbers (no texts)."""

    count: int
    first_seen: Any
    latest_seen: Any
    municipalities: list[tuple[str, int]]
    service_lines: list[tuple[str, int]]


def phenomenon_support(phenomenon: Phenomenon) -> Support:
    reports = Report.objects.filter(phenomena=phenomenon)
    span = reports.aggregate(
        count=Count("id"), first=Min("submitted_on"), latest=Max("submitted_on")
    )

    def counted(field: str) -> list[tuple[str, int]]:
        rows = reports.values(field).annotate(n=Count("id")).order_by("-n")
        model = Report._meta.get_field(field).related_model
        names = {obj.pk: obj.name for obj in model.objects.filter(pk__in=[r[field] for r in rows])}
        return [(names.get(row[field], "–"), row["n"]) for row in rows]

    return Support(
        count=span["count"],
        first_seen=span["first"],
        latest_seen=span["latest"],
        municipalities=counted("municipality"),
        service_lines=counted("service_line"),
    )

"""State changes of the handling workspace. Views, commands and tasks all call these.

Every change of a report is version-checked (REL-06): the caller passes the version the
user saw, and the row is updated only `WHERE id = … AND version = …`. Mail to reporters is
written to the outbox in the same transaction and sent after commit (REL-04).
"""

import datetime
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    UniqueConstraint,
)
from django.db.models.functions import TruncMonth
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from havainto.accounts.models import Organisation
from havainto.analysis.services import index_report
from havainto.audit.models import AuditEvent
from havainto.audit.services import record
from havainto.coding.models import (
    AdvocacyStep,
    Digest,
    InboxVisit,
    InternalNote,
    OutboxMessage,
    Phenomenon,
    PhenomenonReport,
    Proposal,
    Quote,
    Redaction,
    RedactionCandidate,
    ReportTextField,
    ReportTheme,
    SavedView,
    TextGrant,
    Theme,
    ThemeChange,
    Transition,
    WorkflowState,
)
from havainto.lib.passages import MARKER, Span, check_span, replace, shift
from havainto.lib.pii import Finding, find_personal_data
from havainto.reports.models import Report, ReportEvent, Status

logger = logging.getLogger(__name__)

# A new visit to the inbox starts after this long away; until then "new" stays the same.
VISIT_GAP = timezone.timedelta(minutes=30)
ERROR_MAX = 500


class EditConflict(Exception):
    """Someone else saved the report after the version the user started from."""

    def __init__(self, current: Report) -> None:
        super().__init__(current.pk)
        self.current = current


class InvalidTransition(Exception):
    """The state is not one of the organisation's, or the report is in it already."""


# (code, fi, sv, en, final, template fi, sv, en). The codes are those of reports.Status.
DEFAULT_STATES: list[tuple[str, str, str, str, bool, str, str, str]] = [
    (
        Status.RECEIVED,
        "Vastaanotettu",
        "Mottagen",
        "Received",
        False,
        "Havaintosi on vastaanotettu. Kiitos, että raportoit.",
        "Din observation har tagits emot. Tack för att du rapporterade.",
        "Your report has been received. Thank you for reporting.",
    ),
    (
        Status.IN_HANDLING,
        "Käsittelyssä",
        "Under behandling",
        "In handling",
        False,
        "Havaintosi on otettu käsittelyyn.",
        "Din observation behandlas nu.",
        "Your report is now being handled.",
    ),
    (
        Status.CODED,
        "Luokiteltu",
        "Klassificerad",
        "Coded",
        False,
        "Havaintosi on luokiteltu ja se on mukana seuraavassa koosteessa.",
        "Din observation har klassificerats och ingår i nästa sammanställning.",
        "Your report has been coded and will be part of the next summary.",
    ),
    (
        Status.FORWARDED,
        "Välitetty eteenpäin",
        "Vidarebefordrad",
        "Forwarded",
        False,
        "Havaintosi on välitetty eteenpäin niille, jotka voivat vaikuttaa asiaan.",
        "Din observation har vidarebefordrats till dem som kan påverka saken.",
        "Your report has been forwarded to those who can act on it.",
    ),
    (
        Status.ANSWERED,
        "Vastattu",
        "Besvarad",
        "Answered",
        False,
        "Havaintoosi on vastattu.",
        "Din observation har besvarats.",
        "Your report has been answered.",
    ),
    (
        Status.CLOSED,
        "Suljettu",
        "Avslutad",
        "Closed",
        True,
        "Havaintosi käsittely on päättynyt. Kiitos!",
        "Behandlingen av din observation är avslutad. Tack!",
        "The handling of your report has ended. Thank you!",
    ),
]


def workflow_states(organisation: Organisation) -> list[WorkflowState]:
    """The organisation's states in order; the defaults are created the first time."""
    states = list(WorkflowState.objects.filter(organisation=organisation))
    if states:
        return states
    WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                organisation=organisation,
                code=code,
                label_fi=fi,
                label_sv=sv,
                label_en=en,
                order=order,
                is_final=final,
                template_fi=t_fi,
                template_sv=t_sv,
                template_en=t_en,
            )
            for order, (code, fi, sv, en, final, t_fi, t_sv, t_en) in enumerate(DEFAULT_STATES)
        ],
        ignore_conflicts=True,  # two first requests at once
    )
    return list(WorkflowState.objects.filter(organisation=organisation))


def state_labels(organisation: Organisation) -> dict[str, str]:
    return {state.code: state.label for state in workflow_states(organisation)}


# --- Reading ---------------------------------------------------------------------------


def record_report_read(*, actor: AbstractBaseUser, report: Report) -> None:
    """Log that the user saw the report's full text (ids only)."""
    record("report.viewed", actor=actor, organisation=report.organisation, obj=report)


# --- Changing a report -----------------------------------------------------------------


def _lock_current(report: Report, expected_version: int) -> Report:
    """The report's row, locked for this transaction; EditConflict if it has moved on."""
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    return current


def _bump(report: Report, expected_version: int, **changes: Any) -> None:
    """UPDATE … WHERE id = %s AND version = %s; no row means someone else saved first."""
    updated = Report.objects.filter(pk=report.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise EditConflict(Report.objects.get(pk=report.pk))
    for name, value in changes.items():
        setattr(report, name, value)
    report.version = expected_version + 1


@transaction.atomic
def change_state(
    *,
    actor: AbstractBaseUser,
    report: Report,
    expected_version: int,
    to_status: str,
    reason: str,
    message: str = "",
    notify_reporter: bool = True,
) -> ReportEvent:
    """Move the report to another state, saying why (internal). With notify_reporter the
    change and the message (by default the state's template in the report's language) show
    on the receipt page and are e-mailed to a named reporter who asked for feedback."""
    states = {state.code: state for state in workflow_states(report.organisation)}
    current = _lock_current(report, expected_version)
    if to_status not in states or to_status == current.status:
        raise InvalidTransition(to_status)
    if notify_reporter and not message:
        message = states[to_status].template_in(report.language)
    from_status = current.status
    _bump(report, expected_version, status=to_status)
    Transition.objects.create(
        report=report, actor=actor, from_status=from_status, to_status=to_status, reason=reason
    )
    event = ReportEvent.objects.create(
        report=report,
        actor=actor,
        status=to_status,
        message=message if notify_reporter else "",
        visible_to_reporter=notify_reporter,
    )
    record(
        "report.status_changed",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        fields=["status"],
    )
    if notify_reporter:
        _queue_feedback_mail(report, event)
    return event


@transaction.atomic
def send_reporter_message(*, actor: AbstractBaseUser, report: Report, message: str) -> ReportEvent:
    """An answer to the reporter without a change of state."""
    event = ReportEvent.objects.create(
        report=report, actor=actor, message=message, visible_to_reporter=True
    )
    record("report.answered", actor=actor, organisation=report.organisation, obj=report)
    _queue_feedback_mail(report, event)
    return event


@transaction.atomic
def assign_report(
    *,
    actor: AbstractBaseUser,
    report: Report,
    expected_version: int,
    assignee: AbstractBaseUser | None,
) -> Report:
    _lock_current(report, expected_version)
    _bump(report, expected_version, assignee=assignee)
    record(
        "report.assigned",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        fields=["assignee"],
    )
    return report


@transaction.atomic
def set_report_themes(
    *,
    actor: AbstractBaseUser,
    report: Report,
    expected_version: int,
    themes: Iterable[Theme],
) -> Report:
    # A merged theme (say, from a form opened before the merge) means the theme it was
    # merged into; a hidden theme may stay on a report but not be given to it anew.
    # Read afresh: the caller's instances may predate a merge or a hide.
    fresh = Theme.objects.filter(pk__in=[theme.pk for theme in themes]).select_related(
        "merged_into"
    )
    wanted = {(theme.merged_into or theme).pk: theme.merged_into or theme for theme in fresh}
    if any(theme.organisation_id != report.organisation_id for theme in wanted.values()):
        raise ValueError("theme of another organisation")
    _lock_current(report, expected_version)
    have = set(ReportTheme.objects.filter(report=report).values_list("theme_id", flat=True))
    if any(theme.hidden and pk not in have for pk, theme in wanted.items()):
        raise ValueError("hidden theme")
    _bump(report, expected_version)
    ReportTheme.objects.filter(report=report).exclude(theme_id__in=wanted).delete()
    ReportTheme.objects.bulk_create(
        ReportTheme(report=report, theme=theme, created_by=actor)
        for pk, theme in wanted.items()
        if pk not in have
    )
    record(
        "report.themes_changed",
        actor=actor,
        organisation=report.organisation,
        obj=report,
        fields=["themes"],
    )
    # Theme suggestions learn from these decisions (havainto.analysis, which calls this
    # function when a suggestion is accepted; imported here so the modules load in any order).
    from havainto.analysis.services import note_theme_changes

    note_theme_changes(
        actor=actor, report=report, added=wanted.keys() - have, removed=have - wanted.keys()
    )
    return report


@transaction.atomic
def add_note(*, actor: AbstractBaseUser, report: Report, text: str) -> InternalNote:
    note = InternalNote.objects.create(report=report, author=actor, text=text)
    record("report.note_added", actor=actor, organisation=report.organisation, obj=report)
    return note


# --- Feedback mail through the outbox ----------------------------------------------------


def feedback_address(report: Report) -> str:
    """Where a named reporter who asked for feedback gets it; "" for everyone else."""
    if not report.wants_feedback:
        return ""
    if report.contact_email:
        return report.contact_email
    if report.author_id is not None and report.author.email:
        return report.author.email
    return ""


def _queue_feedback_mail(report: Report, event: ReportEvent) -> OutboxMessage | None:
    address = feedback_address(report)
    if not address:
        return None
    with translation.override(report.language):
        labels = state_labels(report.organisation)
        context = {
            "report": report,
            "event": event,
            "status_label": labels.get(event.status, "") if event.status else "",
            "my_reports_url": reverse("reports:my-reports") if report.author_id else "",
            "site_url": getattr(settings, "SITE_URL", ""),
        }
        subject = render_to_string("coding/email/feedback_subject.txt", context).strip()
        body = render_to_string("coding/email/feedback_body.txt", context)
    message = OutboxMessage.objects.create(
        organisation=report.organisation,
        report=report,
        to=address,
        subject=" ".join(subject.split())[:200],
        body=body,
    )
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def _enqueue_delivery(message_id: int) -> None:
    from havainto.coding.tasks import deliver_outbox_message

    try:
        deliver_outbox_message.enqueue(message_id)
    except Exception:  # the row stays pending; `havainto send_outbox` sends it later
        logger.exception("could not enqueue outbox message %s", message_id)


def deliver_message(message_id: int) -> bool:
    """Send one pending outbox row. True if sent now; False if it failed (the row stays
    pending, with the attempt counted) or was not pending (sent already, or another worker
    holds it: skip_locked on PostgreSQL), so a delivered row is never sent twice."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.to],
            ).send()
        except Exception as error:  # any failure of the mail system: retry later
            message.last_error = f"{type(error).__name__}: {error}"[:ERROR_MAX]
            message.save(update_fields=["attempts", "last_error"])
            logger.warning("outbox message %s not sent: %s", message.pk, message.last_error)
            return False
        message.state = OutboxMessage.State.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "state", "sent_at", "last_error"])
        return True


def deliver_pending(*, limit: int = 500) -> tuple[int, int]:
    """Try every pending row once, oldest first. Returns (sent, still pending)."""
    ids = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    sent = sum(1 for pk in ids if deliver_message(pk))
    return sent, len(ids) - sent


# --- Workflow settings -------------------------------------------------------------------

STATE_FIELDS = (
    "label_fi",
    "label_sv",
    "label_en",
    "order",
    "is_final",
    "hidden",
    "template_fi",
    "template_sv",
    "template_en",
)


@transaction.atomic
def update_workflow_state(
    *, actor: AbstractBaseUser, state: WorkflowState, values: dict[str, Any]
) -> WorkflowState:
    changed = [name for name in STATE_FIELDS if getattr(state, name) != values[name]]
    for name in changed:
        setattr(state, name, values[name])
    if changed:
        state.save(update_fields=changed)
        record(
            "workflow_state.changed",
            actor=actor,
            organisation=state.organisation,
            obj=state,
            fields=changed,
        )
    return state


@transaction.atomic
def add_workflow_state(
    *, actor: AbstractBaseUser, organisation: Organisation, code: str, values: dict[str, Any]
) -> WorkflowState:
    workflow_states(organisation)  # the defaults first, so that they are not skipped
    state = WorkflowState.objects.create(
        organisation=organisation, code=code, **{name: values[name] for name in STATE_FIELDS}
    )
    record("workflow_state.added", actor=actor, organisation=organisation, obj=state)
    return state


# --- Saved views and the "new since last visit" watermark -------------------------------


def save_view(
    *, actor: AbstractBaseUser, organisation: Organisation, name: str, query: str
) -> SavedView:
    """Save (or replace, by name) the user's own inbox filter."""
    view, _created = SavedView.objects.update_or_create(
        user=actor, organisation=organisation, name=name, defaults={"query": query}
    )
    return view


def delete_view(*, actor: AbstractBaseUser, view: SavedView) -> None:
    if view.user_id != actor.pk:
        raise PermissionError("not your view")
    view.delete()


@dataclass(frozen=True)
class Visit:
    seen_up_to: int


def visit_inbox(*, user: AbstractBaseUser, organisation: Organisation, latest_id: int) -> Visit:
    """Note that the user looked at the inbox, where the highest visible report id is
    latest_id. Returns the watermark of the previous visit: ids above it are new. Looking
    again within VISIT_GAP is the same visit, so "new" does not vanish on reload."""
    now = timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                visit = (
                    InboxVisit.objects.select_for_update()
                    .filter(user=user, organisation=organisation)
                    .first()
                )
                if visit is None:
                    # A first visit has no "since": nothing is marked new.
                    InboxVisit.objects.create(
                        user=user,
                        organisation=organisation,
                        seen_up_to=latest_id,
                        latest_seen=latest_id,
                        visited_at=now,
                    )
                    return Visit(seen_up_to=latest_id)
                if now - visit.visited_at > VISIT_GAP:
                    visit.seen_up_to = visit.latest_seen
                visit.latest_seen = max(visit.latest_seen, latest_id)
                visit.visited_at = now
                visit.save(update_fields=["seen_up_to", "latest_seen", "visited_at"])
                return Visit(seen_up_to=visit.seen_up_to)
        except IntegrityError:  # two first visits at once: the other one created the row
            continue
    return Visit(seen_up_to=latest_id)


def latest_report_id(reports: Any) -> int:
    return reports.aggregate(latest=Max("id"))["latest"] or 0


# --- Readers' access to texts ------------------------------------------------------------


@transaction.atomic
def grant_text_access(
    *, actor: AbstractBaseUser, organisation: Organisation, user: AbstractBaseUser
) -> TextGrant:
    grant, _created = TextGrant.objects.get_or_create(
        organisation=organisation, user=user, defaults={"granted_by": actor}
    )
    record("text_access.granted", actor=actor, organisation=organisation, obj=grant)
    return grant


@transaction.atomic
def revoke_text_access(*, actor: AbstractBaseUser, grant: TextGrant) -> None:
    record("text_access.revoked", actor=actor, organisation=grant.organisation, obj=grant)
    grant.delete()


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


def _format_date(value: Any) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


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


# --- Overview: counts only, for everyone in the workspace ---------------------------------


@dataclass(frozen=True)
class Overview:
    total: int
    by_month: list[tuple[Any, int]]
    by_type: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]
    by_service_line: list[tuple[str, int]]
    by_state: list[tuple[str, int]]
    uncoded: int
    phenomena_open: int
    steps: int
    steps_answered: int


def overview(organisation: Organisation, start: Any, end: Any) -> Overview:
    """Counts of the organisation's reports received in [start, end]: the readers' view of
    what the reports say, without any report text."""
    reports = Report.objects.of(organisation).filter(submitted_on__range=(start, end))

    def named(field: str) -> list[tuple[str, int]]:
        rows = list(reports.values(field).annotate(n=Count("id")).order_by("-n"))
        model = Report._meta.get_field(field).related_model
        objects = {obj.pk: obj for obj in model.objects.filter(pk__in=[r[field] for r in rows])}
        return [
            (
                getattr(objects.get(row[field]), "label", None)
                or str(objects.get(row[field], "–")),
                row["n"],
            )
            for row in rows
        ]

    months = (
        reports.annotate(month=TruncMonth("submitted_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    themes = (
        ReportTheme.objects.filter(report__in=reports)
        .values("theme")
        .annotate(n=Count("report", distinct=True))
        .order_by("-n")
    )
    theme_names = {t.pk: t.label for t in Theme.objects.filter(organisation=organisation)}
    labels = state_labels(organisation)
    states = reports.values("status").annotate(n=Count("id")).order_by("-n")
    steps = AdvocacyStep.objects.filter(
        phenomenon__organisation=organisation, taken_on__range=(start, end)
    )
    return Overview(
        total=reports.count(),
        by_month=[(row["month"], row["n"]) for row in months],
        by_type=named("observation_type"),
        by_theme=[(theme_names.get(row["theme"], "–"), row["n"]) for row in themes],
        by_municipality=named("municipality"),
        by_service_line=named("service_line"),
        by_state=[(labels.get(row["status"], row["status"]), row["n"]) for row in states],
        uncoded=reports.filter(report_themes__isnull=True).count(),
        phenomena_open=Phenomenon.objects.filter(
            organisation=organisation, state=Phenomenon.State.OPEN
        ).count(),
        steps=steps.count(),
        steps_answered=steps.exclude(answer="").count(),
    )


# --- "You said, we did" digest -------------------------------------------------------------


def _period(start: Any, end: Any) -> str:
    return f"{_format_date(start)}–{_format_date(end)}"


def compose_digest(organisation: Organisation, start: Any, end: Any, language: str) -> str:
    """What was done with the reports received in [start, end], in one language: counts,
    the phenomena they are part of with the steps taken, the answers shared with reporters,
    and the proposals' outcomes. Only what reporters may see anyway."""
    with translation.override(language):
        reports = Report.objects.of(organisation).filter(submitted_on__range=(start, end))
        total = reports.count()
        final = [s.code for s in workflow_states(organisation) if s.is_final]
        handled = reports.exclude(status=Status.RECEIVED).count()
        phenomena = (
            Phenomenon.objects.filter(links__report__in=reports)
            .exclude(state=Phenomenon.State.MERGED)
            .annotate(supporting=Count("links", distinct=True))
            .distinct()
            .order_by("name")
        )
        lines = [
            gettext(
                "In %(period)s, %(total)s reports were sent to %(organisation)s. "
                "%(handled)s of them have been handled, %(closed)s closed."
            )
            % {
                "period": _period(start, end),
                "total": total,
                "organisation": organisation.name,
                "handled": handled,
                "closed": reports.filter(status__in=final).count(),
            }
        ]
        if phenomena:
            lines.append(gettext("They were gathered into these phenomena and taken forward:"))
        for phenomenon in phenomena:
            lines.append(f"\n* {phenomenon.name}")
            for step in phenomenon.advocacy_steps.order_by("taken_on", "id"):
                lines.append(
                    "  – "
                    + gettext("%(date)s taken to %(recipient)s.")
                    % {"date": _format_date(step.taken_on), "recipient": step.recipient}
                )
                if step.answer and step.answer_shared:
                    lines.append(
                        "    "
                        + gettext("Answer (%(date)s): %(answer)s")
                        % {
                            "date": _format_date(step.answered_on or step.taken_on),
                            "answer": " ".join(step.answer.split()),
                        }
                    )
            for proposal in phenomenon.proposals.all():
                lines.append(
                    "  – "
                    + gettext("Proposal: %(text)s – %(outcome)s (%(progress)s %%)")
                    % {
                        "text": " ".join(proposal.text.split()),
                        "outcome": proposal.get_outcome_display(),
                        "progress": proposal.progress,
                    }
                )
        if not phenomena:
            lines.append(
                gettext("None of them has been taken to decision makers as a phenomenon yet.")
            )
        return "\n".join(lines)


@transaction.atomic
def send_digest(
    *, actor: AbstractBaseUser, organisation: Organisation, start: Any, end: Any, intro: str
) -> Digest:
    """Tell everyone who reported in [start, end] what was done: a message on the receipt page
    of each report (anonymous reporters see it with their code) and one e-mail per named
    reporter's address who asked for feedback, in the language of their report."""
    bodies = {code: compose_digest(organisation, start, end, code) for code in ("fi", "sv", "en")}
    reports = list(
        Report.objects.of(organisation)
        .filter(submitted_on__range=(start, end))
        .select_related("author", "organisation")
        .order_by("pk")
    )

    def text(language: str) -> str:
        body = bodies.get(language, bodies["fi"])
        return f"{intro}\n\n{body}".strip() if intro else body

    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=report, actor=actor, message=text(report.language), visible_to_reporter=True
        )
        for report in reports
    )
    addresses: dict[str, Report] = {}
    for report in reports:
        address = feedback_address(report)
        if address and address.lower() not in addresses:
            addresses[address.lower()] = report
    mails = []
    for report in addresses.values():
        with translation.override(report.language):
            subject = gettext("What became of the reports of %(period)s – %(organisation)s") % {
                "period": _period(start, end),
                "organisation": organisation.name,
            }
            body = render_to_string("coding/email/digest_body.txt", {"text": text(report.language)})
        mails.append(
            OutboxMessage.objects.create(
                organisation=organisation,
                to=feedback_address(report),
                subject=" ".join(subject.split())[:200],
                body=body,
            )
        )
    digest = Digest.objects.create(
        organisation=organisation,
        period_start=start,
        period_end=end,
        intro=intro,
        body_fi=bodies["fi"],
        body_sv=bodies["sv"],
        body_en=bodies["en"],
        report_count=len(reports),
        mail_count=len(mails),
        created_by=actor,
    )
    record("digest.sent", actor=actor, organisation=organisation, obj=digest)
    for message in mails:
        transaction.on_commit(lambda pk=message.pk: _enqueue_delivery(pk))
    return digest


# --- Passages: shared by quotes and redaction -----------------------------------------------


class PassageChanged(Exception):
    """The report's text at the passage is no longer what the user picked (someone redacted
    a passage meanwhile)."""


def report_text(report: Report, field: str) -> str:
    """The text of one of the report's text fields; ValueError for any other name."""
    if field not in ReportTextField.values:
        raise ValueError(f"{field!r} is not a text field of a report")
    return getattr(report, field) or ""


def _picked_span(text: str, start: int, end: int, expected_text: str | None) -> Span:
    span = check_span(text, start, end)
    if expected_text is not None and span.of(text) != expected_text:
        raise PassageChanged(span)
    return span


def record_excerpt_reads(
    *, actor: AbstractBaseUser, organisation: Organisation, report_ids: Iterable[int]
) -> None:
    """Log that the user saw passages of these reports (quote lists, the redaction queue):
    one row per report, ids only, like a read of the full text; one INSERT for a page."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            actor=actor,
            action="report.excerpt_viewed",
            object_type="report",
            object_id=str(report_id),
        )
        for report_id in sorted(set(report_ids))
    )


# --- Quotes ----------------------------------------------------------------------------------


class DuplicateQuote(Exception):
    """The same passage has this theme already."""


class QuoteNotCurrent(Exception):
    """The report no longer says what the quote says: it cannot be approved."""


@transaction.atomic
def add_quote(
    *,
    actor: AbstractBaseUser,
    report: Report,
    field: str,
    start: int,
    end: int,
    theme: Theme,
    expected_text: str | None = None,
) -> Quote:
    """Code a passage of the report with a theme. The passage is checked against the text
    under a lock: expected_text is what the user saw there (PassageChanged otherwise)."""
    if theme.organisation_id != report.organisation_id:
        raise ValueError("theme of another organisation")
    current = Report.objects.select_for_update().get(pk=report.pk)
    text = report_text(current, field)
    span = _picked_span(text, start, end, expected_text)
    if Quote.objects.filter(
        report=report, field=field, start=span.start, end=span.end, theme=theme
    ).exists():
        raise DuplicateQuote(span)
    quote = Quote.objects.create(
        report=report,
        field=field,
        start=span.start,
        end=span.end,
        text=span.of(text),
        theme=theme,
        created_by=actor,
    )
    record("quote.added", actor=actor, organisation=report.organisation, obj=quote, fields=[field])
    return quote


@transaction.atomic
def remove_quote(*, actor: AbstractBaseUser, quote: Quote) -> None:
    record("quote.removed", actor=actor, organisation=quote.report.organisation, obj=quote)
    quote.delete()


def _locked_quote(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().select_related("report").get(pk=quote.pk)


@transaction.atomic
def approve_quote(*, actor: AbstractBaseUser, quote: Quote) -> Quote:
    """A coordinator's "checked for identifiability" (LEG-08): summaries may publish it."""
    current = _locked_quote(quote)
    if not current.is_current:
        raise QuoteNotCurrent(quote.pk)
    if not current.approved_for_publication:
        current.approved_for_publication = True
        current.approved_by = actor
        current.approved_at = timezone.now()
        current.save(update_fields=["approved_for_publication", "approved_by", "approved_at"])
        record(
            "quote.approved",
            actor=actor,
            organisation=current.report.organisation,
            obj=current,
            fields=["approved_for_publication"],
        )
    return current


def _drop_approval(quote: Quote) -> None:
    quote.approved_for_publication = False
    quote.approved_by = None
    quote.approved_at = None


@transaction.atomic
def withdraw_quote_approval(*, actor: AbstractBaseUser, quote: Quote) -> Quote:
    current = _locked_quote(quote)
    if current.approved_for_publication:
        _drop_approval(current)
        current.save(update_fields=["approved_for_publication", "approved_by", "approved_at"])
        record(
            "quote.approval_withdrawn",
            actor=actor,
            organisation=current.report.organisation,
            obj=current,
            fields=["approved_for_publication"],
        )
    return current


# --- Redaction -------------------------------------------------------------------------------


class AlreadyRedacted(Exception):
    """The passage is nothing but a redaction marker."""


class TextTooLong(Exception):
    """With the marker the field would pass its maximum length (a very short passage of a
    title at its maximum length)."""


class OriginalPurged(Exception):
    """The original of the redacted passage has been erased."""


@transaction.atomic
def redact_passage(
    *,
    actor: AbstractBaseUser,
    report: Report,
    expected_version: int,
    field: str,
    start: int,
    end: int,
    reason: str,
    expected_text: str | None = None,
) -> Redaction:
    """Replace a passage of the report's text with MARKER, for everyone who sees the report
    (workspace, search, exports, the reporter's own list, API). Version-checked (REL-06).
    The original is kept for coordinators until the organisation's retention has passed; the
    audit row names the field only. Quotes, earlier redactions and queue candidates of the
    field follow the change; the search index is rebuilt after commit."""
    current = _lock_current(report, expected_version)
    text = report_text(current, field)
    span = _picked_span(text, start, end, expected_text)
    original = span.of(text)
    if not original.replace(MARKER, "").strip():
        raise AlreadyRedacted(span)
    new_text, marker = replace(text, span, MARKER)
    if len(new_text) > (Report._meta.get_field(field).max_length or len(new_text)):
        raise TextTooLong(field)
    _bump(report, expected_version, **{field: new_text})
    organisation = report.organisation
    redaction = Redaction.objects.create(
        report=report,
        field=field,
        start=marker.start,
        end=marker.end,
        original=original,
        reason=reason,
        redacted_by=actor,
        original_kept_until=timezone.localdate()
        + timezone.timedelta(days=organisation.redaction_original_retention_days),
    )
    _follow_redaction(actor, report, redaction, span)
    if field == "title":
        _redact_outbox(report, original)
    record("report.redacted", actor=actor, organisation=organisation, obj=report, fields=[field])
    report_id = report.pk
    transaction.on_commit(lambda: _refresh_after_redaction(report_id))
    return redaction


def _follow_redaction(
    actor: AbstractBaseUser, report: Report, redaction: Redaction, edited: Span
) -> None:
    """Keep the other spans of the field in step: those after the passage move, those that
    overlap it changed (quotes lose their approval and the redacted words; queue candidates
    inside it are redacted, others are found again by the next scan)."""
    marker = Span(redaction.start, redaction.end)
    now = timezone.now()
    for quote in Quote.objects.select_for_update().filter(report=report, field=redaction.field):
        moved = shift(Span(quote.start, quote.end), edited, len(marker))
        if moved is not None:
            quote.start, quote.end = moved.start, moved.end
            quote.save(update_fields=["start", "end"])
            continue
        # The snapshot must not keep the redacted words either; the offsets stay, so the
        # quote no longer matches the report (shown as changed, cannot be approved).
        cut_start = max(edited.start, quote.start) - quote.start
        cut_end = min(edited.end, quote.end) - quote.start
        quote.text = quote.text[:cut_start] + MARKER + quote.text[cut_end:]
        fields = ["text"]
        if quote.approved_for_publication:
            _drop_approval(quote)
            fields += ["approved_for_publication", "approved_by", "approved_at"]
        quote.save(update_fields=fields)
        record(
            "quote.changed",
            actor=actor,
            organisation=report.organisation,
            obj=quote,
            fields=fields[:2],
        )
    for earlier in Redaction.objects.filter(report=report, field=redaction.field).exclude(
        pk=redaction.pk
    ):
        # An earlier marker inside the passage is now part of the new one.
        moved = shift(Span(earlier.start, earlier.end), edited, len(marker)) or marker
        if (moved.start, moved.end) != (earlier.start, earlier.end):
            earlier.start, earlier.end = moved.start, moved.end
            earlier.save(update_fields=["start", "end"])
    candidates = RedactionCandidate.objects.select_for_update().filter(
        report=report, field=redaction.field
    )
    for candidate in candidates:
        span = Span(candidate.start, candidate.end)
        moved = shift(span, edited, len(marker))
        if moved is not None:
            candidate.start, candidate.end = moved.start, moved.end
            candidate.save(update_fields=["start", "end"])
        elif edited.covers(span) or candidate.state == RedactionCandidate.State.REDACTED:
            if candidate.state != RedactionCandidate.State.REDACTED:
                candidate.state = RedactionCandidate.State.REDACTED
                candidate.decided_by = actor
                candidate.decided_at = now
                candidate.redaction = redaction
            candidate.start, candidate.end = marker.start, marker.end
            candidate.passage_hash = ""
            candidate.save()
        else:
            candidate.delete()  # half of it is gone: the next scan judges what is left


def _redact_outbox(report: Report, original: str) -> None:
    """The feedback mails quote the title: their stored copies lose the passage too."""
    for message in OutboxMessage.objects.filter(report=report):
        subject = message.subject.replace(original, MARKER)
        body = message.body.replace(original, MARKER)
        if (subject, body) != (message.subject, message.body):
            message.subject, message.body = subject[:200], body
            message.save(update_fields=["subject", "body"])


def _refresh_after_redaction(report_id: int) -> None:
    """Rebuild the search index now, so that the removed words stop finding the report at
    once; if that fails, the background task (or `havainto reindex`) does it."""
    try:
        index_report(report_id)
    except Exception:
        logger.exception("could not index report %s after a redaction", report_id)
        from havainto.analysis.tasks import index_report_task

        index_report_task.enqueue(report_id)
        return
    refresh_redaction_candidates(report_id)


@transaction.atomic
def read_redaction_original(*, actor: AbstractBaseUser, redaction: Redaction) -> str:
    """The original passage, for a coordinator, until it is erased; the read is audited."""
    if redaction.original_purged_at is not None:
        raise OriginalPurged(redaction.pk)
    record(
        "redaction.original_viewed",
        actor=actor,
        organisation=redaction.report.organisation,
        obj=redaction,
    )
    return redaction.original


@transaction.atomic
def purge_redaction_originals(*, today: datetime.date | None = None) -> int:
    """Erase the originals whose retention has passed (kept until and including
    original_kept_until). Idempotent: an erased original is never touched again."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (
        Redaction.objects.select_for_update(of=("self",))
        .select_related("report__organisation")
        .filter(original_purged_at__isnull=True, original_kept_until__lt=today)
        .order_by("id")
    )
    purged = 0
    for redaction in due:
        redaction.original = ""
        redaction.original_purged_at = now
        redaction.save(update_fields=["original", "original_purged_at"])
        record(
            "redaction.original_purged",
            actor=None,
            organisation=redaction.report.organisation,
            obj=redaction,
            fields=["original"],
        )
        purged += 1
    return purged


# --- The redaction queue -------------------------------------------------------------------


class CandidateClosed(Exception):
    """The candidate was dismissed or redacted already, or its text changed."""


def passage_hash(passage: str) -> str:
    return hashlib.sha256(passage.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Scan:
    open: int
    new: int


def refresh_redaction_candidates(report_id: int) -> Scan:
    """Run the personal-data detector over the report's texts and bring its candidates in
    step: a finding already known keeps its state (a dismissal holds while the same words stand
    at the same place), new findings open, candidates no longer found go. Derived data: no
    audit row."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return Scan(open=0, new=0)
        found: dict[tuple[str, int, int, str, str], Finding] = {}
        for field in ReportTextField.values:
            text = report_text(report, field)
            for finding in find_personal_data(text):
                passage = text[finding.start : finding.end]
                key = (field, finding.start, finding.end, finding.kind, passage_hash(passage))
                found[key] = finding
        known = RedactionCandidate.objects.filter(report=report).exclude(
            state=RedactionCandidate.State.REDACTED
        )
        kept: set[tuple[str, int, int, str, str]] = set()
        gone: list[int] = []
        for candidate in known:
            key = (
                candidate.field,
                candidate.start,
                candidate.end,
                candidate.kind,
                candidate.passage_hash,
            )
            if key in found and key not in kept:
                kept.add(key)
            else:
                gone.append(candidate.pk)
        RedactionCandidate.objects.filter(pk__in=gone).delete()
        new = [
            RedactionCandidate(
                report=report,
                field=key[0],
                start=key[1],
                end=key[2],
                kind=key[3],
                passage_hash=key[4],
                confidence=finding.confidence,
            )
            for key, finding in found.items()
            if key not in kept
        ]
        RedactionCandidate.objects.bulk_create(new)
        still_open = RedactionCandidate.objects.filter(
            report=report, state=RedactionCandidate.State.OPEN
        ).count()
        return Scan(open=still_open, new=len(new))


def scan_personal_data(*, organisation: Organisation | None = None) -> tuple[int, int]:
    """Refresh the candidates of every report (of one organisation), one report per
    transaction. Returns (reports scanned, open candidates)."""
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    scanned = still_open = 0
    for report_id in reports.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=500):
        still_open += refresh_redaction_candidates(report_id).open
        scanned += 1
    return scanned, still_open


@transaction.atomic
def dismiss_candidate(*, actor: AbstractBaseUser, candidate: RedactionCandidate) -> None:
    """ "Not personal data": remembered, and not shown again unless the text there changes."""
    current = RedactionCandidate.objects.select_for_update().get(pk=candidate.pk)
    if current.state != RedactionCandidate.State.OPEN:
        raise CandidateClosed(candidate.pk)
    current.state = RedactionCandidate.State.DISMISSED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "decided_by", "decided_at"])
    record(
        "redaction_candidate.dismissed",
        actor=actor,
        organisation=candidate.report.organisation,
        obj=current,
    )


@transaction.atomic
def redact_candidate(
    *,
    actor: AbstractBaseUser,
    candidate: RedactionCandidate,
    expected_version: int,
    reason: str,
) -> Redaction:
    """Redact what the detector found, through redact_passage (the candidate becomes
    "redacted" there). CandidateClosed when it was decided or its text changed meanwhile."""
    current = _lock_current(candidate.report, expected_version)
    locked = RedactionCandidate.objects.select_for_update().get(pk=candidate.pk)
    passage = report_text(current, locked.field)[locked.start : locked.end]
    if locked.state != RedactionCandidate.State.OPEN or passage_hash(passage) != (
        locked.passage_hash
    ):
        raise CandidateClosed(candidate.pk)
    return redact_passage(
        actor=actor,
        report=candidate.report,
        expected_version=expected_version,
        field=locked.field,
        start=locked.start,
        end=locked.end,
        reason=reason,
        expected_text=passage,
    )


# --- Codebook ------------------------------------------------------------------------------
# The organisation's themes are created, renamed, moved, reordered, hidden and merged here and
# never deleted: reports, summaries and exports refer to them. Every change is version-checked
# (REL-06), leaves a ThemeChange row with the values before and after (curated labels only),
# and an audit row with the names of the changed fields.

CODEBOOK_LEVELS = 3  # main themes, their sub-themes, and the sub-themes of those
THEME_TEXT_FIELDS = (
    "label_fi",
    "label_sv",
    "label_en",
    "description_fi",
    "description_sv",
    "description_en",
)
# Relations that a merge leaves where they are: a theme's history stays its own, and the
# sub-themes are moved by merge_themes itself (with their own history rows). Every other
# foreign key to Theme, including those other apps add later, follows the merge.
MERGE_KEEPS = {("coding.themechange", "theme"), ("coding.theme", "parent")}
REPORT_THEMES = "coding.reporttheme.theme"


class ThemeConflict(Exception):
    """Someone else changed the theme after the version the user started from."""

    def __init__(self, current: Theme) -> None:
        super().__init__(current.pk)
        self.current = current


@dataclass(frozen=True)
class ThemeNode:
    """A theme in the codebook tree, with its report count and its sub-themes in order."""

    theme: Theme
    children: list["ThemeNode"]
    level: int
    first: bool
    last: bool


@dataclass(frozen=True)
class MergeResult:
    source: Theme
    target: Theme
    # Per relation ("app.model.field"): rows moved to the target and rows removed because
    # the target already had an equal row (a report that carried both themes).
    relations: dict[str, dict[str, int]]
    children: list[str]

    @property
    def reports_moved(self) -> int:
        return self.relations.get(REPORT_THEMES, {}).get("moved", 0)

    @property
    def reports_had_both(self) -> int:
        return self.relations.get(REPORT_THEMES, {}).get("removed", 0)


def _codebook_error(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _theme_error_messages() -> dict[str, str]:
    # Translated when raised, in the language of the request.
    return {
        "cycle": gettext(
            "A theme cannot be placed under itself or under one of its own sub-themes."
        ),
        "too_deep": gettext(
            "The codebook has at most three levels: main themes, their sub-themes and the "
            "sub-themes of those. Choose a parent higher up, or move the sub-themes first."
        ),
        "parent_not_in_use": gettext(
            "Choose a parent theme that is in use: hidden and merged themes cannot have sub-themes."
        ),
        "merged": gettext("The theme has been merged into another theme and cannot be changed."),
        "taken": gettext(
            "The codebook already has a theme with this code. Codes stay reserved, also for "
            "hidden and merged themes: choose another code."
        ),
    }


def _actor_or_none(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def _log_change(
    theme: Theme,
    actor: AbstractBaseUser | None,
    kind: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> ThemeChange:
    return ThemeChange.objects.create(
        theme=theme, actor=_actor_or_none(actor), kind=kind, before=before, after=after
    )


def _code_of(pk: int | None) -> str | None:
    if pk is None:
        return None
    return Theme.objects.filter(pk=pk).values_list("code", flat=True).first()


def _snapshot(theme: Theme) -> dict[str, Any]:
    """The theme's curated values, for the history."""
    values: dict[str, Any] = {"code": theme.code}
    values.update({name: getattr(theme, name) for name in THEME_TEXT_FIELDS})
    values.update(
        {"parent": _code_of(theme.parent_id), "order": theme.order, "hidden": theme.hidden}
    )
    return values


def _lock_theme(theme: Theme, expected_version: int) -> Theme:
    """The theme's row, locked for this transaction; ThemeConflict if it has moved on."""
    current = Theme.objects.select_for_update().get(pk=theme.pk)
    if current.version != expected_version:
        raise ThemeConflict(current)
    if current.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["merged"], "merged")
    return current


def _claim(theme: Theme, expected_version: int, **changes: Any) -> None:
    """UPDATE … WHERE id = %s AND version = %s, as for reports: on SQLite the row lock above
    is a no-op, and this is what keeps two saves from both winning."""
    updated = Theme.objects.filter(pk=theme.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise ThemeConflict(Theme.objects.get(pk=theme.pk))
    for name, value in changes.items():
        setattr(theme, name, value)
    theme.version = expected_version + 1


def _parents(organisation: Organisation) -> dict[int, int | None]:
    """{theme id: parent id} of the organisation's current (not merged) themes."""
    return dict(
        Theme.objects.current()
        .filter(organisation=organisation)
        .values_list("pk", "parent_id")
        .order_by()
    )


def _check_tree(parents: dict[int, int | None]) -> None:
    """Refuse a tree with a cycle or with more than CODEBOOK_LEVELS levels."""
    messages = _theme_error_messages()
    for pk in parents:
        level, node = 1, pk
        while (parent := parents.get(node)) is not None and parent in parents:
            if parent == pk or level > len(parents):
                raise _codebook_error(messages["cycle"], "cycle")
            level, node = level + 1, parent
        if level > CODEBOOK_LEVELS:
            raise _codebook_error(messages["too_deep"], "too_deep", levels=CODEBOOK_LEVELS)


def _is_below(parents: dict[int, int | None], pk: int, ancestor: int) -> bool:
    node, steps = parents.get(pk), 0
    while node is not None and steps <= len(parents):
        if node == ancestor:
            return True
        node, steps = parents.get(node), steps + 1
    return False


def _usable_parent(organisation: Organisation, parent: Theme | None) -> Theme | None:
    """The parent, locked, if it may have sub-themes: one of the organisation's themes in
    use. Locked so that it is not hidden or merged while a theme is put under it."""
    if parent is None:
        return None
    locked = (
        Theme.objects.select_for_update().filter(pk=parent.pk, organisation=organisation).first()
    )
    if locked is None or locked.hidden or locked.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["parent_not_in_use"], "parent_not_in_use")
    return locked


def _next_order(organisation: Organisation, parent_id: int | None) -> int:
    highest = (
        Theme.objects.current()
        .filter(organisation=organisation, parent_id=parent_id)
        .aggregate(highest=Max("order"))["highest"]
    )
    return 0 if highest is None else highest + 1


@transaction.atomic
def create_theme(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    code: str,
    values: dict[str, str],
    parent: Theme | None = None,
) -> Theme:
    """A new theme at the end of its parent's sub-themes (or of the main themes)."""
    from havainto.accounts.services import CODE_RE

    if not CODE_RE.fullmatch(code):
        raise _codebook_error(gettext("The code is not valid."), "invalid")
    if not (values.get("label_fi") or "").strip():
        raise _codebook_error(gettext("Give the Finnish label."), "required")
    parent = _usable_parent(organisation, parent)
    taken = _theme_error_messages()["taken"]
    if Theme.objects.filter(organisation=organisation, code=code).exists():
        raise _codebook_error(taken, "taken")
    parents = _parents(organisation)
    parents[0] = parent.pk if parent else None  # 0: the new theme, which has no id yet
    _check_tree(parents)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                organisation=organisation,
                code=code,
                parent=parent,
                order=_next_order(organisation, parent.pk if parent else None),
                **{name: values.get(name, "") for name in THEME_TEXT_FIELDS},
            )
    except IntegrityError:  # the same code saved by someone else a moment ago
        raise _codebook_error(taken, "taken") from None
    _log_change(theme, actor, ThemeChange.Kind.CREATED, {}, _snapshot(theme))
    record("theme.created", actor=actor, organisation=organisation, obj=theme)
    return theme


@transaction.atomic
def update_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    values: dict[str, str],
) -> Theme:
    """Rename: the labels and descriptions that differ from the saved ones."""
    current = _lock_theme(theme, expected_version)
    changed = [
        name
        for name in THEME_TEXT_FIELDS
        if name in values and getattr(current, name) != values[name]
    ]
    if "label_fi" in changed and not values["label_fi"].strip():
        raise _codebook_error(gettext("Give the Finnish label."), "required")
    if not changed:
        return current
    before = {name: getattr(current, name) for name in changed}
    _claim(current, expected_version, **{name: values[name] for name in changed})
    _log_change(
        current,
        actor,
        ThemeChange.Kind.RENAMED,
        before,
        {name: values[name] for name in changed},
    )
    record(
        "theme.changed", actor=actor, organisation=current.organisation, obj=current, fields=changed
    )
    return current


@transaction.atomic
def move_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    parent: Theme | None,
) -> Theme:
    """Put the theme (with its sub-themes) under another parent, or at the top level, as the
    parent's last sub-theme. Cycles and a fourth level are refused."""
    current = _lock_theme(theme, expected_version)
    organisation = current.organisation
    if parent is not None and parent.pk == current.pk:
        raise _codebook_error(_theme_error_messages()["cycle"], "cycle")
    parent = _usable_parent(organisation, parent)
    parent_id = parent.pk if parent else None
    if current.parent_id == parent_id:
        return current
    parents = _parents(organisation)
    parents[current.pk] = parent_id
    _check_tree(parents)
    before = {"parent": _code_of(current.parent_id), "order": current.order}
    order = _next_order(organisation, parent_id)
    _claim(current, expected_version, parent=parent, order=order)
    _log_change(
        current,
        actor,
        ThemeChange.Kind.MOVED,
        before,
        {"parent": parent.code if parent else None, "order": order},
    )
    record("theme.moved", actor=actor, organisation=organisation, obj=current, fields=["parent"])
    return current


@transaction.atomic
def reorder_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    direction: str,
) -> Theme:
    """Move the theme one place up or down among its shown siblings. The siblings are
    numbered 0, 1, 2… on the way, so equal order numbers cannot block the swap."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    current = _lock_theme(theme, expected_version)
    if current.hidden:
        raise _codebook_error(gettext("Show the theme before changing its order."), "hidden")
    siblings = list(
        Theme.objects.offered()
        .select_for_update()
        .filter(organisation=current.organisation, parent_id=current.parent_id)
        .order_by("order", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == current.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        message = (
            gettext("The theme is first already.")
            if direction == "up"
            else gettext("The theme is last already.")
        )
        raise _codebook_error(message, "edge")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.pk != current.pk and sibling.order != position:
            Theme.objects.filter(pk=sibling.pk).update(order=position)
    before = {"order": current.order}
    _claim(current, expected_version, order=other)
    _log_change(current, actor, ThemeChange.Kind.REORDERED, before, {"order": other})
    record(
        "theme.reordered",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["order"],
    )
    return current


@transaction.atomic
def hide_theme(*, actor: AbstractBaseUser | None, theme: Theme, expected_version: int) -> Theme:
    """A hidden theme is no longer offered for reports or suggested; the reports that carry
    it keep it. A theme with sub-themes in use cannot be hidden (they would be orphans)."""
    current = _lock_theme(theme, expected_version)
    if current.hidden:
        return current
    if Theme.objects.offered().filter(parent=current).exists():
        raise _codebook_error(
            gettext("Hide or move its sub-themes first: a hidden theme cannot have sub-themes."),
            "has_children",
        )
    _claim(current, expected_version, hidden=True)
    _log_change(current, actor, ThemeChange.Kind.HIDDEN, {"hidden": False}, {"hidden": True})
    record(
        "theme.hidden",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["hidden"],
    )
    return current


@transaction.atomic
def show_theme(*, actor: AbstractBaseUser | None, theme: Theme, expected_version: int) -> Theme:
    current = _lock_theme(theme, expected_version)
    if not current.hidden:
        return current
    parent = (
        Theme.objects.select_for_update().filter(pk=current.parent_id).first()
        if current.parent_id
        else None
    )
    if parent is not None and parent.hidden:
        raise _codebook_error(
            gettext("Show its parent theme “%(parent)s” first.") % {"parent": parent.label},
            "parent_hidden",
        )
    _claim(current, expected_version, hidden=False)
    _log_change(current, actor, ThemeChange.Kind.SHOWN, {"hidden": True}, {"hidden": False})
    record(
        "theme.shown",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["hidden"],
    )
    return current


def theme_foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key that points at Theme, from any app. Built from
    Theme._meta.get_fields(include_hidden=True) rather than related_objects, which leaves out
    keys declared with related_name="+"; a many-to-many field to Theme appears here as the
    foreign key of its (possibly automatic) through table, so moving the through rows moves
    the many-to-many links."""
    return [
        rel.field
        for rel in Theme._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def _unique_sets(model: type[models.Model], field: models.Field[Any, Any]) -> list[Any]:
    """(field names, condition) of every uniqueness rule of the model that includes field."""
    sets: list[tuple[list[str], Q | None]] = []
    if field.unique:  # also a one-to-one field
        sets.append(([field.name], None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and field.name in (constraint.fields or ()):
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _repoint(field: models.ForeignKey[Any, Any], source: Theme, target: Theme) -> dict[str, int]:
    """Move the rows of field's model from source to target. A row that would equal a row
    the target has already (under one of the model's uniqueness rules) is removed instead:
    the target carries it."""
    model = field.model
    manager = model._base_manager
    if not manager.filter(**{field.name: source}).exists():
        return {"moved": 0, "removed": 0}
    removed = 0
    for names, condition in _unique_sets(model, field):
        clash = manager.filter(**{field.name: target}).filter(
            **{name: OuterRef(name) for name in names if name != field.name}
        )
        duplicates = manager.filter(**{field.name: source})
        if condition is not None:
            clash, duplicates = clash.filter(condition), duplicates.filter(condition)
        removed += _delete(duplicates.filter(Exists(clash)))
    rows = manager.filter(**{field.name: source})
    try:
        with transaction.atomic():
            moved = rows.update(**{field.name: target})
    except IntegrityError:
        # A rule the checks above cannot read (an expression or a check constraint): row by
        # row, removing the rows that cannot move.
        moved = 0
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{field.name: target})
            except IntegrityError:
                removed += _delete(manager.filter(pk=pk))
    return {"moved": moved, "removed": removed}


def _delete(rows: Any) -> int:
    try:
        _total, per_model = rows.delete()
    except (ProtectedError, RestrictedError):
        raise _codebook_error(
            gettext(
                "The themes cannot be merged: other data refers to a duplicate of a row that "
                "the merge would remove."
            ),
            "protected",
        ) from None
    return per_model.get(rows.model._meta.label, 0)


@transaction.atomic
def merge_themes(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    into: Theme,
    expected_version: int,
) -> MergeResult:
    """Merge `theme` into `into`: every report (and every other row that points at a theme)
    of the first then carries the second, without duplicates; its sub-themes move under the
    second; the first is kept as a merged record pointing at the second, so old links, exports
    and history still resolve, and it is no longer offered or suggested. If `into` was below
    `theme`, it first takes `theme`'s place in the tree."""
    if into.pk == theme.pk or into.organisation_id != theme.organisation_id:
        raise _codebook_error(gettext("Choose another theme of the codebook."), "same")
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {
        t.pk: t
        for t in Theme.objects.select_for_update().filter(pk__in=[theme.pk, into.pk]).order_by("pk")
    }
    source, target = locked[theme.pk], locked[into.pk]
    if source.version != expected_version:
        raise ThemeConflict(source)
    if source.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["merged"], "merged")
    if target.merged_into_id is not None or target.hidden:
        raise _codebook_error(
            gettext("Merge into a theme that is in use: not a hidden or a merged one."),
            "target_not_in_use",
        )
    organisation = source.organisation
    parents = _parents(organisation)
    target_was_below = _is_below(parents, target.pk, source.pk)
    if target_was_below:
        parents[target.pk] = parents[source.pk]
    children = list(
        Theme.objects.current().filter(parent=source).exclude(pk=target.pk).order_by("order", "id")
    )
    for child in children:
        parents[child.pk] = target.pk
    del parents[source.pk]
    _check_tree(parents)

    _claim(source, expected_version, merged_into=target)
    if target_was_below:
        before = {"parent": _code_of(target.parent_id), "order": target.order}
        target.parent_id, target.order = source.parent_id, source.order
        Theme.objects.filter(pk=target.pk).update(parent_id=source.parent_id, order=source.order)
        after = {"parent": _code_of(source.parent_id), "order": source.order}
        _log_change(target, actor, ThemeChange.Kind.MOVED, before, after)
    order = _next_order(organisation, target.pk)
    for offset, child in enumerate(children):
        Theme.objects.filter(pk=child.pk).update(
            parent=target, order=order + offset, version=F("version") + 1
        )
        _log_change(
            child,
            actor,
            ThemeChange.Kind.MOVED,
            {"parent": source.code, "order": child.order},
            {"parent": target.code, "order": order + offset},
        )
    relations: dict[str, dict[str, int]] = {}
    for field in theme_foreign_keys():
        if (field.model._meta.label_lower, field.name) in MERGE_KEEPS:
            continue
        counts = _repoint(field, source, target)
        if counts["moved"] or counts["removed"]:
            relations[f"{field.model._meta.label_lower}.{field.name}"] = counts
    Theme.objects.filter(pk=target.pk).update(version=F("version") + 1)
    target.version += 1
    child_codes = [child.code for child in children]
    _log_change(
        source,
        actor,
        ThemeChange.Kind.MERGED,
        {"merged_into": None},
        {"merged_into": target.code, "relations": relations, "children": child_codes},
    )
    _log_change(
        target,
        actor,
        ThemeChange.Kind.RECEIVED,
        {},
        {"from": source.code, "relations": relations, "children": child_codes},
    )
    record(
        "theme.merged",
        actor=actor,
        organisation=organisation,
        obj=source,
        fields=["merged_into"],
    )
    return MergeResult(source=source, target=target, relations=relations, children=child_codes)


# Reading the codebook -----------------------------------------------------------------------


def codebook_tree(themes: Iterable[Theme]) -> list[ThemeNode]:
    """The shown (neither hidden nor merged) themes as a tree in order. A theme whose parent
    is not shown is listed at the top, so that nothing shown is lost."""
    shown = [t for t in themes if not t.hidden and t.merged_into_id is None]
    ids = {t.pk for t in shown}
    below: dict[int | None, list[Theme]] = {}
    for theme in sorted(shown, key=lambda t: (t.order, t.pk)):
        parent = theme.parent_id if theme.parent_id in ids else None
        below.setdefault(parent, []).append(theme)

    def nodes(parent: int | None, level: int) -> list[ThemeNode]:
        items = below.get(parent, []) if level <= CODEBOOK_LEVELS + 1 else []
        return [
            ThemeNode(
                theme=theme,
                children=nodes(theme.pk, level + 1),
                level=level,
                first=index == 0,
                last=index == len(items) - 1,
            )
            for index, theme in enumerate(items)
        ]

    return nodes(None, 1)


def theme_paths(themes: Iterable[Theme]) -> dict[int, str]:
    """{id: "Main theme › Sub-theme"} in the active language, for pick-lists."""
    by_id = {theme.pk: theme for theme in themes}
    paths: dict[int, str] = {}
    for theme in by_id.values():
        names, node, steps = [], theme, 0
        while node is not None and steps <= CODEBOOK_LEVELS:
            names.append(node.label)
            node, steps = by_id.get(node.parent_id) if node.parent_id else None, steps + 1
        paths[theme.pk] = " › ".join(reversed(names))
    return paths


def offered_theme_codes(organisation: Organisation, codes: Iterable[str]) -> list[str]:
    """Codes (say, a suggestion model's, trained before a merge) as the codebook has them
    now: a merged theme's code becomes its target's, hidden and unknown codes are dropped,
    the order is kept and duplicates removed."""
    themes = {
        theme.code: theme
        for theme in Theme.objects.filter(organisation=organisation).select_related("merged_into")
    }
    result: list[str] = []
    for code in codes:
        theme = themes.get(code)
        if theme is not None and theme.merged_into is not None:
            theme = theme.merged_into
        if theme is None or theme.hidden or theme.merged_into_id is not None:
            continue
        if theme.code not in result:
            result.append(theme.code)
    return result

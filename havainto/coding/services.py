"""State changes of the handling workspace. Views, commands and tasks all call these.

Every change of a report is version-checked (REL-06): the caller passes the version the
user saw, and the row is updated only `WHERE id = … AND version = …`. Mail to reporters is
written to the outbox in the same transaction and sent after commit (REL-04).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import (
    InboxVisit,
    InternalNote,
    OutboxMessage,
    ReportTheme,
    SavedView,
    TextGrant,
    Theme,
    Transition,
    WorkflowState,
)
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
    wanted = {theme.pk: theme for theme in themes}
    if any(theme.organisation_id != report.organisation_id for theme in wanted.values()):
        raise ValueError("theme of another organisation")
    _lock_current(report, expected_version)
    _bump(report, expected_version)
    have = set(ReportTheme.objects.filter(report=report).values_list("theme_id", flat=True))
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

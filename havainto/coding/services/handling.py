"""Handling one report: reading it, its state, handler, themes, notes and answers to the
reporter; the inbox's saved views and "new since last visit"; readers' access to texts.

Every change of a report is version-checked (REL-06): the caller passes the version the
user saw, and the row is updated only `WHERE id = … AND version = …`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import (
    InboxVisit,
    InternalNote,
    ReportTheme,
    SavedView,
    TextGrant,
    Theme,
    Transition,
)
from havainto.coding.services._common import _bump, _lock_current, _queue_feedback_mail
from havainto.coding.services.states import InvalidTransition, workflow_states
from havainto.reports.models import Report, ReportEvent

# A new visit to the inbox starts after this long away; until then "new" stays the same.
VISIT_GAP = timezone.timedelta(minutes=30)


# --- Reading ---------------------------------------------------------------------------


def record_report_read(*, actor: AbstractBaseUser, report: Report) -> None:
    """Log that the user saw the report's full text (ids only)."""
    record("report.viewed", actor=actor, organisation=report.organisation, obj=report)


# --- Changing a report -----------------------------------------------------------------


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

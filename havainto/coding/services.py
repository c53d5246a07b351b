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
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    UniqueConstraint,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

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
    ThemeChange,
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


def suggestion_codebook(organisation: Organisation) -> list[Any]:
    """The organisation's codebook for theme suggestions (havainto.lib.themes): the themes
    that may be given to reports, neither hidden nor merged. Nothing in the product turned the
    database codebook into a lib codebook before this (the analyse command uses
    taxonomy.json); whoever wires suggestions into the workspace should build the model from
    this list and pass its output through offered_theme_codes."""
    from havainto.lib.themes import Theme as CodebookEntry

    return [
        CodebookEntry(
            code=theme.code,
            labels={lang: getattr(theme, f"label_{lang}") for lang in ("fi", "sv", "en")},
            descriptions={
                lang: getattr(theme, f"description_{lang}")
                for lang in ("fi", "sv", "en")
                if getattr(theme, f"description_{lang}")
            },
        )
        for theme in Theme.objects.offered().filter(organisation=organisation)
    ]

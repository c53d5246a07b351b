"""Who may see and handle which reports in the workspace: the one place that decides.

- coordinators: every report of their organisation, read and write;
- handlers: reports of the units named in their handler memberships, read and write;
- readers: aggregates only; report texts (read-only) when a TextGrant says so;
- organisation admins: the workspace settings (states, templates) and the audit log, but no
  report texts unless they also hold another role.

Anyone else gets a 404, so that the pages do not reveal that an object exists. A member of
the organisation whose role lacks a right gets a 403 that shows no data.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from havainto.accounts.access import AnyUser, roles_in
from havainto.accounts.models import Membership, Organisation, Role
from havainto.coding.models import Phenomenon, Quote, Redaction, RedactionCandidate, TextGrant
from havainto.reports.models import Report, ReportQuerySet

SETTINGS_ROLES = {Role.COORDINATOR, Role.ADMIN}


def get_organisation_for_member(user: AnyUser, slug: str) -> tuple[Organisation, set[str]]:
    """The organisation and the user's roles in it; 404 unless the user works there."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    roles = roles_in(user, organisation) - {Role.REPORTER}
    if not roles:
        raise Http404
    return organisation, roles


def handled_unit_ids(user: AnyUser, organisation: Organisation) -> list[int]:
    return list(
        Membership.objects.filter(
            user=user, organisation=organisation, role=Role.HANDLER, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )


def can_read_texts(user: AnyUser, organisation: Organisation, roles: set[str]) -> bool:
    if roles & {Role.COORDINATOR, Role.HANDLER}:
        return True
    return (
        Role.READER in roles
        and TextGrant.objects.filter(organisation=organisation, user=user).exists()
    )


def visible_reports(user: AnyUser, organisation: Organisation, roles: set[str]) -> ReportQuerySet:
    """The reports whose texts the user may read in the organisation (maybe none)."""
    reports = Report.objects.of(organisation)
    if Role.COORDINATOR in roles:
        return reports
    if Role.READER in roles and can_read_texts(user, organisation, {Role.READER}):
        return reports
    if Role.HANDLER in roles:
        return reports.filter(unit_id__in=handled_unit_ids(user, organisation))
    return reports.none()


def get_organisation_for_texts(user: AnyUser, slug: str) -> tuple[Organisation, set[str]]:
    """For the inbox: 404 for outsiders, 403 for members who may not read report texts."""
    organisation, roles = get_organisation_for_member(user, slug)
    if not can_read_texts(user, organisation, roles):
        raise PermissionDenied
    return organisation, roles


def get_report_for_user(
    user: AnyUser, slug: str, pk: int, *, write: bool = False
) -> tuple[Organisation, Report, set[str]]:
    """The report if the user may read it (write=True: handle it); 404 when it is not theirs
    to know about, 403 when their role lacks the right."""
    organisation, roles = get_organisation_for_texts(user, slug)
    report = (
        visible_reports(user, organisation, roles)
        .filter(Q(pk=pk))
        .select_related(
            "municipality",
            "service_line",
            "unit",
            "observation_type",
            "reporter_role",
            "recurrence",
            "clients_affected",
            "proposal_level",
            "assignee",
            "author",
        )
        .first()
    )
    if report is None:
        raise Http404
    if write and not can_handle(user, organisation, roles, report):
        raise PermissionDenied
    return organisation, report, roles


def can_handle(user: AnyUser, organisation: Organisation, roles: set[str], report: Report) -> bool:
    if Role.COORDINATOR in roles:
        return True
    return Role.HANDLER in roles and report.unit_id in handled_unit_ids(user, organisation)


def get_organisation_for_settings(user: AnyUser, slug: str) -> tuple[Organisation, set[str]]:
    """States and templates: coordinators and admins."""
    organisation, roles = get_organisation_for_member(user, slug)
    if not roles & SETTINGS_ROLES:
        raise PermissionDenied
    return organisation, roles


def get_organisation_for_audit(user: AnyUser, slug: str) -> Organisation:
    """The audit log: organisation admins only."""
    organisation, roles = get_organisation_for_member(user, slug)
    if Role.ADMIN not in roles:
        raise PermissionDenied
    return organisation


# --- Phenomena ---------------------------------------------------------------------------
# Phenomena are what leadership is meant to see: every member of the workspace (coordinators,
# handlers, readers, admins) may view them; the supporting reports' titles only those who may
# read report texts. Coordinators gather, edit and carry them forward.


def can_edit_phenomena(roles: set[str]) -> bool:
    return Role.COORDINATOR in roles


def get_organisation_for_phenomena(
    user: AnyUser, slug: str, *, write: bool = False
) -> tuple[Organisation, set[str]]:
    organisation, roles = get_organisation_for_member(user, slug)
    if write and not can_edit_phenomena(roles):
        raise PermissionDenied
    return organisation, roles


def get_phenomenon_for_user(
    user: AnyUser, slug: str, pk: int, *, write: bool = False
) -> tuple[Organisation, Phenomenon, set[str]]:
    organisation, roles = get_organisation_for_phenomena(user, slug, write=write)
    phenomenon = Phenomenon.objects.filter(organisation=organisation, pk=pk).first()
    if phenomenon is None:
        raise Http404
    return organisation, phenomenon, roles


# --- Passages: quotes, redactions and the redaction queue -----------------------------------
# Quotes are read by whoever reads the report; added and removed by those who handle it;
# approved for publication by coordinators. Redacting is handling; the originals of redacted
# passages are for coordinators. The redaction queue is for coordinators (the organisation)
# and handlers (their units).


def can_approve_quotes(roles: set[str]) -> bool:
    return Role.COORDINATOR in roles


def get_quote_for_user(
    user: AnyUser, slug: str, pk: int, *, write: bool = False, approve: bool = False
) -> tuple[Organisation, Quote, set[str]]:
    """The quote if the user may read its report; write=True: may handle the report;
    approve=True: is a coordinator. 404 / 403 as for reports."""
    organisation, roles = get_organisation_for_texts(user, slug)
    quote = (
        Quote.objects.filter(pk=pk, report__in=visible_reports(user, organisation, roles))
        .select_related("report__organisation", "theme")
        .first()
    )
    if quote is None:
        raise Http404
    if write and not can_handle(user, organisation, roles, quote.report):
        raise PermissionDenied
    if approve and not can_approve_quotes(roles):
        raise PermissionDenied
    return organisation, quote, roles


def get_redaction_for_coordinator(
    user: AnyUser, slug: str, report_pk: int, pk: int
) -> tuple[Organisation, Redaction, set[str]]:
    """A redaction of a report, for reading its original: coordinators only."""
    organisation, report, roles = get_report_for_user(user, slug, report_pk)
    if Role.COORDINATOR not in roles:
        raise PermissionDenied
    redaction = Redaction.objects.filter(pk=pk, report=report).select_related("report").first()
    if redaction is None:
        raise Http404
    return organisation, redaction, roles


def get_organisation_for_queue(user: AnyUser, slug: str) -> tuple[Organisation, set[str]]:
    """The redaction queue: coordinators and handlers; 403 for other members."""
    organisation, roles = get_organisation_for_member(user, slug)
    if not roles & {Role.COORDINATOR, Role.HANDLER}:
        raise PermissionDenied
    return organisation, roles


def queue_candidates(
    user: AnyUser, organisation: Organisation, roles: set[str]
) -> QuerySet[RedactionCandidate]:
    """The open candidates of the reports the user handles."""
    handled = visible_reports(user, organisation, roles & {Role.COORDINATOR, Role.HANDLER})
    return RedactionCandidate.objects.filter(
        state=RedactionCandidate.State.OPEN, report__in=handled
    )


def get_candidate_for_user(
    user: AnyUser, slug: str, pk: int
) -> tuple[Organisation, RedactionCandidate, set[str]]:
    """An open candidate of a report the user handles; 404 otherwise (also when decided)."""
    organisation, roles = get_organisation_for_queue(user, slug)
    candidate = (
        queue_candidates(user, organisation, roles)
        .filter(pk=pk)
        .select_related("report__organisation")
        .first()
    )
    if candidate is None:
        raise Http404
    return organisation, candidate, roles


def get_organisation_for_codebook(
    user: AnyUser, slug: str, *, write: bool = False
) -> tuple[Organisation, set[str]]:
    """The theme codebook: every member of the workspace reads it (labels and counts, no
    report texts); coordinators and organisation admins change it (write=True)."""
    organisation, roles = get_organisation_for_member(user, slug)
    if write and not roles & SETTINGS_ROLES:
        raise PermissionDenied
    return organisation, roles


# --- The workspace menu ------------------------------------------------------------------


def workspace_nav(roles: set[str]) -> dict[str, bool]:
    """What the workspace menu (templates/coding/_workspace_nav.html) offers to these roles."""
    return {
        "can_configure": bool(roles & SETTINGS_ROLES),
        "can_gather": can_edit_phenomena(roles),
        "is_admin": Role.ADMIN in roles,
        "can_see_topics": bool(roles & {Role.COORDINATOR, Role.HANDLER, Role.READER}),
        "can_see_signals": bool(roles & {Role.COORDINATOR, Role.READER}),
    }

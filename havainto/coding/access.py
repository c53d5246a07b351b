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
from django.db.models import Q
from django.http import Http404

from havainto.accounts.access import AnyUser, roles_in
from havainto.accounts.models import Membership, Organisation, Role
from havainto.coding.models import TextGrant
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


def get_organisation_for_codebook(
    user: AnyUser, slug: str, *, write: bool = False
) -> tuple[Organisation, set[str]]:
    """The theme codebook: every member of the workspace reads it (labels and counts, no
    report texts); coordinators and organisation admins change it (write=True)."""
    organisation, roles = get_organisation_for_member(user, slug)
    if write and not roles & SETTINGS_ROLES:
        raise PermissionDenied
    return organisation, roles

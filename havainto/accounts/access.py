"""Who may do what in which organisation: the one place where roles are read."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from havainto.accounts.models import Membership, Organisation, Role

AnyUser = AbstractBaseUser | AnonymousUser

# Roles that may open the handling workspace of an organisation.
WORKSPACE_ROLES = (Role.HANDLER, Role.COORDINATOR, Role.READER, Role.ADMIN)


def roles_in(user: AnyUser, organisation: Organisation) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_havainto_roles", None)
    if cache is None:
        cache = {}
        for org_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            cache.setdefault(org_id, set()).add(role)
        user._havainto_roles = cache  # type: ignore[union-attr]
    return cache.get(organisation.pk, set())


def has_role(user: AnyUser, organisation: Organisation, roles: Iterable[str]) -> bool:
    return bool(roles_in(user, organisation) & set(roles))


def organisations_for(user: AnyUser) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).distinct())


def get_organisation_for_admin(user: AnyUser, slug: str) -> Organisation:
    """The organisation if the user administers it; 404 otherwise (no hint that it exists)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not has_role(user, organisation, [Role.ADMIN]):
        raise Http404
    return organisation


def reporter_membership(user: AnyUser, organisation: Organisation) -> Membership | None:
    """The membership whose context prefills the form: the reporter one first, then any."""
    if not user.is_authenticated:
        return None
    rows = list(Membership.objects.filter(user=user, organisation=organisation))
    rows.sort(key=lambda m: (m.role != Role.REPORTER, m.id))
    return rows[0] if rows else None

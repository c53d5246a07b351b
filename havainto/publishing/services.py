"""State changes of the pages an organisation publishes about itself."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.publishing.models import OrganisationPage


@transaction.atomic
def save_organisation_page(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    kind: str,
    body_fi: str,
    body_sv: str = "",
    body_en: str = "",
) -> OrganisationPage:
    """Write the organisation's accessibility statement or privacy notice (plain text)."""
    if kind not in OrganisationPage.Kind.values:
        raise ValueError(f"unknown page {kind!r}")
    page, created = OrganisationPage.objects.select_for_update().get_or_create(
        organisation=organisation, kind=kind
    )
    values = {"body_fi": body_fi, "body_sv": body_sv, "body_en": body_en}
    changed = [name for name, value in values.items() if getattr(page, name) != value]
    if not changed and not created:
        return page
    for name in changed:
        setattr(page, name, values[name])
    page.updated_by = actor if actor.is_authenticated else None
    page.save()
    record(
        "organisation_page.created" if created else "organisation_page.changed",
        actor=actor,
        organisation=organisation,
        obj=page,
        fields=changed,
    )
    return page

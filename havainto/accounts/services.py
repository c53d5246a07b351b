"""State changes of organisations and their people."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from havainto.accounts.models import Membership, Municipality, Organisation, ServiceLine
from havainto.audit.services import record
from havainto.coding.models import Theme
from havainto.core.taxonomy import VOCABULARY_KEYS, taxonomy
from havainto.reports.models import VocabularyEntry


@transaction.atomic
def create_organisation(
    *,
    actor: AbstractBaseUser | None,
    slug: str,
    name_fi: str,
    name_sv: str = "",
    name_en: str = "",
    languages: Iterable[str] = ("fi",),
    municipalities: Iterable[dict[str, str]] = (),
    service_lines: Iterable[dict[str, str]] | None = None,
    allow_anonymous: bool = True,
) -> Organisation:
    """Create an organisation with the default vocabularies and themes of taxonomy.json."""
    organisation = Organisation.objects.create(
        slug=slug,
        name_fi=name_fi,
        name_sv=name_sv,
        name_en=name_en,
        languages=list(languages),
        allow_anonymous=allow_anonymous,
    )
    Municipality.objects.bulk_create(
        Municipality(
            organisation=organisation, code=m["code"], name_fi=m["fi"], name_sv=m.get("sv", "")
        )
        for m in municipalities
    )
    lines = taxonomy()["service_lines_demo"] if service_lines is None else service_lines
    ServiceLine.objects.bulk_create(
        ServiceLine(
            organisation=organisation,
            code=s["code"],
            name_fi=s["fi"],
            name_sv=s.get("sv", ""),
            name_en=s.get("en", ""),
            order=i,
        )
        for i, s in enumerate(lines)
    )
    load_default_vocabularies(organisation)
    record("organisation.created", actor=actor, organisation=organisation, obj=organisation)
    return organisation


def load_default_vocabularies(organisation: Organisation) -> None:
    """Add the default entries the organisation does not have yet (by code)."""
    data = taxonomy()
    have = set(
        VocabularyEntry.objects.filter(organisation=organisation).values_list("kind", "code")
    )
    entries = []
    for key, kind in VOCABULARY_KEYS.items():
        for order, item in enumerate(data[key]):
            code = str(item["code"])
            if (kind, code) not in have:
                entries.append(_entry(organisation, kind, code, item, order))
    VocabularyEntry.objects.bulk_create(entries)
    have_themes = set(
        Theme.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    Theme.objects.bulk_create(
        Theme(
            organisation=organisation,
            code=item["code"],
            label_fi=item["fi"],
            label_sv=item.get("sv", ""),
            label_en=item.get("en", ""),
            description_fi=item.get("description_fi", item.get("desc_fi", "")),
            description_sv=item.get("description_sv", item.get("desc_sv", "")),
            description_en=item.get("description_en", item.get("desc_en", "")),
            order=order,
        )
        for order, item in enumerate(data["themes"])
        if item["code"] not in have_themes
    )


def _entry(
    organisation: Organisation, kind: str, code: str, item: dict[str, Any], order: int
) -> VocabularyEntry:
    return VocabularyEntry(
        organisation=organisation,
        kind=kind,
        code=code,
        label_fi=item["fi"],
        label_sv=item.get("sv", ""),
        label_en=item.get("en", ""),
        order=order,
    )


@transaction.atomic
def add_member(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    user: AbstractBaseUser,
    role: str,
    **context: Any,
) -> Membership:
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, **context
    )
    record(
        "membership.created",
        actor=actor,
        organisation=organisation,
        obj=membership,
        fields=["role"],
    )
    return membership

"""Writing the audit log. Called inside the service function's transaction."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from havainto.audit.models import AuditEvent


def record(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    organisation: models.Model | None,
    obj: models.Model | None = None,
    fields: Iterable[str] = (),
) -> AuditEvent:
    """Append one content-free audit row (ids and field names only)."""
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        fields=sorted(fields),
    )

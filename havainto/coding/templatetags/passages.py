"""The redaction queue's open count for the workspace menu (coding/_workspace_nav.html)."""

from typing import Any

from django import template

from havainto.accounts.access import roles_in
from havainto.accounts.models import Organisation, Role
from havainto.coding.access import queue_candidates

register = template.Library()

# Like the inbox's "new" count: the menu says "999+" rather than count further.
COUNT_CAP = 999


@register.simple_tag(takes_context=True)
def redaction_queue_count(context: dict[str, Any], organisation: Organisation) -> int | None:
    """Open findings the user can act on; None for those without the queue (no link)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(organisation, Organisation):
        return None
    roles = roles_in(user, organisation)
    if not roles & {Role.COORDINATOR, Role.HANDLER}:
        return None
    return queue_candidates(user, organisation, roles)[: COUNT_CAP + 1].count()

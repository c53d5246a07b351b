"""Feedback mail through the outbox: where it goes, and its delivery. The mail is written
to the outbox in the same transaction as the change it tells of and sent after commit
(REL-04); the queueing is in _common.py, shared by the modules that write such mail."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from havainto.coding.models import OutboxMessage
from havainto.reports.models import Report

logger = logging.getLogger(__name__)

ERROR_MAX = 500


def feedback_address(report: Report) -> str:
    """Where a named reporter who asked for feedback gets it; "" for everyone else."""
    if not report.wants_feedback:
        return ""
    if report.contact_email:
        return report.contact_email
    if report.author_id is not None and report.author.email:
        return report.author.email
    return ""


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

"""What several service modules share: the version check of reports (REL-06), queueing
feedback mail in the outbox (sent after commit, REL-04), and dates in messages."""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from havainto.coding.models import OutboxMessage
from havainto.coding.services.outbox import feedback_address
from havainto.coding.services.states import state_labels
from havainto.reports.models import Report, ReportEvent

logger = logging.getLogger(__name__)


class EditConflict(Exception):
    """Someone else saved the report after the version the user started from."""

    def __init__(self, current: Report) -> None:
        super().__init__(current.pk)
        self.current = current


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


def _format_date(value: Any) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")

"""Feedback mail goes through the outbox after commit (REL-04): a mail failure never loses
the change or the mail, and a delivered mail is never sent twice."""

from io import StringIO
from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from havainto.coding import services
from havainto.coding.models import OutboxMessage
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise SMTPException("mail server down")


FAILING = "havainto.coding.tests.test_outbox.FailingBackend"


@pytest.fixture
def named(org: Any, reporter: Any, make_report: Any) -> Report:
    return make_report(org, author=reporter, wants_feedback=True, language="sv")


def forward(actor: Any, report: Report, capture: Any) -> None:
    with capture(execute=True):
        services.change_state(
            actor=actor,
            report=report,
            expected_version=report.version,
            to_status="forwarded",
            reason="Till kommunen",
            message="Vi har skickat vidare din observation.",
        )


def test_mail__is_sent_after_commit(
    coordinator: Any, named: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.change_state(
            actor=coordinator,
            report=named,
            expected_version=1,
            to_status="forwarded",
            reason="x",
            message="Hej",
        )
        assert OutboxMessage.objects.get().state == "pending"
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    message = OutboxMessage.objects.get()
    assert message.state == "sent" and message.attempts == 1 and message.sent_at is not None
    assert len(mail.outbox) == 1 and "Hej" in mail.outbox[0].body


def test_mail_failure__keeps_the_change_and_the_row_pending_then_retry_sends_once(
    coordinator: Any, named: Report, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = FAILING
    forward(coordinator, named, django_capture_on_commit_callbacks)

    named.refresh_from_db()
    assert named.status == "forwarded"  # the change is not rolled back
    message = OutboxMessage.objects.get()
    assert message.state == "pending" and message.attempts == 1
    assert message.last_error == "SMTPException: mail server down"

    call_command("send_outbox", stdout=StringIO())  # still down
    message.refresh_from_db()
    assert message.state == "pending" and message.attempts == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "sent 1, still pending 0" in out.getvalue()
    call_command("send_outbox", stdout=StringIO())
    assert services.deliver_message(message.pk) is False

    message.refresh_from_db()
    assert message.state == "sent" and message.attempts == 3 and message.last_error == ""
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [named.author.email]
    assert "Vi har skickat vidare din observation." in mail.outbox[0].body


def test_enqueue_failure__leaves_the_row_for_the_command(
    coordinator: Any, named: Report, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from havainto.coding import tasks

    class Broken:
        def enqueue(self, *args: Any) -> None:
            raise RuntimeError("task queue unavailable")

    monkeypatch.setattr(tasks, "deliver_outbox_message", Broken())
    forward(coordinator, named, django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get().state == "pending" and mail.outbox == []

    monkeypatch.undo()
    call_command("send_outbox", stdout=StringIO())
    assert OutboxMessage.objects.get().state == "sent" and len(mail.outbox) == 1


def test_rolled_back_change__leaves_no_mail(
    coordinator: Any, named: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.EditConflict):
        services.change_state(
            actor=coordinator, report=named, expected_version=7, to_status="closed", reason="x"
        )
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_mail__uses_the_contact_address_and_the_reports_language(
    org: Any, coordinator: Any, make_report: Any, django_capture_on_commit_callbacks: Any
) -> None:
    report = make_report(
        org, wants_feedback=True, contact_email="named@example.invalid", language="sv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.change_state(
            actor=coordinator,
            report=report,
            expected_version=1,
            to_status="closed",
            reason="Klart",
        )
    assert mail.outbox[0].to == ["named@example.invalid"]
    assert "Behandlingen av din observation är avslutad" in mail.outbox[0].body

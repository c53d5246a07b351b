"""The "you said, we did" digest: composed from what was done with a period's reports, shown on
every report's receipt page in its language, e-mailed once per named reporter's address."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import Digest, OutboxMessage
from havainto.reports.models import Report, ReportEvent

from .conftest import MakeReport

pytestmark = pytest.mark.django_db

SHARED = "Lautakunta lisäsi asumisneuvontaa."
UNSHARED = "Luottamuksellinen valmisteluvastaus"


@pytest.fixture
def period_reports(org: Any, coordinator: Any, make_report: MakeReport) -> list[Report]:
    unit = org.units.first()
    named = dict(contact_email="named@example.invalid", wants_feedback=True)
    reports = [
        make_report(org, unit=unit, submitted_on=datetime.date(2025, 3, 1)),
        make_report(org, unit=unit, submitted_on=datetime.date(2025, 3, 2), language="sv", **named),
        make_report(org, unit=unit, submitted_on=datetime.date(2025, 3, 3), **named),
        make_report(org, unit=unit, submitted_on=datetime.date(2025, 5, 1), title="Myöhemmin"),
    ]
    phenomenon = services.create_phenomenon(
        actor=coordinator, organisation=org, name="Asumisen hinta", reports=reports[:2]
    )
    step = services.record_advocacy_step(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=1,
        recipient="Lautakunta",
        recipient_kind="board",
        taken_on=datetime.date(2025, 4, 1),
        tell_reporters=False,
    )
    services.record_answer(
        actor=coordinator,
        step=step,
        expected_version=2,
        answer=SHARED,
        answered_on=datetime.date(2025, 4, 20),
        share_with_reporters=False,
    )
    step.answer_shared = True
    step.save()
    hidden = services.record_advocacy_step(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=3,
        recipient="Johtoryhmä",
        recipient_kind="leadership",
        taken_on=datetime.date(2025, 4, 2),
        tell_reporters=False,
    )
    services.record_answer(
        actor=coordinator,
        step=hidden,
        expected_version=4,
        answer=UNSHARED,
        answered_on=datetime.date(2025, 4, 21),
        share_with_reporters=False,
    )
    return reports


def test_compose__counts_phenomena_steps_and_only_shared_answers(
    org: Any, period_reports: list[Report]
) -> None:
    text = services.compose_digest(org, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31), "fi")
    assert "3" in text.splitlines()[0]
    assert "Asumisen hinta" in text and "Lautakunta" in text and "Johtoryhmä" in text
    assert SHARED in text
    assert UNSHARED not in text
    swedish = services.compose_digest(
        org, datetime.date(2025, 3, 1), datetime.date(2025, 3, 31), "sv"
    )
    assert swedish != text


def test_send__an_event_per_report_in_its_language_and_one_mail_per_address(
    org: Any,
    coordinator: Any,
    period_reports: list[Report],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        digest = services.send_digest(
            actor=coordinator,
            organisation=org,
            start=datetime.date(2025, 3, 1),
            end=datetime.date(2025, 3, 31),
            intro="Kiitos havainnoistanne!",
        )
    assert (digest.report_count, digest.mail_count) == (3, 1)
    events = ReportEvent.objects.filter(visible_to_reporter=True, message__contains="Kiitos")
    assert sorted(events.values_list("report_id", flat=True)) == sorted(
        r.pk for r in period_reports[:3]
    )
    swedish = events.get(report=period_reports[1]).message
    assert swedish.startswith("Kiitos havainnoistanne!") and digest.body_sv in swedish
    assert not ReportEvent.objects.filter(report=period_reports[3], message__contains="Kiitos")
    assert OutboxMessage.objects.filter(to="named@example.invalid").count() == 1
    assert len(mail.outbox) == 1 and SHARED in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="digest.sent").count() == 1
    code = period_reports[0].receipt  # type: ignore[attr-defined]
    assert "Kiitos havainnoistanne!" in Client().get(f"/receipt/{code}/").content.decode()


def test_page__preview_then_send(
    client_for: Callable[[Any], Client], coordinator: Any, period_reports: list[Report]
) -> None:
    client = client_for(coordinator)
    data = {"date_from": "2025-03-01", "date_to": "2025-03-31", "intro": "Hei"}
    preview = client.post("/o/alpha/digests/", {**data, "send": "no"})
    assert preview.status_code == 200
    assert SHARED in preview.content.decode()
    assert not Digest.objects.exists()
    sent = client.post("/o/alpha/digests/", {**data, "send": "yes"})
    assert sent.status_code == 302
    assert Digest.objects.get().report_count == 3


@pytest.mark.parametrize(
    "data",
    [
        {"date_from": "2025-03-31", "date_to": "2025-03-01"},
        {"date_from": "", "date_to": "2025-03-01"},
        {"date_from": "2025-02-30", "date_to": "2025-03-01"},
        {"date_from": "2025-03-01", "date_to": "2025-03-31", "intro": "x" * 4001},
    ],
)
def test_page__bad_input_sends_nothing(
    client_for: Callable[[Any], Client], coordinator: Any, data: dict[str, str]
) -> None:
    response = client_for(coordinator).post("/o/alpha/digests/", {**data, "send": "yes"})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Digest.objects.exists()


@pytest.mark.parametrize("persona", ["handler", "reader", "org_admin", "outsider"])
def test_page__only_coordinators(
    request: pytest.FixtureRequest, client_for: Callable[[Any], Client], persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    expected = 404 if persona == "outsider" else 403
    assert client.get("/o/alpha/digests/").status_code == expected
    assert client.post("/o/alpha/digests/", {"send": "yes"}).status_code == expected
    assert Client().get("/o/alpha/digests/").status_code == 302

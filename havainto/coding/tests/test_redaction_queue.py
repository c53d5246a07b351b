"""The redaction queue: the personal-data detector over existing reports (refreshed when a
report is indexed and by `havainto scan_personal_data`), listed for coordinators (the
organisation) and handlers (their units), redacted through the redaction service or dismissed
as not personal data (remembered until the text there changes)."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from havainto.accounts.models import Role
from havainto.analysis.tasks import index_report_task
from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import Redaction, RedactionCandidate, TextGrant, Theme
from havainto.lib.passages import MARKER
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db

PHONE = "040 123 4567"
EMAIL = "kanarialintu@example.fi"
DESCRIPTION = (
    f"Asiakas soitti numerosta {PHONE} ja kertoi, että viestit osoitteeseen {EMAIL} "
    "eivät mene perille. Vuokrat nousevat."
)
Open = RedactionCandidate.State.OPEN


@pytest.fixture
def report(org: Any, make_report: Any) -> Report:
    report = make_report(org, unit=org.units.order_by("id").first(), description=DESCRIPTION)
    services.refresh_redaction_candidates(report.pk)
    return report


def found(report: Report, kind: str) -> RedactionCandidate:
    return RedactionCandidate.objects.get(report=report, kind=kind)


def assert_no_text_in_audit(*texts: str) -> None:
    rows = list(AuditEvent.objects.values())
    assert rows
    for row in rows:
        for text in texts:
            assert text not in str(row), row


def test_refresh__finds_personal_data_with_offsets(report: Report) -> None:
    phone, email = found(report, "phone"), found(report, "email")
    assert DESCRIPTION[phone.start : phone.end] == PHONE
    assert DESCRIPTION[email.start : email.end] == EMAIL
    assert phone.state == email.state == Open and phone.field == "description"
    assert phone.passage_hash == services.passage_hash(PHONE)
    assert not AuditEvent.objects.filter(action__startswith="redaction_candidate").exists()


def test_refresh__is_idempotent_and_remembers_dismissals_until_the_text_changes(
    report: Report, coordinator: Any
) -> None:
    before = set(RedactionCandidate.objects.values_list("pk", flat=True))
    assert services.refresh_redaction_candidates(report.pk).new == 0
    assert set(RedactionCandidate.objects.values_list("pk", flat=True)) == before

    phone = found(report, "phone")
    services.dismiss_candidate(actor=coordinator, candidate=phone)
    services.refresh_redaction_candidates(report.pk)
    assert found(report, "phone").state == RedactionCandidate.State.DISMISSED

    # Another number at the same place (same length): the dismissal was about other words.
    Report.objects.filter(pk=report.pk).update(
        description=DESCRIPTION.replace(PHONE, "040 765 4321")
    )
    services.refresh_redaction_candidates(report.pk)
    again = found(report, "phone")
    assert again.state == Open and again.pk != phone.pk

    # The number removed altogether: its candidate goes.
    Report.objects.filter(pk=report.pk).update(description="Vuokrat nousevat.")
    services.refresh_redaction_candidates(report.pk)
    assert not RedactionCandidate.objects.filter(report=report).exists()


def test_indexing_a_report__refreshes_its_candidates(org: Any, make_report: Any) -> None:
    report = make_report(org, description=f"Soita {PHONE}.")
    assert not RedactionCandidate.objects.exists()
    index_report_task.enqueue(report.pk)  # the task submitting enqueues (immediate in tests)
    assert found(report, "phone").state == Open


def test_scan_command__per_organisation(
    report: Report, foreign_report: Report, other_org: Any
) -> None:
    RedactionCandidate.objects.all().delete()
    Report.objects.filter(pk=foreign_report.pk).update(description=f"Sähköposti {EMAIL}")
    out = StringIO()
    call_command("scan_personal_data", "--organisation", "alpha", stdout=out)
    assert "Scanned 1 reports" in out.getvalue()
    assert set(RedactionCandidate.objects.values_list("report_id", flat=True)) == {report.pk}
    call_command("scan_personal_data", stdout=StringIO())
    assert RedactionCandidate.objects.filter(report=foreign_report, kind="email").exists()
    assert RedactionCandidate.objects.count() == 3  # nothing twice
    with pytest.raises(CommandError):
        call_command("scan_personal_data", "--organisation", "nonexistent")


def test_queue__lists_open_findings_with_context_and_records_the_read(
    report: Report, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    response = client.get("/o/alpha/redaction-queue/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<mark>{PHONE}</mark>" in page and f"<mark>{EMAIL}</mark>" in page
    assert f"/redaction-queue/{found(report, 'phone').pk}/redact/" in page
    reads = AuditEvent.objects.filter(action="report.excerpt_viewed", actor=coordinator)
    assert list(reads.values_list("object_id", flat=True)) == [str(report.pk)]
    # The menu shows the open count.
    nav = client.get("/o/alpha/inbox/").content.decode()
    assert 'href="/o/alpha/redaction-queue/"' in nav and '<span class="badge">2</span>' in nav
    assert_no_text_in_audit(PHONE, EMAIL)


def test_queue__access(
    report: Report,
    client_for: Any,
    handler: Any,
    reader: Any,
    org_admin: Any,
    outsider: Any,
    make_report: Any,
    org: Any,
    other_unit: Any,
) -> None:
    elsewhere = make_report(org, unit=other_unit, description="Sähköposti muu@example.fi")
    services.refresh_redaction_candidates(elsewhere.pk)
    assert Client().get("/o/alpha/redaction-queue/").status_code == 302
    assert client_for(outsider).get("/o/alpha/redaction-queue/").status_code == 404
    TextGrant.objects.create(organisation=org, user=reader)
    assert client_for(reader).get("/o/alpha/redaction-queue/").status_code == 403
    assert client_for(org_admin).get("/o/alpha/redaction-queue/").status_code == 403
    assert "redaction-queue" not in client_for(reader).get("/o/alpha/inbox/").content.decode()
    page = client_for(handler).get("/o/alpha/redaction-queue/").content.decode()
    assert PHONE in page and "muu@example.fi" not in page  # their unit only
    other = found(elsewhere, "email")
    client = client_for(handler)
    assert client.post(f"/o/alpha/redaction-queue/{other.pk}/dismiss/").status_code == 404
    assert client.get(f"/o/alpha/redaction-queue/{other.pk}/redact/").status_code == 404
    outsider_client = client_for(outsider)
    phone = found(report, "phone")
    assert outsider_client.post(f"/o/alpha/redaction-queue/{phone.pk}/dismiss/").status_code == 404
    assert outsider_client.post(f"/o/beta/redaction-queue/{phone.pk}/dismiss/").status_code == 404
    assert found(report, "phone").state == Open


def test_not_personal_data__is_remembered_and_audited(
    report: Report, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    email = found(report, "email")
    assert client.get(f"/o/alpha/redaction-queue/{email.pk}/dismiss/").status_code == 405
    response = client.post(f"/o/alpha/redaction-queue/{email.pk}/dismiss/")
    assert response.status_code == 302 and response["Location"] == "/o/alpha/redaction-queue/"
    email.refresh_from_db()
    assert email.state == RedactionCandidate.State.DISMISSED and email.decided_by == coordinator
    event = AuditEvent.objects.get(action="redaction_candidate.dismissed")
    assert event.object_id == str(email.pk)
    page = client.get("/o/alpha/redaction-queue/").content.decode()
    assert EMAIL not in page and PHONE in page
    # Decided already: no second row, no error page.
    assert client.post(f"/o/alpha/redaction-queue/{email.pk}/dismiss/").status_code == 404
    services.refresh_redaction_candidates(report.pk)
    assert found(report, "email").state == RedactionCandidate.State.DISMISSED
    assert_no_text_in_audit(EMAIL)


def test_redact_from_the_queue__goes_through_the_redaction_service(
    report: Report, handler: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(handler)
    phone = found(report, "phone")
    url = f"/o/alpha/redaction-queue/{phone.pk}/redact/"
    confirm = client.get(url)
    assert confirm.status_code == 200 and f"<mark>{PHONE}</mark>" in confirm.content.decode()
    assert (
        client.post(url, {"redact-version": report.version, "redact-reason": " "}).status_code
        == 400
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"redact-version": report.version, "redact-reason": "Puhelinnumero"}
        )
    assert response.status_code == 302 and response["Location"] == "/o/alpha/redaction-queue/"
    report.refresh_from_db()
    assert PHONE not in report.description and report.version == 2
    redaction = Redaction.objects.get()
    assert (redaction.original, redaction.reason) == (PHONE, "Puhelinnumero")
    phone.refresh_from_db()
    assert phone.state == RedactionCandidate.State.REDACTED and phone.redaction == redaction
    assert phone.passage_hash == ""  # no trace of the number once the original is erased
    assert report.description[phone.start : phone.end] == MARKER
    # The e-mail address after it moved with the text, and stays open.
    email = found(report, "email")
    assert email.state == Open and report.description[email.start : email.end] == EMAIL
    page = client.get("/o/alpha/redaction-queue/").content.decode()
    assert PHONE not in page and EMAIL in page
    assert AuditEvent.objects.filter(action="report.redacted", object_id=str(report.pk)).exists()
    assert_no_text_in_audit(PHONE, EMAIL)


def test_redact_from_the_queue__stale_version_is_a_conflict(
    report: Report, coordinator: Any, client_for: Any
) -> None:
    email = found(report, "email")
    stale = report.version
    services.redact_passage(
        actor=coordinator,
        report=report,
        expected_version=stale,
        field="description",
        start=found(report, "phone").start,
        end=found(report, "phone").end,
        reason="Puhelinnumero",
    )
    url = f"/o/alpha/redaction-queue/{email.pk}/redact/"
    response = client_for(coordinator).post(
        url, {"redact-version": stale, "redact-reason": "Sähköposti"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert f'name="redact-version" value="{stale + 1}"' in page and f"<mark>{EMAIL}</mark>" in page
    report.refresh_from_db()
    assert EMAIL in report.description and Redaction.objects.count() == 1
    response = client_for(coordinator).post(
        url, {"redact-version": stale + 1, "redact-reason": "Sähköposti"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert EMAIL not in report.description


def test_redact_candidate__refuses_a_closed_or_changed_candidate(
    report: Report, coordinator: Any
) -> None:
    email = found(report, "email")
    services.dismiss_candidate(actor=coordinator, candidate=email)
    with pytest.raises(services.CandidateClosed):
        services.redact_candidate(
            actor=coordinator, candidate=email, expected_version=report.version, reason="x"
        )
    phone = found(report, "phone")
    Report.objects.filter(pk=report.pk).update(
        description=DESCRIPTION.replace(PHONE, "040 765 4321")
    )
    with pytest.raises(services.CandidateClosed):
        services.redact_candidate(
            actor=coordinator, candidate=phone, expected_version=report.version, reason="x"
        )
    assert not Redaction.objects.exists()


def test_redacting_on_the_report_page__closes_the_candidates_it_covers(
    report: Report, coordinator: Any
) -> None:
    start = DESCRIPTION.index("numerosta")
    end = DESCRIPTION.index(PHONE) + len(PHONE)
    services.redact_passage(
        actor=coordinator,
        report=report,
        expected_version=report.version,
        field="description",
        start=start,
        end=end,
        reason="Puhelinnumero",
    )
    phone = RedactionCandidate.objects.get(report=report, kind="phone")
    assert phone.state == RedactionCandidate.State.REDACTED
    # Half of the address redacted: the candidate goes, and the next scan judges the rest.
    email = found(report, "email")
    report.refresh_from_db()
    services.redact_passage(
        actor=coordinator,
        report=report,
        expected_version=report.version,
        field="description",
        start=email.start,
        end=email.start + 5,
        reason="Osoitteen alku",
    )
    assert not RedactionCandidate.objects.filter(report=report, kind="email").exists()


def test_queue_handler_and_coordinator_see_the_nav_count_only_with_the_role(
    report: Report, handler: Any, client_for: Any, make_user: Any, org: Any
) -> None:
    page = client_for(handler).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert '<span class="badge">2</span>' in page
    both = make_user("both", org, Role.READER)
    TextGrant.objects.create(organisation=org, user=both)
    page = client_for(both).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert "redaction-queue" not in page


def test_queue_and_quote_list__cost_the_same_queries_for_more_rows(
    org: Any, make_report: Any, coordinator: Any, client_for: Any
) -> None:
    theme = Theme.objects.filter(organisation=org).first()
    client = client_for(coordinator)
    counts: dict[str, list[int]] = {}
    for batch in (2, 12):
        for i in range(batch):
            made = make_report(org, description=f"Soita 040 123 45{i:02d}. Vuokrat nousevat.")
            services.refresh_redaction_candidates(made.pk)
            services.add_quote(
                actor=coordinator, report=made, field="description", start=0, end=5, theme=theme
            )
        for url in ("/o/alpha/redaction-queue/", "/o/alpha/quotes/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(queries.captured_queries))
    for url, (few, many) in counts.items():
        assert few == many, (url, few, many)

"""The organisation admin's audit log: list with filters, CSV export safe for spreadsheets."""

import csv
import io
from typing import Any

import pytest
from django.utils import translation

from havainto.audit.models import AuditEvent
from havainto.audit.services import record
from havainto.coding.services import record_report_read
from havainto.coding.views.organisation import csv_safe
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db


def export(client: Any, **params: str) -> list[list[str]]:
    response = client.get("/o/alpha/audit/export.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-alpha-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def test_audit_log__lists_reads_and_changes_with_filters(
    org: Any, org_admin: Any, coordinator: Any, client_for: Any, report: Report
) -> None:
    client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/")
    client_for(coordinator).post(
        f"/o/alpha/reports/{report.pk}/notes/", {"note-text": "Muistiinpano"}
    )
    client = client_for(org_admin)

    page = client.get("/o/alpha/audit/", {"action": "report."}).content.decode()
    assert "<code>report.viewed</code>" in page and "<code>report.note_added</code>" in page
    assert "<code>organisation.created</code>" not in page
    assert "Muistiinpano" not in page  # the log is content-free
    only_reads = client.get("/o/alpha/audit/", {"action": "report.viewed"}).content.decode()
    assert "<code>report.note_added</code>" not in only_reads
    by_user = client.get("/o/alpha/audit/", {"user": "nobody"}).content.decode()
    assert "<code>report.viewed</code>" not in by_user
    bad = client.get("/o/alpha/audit/", {"date_from": "yesterday"})
    assert bad.status_code == 400 and b"error-summary" in bad.content


def test_audit_log__shows_only_the_organisations_events(
    org: Any, other_org: Any, org_admin: Any, outsider: Any, client_for: Any
) -> None:
    record("secret.beta_action", actor=outsider, organisation=other_org)
    page = client_for(org_admin).get("/o/alpha/audit/").content.decode()
    assert "secret.beta_action" not in page and "<code>organisation.created</code>" in page
    rows = export(client_for(org_admin))
    assert all(row[2] != "secret.beta_action" for row in rows)


def test_audit_export__escapes_formulas_and_is_itself_audited(
    org: Any, org_admin: Any, make_user: Any, client_for: Any
) -> None:
    evil = make_user("=HYPERLINK(1)", org, "coordinator")
    record("report.viewed", actor=evil, organisation=org)
    client = client_for(org_admin)

    rows = export(client, action="report.viewed")

    assert rows[0] == ["time", "user", "action", "object_type", "object_id", "fields"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert AuditEvent.objects.filter(action="audit.exported", actor=org_admin).exists()


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("report.viewed", "report.viewed"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(value: Any, expected: str) -> None:
    assert csv_safe(value) == expected


def test_audit_log__pages_by_id(
    org: Any, org_admin: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("havainto.coding.views.organisation.AUDIT_PAGE_SIZE", 2)
    for i in range(3):
        record(f"test.event{i}", actor=None, organisation=org)
    client = client_for(org_admin)
    first = client.get("/o/alpha/audit/", {"action": "test."}).content.decode()
    assert "test.event2" in first and "test.event1" in first and "test.event0" not in first
    newest_shown = AuditEvent.objects.get(action="test.event1").pk
    second = client.get("/o/alpha/audit/", {"action": "test.", "before": newest_shown})
    assert "test.event0" in second.content.decode()


def test_action_labels__follow_the_readers_language(
    client_for: Any, org_admin: Any, report: Report
) -> None:
    record_report_read(actor=org_admin, report=report)
    labels = {}
    for language in ("fi", "sv"):
        response = client_for(org_admin).get("/o/alpha/audit/", HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            labels[language] = translation.gettext("Read the report's text")
        assert labels[language] in response.content.decode(), language
    assert labels["fi"] != labels["sv"]

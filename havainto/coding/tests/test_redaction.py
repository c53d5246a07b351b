"""Redaction: a passage of a report replaced by […] for everyone (workspace, search index, the
reporter's list, the receipt API, stored mails), version-checked, with the original kept for
coordinators until the organisation's retention passes and then erased by `purge_redactions`;
audit rows never hold the text."""

import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from havainto.analysis.search import filter_matching
from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import OutboxMessage, Redaction, TextGrant
from havainto.lib.passages import MARKER
from havainto.reports.models import TITLE_MAX, Report

pytestmark = pytest.mark.django_db

CANARY = "Kanarialintu"
TITLE = f"{CANARY}n perhe ei saa asumistukea"
DESCRIPTION = (
    f"Asiakas {CANARY} kertoi, että asumistuki ei riitä vuokraan.\n\n"
    "Vuokrat nousevat myös Kaarinassa."
)


@pytest.fixture
def report(org: Any, make_report: Any, reporter: Any) -> Report:
    return make_report(
        org,
        unit=org.units.order_by("id").first(),
        title=TITLE,
        description=DESCRIPTION,
        author=reporter,
        wants_feedback=True,
    )


def post_redaction(client: Client, report: Report, **data: Any) -> Any:
    values = {
        "field": "description",
        "version": report.version,
        "reason": "Asiakkaan nimi",
        **data,
    }
    payload = {f"redact-{k}": v for k, v in values.items() if v is not None}
    return client.post(f"/o/{report.organisation.slug}/reports/{report.pk}/redact/", payload)


def assert_no_text_in_audit(*texts: str) -> None:
    rows = list(AuditEvent.objects.values())
    assert rows
    for row in rows:
        for text in texts:
            assert text not in str(row), row


def redact_words(report: Report, words: str, actor: Any, field: str = "description") -> Redaction:
    text = getattr(report, field)
    start = text.index(words)
    return services.redact_passage(
        actor=actor,
        report=report,
        expected_version=report.version,
        field=field,
        start=start,
        end=start + len(words),
        reason="Asiakkaan nimi",
    )


def test_redacting__replaces_the_passage_and_keeps_the_original_for_a_while(
    handler: Any, client_for: Any, report: Report
) -> None:
    response = post_redaction(client_for(handler), report, passage=f"  {CANARY} ")
    assert response.status_code == 302
    assert response["Location"].endswith("#redactions-title")
    report.refresh_from_db()
    assert report.description == DESCRIPTION.replace(CANARY, MARKER)
    assert report.version == 2
    redaction = Redaction.objects.get()
    assert report.description[redaction.start : redaction.end] == MARKER
    assert (redaction.field, redaction.original, redaction.reason) == (
        "description",
        CANARY,
        "Asiakkaan nimi",
    )
    assert redaction.redacted_by == handler
    assert redaction.original_kept_until == timezone.localdate() + datetime.timedelta(days=30)
    event = AuditEvent.objects.get(action="report.redacted")
    assert (event.object_id, event.fields, event.actor) == (
        str(report.pk),
        ["description"],
        handler,
    )
    assert_no_text_in_audit(CANARY, "Asiakkaan nimi")


def test_redacting_by_selection__uses_the_offsets(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    start = DESCRIPTION.index("Kaarinassa")
    response = post_redaction(
        client_for(coordinator),
        report,
        passage="Kaarinassa",
        start=start,
        end=start + len("Kaarinassa"),
        reason="Paikkakunta tunnistaa",
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.description.endswith(f"myös {MARKER}.")


def test_everyone_sees_the_redacted_text(
    coordinator: Any,
    reporter: Any,
    client_for: Any,
    report: Report,
    django_capture_on_commit_callbacks: Any,
) -> None:
    OutboxMessage.objects.create(
        organisation=report.organisation,
        report=report,
        to="reporter@example.invalid",
        subject=f"Uutisia havainnostasi “{TITLE}”",
        body=f"Havaintoosi “{TITLE}” on uutisia.",
    )
    reports = Report.objects.filter(pk=report.pk)
    assert list(filter_matching(reports, CANARY)) == [report]  # indexed by make_report

    with django_capture_on_commit_callbacks(execute=True):
        redact_words(report, CANARY, coordinator, field="title")
        redact_words(report, CANARY, coordinator)

    report.refresh_from_db()
    assert CANARY not in report.title and CANARY not in report.description
    # The search index was rebuilt after commit: the removed word no longer finds the report,
    # other words still do.
    assert list(filter_matching(reports, CANARY)) == []
    assert list(filter_matching(reports, "asumistuki")) == [report]
    workspace = client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert CANARY not in workspace and MARKER in workspace
    search = client_for(coordinator).get(f"/o/alpha/search/?q={CANARY}").content.decode()
    assert f"/reports/{report.pk}/" not in search
    mine = client_for(reporter).get("/my/reports/").content.decode()
    assert CANARY not in mine and MARKER in mine
    receipt = Client().get(f"/api/v1/receipts/{report.receipt}/").json()  # type: ignore[attr-defined]
    assert receipt["title"] == report.title and CANARY not in receipt["title"]
    mail = OutboxMessage.objects.get()
    assert CANARY not in mail.subject and CANARY not in mail.body and MARKER in mail.body
    assert_no_text_in_audit(CANARY)


def test_stale_version__is_a_conflict_and_nothing_is_redacted(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    client = client_for(coordinator)
    stale = report.version
    # Someone else changes the report (a state change bumps the version).
    services.change_state(
        actor=coordinator,
        report=report,
        expected_version=stale,
        to_status="in_handling",
        reason="Otettu käsittelyyn",
    )
    response = post_redaction(client, report, passage=CANARY, version=stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'name="redact-version" value="{stale + 1}"' in page  # ready to send again
    report.refresh_from_db()
    assert CANARY in report.description and not Redaction.objects.exists()
    assert not AuditEvent.objects.filter(action="report.redacted").exists()

    response = post_redaction(client, report, passage=CANARY, version=stale + 1)
    assert response.status_code == 302
    assert Redaction.objects.count() == 1


def test_version_conflict_in_the_service(coordinator: Any, report: Report) -> None:
    start = DESCRIPTION.index(CANARY)
    with pytest.raises(services.EditConflict):
        services.redact_passage(
            actor=coordinator,
            report=report,
            expected_version=report.version + 5,
            field="description",
            start=start,
            end=start + len(CANARY),
            reason="x",
        )
    assert not Redaction.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"passage": "Turussa ja Helsingissä"},
        {"passage": ""},
        {"passage": CANARY, "reason": "   "},
        {"passage": CANARY, "reason": None},
        {"passage": CANARY, "field": "contact_email"},
        {"passage": CANARY, "field": "extra_answers"},
        {"passage": CANARY, "version": "abc"},
        {"passage": CANARY, "version": None},
        {"passage": "ei tekstissä", "start": "0", "end": "99999999"},
        {"passage": "ei tekstissä", "start": "-5", "end": "3"},
        {"passage": f"{CANARY}\x00"},
    ],
)
def test_hostile_or_wrong_input__is_refused(
    coordinator: Any, client_for: Any, report: Report, data: dict[str, Any]
) -> None:
    response = post_redaction(client_for(coordinator), report, **data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    report.refresh_from_db()
    assert report.description == DESCRIPTION and report.version == 1
    assert not Redaction.objects.exists()


def test_a_marker_cannot_be_redacted_again(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    redact_words(report, CANARY, coordinator)
    report.refresh_from_db()
    response = post_redaction(client_for(coordinator), report, passage=MARKER)
    assert response.status_code == 400
    assert Redaction.objects.count() == 1


def test_a_title_at_its_maximum_length__refuses_a_marker_longer_than_the_passage(
    coordinator: Any, client_for: Any, org: Any, make_report: Any
) -> None:
    full = make_report(org, title="A " + "b" * (TITLE_MAX - 2))
    response = post_redaction(client_for(coordinator), full, field="title", passage="A")
    assert response.status_code == 400
    full.refresh_from_db()
    assert full.title.startswith("A b") and not Redaction.objects.exists()


def test_redacting_an_earlier_marker_with_its_surroundings__merges_them(
    coordinator: Any, report: Report
) -> None:
    first = redact_words(report, CANARY, coordinator)
    later = redact_words(report, "Kaarinassa", coordinator)
    report.refresh_from_db()
    first.refresh_from_db()
    assert report.description[later.start : later.end] == MARKER
    assert report.description[first.start : first.end] == MARKER
    merged = redact_words(report, f"Asiakas {MARKER} kertoi", coordinator)
    report.refresh_from_db()
    first.refresh_from_db()
    later.refresh_from_db()
    assert report.description.startswith(f"{MARKER}, että")
    assert (first.start, first.end) == (merged.start, merged.end) == (0, len(MARKER))
    assert report.description[later.start : later.end] == MARKER


def test_access(
    client_for: Any,
    report: Report,
    outsider: Any,
    reader: Any,
    org_admin: Any,
    org: Any,
    make_user: Any,
    other_unit: Any,
    foreign_report: Report,
    coordinator: Any,
) -> None:
    from havainto.accounts.models import Role

    TextGrant.objects.create(organisation=org, user=reader)
    assert post_redaction(Client(), report, passage=CANARY).status_code == 302
    assert post_redaction(client_for(outsider), report, passage=CANARY).status_code == 404
    assert post_redaction(client_for(reader), report, passage=CANARY).status_code == 403
    assert post_redaction(client_for(org_admin), report, passage=CANARY).status_code == 403
    stranger = make_user("stranger", org, Role.HANDLER, unit=other_unit)
    assert post_redaction(client_for(stranger), report, passage=CANARY).status_code == 404
    # Another organisation's report through this organisation's address.
    response = client_for(coordinator).post(
        f"/o/alpha/reports/{foreign_report.pk}/redact/",
        {"redact-field": "description", "redact-passage": "Asumismenot", "redact-version": 1},
    )
    assert response.status_code == 404
    assert client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/redact/").status_code == 405
    assert not Redaction.objects.exists()


def test_report_page__tells_handlers_who_redacted_when_and_why(
    coordinator: Any, handler: Any, reader: Any, client_for: Any, report: Report, org: Any
) -> None:
    redaction = redact_words(report, CANARY, handler)
    handler_page = client_for(handler).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert "Asiakkaan nimi" in handler_page and "handler" in handler_page
    original_url = f"/o/alpha/reports/{report.pk}/redactions/{redaction.pk}/original/"
    assert original_url not in handler_page  # the original is for coordinators
    assert (
        original_url
        in client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    )
    TextGrant.objects.create(organisation=org, user=reader)
    reader_page = client_for(reader).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert "Asiakkaan nimi" not in reader_page  # the reason is for handlers
    assert f"Asiakas {MARKER} kertoi" in reader_page
    assert 'name="redact-passage"' not in reader_page


def test_original__for_coordinators_with_an_audited_read(
    coordinator: Any, handler: Any, outsider: Any, client_for: Any, report: Report, make_report: Any
) -> None:
    redaction = redact_words(report, CANARY, handler)
    url = f"/o/alpha/reports/{report.pk}/redactions/{redaction.pk}/original/"
    assert Client().get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(handler).get(url).status_code == 403
    other = make_report(report.organisation)
    wrong = f"/o/alpha/reports/{other.pk}/redactions/{redaction.pk}/original/"
    assert client_for(coordinator).get(wrong).status_code == 404
    assert not AuditEvent.objects.filter(action="redaction.original_viewed").exists()

    page = client_for(coordinator).get(url).content.decode()
    assert CANARY in page
    event = AuditEvent.objects.get(action="redaction.original_viewed")
    assert (event.actor, event.object_type, event.object_id) == (
        coordinator,
        "redaction",
        str(redaction.pk),
    )
    assert_no_text_in_audit(CANARY)


def test_purge__erases_originals_past_their_date_once(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        redaction = redact_words(report, CANARY, coordinator)
    assert redaction.original_kept_until == datetime.date(2026, 3, 31)

    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC), tick=False):
        assert services.purge_redaction_originals() == 0  # kept until and including that day
    with time_machine.travel(datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC), tick=False):
        out = StringIO()
        call_command("purge_redactions", stdout=out)
        assert "Erased 1 " in out.getvalue()
        assert services.purge_redaction_originals() == 0  # idempotent
        call_command("purge_redactions", stdout=StringIO())
    redaction.refresh_from_db()
    assert redaction.original == ""
    assert redaction.original_purged_at == datetime.datetime(2026, 4, 1, 12, tzinfo=datetime.UTC)
    purged = AuditEvent.objects.filter(action="redaction.original_purged")
    assert purged.count() == 1 and purged.get().object_id == str(redaction.pk)

    url = f"/o/alpha/reports/{report.pk}/redactions/{redaction.pk}/original/"
    page = client_for(coordinator).get(url).content.decode()
    assert CANARY not in page and "1.4.2026" in page
    with pytest.raises(services.OriginalPurged):
        services.read_redaction_original(actor=coordinator, redaction=redaction)
    assert not AuditEvent.objects.filter(action="redaction.original_viewed").exists()
    assert_no_text_in_audit(CANARY)


def test_retention__is_the_organisations_setting(
    org_admin: Any, coordinator: Any, client_for: Any, report: Report, org: Any
) -> None:
    admin = client_for(org_admin)
    page = admin.get("/o/alpha/settings/").content.decode()
    assert 'name="redaction_original_retention_days" value="30"' in page
    for bad in ("-1", "366", "abc"):
        response = admin.post(
            "/o/alpha/settings/",
            {
                "languages": ["fi", "sv"],
                "allow_anonymous": "on",
                "redaction_original_retention_days": bad,
            },
        )
        assert response.status_code == 400, bad
    response = admin.post(
        "/o/alpha/settings/",
        {
            "languages": ["fi", "sv"],
            "allow_anonymous": "on",
            "redaction_original_retention_days": "5",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.redaction_original_retention_days == 5
    event = AuditEvent.objects.filter(action="organisation.changed").latest("id")
    assert event.fields == ["redaction_original_retention_days"]
    report.organisation.refresh_from_db()
    redaction = redact_words(report, CANARY, coordinator)
    assert redaction.original_kept_until == timezone.localdate() + datetime.timedelta(days=5)

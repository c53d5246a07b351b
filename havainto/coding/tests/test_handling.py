"""Handling a report: states with reasons, templates, answers, notes, assignment, themes,
feedback on the receipt page, the API and "my reports", audit rows, version conflicts."""

import json
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import InternalNote, ReportTheme, Theme, Transition, WorkflowState
from havainto.reports.models import Report, ReportEvent

pytestmark = pytest.mark.django_db

SECRET_NOTE = "Sisäinen huomio: tarkista esimiehen kanssa"


def change(client: Client, report: Report, **data: Any) -> Any:
    values = {"version": report.version, "to_status": "forwarded", "reason": "Kuntaan"}
    values.update(data)
    payload = {f"state-{k}": v for k, v in values.items() if v is not None}
    return client.post(f"/o/alpha/reports/{report.pk}/state/", payload)


def actions(report: Report) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="report", object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_default_states__are_created_once_in_order(org: Any) -> None:
    first = services.workflow_states(org)
    again = services.workflow_states(org)
    assert [s.code for s in first] == [
        "received",
        "in_handling",
        "coded",
        "forwarded",
        "answered",
        "closed",
    ]
    assert [s.pk for s in again] == [s.pk for s in first]
    assert [s.is_final for s in first] == [False] * 5 + [True]


def test_reading_a_report__is_audited(coordinator: Any, client_for: Any, report: Report) -> None:
    response = client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/")
    assert response.status_code == 200
    assert report.description.encode() in response.content
    event = AuditEvent.objects.get(action="report.viewed")
    assert event.actor == coordinator and event.object_id == str(report.pk)
    assert event.fields == []


def test_change_state__with_template_reason_and_audit(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    client = client_for(coordinator)
    detail = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    template = WorkflowState.objects.get(organisation=report.organisation, code="forwarded")
    assert f'data-template="{template.template_fi}"' in detail

    response = change(client, report, notify_reporter="on", message="")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "forwarded" and report.version == 2
    transition = Transition.objects.get(report=report)
    assert (transition.from_status, transition.to_status, transition.reason) == (
        "received",
        "forwarded",
        "Kuntaan",
    )
    assert transition.actor == coordinator
    event = ReportEvent.objects.get(report=report)
    assert event.visible_to_reporter and event.status == "forwarded"
    assert event.message == template.template_fi  # the template filled the message
    status_change = AuditEvent.objects.get(action="report.status_changed")
    assert status_change.fields == ["status"] and status_change.actor == coordinator


def test_template__is_in_the_language_of_the_report(
    org: Any, coordinator: Any, client_for: Any, make_report: Any
) -> None:
    swedish = make_report(org, language="sv", title="Hyrorna stiger")
    change(client_for(coordinator), swedish, notify_reporter="on", message="")
    event = ReportEvent.objects.get(report=swedish)
    assert event.message.startswith("Din observation har vidarebefordrats")


def test_state_change_without_a_reason__is_refused(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    response = change(client_for(coordinator), report, reason="  ")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        'href="#id_state-reason"' in page and 'aria-describedby="id_state-reason_helptext' in page
    )
    report.refresh_from_db()
    assert report.status == "received" and report.version == 1
    assert not Transition.objects.exists()


def test_state_change_to_an_unknown_state__is_refused(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    assert change(client_for(coordinator), report, to_status="nonsense").status_code == 400
    assert change(client_for(coordinator), report, to_status="received").status_code == 400


def test_silent_state_change__is_not_shown_to_the_reporter(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    change(client_for(coordinator), report, to_status="in_handling", message="Ei näy")
    event = ReportEvent.objects.get(report=report)
    assert not event.visible_to_reporter and event.message == ""
    receipt = Client().get(f"/receipt/{report.receipt}/").content.decode()
    assert "Ei näy" not in receipt


def test_feedback__shows_on_receipt_page_and_api_but_notes_never(
    handler: Any, client_for: Any, report: Report
) -> None:
    client = client_for(handler)
    change(client, report, notify_reporter="on", message="Välitimme asian kunnan johdolle.")
    client.post(f"/o/alpha/reports/{report.pk}/notes/", {"note-text": SECRET_NOTE})
    client.post(f"/o/alpha/reports/{report.pk}/answer/", {"answer-message": "Kiitos, asia etenee."})
    assert InternalNote.objects.get().text == SECRET_NOTE

    receipt = Client().get(f"/receipt/{report.receipt}/").content.decode()
    assert "Välitimme asian kunnan johdolle." in receipt
    assert "Kiitos, asia etenee." in receipt
    assert SECRET_NOTE not in receipt and "Kuntaan" not in receipt  # reason is internal
    api = Client().get(f"/api/v1/receipts/{report.receipt}/")
    body = json.dumps(api.json(), ensure_ascii=False)
    assert "Välitimme asian kunnan johdolle." in body and "Kiitos, asia etenee." in body
    assert SECRET_NOTE not in body and "Kuntaan" not in body
    assert actions(report) == [
        "report.status_changed",
        "report.note_added",
        "report.answered",
    ]
    # The handler sees the note and the reason in the workspace.
    detail = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert SECRET_NOTE in detail and "Kuntaan" in detail


def test_feedback__shows_in_my_reports_and_is_mailed_to_a_named_reporter(
    org: Any,
    reporter: Any,
    coordinator: Any,
    client_for: Any,
    make_report: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    named = make_report(org, author=reporter, wants_feedback=True, contact_name="Raija Raportoija")
    with django_capture_on_commit_callbacks(execute=True):
        change(client_for(coordinator), named, notify_reporter="on", message="Asia on välitetty.")

    page = client_for(reporter).get("/my/reports/").content.decode()
    assert named.title in page
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reporter.email]
    assert "Asia on välitetty." in mail.outbox[0].body


def test_anonymous_reporter__gets_no_mail(
    coordinator: Any, client_for: Any, report: Report, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        change(client_for(coordinator), report, notify_reporter="on")
    assert mail.outbox == []


def test_assign_and_themes__are_versioned_and_audited(
    org: Any, coordinator: Any, handler: Any, client_for: Any, report: Report
) -> None:
    client = client_for(coordinator)
    response = client.post(
        f"/o/alpha/reports/{report.pk}/assign/",
        {"assign-version": 1, "assign-assignee": handler.pk},
    )
    assert response.status_code == 302
    themes = Theme.objects.filter(organisation=org, code__in=["debt", "homelessness"])
    response = client.post(
        f"/o/alpha/reports/{report.pk}/themes/",
        {"themes-version": 2, "themes-themes": [t.pk for t in themes]},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.assignee == handler and report.version == 3
    assert set(ReportTheme.objects.values_list("theme__code", flat=True)) == {
        "debt",
        "homelessness",
    }
    assert actions(report) == ["report.assigned", "report.themes_changed"]
    inbox = client_for(handler).get("/o/alpha/inbox/", {"assigned": "me"}).content.decode()
    assert report.title in inbox


def test_assign__only_to_handlers_and_coordinators_of_the_organisation(
    coordinator: Any, reader: Any, outsider: Any, client_for: Any, report: Report
) -> None:
    for user in (reader, outsider):
        response = client_for(coordinator).post(
            f"/o/alpha/reports/{report.pk}/assign/",
            {"assign-version": 1, "assign-assignee": user.pk},
        )
        assert response.status_code == 400
    report.refresh_from_db()
    assert report.assignee is None and report.version == 1


def test_themes_of_another_organisation__are_refused(
    coordinator: Any, other_org: Any, client_for: Any, report: Report
) -> None:
    foreign = Theme.objects.filter(organisation=other_org).first()
    response = client_for(coordinator).post(
        f"/o/alpha/reports/{report.pk}/themes/",
        {"themes-version": 1, "themes-themes": [foreign.pk]},
    )
    assert response.status_code == 400
    assert not ReportTheme.objects.exists()


# --- Version conflicts (REL-06) ----------------------------------------------------------


def test_two_coordinators__the_second_save_gets_the_conflict_page(
    org: Any, coordinator: Any, make_user: Any, client_for: Any, report: Report
) -> None:
    other = make_user("coordinator2", org, "coordinator")
    a, b = client_for(coordinator), client_for(other)
    a.get(f"/o/alpha/reports/{report.pk}/")
    b.get(f"/o/alpha/reports/{report.pk}/")  # both see version 1

    assert change(a, report, to_status="forwarded", reason="A:n syy").status_code == 302
    response = change(b, report, to_status="closed", reason="B:n syy", message="B:n viesti")

    assert response.status_code == 409
    page = response.content.decode()
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert "A:n syy" in page and "B:n syy" in page and "B:n viesti" in page
    assert 'name="state-version" value="2"' in page  # the retry form carries the new version
    report.refresh_from_db()
    assert report.status == "forwarded" and report.version == 2  # A's, incremented once
    assert list(Transition.objects.values_list("reason", flat=True)) == ["A:n syy"]
    assert ReportEvent.objects.count() == 1

    # B decides again on the conflict page: now it saves.
    assert change(b, report, to_status="closed", reason="B:n syy").status_code == 302
    report.refresh_from_db()
    assert report.status == "closed" and report.version == 3


def test_assignment_after_a_state_change__conflicts(
    coordinator: Any, handler: Any, client_for: Any, report: Report
) -> None:
    change(client_for(coordinator), report)
    response = client_for(handler).post(
        f"/o/alpha/reports/{report.pk}/assign/",
        {"assign-version": 1, "assign-assignee": handler.pk},
    )
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.assignee is None and report.version == 2


def test_service__raises_conflict_for_a_stale_version(coordinator: Any, report: Report) -> None:
    services.change_state(
        actor=coordinator, report=report, expected_version=1, to_status="coded", reason="x"
    )
    stale = Report.objects.get(pk=report.pk)
    with pytest.raises(services.EditConflict) as caught:
        services.assign_report(actor=coordinator, report=stale, expected_version=1, assignee=None)
    assert caught.value.current.version == 2


# --- Workflow settings -------------------------------------------------------------------


def test_coordinator__edits_a_state_template_and_adds_a_state(
    org: Any, coordinator: Any, client_for: Any, report: Report
) -> None:
    client = client_for(coordinator)
    services.workflow_states(org)
    state = WorkflowState.objects.get(organisation=org, code="forwarded")
    data = {
        "label_fi": "Välitetty",
        "label_sv": "Vidarebefordrad",
        "label_en": "Forwarded",
        "order": 3,
        "template_fi": "Välitimme havaintosi hyvinvointialueen johdolle.",
        "template_sv": "",
        "template_en": "",
    }
    assert client.post(f"/o/alpha/workflow/{state.pk}/", data).status_code == 302
    state.refresh_from_db()
    assert state.template_fi == data["template_fi"]
    event = AuditEvent.objects.get(action="workflow_state.changed")
    assert set(event.fields) == {"label_fi", "template_fi", "template_sv", "template_en"}

    response = client.post(
        "/o/alpha/workflow/add/", {**data, "code": "in_summary", "label_fi": "Koosteessa"}
    )
    assert response.status_code == 302
    assert "in_summary" in [s.code for s in services.workflow_states(org)]
    assert change(client, report, to_status="in_summary").status_code == 302

    duplicate = client.post("/o/alpha/workflow/add/", {**data, "code": "in_summary"})
    assert duplicate.status_code == 400 and b"error-summary" in duplicate.content


def test_workspace_pages__have_one_h1_and_no_inline_script(
    coordinator: Any, org_admin: Any, client_for: Any, report: Report
) -> None:
    pages = [
        (coordinator, f"/o/alpha/reports/{report.pk}/"),
        (coordinator, "/o/alpha/workflow/"),
        (coordinator, "/o/alpha/workflow/add/"),
        (org_admin, "/o/alpha/audit/"),
        (org_admin, "/o/alpha/text-access/"),
    ]
    for user, path in pages:
        page = client_for(user).get(path).content.decode()
        assert len(re.findall(r"<h1[ >]", page)) == 1, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert "style=" not in page, path


def test_hidden_state__is_no_longer_offered_but_keeps_its_reports(
    client_for: Any, coordinator: Any, report: Report
) -> None:
    states = {s.code: s for s in services.workflow_states(report.organisation)}
    client = client_for(coordinator)
    assert change(client, report, to_status="coded").status_code == 302
    coded = states["coded"]
    data = {
        name: getattr(coded, name)
        for name in services.STATE_FIELDS
        if name not in ("is_final", "hidden")
    }
    response = client.post(f"/o/alpha/workflow/{coded.pk}/", {**data, "hidden": "on"})
    assert response.status_code == 302
    coded.refresh_from_db()
    assert coded.hidden
    report.refresh_from_db()
    assert report.status == "coded"
    page = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert 'value="coded"' not in page  # not offered any more
    assert coded.label_fi in page  # the report's state still has its name
    received = states["received"]
    data = {
        name: getattr(received, name)
        for name in services.STATE_FIELDS
        if name not in ("is_final", "hidden")
    }
    refused = client.post(f"/o/alpha/workflow/{received.pk}/", {**data, "hidden": "on"})
    assert refused.status_code == 400
    received.refresh_from_db()
    assert not received.hidden

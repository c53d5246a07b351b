"""Persona tests for every workspace URL: coordinator, handler, reader, admin, outsider,
anonymous. Outsiders get 404 (nothing revealed), members without the right 403 (no data)."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from havainto.coding.models import SavedView, TextGrant
from havainto.coding.services import workflow_states
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db


def urls(report: Report, state_pk: int) -> dict[str, str]:
    base = f"/o/{report.organisation.slug}"
    return {
        "inbox": f"{base}/inbox/",
        "report": f"{base}/reports/{report.pk}/",
        "workflow": f"{base}/workflow/",
        "workflow-add": f"{base}/workflow/add/",
        "workflow-state": f"{base}/workflow/{state_pk}/",
        "audit": f"{base}/audit/",
        "audit-export": f"{base}/audit/export.csv",
        "text-access": f"{base}/text-access/",
    }


POST_ONLY = ["state", "assign", "themes", "notes", "answer"]

# Who gets what on GET.
EXPECTED = {
    "coordinator": {
        "inbox": 200,
        "report": 200,
        "workflow": 200,
        "workflow-add": 200,
        "workflow-state": 200,
        "audit": 403,
        "audit-export": 403,
        "text-access": 403,
    },
    "handler": {
        "inbox": 200,
        "report": 200,
        "workflow": 403,
        "workflow-add": 403,
        "workflow-state": 403,
        "audit": 403,
        "audit-export": 403,
        "text-access": 403,
    },
    "reader": {
        "inbox": 403,
        "report": 403,
        "workflow": 403,
        "workflow-add": 403,
        "workflow-state": 403,
        "audit": 403,
        "audit-export": 403,
        "text-access": 403,
    },
    "org_admin": {
        "inbox": 403,
        "report": 403,
        "workflow": 200,
        "workflow-add": 200,
        "workflow-state": 200,
        "audit": 200,
        "audit-export": 200,
        "text-access": 200,
    },
    "outsider": dict.fromkeys(
        [
            "inbox",
            "report",
            "workflow",
            "workflow-add",
            "workflow-state",
            "audit",
            "audit-export",
            "text-access",
        ],
        404,
    ),
    "reporter": dict.fromkeys(
        [
            "inbox",
            "report",
            "workflow",
            "workflow-add",
            "workflow-state",
            "audit",
            "audit-export",
            "text-access",
        ],
        404,
    ),
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_every_workspace_url__answers_each_persona(
    persona: str, request: Any, report: Report, client_for: Any, other_org: Any
) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    state = workflow_states(report.organisation)[0]
    for name, path in urls(report, state.pk).items():
        response = client.get(path)
        assert response.status_code == EXPECTED[persona][name], (persona, name)
        if response.status_code in (403, 404):
            assert report.title.encode() not in response.content
    for action in POST_ONLY:
        response = client.post(f"/o/alpha/reports/{report.pk}/{action}/", {})
        expected = 400 if persona in ("coordinator", "handler") else EXPECTED[persona]["report"]
        assert response.status_code == expected, (persona, action)


def test_anonymous_users__are_sent_to_log_in(report: Report) -> None:
    state = workflow_states(report.organisation)[0]
    for path in urls(report, state.pk).values():
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = Client().post(f"/o/alpha/reports/{report.pk}/state/", {})
    assert response.status_code == 302


def test_handler__sees_only_reports_of_own_unit(
    org: Any, handler: Any, other_unit: Any, make_report: Any, report: Report, client_for: Any
) -> None:
    elsewhere = make_report(org, unit=other_unit, title="Toisen yksikön havainto")
    no_unit = make_report(org, title="Havainto ilman yksikköä")
    client = client_for(handler)

    inbox = client.get("/o/alpha/inbox/").content.decode()
    assert report.title in inbox
    assert elsewhere.title not in inbox and no_unit.title not in inbox
    assert client.get(f"/o/alpha/reports/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/o/alpha/reports/{no_unit.pk}/").status_code == 404
    response = client.post(
        f"/o/alpha/reports/{elsewhere.pk}/notes/", {"note-text": "Ei minun yksikköni"}
    )
    assert response.status_code == 404


def test_coordinator__gets_404_for_another_organisations_report(
    coordinator: Any, foreign_report: Report, client_for: Any
) -> None:
    client = client_for(coordinator)
    # Under its own organisation's address (not theirs) and under their own.
    assert client.get(f"/o/beta/reports/{foreign_report.pk}/").status_code == 404
    assert client.get(f"/o/alpha/reports/{foreign_report.pk}/").status_code == 404
    response = client.post(
        f"/o/alpha/reports/{foreign_report.pk}/state/",
        {"state-version": 1, "state-to_status": "closed", "state-reason": "x"},
    )
    assert response.status_code == 404
    foreign_report.refresh_from_db()
    assert foreign_report.status == "received"


def test_workflow_state_of_another_organisation__is_404(
    coordinator: Any, other_org: Any, client_for: Any
) -> None:
    foreign_state = workflow_states(other_org)[0]
    response = client_for(coordinator).get(f"/o/alpha/workflow/{foreign_state.pk}/")
    assert response.status_code == 404


def test_saved_view_of_another_user__cannot_be_deleted(
    org: Any, coordinator: Any, handler: Any, client_for: Any
) -> None:
    view = SavedView.objects.create(user=handler, organisation=org, name="Mine", query="q=x")
    response = client_for(coordinator).post(f"/o/alpha/inbox/views/{view.pk}/delete/")
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=view.pk).exists()


def test_reader_with_a_grant__reads_texts_but_cannot_handle(
    org: Any, reader: Any, org_admin: Any, report: Report, client_for: Any
) -> None:
    admin_client = client_for(org_admin)
    admin_client.post("/o/alpha/text-access/", {"user": reader.pk, "action": "grant"})
    assert TextGrant.objects.filter(organisation=org, user=reader).exists()
    client = client_for(reader)

    assert client.get("/o/alpha/inbox/").status_code == 200
    page = client.get(f"/o/alpha/reports/{report.pk}/")
    assert page.status_code == 200 and report.description.encode() in page.content
    assert b"state-to_status" not in page.content
    response = client.post(f"/o/alpha/reports/{report.pk}/notes/", {"note-text": "x"})
    assert response.status_code == 403

    admin_client.post("/o/alpha/text-access/", {"user": reader.pk, "action": "revoke"})
    assert client_for(reader).get(f"/o/alpha/reports/{report.pk}/").status_code == 403


def test_text_access__grants_only_readers_of_the_organisation(
    org_admin: Any, coordinator: Any, outsider: Any, client_for: Any
) -> None:
    client = client_for(org_admin)
    for user in (coordinator, outsider):
        response = client.post("/o/alpha/text-access/", {"user": user.pk, "action": "grant"})
        assert response.status_code == 404
    assert not TextGrant.objects.exists()


def test_every_organisation_url__is_404_for_a_member_of_another_organisation(
    client_for: Any, outsider: Any, coordinator: Any, report: Report
) -> None:
    """A walk over every URL under /o/<slug>/, present and future: someone from another
    organisation gets 404 for GET and POST (405 where the method is not allowed), never data,
    a redirect or a 403 that reveals the organisation's objects exist."""
    from havainto.coding import services as coding_services
    from havainto.core.tests.test_site import PUBLIC_ROUTES, _all_patterns

    phenomenon = coding_services.create_phenomenon(
        actor=coordinator, organisation=report.organisation, name="P", reports=[report]
    )
    client = client_for(outsider)
    checked = 0
    for route in _all_patterns(get_resolver()):
        if not route.startswith("o/<slug:slug>/") or route in PUBLIC_ROUTES:
            continue
        for pk in {report.pk, phenomenon.pk}:
            path = "/" + re.sub(
                r"<(?:(\w+):)?(\w+)>",
                lambda m, pk=pk: "alpha" if m.group(2) == "slug" else str(pk),
                route,
            )
            for method in ("get", "post"):
                status = getattr(client, method)(path).status_code
                assert status in (404, 405), (method, route, status)
                checked += 1
    assert checked > 100

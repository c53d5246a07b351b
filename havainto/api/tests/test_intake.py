"""The public JSON intake API: validation, privacy guard, idempotency, receipts."""

import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from havainto.reports.models import Report, ReportEvent, Status

URL = "/api/v1/reports/"


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": "alpha",
        "observation_type": "problem",
        "title": "Nuorten mielenterveyspalveluihin jonotetaan kuukausia",
        "description": "Nuorisoaseman jonot ovat venyneet kolmeen kuukauteen. "
        "Moni jää odottaessaan pois koulusta.",
        "municipality": "853",
        "service_line": "adult_social_work",
        "reporter_role": "social_worker",
        "client_groups": ["youth"],
        "support_needs": [8],
        "sectors": ["health_care", "education"],
        "recurrence": "recurring",
        "clients_affected": "6-20",
        "causes": "",
        "service_effects": "",
        "proposal": "Matalan kynnyksen vastaanotto kouluihin.",
        "proposal_level": "county",
        "language": "fi",
        "contact": None,
        "wants_feedback": False,
        "confirm_no_client_data": True,
    }
    data.update(overrides)
    return data


def post(payload: Any, client: Client | None = None, **headers: str) -> Any:
    client = client or Client()
    raw = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(URL, raw, content_type="application/json", **headers)


@pytest.mark.django_db
def test_valid_report_is_created_and_its_receipt_answers(org: Any) -> None:
    response = post(body())

    assert response.status_code == 201
    data = response.json()
    report = Report.objects.get(pk=data["id"])
    assert report.channel == "api"
    assert sorted(report.sectors.values_list("code", flat=True)) == ["education", "health_care"]
    assert data["status_url"].endswith(f"/api/v1/receipts/{data['receipt']}/")
    ReportEvent.objects.create(
        report=report,
        status=Status.FORWARDED,
        visible_to_reporter=True,
        message="Viety palvelulinjan johtoryhmään.",
    )
    ReportEvent.objects.create(report=report, message="Sisäinen muistiinpano.")

    status = Client().get(f"/api/v1/receipts/{data['receipt']}/").json()

    assert status["status"] == "received"
    assert [f["message"] for f in status["feedback"]] == ["Viety palvelulinjan johtoryhmään."]


@pytest.mark.django_db
def test_unknown_receipt_is_404(org: Any) -> None:
    assert Client().get("/api/v1/receipts/AAAA-BBBB-CCCC-DDDD/").status_code == 404
    assert Client().get("/api/v1/receipts/x/").status_code == 404


INVALID = [
    ("missing_title", {"title": None}, "title"),
    ("empty_description", {"description": "   "}, "description"),
    ("unknown_municipality", {"municipality": "999"}, "municipality"),
    ("unknown_type", {"observation_type": "gossip"}, "observation_type"),
    ("support_need_out_of_range", {"support_needs": [11]}, "support_needs"),
    ("list_expected", {"sectors": "kela"}, "sectors"),
    ("string_expected", {"title": 12}, "title"),
    ("bool_expected", {"confirm_no_client_data": "yes"}, "confirm_no_client_data"),
    ("not_confirmed", {"confirm_no_client_data": False}, "confirm_no_client_data"),
    ("unknown_field", {"author": 1}, "author"),
    ("nul_byte", {"description": "a\u0000b"}, "description"),
    ("lone_surrogate", {"title": "\ud800"}, "title"),
    ("too_long", {"description": "x" * 10_001}, "description"),
    ("language_not_offered", {"language": "de"}, "language"),
    ("bad_contact", {"contact": ["x"]}, "contact"),
    ("feedback_without_email", {"wants_feedback": True}, "contact_email"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "override", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_invalid_input_is_400_with_field_errors(
    org: Any, case: str, override: dict, field: str
) -> None:
    response = post(body(**override))

    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert Report.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "\xff", "{" * 5000 + "}" * 5000])
def test_malformed_bodies_are_400(org: Any, raw: str) -> None:
    assert post(raw).status_code == 400


@pytest.mark.django_db
def test_other_content_types_are_415(org: Any) -> None:
    response = Client().post(URL, {"organisation": "alpha"})
    assert response.status_code == 415


@pytest.mark.django_db
def test_unknown_organisation_is_400(org: Any) -> None:
    assert "organisation" in post(body(organisation="nope")).json()["errors"]


@pytest.mark.django_db
def test_personal_data_is_422_with_offsets_into_the_sent_text(org: Any) -> None:
    description = "  Soitin numeroon 040 718 2293 ja kirjoitin osoitteeseen maija@example.fi."

    response = post(body(description=description, title="Tunnus 131052-308T"))

    assert response.status_code == 422
    found = response.json()["personal_data"]
    kinds = {(f["kind"], description[f["start"] : f["end"]]) for f in found["description"]}
    assert kinds == {("phone", "040 718 2293"), ("email", "maija@example.fi")}
    assert found["title"] == [{"kind": "hetu", "start": 7, "end": 18}]
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_personal_data_with_other_errors_is_400(org: Any) -> None:
    response = post(body(description="Soita 040 718 2293", municipality="999"))
    assert response.status_code == 400


@pytest.mark.django_db
def test_contact_as_object_is_stored(org: Any) -> None:
    response = post(
        body(contact={"name": "Työntekijä", "email": "sw@example.invalid"}, wants_feedback=True)
    )

    assert response.status_code == 201
    report = Report.objects.get()
    assert report.contact_email == "sw@example.invalid" and report.wants_feedback


@pytest.mark.django_db
def test_idempotency_key_replay_returns_the_same_receipt(org: Any) -> None:
    first = post(body(), HTTP_IDEMPOTENCY_KEY="abc-123")
    second = post(body(), HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_idempotency_key_reused_for_another_body_is_409(org: Any) -> None:
    post(body(), HTTP_IDEMPOTENCY_KEY="abc-123")
    response = post(body(title="Toinen"), HTTP_IDEMPOTENCY_KEY="abc-123")

    assert response.status_code == 409
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_bad_idempotency_key_is_400(org: Any) -> None:
    assert post(body(), HTTP_IDEMPOTENCY_KEY="x" * 101).status_code == 400


@pytest.mark.django_db
def test_organisation_without_anonymous_reports_needs_an_authenticated_member(
    org: Any, reporter: Any, outsider: Any, client_for: Any
) -> None:
    org.allow_anonymous = False
    org.save()

    assert post(body()).status_code == 401
    assert post(body(), client=client_for(outsider)).status_code == 401
    assert post(body(), client=client_for(reporter)).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submits_create_exactly_one_report(org: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are measured on PostgreSQL (SQLite serialises them)")
    results: list[tuple[int, dict]] = []
    barrier = threading.Barrier(8)

    def submit() -> None:
        try:
            barrier.wait()
            response = post(body(), HTTP_IDEMPOTENCY_KEY="concurrent-key")
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in results] == [201] * 8
    assert len({payload["receipt"] for _, payload in results}) == 1
    assert Report.objects.count() == 1

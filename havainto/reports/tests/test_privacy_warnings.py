"""Names are a confirmable warning; identity codes, contact details, addresses and other
identifiers keep blocking (form, JSON API, drafts and the service-level re-check)."""

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from havainto.conftest import valid_report_data
from havainto.reports.forms import ReportForm
from havainto.reports.models import Report, ReportDraft
from havainto.reports.services import DraftRejected, save_draft, submit_report

pytestmark = pytest.mark.django_db
FORM = "/o/alpha/report/"
API = "/api/v1/reports/"

WITH_NAME = "Perheen äiti Sanna Lehtonen kertoi, että vuokra nousi taas."
NAME = "Sanna Lehtonen"


def fi(message: str) -> str:
    """A message as the (Finnish) page shows it, escaped like the template does."""
    with translation.override("fi"):
        return escape(translation.gettext(message))


def api_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": "alpha",
        "observation_type": "problem",
        "title": "Vuokrat nousevat",
        "description": "Vuokrat nousevat nopeammin kuin asumistuki.",
        "municipality": "853",
        "service_line": "adult_social_work",
        "reporter_role": "social_worker",
        "language": "fi",
        "confirm_no_client_data": True,
    }
    data.update(overrides)
    return data


def api_post(payload: dict[str, Any]) -> Any:
    return Client().post(API, json.dumps(payload), content_type="application/json")


# ---------------------------------------------------------------------------------------------
# The web form
# ---------------------------------------------------------------------------------------------


def test_a_name_is_shown_as_a_warning_with_the_confirmation_box(org: Any) -> None:
    response = Client().post(FORM, valid_report_data(description=WITH_NAME))

    assert response.status_code == 400
    page = response.content.decode()
    start = WITH_NAME.index(NAME) + 1
    assert f"{start}–{start + len(NAME) - 1}" in page, "the warning points at the name"
    assert 'name="confirm_names"' in page, "the confirmation box is offered"
    assert fi("These are not names of clients (e.g. staff or public figures) — send anyway") in page
    assert 'href="#id_description"' in page, "the error summary links to the field"
    assert Report.objects.count() == 0


def test_ticking_the_box_sends_the_report_with_the_names(org: Any) -> None:
    response = Client().post(
        FORM, valid_report_data(description=WITH_NAME, confirm_names="on", submission_key="n1")
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().description == WITH_NAME


def test_the_box_does_not_let_blocking_kinds_through(org: Any) -> None:
    text = WITH_NAME + " Hänen numeronsa on 040 718 2293."
    response = Client().post(FORM, valid_report_data(description=text, confirm_names="on"))

    assert response.status_code == 400
    page = response.content.decode()
    assert fi("This looks like a phone number") in page
    assert f"{WITH_NAME.index(NAME) + 1}–" not in page, "confirmed names are no longer errors"
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("other_id", "Asiakasnumero 4471902 – hakemus on kadonnut."),
        ("other_id", "Perhe asuu autossa, rekisterinumero ZFL-927."),
        ("other_id", "Tilinumero FI21 1234 5600 0007 85 on ulosoton piirissä."),
        ("hetu", "Asiakkaan hetu 131052 -308T kirjattiin väärin."),
    ],
)
def test_new_blocking_kinds_block_even_when_names_are_confirmed(
    org: Any, kind: str, text: str
) -> None:
    response = Client().post(FORM, valid_report_data(description=text, confirm_names="on"))

    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_the_box_is_not_shown_before_any_name_is_found(org: Any) -> None:
    assert 'name="confirm_names"' not in Client().get(FORM).content.decode()
    other_error = Client().post(FORM, valid_report_data(municipality="999"))
    assert 'name="confirm_names"' not in other_error.content.decode()


def test_the_form_keeps_the_name_findings_after_confirmation(org: Any, reporter: Any) -> None:
    data = valid_report_data(description=WITH_NAME, confirm_names="on")
    form = ReportForm(data, organisation=org, user=reporter)

    assert form.is_valid(), form.errors
    assert form.has_name_warnings
    assert [f.kind for f in form.name_findings["description"]] == ["name"]


def test_only_name_warnings_says_when_the_box_would_do(org: Any, reporter: Any) -> None:
    names_only = ReportForm(
        valid_report_data(description=WITH_NAME), organisation=org, user=reporter
    )
    assert not names_only.is_valid()
    assert names_only.only_personal_data_errors and names_only.only_name_warnings

    with_phone = ReportForm(
        valid_report_data(description=WITH_NAME + " Puh. 040 718 2293."),
        organisation=org,
        user=reporter,
    )
    assert not with_phone.is_valid()
    assert with_phone.only_personal_data_errors and not with_phone.only_name_warnings


def test_names_in_extra_text_questions_are_warnings_too(org: Any, reporter: Any) -> None:
    question = org.extra_questions.create(label_fi="Lisätietoja", kind="text", required=False)
    field = f"extra_{question.pk}"
    data = valid_report_data(**{field: "Kysy lisää Virtaselta."})

    unconfirmed = ReportForm(data, organisation=org, user=reporter)
    assert not unconfirmed.is_valid() and field in unconfirmed.errors
    confirmed = ReportForm({**data, "confirm_names": "on"}, organisation=org, user=reporter)
    assert confirmed.is_valid(), confirmed.errors


# ---------------------------------------------------------------------------------------------
# The JSON API
# ---------------------------------------------------------------------------------------------


def test_api_lists_names_and_says_they_are_confirmable(org: Any) -> None:
    response = api_post(api_body(description=WITH_NAME))

    assert response.status_code == 422
    data = response.json()
    start = WITH_NAME.index(NAME)
    assert data["personal_data"] == {
        "description": [{"kind": "name", "start": start, "end": start + len(NAME)}]
    }
    assert data["names_confirmable"] is True
    assert Report.objects.count() == 0


def test_api_accepts_confirmed_names(org: Any) -> None:
    response = api_post(api_body(description=WITH_NAME, confirm_names=True))

    assert response.status_code == 201, response.content
    assert Report.objects.get().description == WITH_NAME


def test_api_with_confirmed_names_still_blocks_and_lists_only_the_blocking_kinds(
    org: Any,
) -> None:
    text = WITH_NAME + " Puh. 040 718 2293."
    unconfirmed = api_post(api_body(description=text)).json()
    assert {f["kind"] for f in unconfirmed["personal_data"]["description"]} == {"name", "phone"}
    assert unconfirmed["names_confirmable"] is False

    response = api_post(api_body(description=text, confirm_names=True))
    assert response.status_code == 422
    found = response.json()["personal_data"]["description"]
    assert [text[f["start"] : f["end"]] for f in found] == ["040 718 2293"]
    assert response.json()["names_confirmable"] is False


def test_api_confirm_names_must_be_a_boolean(org: Any) -> None:
    response = api_post(api_body(description=WITH_NAME, confirm_names="yes"))

    assert response.status_code == 400
    assert "confirm_names" in response.json()["errors"]


# ---------------------------------------------------------------------------------------------
# Services: the re-check and drafts use the blocking kinds only
# ---------------------------------------------------------------------------------------------


def test_the_service_recheck_lets_confirmed_names_through_but_not_identifiers(
    org: Any, reporter: Any
) -> None:
    form = ReportForm(
        valid_report_data(description=WITH_NAME, confirm_names="on"),
        organisation=org,
        user=reporter,
    )
    assert form.is_valid(), form.errors
    result = submit_report(
        actor=reporter, organisation=org, cleaned=form.cleaned_data, raw_key="svc-1"
    )
    assert result.created and result.report.description == WITH_NAME

    tampered = {**form.cleaned_data, "description": "Asiakasnumero 4471902 on väärin."}
    with pytest.raises(ValueError, match="personal data in description"):
        submit_report(actor=reporter, organisation=org, cleaned=tampered, raw_key="svc-2")


def test_drafts_keep_names_but_refuse_blocking_kinds(org: Any, reporter: Any) -> None:
    draft = save_draft(
        actor=reporter, organisation=org, data={"description": WITH_NAME}, base_version=None
    )
    assert draft.data["description"] == WITH_NAME

    with pytest.raises(DraftRejected) as rejected:
        save_draft(
            actor=reporter,
            organisation=org,
            data={"description": "Kundnummer 5512087 ska inte sparas."},
            base_version=None,
        )
    assert [f.kind for f in rejected.value.findings["description"]] == ["other_id"]
    assert ReportDraft.objects.get().data["description"] == WITH_NAME


def test_autosave_stores_a_draft_with_a_name(org: Any, reporter: Any, client_for: Any) -> None:
    client = client_for(reporter)
    response = client.post(
        "/o/alpha/report/draft/", {"description": WITH_NAME, "draft_version": ""}
    )

    assert response.status_code == 200 and response.json()["saved"] is True

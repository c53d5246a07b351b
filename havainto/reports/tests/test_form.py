"""The reporting form end to end through Django: round trips, privacy guard, nothing lost."""

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from havainto.audit.models import AuditEvent
from havainto.conftest import valid_report_data
from havainto.lib.hetu import check_character
from havainto.reports.models import Report, ReportDraft
from havainto.reports.services import find_by_receipt

pytestmark = pytest.mark.django_db
FORM = "/o/alpha/report/"


def receipt_from(client: Client) -> str:
    page = client.get("/thanks/").content.decode()
    match = re.search(r'id="receipt-code">([0-9A-Z-]+)<', page)
    assert match, "the thanks page shows the receipt code"
    return match.group(1)


def hetu(ddmmyy: str, marker: str, nnn: str, *, wrong: bool = False) -> str:
    check = check_character(ddmmyy, nnn)
    if wrong:
        check = "A" if check != "A" else "B"
    return f"{ddmmyy}{marker}{nnn}{check}"


def test_form_round_trip_in_finnish(org: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    page = client.get(FORM)
    assert page.status_code == 200
    assert '<html lang="fi">' in page.content.decode()
    with translation.override("fi"):
        heading = translation.gettext("Report an observation")
    assert heading != "Report an observation", "the Finnish catalogue is compiled"
    assert f"<h1>{heading}</h1>" in page.content.decode()

    response = client.post(FORM, valid_report_data(submission_key="k-fi"))

    assert response.status_code == 302 and response["Location"] == "/thanks/"
    report = Report.objects.get()
    assert report.title == "Vuokrat nousevat toimeentulotuen normia nopeammin"
    assert report.municipality.code == "853"
    assert report.observation_type.code == "problem"
    assert sorted(report.support_needs.values_list("code", flat=True)) == ["2", "3"]
    assert sorted(report.sectors.values_list("code", flat=True)) == ["housing", "kela"]
    assert report.author is None and report.is_anonymous
    receipt = receipt_from(client)
    assert find_by_receipt(receipt) == report
    # Shown once: reloading the thanks page does not show it again.
    assert receipt not in client.get("/thanks/").content.decode()
    status = client.post("/receipt/", {"receipt": receipt.lower().replace("-", " ")})
    assert status.status_code == 200
    assert report.title in status.content.decode()


def test_form_round_trip_in_swedish(org: Any) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "sv", "next": FORM})
    page = client.get(FORM).content.decode()
    assert '<html lang="sv">' in page

    data = valid_report_data(
        language="sv",
        title="Äldre på skärgårdsöarna saknar färdtjänst på vintern",
        description="Färjetidtabellerna glesnar och servicetrafiken räcker inte till. "
        "Flera äldre i Pargas skär kommer inte till hälsocentralen.",
        causes="",
        service_effects="",
        proposal="Utvidga servicetrafiken till skärgården året runt.",
        submission_key="k-sv",
    )
    response = client.post(FORM, data)

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.language == "sv"
    assert report.title.startswith("Äldre på skärgårdsöarna")
    receipt = receipt_from(client)
    status = client.get(f"/receipt/{receipt}/").content.decode()
    assert '<html lang="sv">' in status and report.title in status


PII_CASES = [
    ("hetu_1900s", "Asiakkaan tunnus on {} ja hän odottaa.", hetu("131052", "-", "308")),
    ("hetu_2000s", "Lapsen tunnus {} oli väärin.", hetu("010105", "A", "123")),
    ("hetu_2023_y", "Tunnus {} kirjattiin.", hetu("010594", "Y", "902")),
    ("hetu_2023_b", "Tunnus {} kirjattiin.", hetu("020516", "B", "903")),
    ("hetu_wrong_check", "Tunnus {} kirjattiin.", hetu("131052", "-", "308", wrong=True)),
    ("phone", "Soitin numeroon {} mutta kukaan ei vastannut.", "040 718 2293"),
    ("phone_intl", "Soitin numeroon {} eilen.", "+358 40 123 4567"),
    ("email", "Lähetin viestin osoitteeseen {} eilen.", "maija.asiakas@example.fi"),
    ("address", "Perhe asuu osoitteessa {} Turussa.", "Kotikatu 5 B 12"),
    ("address_sv", "Familjen bor på {} i Åbo.", "Strandvägen 12"),
]


@pytest.mark.parametrize(
    ("case", "template", "identifier"), PII_CASES, ids=[c[0] for c in PII_CASES]
)
@pytest.mark.parametrize("field", ["description", "title", "proposal", "causes"])
def test_privacy_guard_blocks_saving(
    org: Any, case: str, template: str, identifier: str, field: str
) -> None:
    text = template.format(identifier)
    response = Client().post(FORM, valid_report_data(**{field: text}))

    assert response.status_code == 400
    page = response.content.decode()
    start = text.index(identifier) + 1
    assert f"{start}–{start + len(identifier) - 1}" in page, "the message points at the place"
    assert f'href="#id_{field}"' in page, "the error summary links to the field"
    assert Report.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="report.").exists()


CLEAN_TEXTS = [
    "Asukasillassa 15.5.2025 klo 17–19 keskusteltiin lähiön turvallisuudesta.",
    "Vuokra nousi 1 200 eurosta 1 350 euroon, ja perusosa on 555,11 €.",
    "SHL 11 § mukaiset tuen tarpeet ja LsL 27 § kiireellinen sijoitus; laki 1301/2014.",
    "Turussa, Kaarinassa ja Salossa jonot ovat pidentyneet 20–29-vuotiailla.",
    "Kelan ja TE-palvelujen välinen yhteistyö toimii, samoin FPA:n palvelu ruotsiksi.",
    "Noin 15 000 euron velat ja 12 kuukauden odotus ovat tavallisia.",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_texts_pass_the_guard(org: Any, text: str) -> None:
    response = Client().post(FORM, valid_report_data(description=text))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Report.objects.get().description == text


def test_repeated_submit_creates_one_report_and_shows_the_same_receipt(org: Any) -> None:
    client = Client()
    data = valid_report_data(submission_key="same-key")

    first = client.post(FORM, data)
    receipt_1 = receipt_from(client)
    second = client.post(FORM, data)
    receipt_2 = receipt_from(client)

    assert first.status_code == second.status_code == 302
    assert Report.objects.count() == 1
    assert receipt_1 == receipt_2


def test_changed_resubmit_with_old_key_stores_nothing_and_offers_a_new_key(org: Any) -> None:
    client = Client()
    client.post(FORM, valid_report_data(submission_key="k1"))

    response = client.post(FORM, valid_report_data(submission_key="k1", title="Toinen otsikko"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Toinen otsikko" in page
    assert 'value="k1"' not in page
    assert Report.objects.count() == 1


def test_failed_csrf_check_shows_the_typed_text_and_stores_nothing(org: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(FORM)
    data = valid_report_data(description="Tämä teksti ei saa kadota mihinkään.")

    response = client.post(FORM, {**data, "csrfmiddlewaretoken": "stale-token-" + "x" * 20})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Tämä teksti ei saa kadota mihinkään." in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert Report.objects.count() == 0


def test_expired_session_shows_the_text_again_and_stores_nothing(org: Any) -> None:
    data = valid_report_data(rendered_for_user="1", description="Kirjoitin tätä pitkään.")

    response = Client().post(FORM, data)

    assert response.status_code == 200
    assert "Kirjoitin tätä pitkään." in response.content.decode()
    assert Report.objects.count() == 0


def test_logged_in_reporter_gets_context_prefilled(
    org: Any, reporter: Any, client_for: Any
) -> None:
    page = client_for(reporter).get(FORM).content.decode()

    assert re.search(r'<option value="853" selected>', page)
    assert re.search(r'<option value="adult_social_work" selected>', page)
    assert re.search(r'<option value="social_worker" selected>', page)


def test_named_report_is_in_my_reports_and_anonymous_is_not(
    org: Any, reporter: Any, client_for: Any
) -> None:
    client = client_for(reporter)
    client.post(FORM, valid_report_data(identity="named", title="Nimellä", submission_key="a"))
    client.post(FORM, valid_report_data(identity="anonymous", title="Nimettä", submission_key="b"))

    named, anonymous = Report.objects.get(title="Nimellä"), Report.objects.get(title="Nimettä")
    assert named.author == reporter
    assert anonymous.author is None
    page = client.get("/my/reports/").content.decode()
    assert "Nimellä" in page and "Nimettä" not in page
    # The anonymous report's audit row names neither the account nor the report.
    anonymous_events = AuditEvent.objects.filter(action="report.submitted_anonymously")
    assert anonymous_events.count() == 1
    event = anonymous_events.get()
    assert event.actor is None and event.object_id == ""


def test_autosave_keeps_the_draft_refuses_stale_versions_and_identifying_text(
    org: Any, reporter: Any, client_for: Any
) -> None:
    client = client_for(reporter)
    url = "/o/alpha/report/draft/"

    saved = client.post(url, {"title": "Luonnos", "description": "Kesken", "draft_version": ""})
    assert saved.status_code == 200 and saved.json()["version"] == 1
    again = client.post(url, {"title": "Luonnos 2", "draft_version": "1"})
    assert again.status_code == 200 and again.json()["version"] == 2
    stale = client.post(url, {"title": "Vanha välilehti", "draft_version": "1"})
    assert stale.status_code == 409
    with_pii = client.post(url, {"description": "Soita 040 718 2293", "draft_version": "2"})
    assert with_pii.status_code == 422

    draft = ReportDraft.objects.get()
    assert draft.data["title"] == "Luonnos 2" and draft.version == 2
    assert "Luonnos 2" in client.get(FORM).content.decode()
    client.post(FORM, valid_report_data(submission_key="z"))
    assert not ReportDraft.objects.exists(), "sending the report removes the draft"


def test_autosave_needs_login(org: Any) -> None:
    assert Client().post("/o/alpha/report/draft/", {"title": "x"}).status_code == 401


HOSTILE = [
    {"description": "a\x00b"},
    {"description": "x" * 10_001},
    {"title": "   "},
    {"municipality": "999"},
    {"support_needs": ["11"]},
    {"observation_type": "' OR '1'='1"},
]


@pytest.mark.parametrize("override", HOSTILE)
def test_hostile_input_gets_a_form_error_not_a_server_error(org: Any, override: dict) -> None:
    response = Client().post(FORM, valid_report_data(**override))

    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert Report.objects.count() == 0


def test_text_is_normalised_and_bidi_controls_are_stripped_from_titles(org: Any) -> None:
    Client().post(FORM, valid_report_data(title="Otsikko\u202e ja e\u0301", description="a\r\nb"))

    report = Report.objects.get()
    assert report.title == "Otsikko ja é"
    assert report.description == "a\nb"


def test_form_refuses_anonymous_users_when_the_organisation_requires_login(
    org: Any, outsider: Any, client_for: Any
) -> None:
    org.allow_anonymous = False
    org.save()

    assert Client().get(FORM).status_code == 302
    assert client_for(outsider).get(FORM).status_code == 404
    assert Client().post(FORM, valid_report_data()).status_code == 302
    assert Report.objects.count() == 0


def test_unknown_organisation_is_404() -> None:
    assert Client().get("/o/nope/report/").status_code == 404


def test_unit_of_another_organisation_is_refused(org: Any, other_org: Any) -> None:
    foreign_unit = other_org.units.first()

    response = Client().post(FORM, valid_report_data(unit=str(foreign_unit.pk)))

    assert response.status_code == 400
    assert Report.objects.count() == 0

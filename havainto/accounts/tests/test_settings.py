"""The organisation admin's settings: vocabularies, extra questions, pages, form settings."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from havainto.accounts.models import Organisation, Role
from havainto.accounts.services import save_extra_question
from havainto.audit.models import AuditEvent
from havainto.conftest import valid_report_data
from havainto.publishing.models import OrganisationPage
from havainto.reports.models import ExtraQuestion, Report, VocabularyEntry

pytestmark = pytest.mark.django_db

REPORT_URL = "/o/alpha/report/"
OBS = "/o/alpha/settings/vocabularies/observation_type/"


@pytest.fixture
def admin(client_for: Callable[[Any], Client], org_admin: Any) -> Client:
    # English, so that the assertions can read Django's own messages too.
    return in_language(client_for(org_admin), "en")


@pytest.fixture
def beta_admin(other_org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("betaadmin", other_org, Role.ADMIN)


def entry(org: Organisation, kind: str, code: str) -> VocabularyEntry:
    return VocabularyEntry.objects.get(organisation=org, kind=kind, code=code)


def edit_data(item: VocabularyEntry, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label_fi": item.label_fi,
        "label_sv": item.label_sv,
        "label_en": item.label_en,
        "order": item.order,
    }
    if item.hidden:
        data["hidden"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def question_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "choice",
        "label_fi": "Liittyykö havainto asumiseen?",
        "label_sv": "Gäller observationen boende?",
        "label_en": "Is the observation about housing?",
        "choices": "yes | Kyllä | Ja | Yes\nno | Ei | Nej | No",
        "order": "",
    }
    data.update(overrides)
    return data


def in_language(client: Client, lang: str) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def audit_rows(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def assert_content_free(*texts: str) -> None:
    """No audit row holds any of the texts typed into the settings."""
    for row in AuditEvent.objects.values():
        flat = repr(row)
        for text in texts:
            assert text not in flat


def h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


# --- The overview and organisation settings ---------------------------------------------


def test_overview__lists_sub_pages_and_nav_link_for_admins_only(
    admin: Client, client_for: Callable[[Any], Client], coordinator: Any
) -> None:
    response = admin.get("/o/alpha/settings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(response) == 1
    for href in (OBS, "/o/alpha/settings/questions/", "/o/alpha/settings/pages/privacy/"):
        assert f'href="{href}"' in html
    assert 'href="/o/alpha/settings/"' in admin.get("/").content.decode()
    assert "/settings/" not in client_for(coordinator).get("/").content.decode()


def test_organisation_settings__saved_with_audit_row(admin: Client, org: Organisation) -> None:
    response = admin.post("/o/alpha/settings/", {"languages": ["en", "fi"]}, follow=True)
    assert response.redirect_chain == [("/o/alpha/settings/", 302)]
    org.refresh_from_db()
    assert org.allow_anonymous is False
    assert org.languages == ["fi", "en"]
    assert 'role="status"' in response.content.decode()
    (row,) = audit_rows("organisation.changed")
    assert row.fields == ["allow_anonymous", "languages"]
    assert row.actor.username == "orgadmin"


def test_organisation_settings__need_at_least_one_language(
    admin: Client, org: Organisation
) -> None:
    response = admin.post("/o/alpha/settings/", {"allow_anonymous": "on"})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    org.refresh_from_db()
    assert org.languages == ["fi", "sv"]
    assert not audit_rows("organisation.changed")


def test_organisation_settings__unknown_language_is_rejected(
    admin: Client, org: Organisation
) -> None:
    response = admin.post("/o/alpha/settings/", {"languages": ["fi", "de"]})
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.languages == ["fi", "sv"]


def test_organisation_settings__unchanged_form_writes_no_audit_row(admin: Client) -> None:
    response = admin.post(
        "/o/alpha/settings/", {"allow_anonymous": "on", "languages": ["fi", "sv"]}
    )
    assert response.status_code == 302
    assert not audit_rows("organisation.changed")


# --- Vocabularies ------------------------------------------------------------------------


def test_vocabulary_list__sorted_by_order_with_codes_and_labels(
    admin: Client, org: Organisation
) -> None:
    response = admin.get(OBS)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(response) == 1
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert html.index("<code>problem</code>") < html.index("<code>weak_signal</code>")


def test_rename__new_label_shows_on_report_form_in_active_language(
    admin: Client, org: Organisation, client: Client
) -> None:
    problem = entry(org, "observation_type", "problem")
    response = admin.post(
        f"{OBS}{problem.pk}/",
        edit_data(
            problem, label_fi="Rakenteellinen epäkohta", label_sv="Strukturellt missförhållande"
        ),
    )
    assert response.status_code == 302
    assert "Rakenteellinen epäkohta" in in_language(client, "fi").get(REPORT_URL).content.decode()
    swedish = in_language(Client(), "sv").get(REPORT_URL).content.decode()
    assert "Strukturellt missförhållande" in swedish
    assert "Rakenteellinen epäkohta" not in swedish
    (row,) = audit_rows("vocabulary_entry.changed")
    assert row.fields == ["label_fi", "label_sv"]
    assert row.object_id == str(problem.pk)
    assert_content_free("Rakenteellinen", "Strukturellt")


def test_hide__entry_is_not_offered_and_its_code_is_rejected(
    admin: Client, org: Organisation, client: Client
) -> None:
    good = entry(org, "observation_type", "good_practice")
    assert admin.post(f"{OBS}{good.pk}/", edit_data(good, hidden="on")).status_code == 302
    html = client.get(REPORT_URL).content.decode()
    assert 'value="good_practice"' not in html
    assert 'value="problem"' in html
    response = client.post(REPORT_URL, valid_report_data(observation_type="good_practice"))
    assert response.status_code == 400
    assert not Report.objects.exists()
    (row,) = audit_rows("vocabulary_entry.changed")
    assert row.fields == ["hidden"]


def test_hide__last_visible_entry_of_a_required_vocabulary_is_refused(
    admin: Client, org: Organisation
) -> None:
    entries = VocabularyEntry.objects.of(org, "observation_type")
    last = entries.get(code="weak_signal")
    entries.exclude(pk=last.pk).update(hidden=True)
    response = admin.post(f"{OBS}{last.pk}/", edit_data(last, hidden="on"))
    assert response.status_code == 400
    assert "at least one visible entry" in response.content.decode()
    last.refresh_from_db()
    assert last.hidden is False


def test_reorder__list_and_form_follow_the_order_numbers(
    admin: Client, org: Organisation, client: Client
) -> None:
    weak = entry(org, "observation_type", "weak_signal")
    problem = entry(org, "observation_type", "problem")
    assert admin.post(f"{OBS}{weak.pk}/", edit_data(weak, order=0)).status_code == 302
    assert admin.post(f"{OBS}{problem.pk}/", edit_data(problem, order=7)).status_code == 302
    listing = admin.get(OBS).content.decode()
    assert listing.index("<code>weak_signal</code>") < listing.index("<code>problem</code>")
    form = client.get(REPORT_URL).content.decode()
    assert form.index('value="weak_signal"') < form.index('value="problem"')
    assert [r.fields for r in audit_rows("vocabulary_entry.changed")] == [["order"], ["order"]]


def test_add__new_entry_is_offered_and_can_be_submitted(
    admin: Client, org: Organisation, client: Client
) -> None:
    response = admin.post(
        "/o/alpha/settings/vocabularies/client_group/new/",
        {
            "code": "housing_first",
            "label_fi": "Asunto ensin -asiakkaat",
            "label_en": "Housing First",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/o/alpha/settings/vocabularies/client_group/"
    new = entry(org, "client_group", "housing_first")
    assert new.order > entry(org, "client_group", "carers").order
    assert 'value="housing_first"' in client.get(REPORT_URL).content.decode()
    in_language(client, "en")
    assert "Housing First" in client.get(REPORT_URL).content.decode()
    response = client.post(REPORT_URL, valid_report_data(client_groups=["housing_first"]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert list(report.client_groups.values_list("code", flat=True)) == ["housing_first"]
    (row,) = audit_rows("vocabulary_entry.created")
    assert row.fields == sorted(["code", "hidden", "kind", "label_en", "label_fi", "order"])
    assert_content_free("Asunto ensin", "Housing First")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("families", "already has an entry"),
        ("Housing First", "lower-case letters"),
        ("a" * 41, "at most 40"),
        ("ääkköset", "lower-case letters"),
        ("", "required"),
    ],
)
def test_add__bad_or_taken_code_gives_a_clear_error(
    admin: Client, org: Organisation, code: str, message: str
) -> None:
    before = VocabularyEntry.objects.count()
    response = admin.post(
        "/o/alpha/settings/vocabularies/client_group/new/", {"code": code, "label_fi": "Uusi"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'href="#id_code"' in html  # the error summary links to the field
    assert VocabularyEntry.objects.count() == before


def test_add__same_code_is_fine_in_another_vocabulary_or_organisation(
    admin: Client, org: Organisation, other_org: Organisation
) -> None:
    response = admin.post(
        "/o/alpha/settings/vocabularies/sector/new/", {"code": "families", "label_fi": "Perheet"}
    )
    assert response.status_code == 302
    assert entry(org, "sector", "families").label_fi == "Perheet"


def test_edit__posting_a_code_does_not_change_it(admin: Client, org: Organisation) -> None:
    problem = entry(org, "observation_type", "problem")
    response = admin.post(f"{OBS}{problem.pk}/", edit_data(problem, code="hacked", kind="sector"))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.code, problem.kind) == ("problem", "observation_type")
    assert not VocabularyEntry.objects.filter(code="hacked").exists()
    page = admin.get(f"{OBS}{problem.pk}/").content.decode()
    assert 'name="code"' not in page
    assert "<code>problem</code>" in page


def test_edit__entry_of_another_kind_in_the_url_is_404(admin: Client, org: Organisation) -> None:
    problem = entry(org, "observation_type", "problem")
    url = f"/o/alpha/settings/vocabularies/sector/{problem.pk}/"
    assert admin.get(url).status_code == 404
    assert admin.get("/o/alpha/settings/vocabularies/no_such_kind/").status_code == 404


# --- Extra questions ---------------------------------------------------------------------


def test_choice_question__appears_on_form_and_answer_is_stored(
    admin: Client, org: Organisation, client: Client
) -> None:
    response = admin.post("/o/alpha/settings/questions/new/", question_data(required="on"))
    assert response.status_code == 302
    question = ExtraQuestion.objects.get(organisation=org)
    assert question.choices[1] == {"code": "no", "fi": "Ei", "sv": "Nej", "en": "No"}
    assert question.required is True
    name = f"extra_{question.pk}"
    html = client.get(REPORT_URL).content.decode()
    assert "Liittyykö havainto asumiseen?" in html
    assert f'name="{name}"' in html
    assert client.post(REPORT_URL, valid_report_data()).status_code == 400  # required
    assert client.post(REPORT_URL, valid_report_data(**{name: "maybe"})).status_code == 400
    assert client.post(REPORT_URL, valid_report_data(**{name: "yes"})).status_code == 302
    assert Report.objects.get().extra_answers == {str(question.pk): "yes"}
    (row,) = audit_rows("extra_question.created")
    assert set(row.fields) >= {"kind", "label_fi", "choices", "required"}
    assert_content_free("asumiseen", "Kyllä")


def test_multi_question__several_answers_are_stored(
    admin: Client, org: Organisation, client: Client
) -> None:
    choices = "rent | Vuokra\nloan | Laina\nother | Muu"
    response = admin.post(
        "/o/alpha/settings/questions/new/", question_data(kind="multi", choices=choices)
    )
    assert response.status_code == 302
    question = ExtraQuestion.objects.get(organisation=org)
    data = valid_report_data(**{f"extra_{question.pk}": ["rent", "other"]})
    assert client.post(REPORT_URL, data).status_code == 302
    assert Report.objects.get().extra_answers == {str(question.pk): ["rent", "other"]}


def test_text_question__appears_on_form_and_answer_is_stored(
    admin: Client, org: Organisation, client: Client
) -> None:
    response = admin.post(
        "/o/alpha/settings/questions/new/",
        question_data(kind="text", label_fi="Mikä palvelu?", choices=""),
    )
    assert response.status_code == 302
    question = ExtraQuestion.objects.get(organisation=org)
    assert question.choices == []
    assert "Mikä palvelu?" in client.get(REPORT_URL).content.decode()
    data = valid_report_data(**{f"extra_{question.pk}": "Päihdepalvelut"})
    assert client.post(REPORT_URL, data).status_code == 302
    assert Report.objects.get().extra_answers == {str(question.pk): "Päihdepalvelut"}


def test_question__hidden_is_not_on_the_form_and_edit_changes_labels(
    admin: Client, org: Organisation, client: Client
) -> None:
    admin.post("/o/alpha/settings/questions/new/", question_data())
    question = ExtraQuestion.objects.get(organisation=org)
    url = f"/o/alpha/settings/questions/{question.pk}/"
    page = admin.get(url).content.decode()
    assert "yes | Kyllä | Ja | Yes" in page  # choices are shown back one per line
    response = admin.post(url, question_data(label_fi="Koskeeko asumista?", hidden="on"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label_fi == "Koskeeko asumista?"
    assert f"extra_{question.pk}" not in client.get(REPORT_URL).content.decode()
    (row,) = audit_rows("extra_question.changed")
    assert row.fields == ["hidden", "label_fi"]
    listing = in_language(admin, "fi").get("/o/alpha/settings/questions/")
    assert listing.status_code == 200 and h1_count(listing) == 1
    assert "Koskeeko asumista?" in listing.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "text"}, "A text question has no choices"),
        ({"choices": "only | Vain yksi"}, "at least two choices"),
        ({"choices": ""}, "at least two choices"),
        ({"choices": "a | A\n\nb | B\na | C"}, "Line 4: the code “a” is already used on line 1."),
        ({"choices": "a | A\nBad Code | B"}, "Line 2: the code “Bad Code” may contain only"),
        ({"choices": "a | A\nb |  | Ruotsiksi"}, "Line 2: the Finnish label is missing."),
        ({"choices": "a | A\nb | B | C | D | E"}, "Line 2: too many parts."),
        ({"choices": "a | A\nb | " + "x" * 300}, "Line 2: a label can be at most 200"),
        ({"kind": "dropdown"}, "Select a valid choice"),
        ({"label_fi": ""}, "required"),
    ],
)
def test_question__invalid_input_gives_clear_errors(
    admin: Client, org: Organisation, overrides: dict[str, str], message: str
) -> None:
    response = admin.post("/o/alpha/settings/questions/new/", question_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExtraQuestion.objects.exists()


def test_question__answered_question_keeps_its_kind_and_used_codes(
    admin: Client, org: Organisation, org_admin: Any, client: Client
) -> None:
    question = save_extra_question(
        actor=org_admin,
        organisation=org,
        kind="choice",
        label_fi="Asuminen?",
        choices=[{"code": "yes", "fi": "Kyllä"}, {"code": "no", "fi": "Ei"}],
    )
    data = valid_report_data(**{f"extra_{question.pk}": "yes"})
    assert client.post(REPORT_URL, data).status_code == 302
    url = f"/o/alpha/settings/questions/{question.pk}/"
    response = admin.post(url, question_data(kind="multi"))
    assert response.status_code == 400
    assert "cannot change" in response.content.decode()
    response = admin.post(url, question_data(choices="no | Ei\nmaybe | Ehkä"))
    assert response.status_code == 400
    assert "used in answers and cannot be removed: yes" in response.content.decode()
    # Renaming the used choice and adding new ones is fine.
    response = admin.post(url, question_data(choices="yes | Kyllä, selvästi\nno | Ei\nx | Ehkä"))
    assert response.status_code == 302
    question.refresh_from_db()
    assert [c["code"] for c in question.choices] == ["yes", "no", "x"]


# --- Public pages ------------------------------------------------------------------------


def test_page__edit_changes_public_page_and_escapes_html(
    admin: Client, org: Organisation, client: Client
) -> None:
    url = "/o/alpha/settings/pages/privacy/"
    get = admin.get(url)
    assert get.status_code == 200 and h1_count(get) == 1
    body = "Rekisterinpitäjä on Alphan hyvinvointialue.\n\n<script>alert(1)</script> <b>lihava</b>"
    response = admin.post(
        url, {"body_fi": body, "body_sv": "Personuppgiftsansvarig.", "body_en": ""}
    )
    assert response.status_code == 302
    page = OrganisationPage.objects.get(organisation=org, kind="privacy")
    assert page.updated_by.username == "orgadmin"
    html = client.get("/o/alpha/privacy/").content.decode()
    assert "<p>Rekisterinpitäjä on Alphan hyvinvointialue.</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "<b>lihava</b>" not in html
    assert (
        "Personuppgiftsansvarig."
        in in_language(Client(), "sv").get("/o/alpha/privacy/").content.decode()
    )
    assert client.get("/o/alpha/accessibility/").status_code == 200
    (row,) = audit_rows("organisation_page.created")
    assert row.fields == ["body_fi", "body_sv"]
    response = admin.post(url, {"body_fi": body, "body_sv": "", "body_en": "Controller."})
    assert response.status_code == 302
    (row,) = audit_rows("organisation_page.changed")
    assert row.fields == ["body_en", "body_sv"]
    assert_content_free("Rekisterinpitäjä", "Personuppgiftsansvarig", "Controller.")


def test_page__unknown_kind_is_404(admin: Client) -> None:
    assert admin.get("/o/alpha/settings/pages/terms/").status_code == 404


# --- Access --------------------------------------------------------------------------------


def settings_urls(org: Organisation) -> list[tuple[str, dict[str, Any] | None]]:
    """Every settings URL of organisation alpha, with data that a POST would save
    (None for the read-only lists)."""
    problem = entry(org, "observation_type", "problem")
    question = ExtraQuestion.objects.create(
        organisation=org, kind="text", label_fi="Kysymys", order=1
    )
    return [
        ("/o/alpha/settings/", {"languages": ["en"]}),
        (OBS, None),
        (f"{OBS}new/", {"code": "intruder", "label_fi": "Tunkeilija"}),
        (f"{OBS}{problem.pk}/", edit_data(problem, label_fi="Muutettu", hidden="on")),
        ("/o/alpha/settings/questions/", None),
        ("/o/alpha/settings/questions/new/", question_data()),
        (f"/o/alpha/settings/questions/{question.pk}/", question_data(kind="text", choices="")),
        ("/o/alpha/settings/pages/privacy/", {"body_fi": "Muutettu"}),
        ("/o/alpha/settings/pages/accessibility/", {"body_fi": "Muutettu"}),
    ]


def assert_nothing_changed(org: Organisation) -> None:
    org.refresh_from_db()
    assert org.languages == ["fi", "sv"]
    assert entry(org, "observation_type", "problem").hidden is False
    assert not VocabularyEntry.objects.filter(code="intruder").exists()
    assert list(ExtraQuestion.objects.values_list("label_fi", flat=True)) == ["Kysymys"]
    assert not OrganisationPage.objects.exists()
    assert not AuditEvent.objects.filter(action__endswith=".changed").exists()


@pytest.mark.parametrize("persona", ["coordinator", "reader", "outsider", "beta_admin", "handler"])
def test_access__non_admins_and_other_admins_get_404_everywhere(
    request: pytest.FixtureRequest,
    client_for: Callable[[Any], Client],
    org: Organisation,
    persona: str,
) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url, data in settings_urls(org):
        assert client.get(url).status_code == 404, url
        if data is not None:
            assert client.post(url, data).status_code == 404, url
        else:
            # A list refuses POST for everyone, for unknown organisations too: no hint.
            missing = url.replace("/o/alpha/", "/o/no-such-org/")
            assert client.post(url).status_code == client.post(missing).status_code == 405
    assert_nothing_changed(org)


def test_access__anonymous_is_sent_to_login(client: Client, org: Organisation) -> None:
    for url, data in settings_urls(org):
        for response in (client.get(url), client.post(url, data or {})):
            assert response.status_code == 302, url
            assert response["Location"].startswith(f"/accounts/login/?next={url}")
    assert client.get("/o/no-such-org/settings/").status_code == 302
    assert_nothing_changed(org)


def test_access__unknown_organisation_is_404_for_admins(admin: Client) -> None:
    assert admin.get("/o/no-such-org/settings/").status_code == 404


def test_access__other_organisations_objects_are_404(
    admin: Client, org: Organisation, other_org: Organisation, beta_admin: Any
) -> None:
    theirs = entry(other_org, "observation_type", "problem")
    question = ExtraQuestion.objects.create(
        organisation=other_org, kind="text", label_fi="Betan kysymys"
    )
    url = f"{OBS}{theirs.pk}/"
    assert admin.get(url).status_code == 404
    assert admin.post(url, edit_data(theirs, label_fi="Kaapattu")).status_code == 404
    q_url = f"/o/alpha/settings/questions/{question.pk}/"
    assert admin.get(q_url).status_code == 404
    assert admin.post(q_url, question_data(kind="text", choices="")).status_code == 404
    theirs.refresh_from_db()
    question.refresh_from_db()
    assert theirs.label_fi != "Kaapattu"
    assert question.label_fi == "Betan kysymys"


def test_access__get_never_changes_anything_and_other_methods_are_refused(
    admin: Client, org: Organisation
) -> None:
    for url, data in settings_urls(org):
        response = admin.get(url, data or {"hidden": "on", "label_fi": "Muutettu"})
        assert response.status_code == 200, url
        assert h1_count(response) == 1, url
        assert admin.put(url).status_code == 405, url
        assert admin.delete(url).status_code == 405, url
    assert_nothing_changed(org)
    assert admin.post(OBS, {}).status_code == 405  # lists are read-only
    assert admin.post("/o/alpha/settings/questions/", {}).status_code == 405


# --- Hostile input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    ["Nolla\x00tavu", "x" * 10_000, "\u202e\u200b  "],
)
def test_hostile__bad_labels_give_form_errors(admin: Client, org: Organisation, label: str) -> None:
    problem = entry(org, "observation_type", "problem")
    response = admin.post(f"{OBS}{problem.pk}/", edit_data(problem, label_fi=label))
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    problem.refresh_from_db()
    assert problem.label_fi != label
    response = admin.post(f"{OBS}new/", {"code": "new_one", "label_fi": label, "label_sv": label})
    assert response.status_code == 400
    assert not VocabularyEntry.objects.filter(code="new_one").exists()


def test_hostile__format_controls_are_removed_from_labels(admin: Client, org: Organisation) -> None:
    problem = entry(org, "observation_type", "problem")
    label = "Epä\u202ekohta\u200b  ja\n ongelma"
    assert admin.post(f"{OBS}{problem.pk}/", edit_data(problem, label_en=label)).status_code == 302
    problem.refresh_from_db()
    assert problem.label_en == "Epäkohta ja ongelma"
    response = admin.post(
        "/o/alpha/settings/questions/new/",
        question_data(label_fi="\u202eKysymys", choices="a\u202e | Yks\u202e\nb | Kaks"),
    )
    assert response.status_code == 302
    question = ExtraQuestion.objects.get()
    assert question.label_fi == "Kysymys"
    assert question.choices[0] == {"code": "a", "fi": "Yks", "sv": "", "en": ""}


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (f"{OBS}new/", {"code": "nul\x00", "label_fi": "Nolla"}),
        (f"{OBS}new/", {"code": "x" * 10_000, "label_fi": "Pitkä"}),
        (f"{OBS}new/", {"code": "\u202eabc", "label_fi": "RTL", "label_en": "\x00"}),
        ("/o/alpha/settings/questions/new/", question_data(choices="a | A\x00\nb | B")),
        ("/o/alpha/settings/questions/new/", question_data(choices="a | A\n" * 10_000)),
        ("/o/alpha/settings/questions/new/", question_data(label_fi="x" * 10_000)),
        ("/o/alpha/settings/questions/new/", question_data(order="99999999999999999999")),
        ("/o/alpha/settings/questions/new/", question_data(order="-1")),
        ("/o/alpha/settings/pages/privacy/", {"body_fi": "Teksti\x00"}),
        ("/o/alpha/settings/pages/privacy/", {"body_fi": "x" * 50_001}),
        ("/o/alpha/settings/", {"languages": ["fi\x00"], "allow_anonymous": "\x00"}),
    ],
)
def test_hostile__input_gives_form_errors_never_500(
    admin: Client, org: Organisation, url: str, data: dict[str, Any]
) -> None:
    response = admin.post(url, data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not AuditEvent.objects.exclude(
        action__in=["organisation.created", "membership.created"]
    ).exists()


def test_hostile__order_out_of_range_is_an_error(admin: Client, org: Organisation) -> None:
    problem = entry(org, "observation_type", "problem")
    for order in ("2147483648", "-1", "kolme", ""):
        response = admin.post(f"{OBS}{problem.pk}/", edit_data(problem, order=order))
        assert response.status_code == 400, order

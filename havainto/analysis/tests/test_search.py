"""Full-text search: inflection and compounds in fi/sv, ranking, snippets, hostile queries,
isolation, filters, the index's life cycle, and the search screen."""

import datetime
import functools
import hashlib
import io
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from havainto.accounts.models import Organisation, Unit
from havainto.analysis import services
from havainto.analysis.models import ReportIndex
from havainto.analysis.search import Hit, count, find, match, parse_query, search
from havainto.analysis.services import ANALYSER_VERSION, index_report, reindex
from havainto.audit.models import AuditEvent
from havainto.coding.models import TextGrant
from havainto.conftest import valid_report_data
from havainto.reports.models import Report, Status, VocabularyEntry

pytestmark = pytest.mark.django_db

_serial = itertools.count()
MakeReport = Callable[..., Report]


@pytest.fixture
def make_report() -> MakeReport:
    """An indexed report of an organisation, created directly (the index task is tested apart)."""

    def make(
        organisation: Organisation,
        title: str,
        description: str = "",
        *,
        language: str = "fi",
        index: bool = True,
        **fields: Any,
    ) -> Report:
        key = hashlib.sha256(f"test-{next(_serial)}".encode()).hexdigest()
        vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
        values: dict[str, Any] = {
            "municipality": organisation.municipalities.order_by("code").last(),
            "service_line": organisation.service_lines.get(code="adult_social_work"),
            "reporter_role": vocabulary.get(kind="reporter_role", code="social_worker"),
            "observation_type": vocabulary.get(kind="observation_type", code="problem"),
            "submitted_on": datetime.date(2025, 3, 1),
        }
        values.update(fields)
        report = Report.objects.create(
            organisation=organisation,
            language=language,
            title=title,
            description=description,
            receipt_hash=key,
            submission_key=key,
            request_fingerprint=key,
            **values,
        )
        if index:
            index_report(report.pk)
        return report

    return make


def ids(hits: list[Hit]) -> list[int]:
    return [hit.report_id for hit in hits]


def found(organisation: Organisation, query: str, **kwargs: Any) -> set[int]:
    reports = Report.objects.of(organisation)
    return {m.report_id for m in match(reports, query, limit=None, **kwargs)}


# --- Inflection and compounds ----------------------------------------------------------------


def test_finnish_inflected_and_compound_forms_are_found(org: Any, make_report: MakeReport) -> None:
    tuen = make_report(org, "Toimeentulotuen käsittely viivästyy", "Päätökset tulevat myöhässä.")
    compound = make_report(org, "Hakemukset", "Perustoimeentulotukea haetaan nyt verkossa.")
    housing = make_report(org, "Vuokrat nousevat", "Asumiskustannukset ylittävät normit.")
    debt = make_report(org, "Neuvonta", "Asiakkaat ohjataan velkaneuvontaan liian myöhään.")
    other = make_report(org, "Koulukyydit", "Sähköinen asiointi ei toimi koululaisille.")

    assert found(org, "toimeentulotuki") == {tuen.pk, compound.pk}
    assert found(org, "asuminen") == {housing.pk}
    assert found(org, "velka") == {debt.pk}
    assert found(org, "koulu") == {other.pk}
    # A derivation is another word: sähköinen is not sähkö.
    assert found(org, "sähkö") == set()


def test_swedish_inflected_and_compound_forms_are_found(org: Any, make_report: MakeReport) -> None:
    homes = make_report(
        org,
        "Bristen på bostäder",
        "Många familjer väntar länge på bostadsbidrag från FPA.",
        language="sv",
    )
    care = make_report(
        org,
        "Äldreomsorgen på skärgårdsöarna",
        "Hemvården hinner inte besöka alla äldre klienter varje dag.",
        language="sv",
    )
    make_report(org, "Asunnot", "Vuokra-asuntoja ei ole tarpeeksi.")

    assert found(org, "bostad") == {homes.pk}
    assert found(org, "äldreomsorg") == {care.pk}
    # "och" is a Swedish stop word: it does not stop the other words from matching.
    assert found(org, "hemvård och äldreomsorg") == {care.pk}


def test_every_query_word_must_match(org: Any, make_report: MakeReport) -> None:
    both = make_report(org, "Kela ja vuokrat", "Kelan päätös ei kata vuokraa.")
    one = make_report(org, "Kela", "Kelan palvelupiste suljettiin.")

    assert found(org, "kela vuokra") == {both.pk}
    assert found(org, "Kela") == {both.pk, one.pk}


def test_query_language_can_be_given(org: Any, make_report: MakeReport) -> None:
    report = make_report(org, "Velkaneuvonta", "Jonot velkaneuvontaan ovat pitkät.")

    assert found(org, "velka", language="fi") == {report.pk}
    assert parse_query("velka", language="fi")[0].languages is None


# --- Ranking and snippets ----------------------------------------------------------------


def test_a_title_match_ranks_above_a_mention_in_the_text(org: Any, make_report: MakeReport) -> None:
    mention = make_report(
        org, "Palvelut kaukana", "Kotihoito, kuljetukset ja asiointi vievät paljon aikaa."
    )
    titled = make_report(org, "Kotihoidon käynnit lyhenevät", "Hoitajat ehtivät vähemmän.")

    hits = search(Report.objects.of(org), "kotihoito")

    assert ids(hits) == [titled.pk, mention.pk]
    assert hits[0].rank > hits[1].rank > 0


def test_snippet_and_title_highlight_the_matching_words(org: Any, make_report: MakeReport) -> None:
    filler = "Tilanne on jatkunut pitkään ilman muutosta. " * 12
    make_report(
        org,
        "Toimeentulotuen viiveet",
        filler + "Perustoimeentulotuen päätöksiä odotetaan viikkoja. " + filler,
    )

    (hit,) = search(Report.objects.of(org), "toimeentulotuki")

    assert hit.title == [("Toimeentulotuen", True), (" viiveet", False)]
    marked = [text for text, is_match in hit.snippet if is_match]
    assert marked == ["Perustoimeentulotuen"]
    assert hit.snippet[0] == ("…", False) and hit.snippet[-1] == ("…", False)
    assert len("".join(text for text, _ in hit.snippet)) < 300


def test_snippet_without_a_match_in_the_text_starts_the_description(
    org: Any, make_report: MakeReport
) -> None:
    make_report(org, "Velkaneuvonta ruuhkautunut", "Jonotusaika on kolme kuukautta.")

    (hit,) = search(Report.objects.of(org), "velka")

    assert hit.snippet == [("Jonotusaika on kolme kuukautta.", False)]
    assert hit.title[0] == ("Velkaneuvonta", True)


def test_with_many_matches_only_the_newest_are_ranked(org: Any, make_report: MakeReport) -> None:
    oldest = make_report(org, "Kela", "Kelan päätökset viipyvät, Kela ei vastaa.")
    newer = [make_report(org, "Jonot", f"Kelan jono {n}.") for n in range(4)]
    reports = Report.objects.of(org)

    everything = find(reports, "kela", window=None)
    assert (everything.total, everything.more) == (5, False)
    assert everything.hits[0].report_id == oldest.pk

    windowed = find(reports, "kela", window=2)
    assert (windowed.total, windowed.more) == (2, True)
    assert {hit.report_id for hit in windowed.hits} == {r.pk for r in newer[-3:]}
    assert count(reports, "kela") == 5


# --- Hostile and odd queries -------------------------------------------------------------

HOSTILE = [
    "' OR 1=1 --",
    '"',
    "*",
    "NEAR(",
    "&|!",
    "\x00",
    "velka\x00velka",
    "((((",
    ")",
    "'",
    "\\",
    "%",
    "_",
    ":*",
    "velka:*",
    "NOT velka",
    "velka AND OR",
    "title_terms: velka",
    '{title_terms terms} : "velka"',
    "'velka' | 'kela'",
    "velka" * 200,
    "sana " * 2000,
    "😀 🏠",
    "\u202eakleV",
    "",
    "   ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_text_and_never_raise(
    org: Any, make_report: MakeReport, query: str
) -> None:
    make_report(org, "Velkaneuvonta", "Jonot velkaneuvontaan ovat pitkät.")
    reports = Report.objects.of(org)

    hits = search(reports, query)

    assert isinstance(hits, list)
    assert count(reports, query) == len(match(reports, query, limit=None))


def test_operators_around_a_word_are_ignored(org: Any, make_report: MakeReport) -> None:
    report = make_report(org, "Velkaneuvonta", "Jonot velkaneuvontaan ovat pitkät.")

    for query in ['"velka"', "velka*", "(velka)", "velka:*", "'velka'", "-velka", "velka --"]:
        assert found(org, query) == {report.pk}, query


# --- Isolation and filters ---------------------------------------------------------------


def test_search_stays_inside_the_queryset_it_is_given(
    org: Any, other_org: Any, make_report: MakeReport
) -> None:
    ours = make_report(org, "Ulosotto", "Ulosoton jälkeen rahaa ei jää ruokaan.")
    make_report(other_org, "Ulosotto", "Ulosoton jälkeen rahaa ei jää ruokaan.")

    assert found(org, "ulosotto") == {ours.pk}
    assert search(Report.objects.none(), "ulosotto") == []
    assert search(Report.objects.filter(pk__in=[]), "ulosotto") == []


def test_search_combines_with_queryset_filters(org: Any, make_report: MakeReport) -> None:
    turku = org.municipalities.get(code="853")
    kaarina = org.municipalities.get(code="202")
    early = make_report(
        org,
        "Vuokrarästit",
        "Vuokra jää maksamatta.",
        municipality=turku,
        submitted_on=datetime.date(2024, 1, 5),
    )
    late = make_report(
        org,
        "Vuokrarästit",
        "Vuokra jää maksamatta.",
        municipality=kaarina,
        submitted_on=datetime.date(2025, 6, 1),
        status=Status.CODED,
    )
    families = VocabularyEntry.objects.get(organisation=org, kind="client_group", code="families")
    late.client_groups.add(families)
    reports = Report.objects.of(org)

    assert found(org, "vuokra") == {early.pk, late.pk}
    assert ids(search(reports.filter(municipality=turku), "vuokra")) == [early.pk]
    assert ids(search(reports.filter(status=Status.CODED), "vuokra")) == [late.pk]
    assert ids(search(reports.filter(submitted_on__lt="2025-01-01"), "vuokra")) == [early.pk]
    by_group = reports.filter(client_groups=families).distinct()
    assert ids(search(by_group, "vuokra")) == [late.pk]
    assert count(by_group, "vuokra") == 1


# --- The index: task after submit, reindex, updates and deletes ---------------------------


def test_a_submitted_report_is_indexed_by_the_background_task(
    org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = Client().post("/o/alpha/report/", valid_report_data())

    assert response.status_code == 302
    assert callbacks, "the index task is enqueued on commit"
    report = Report.objects.get()
    index = ReportIndex.objects.get(report=report)
    assert index.language == "fi" and index.analyser_version == ANALYSER_VERSION
    assert "toimeentulotuki" in index.title_terms.split()
    assert found(org, "toimeentulotuki") == {report.pk}


def test_reindex_is_idempotent(org: Any, other_org: Any, make_report: MakeReport) -> None:
    reports = [
        make_report(org, "Päihdepalvelut", "Päihteiden käyttö lisääntyy.", index=False),
        make_report(org, "Lastensuojelu", "Lastensuojeluilmoitukset lisääntyvät.", index=False),
        make_report(other_org, "Päihteet", "Päihdeongelmat.", index=False),
    ]
    assert found(org, "päihde") == set()

    assert reindex(actor=None, organisation=org) == 2
    first = found(org, "päihde")
    assert reindex(actor=None, organisation=org) == 2
    out = io.StringIO()
    call_command("reindex", "--organisation", "alpha", stdout=out)
    assert "Indexed 2 reports" in out.getvalue()

    assert found(org, "päihde") == first == {reports[0].pk}
    assert ReportIndex.objects.filter(organisation=org).count() == 2
    assert found(other_org, "päihde") == set()  # other organisations are left alone
    assert reindex(actor=None) == 3
    assert found(other_org, "päihde") == {reports[2].pk}
    assert count(Report.objects.all(), "päihde") == 2
    assert AuditEvent.objects.filter(action="analysis.reindexed").count() == 4


def test_an_edited_report_is_found_by_its_new_words_only(org: Any, make_report: MakeReport) -> None:
    report = make_report(org, "Sähkölaskut", "Pörssisähkösopimukset ovat kalliita.")
    report.title = "Vuokrat"
    report.description = "Vuokranantajat nostavat vuokria."
    report.save()
    index_report(report.pk)

    assert found(org, "sähkö") == set()
    assert found(org, "vuokra") == {report.pk}
    assert ReportIndex.objects.count() == 1


def test_a_deleted_report_leaves_the_index(org: Any, make_report: MakeReport) -> None:
    report = make_report(org, "Masennus", "Masennusta sairastavat odottavat terapiaa.")
    pk = report.pk
    report.delete()

    assert found(org, "masennus") == set()
    assert index_report(pk) is None
    assert not ReportIndex.objects.exists()


# --- The search screen -------------------------------------------------------------------

URL = "/o/alpha/search/"


def test_coordinator_searches_with_highlights_and_an_audit_row_without_the_query(
    org: Any, coordinator: Any, client_for: Any, make_report: MakeReport
) -> None:
    make_report(org, "Omaishoitajat <väsyneitä>", "Omaishoitajien vapaat jäävät pitämättä.")

    response = client_for(coordinator).get(
        URL, {"q": "omaishoitaja", "status": "received"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<mark>Omaishoitajat</mark> &lt;väsyneitä&gt;" in page
    assert "<mark>Omaishoitajien</mark>" in page
    assert 'role="status"' in page and "1 report found" in page
    assert page.count("<h1") == 1
    event = AuditEvent.objects.get(action="report.searched")
    assert event.actor == coordinator and event.organisation == org
    assert event.fields == ["q", "status"]
    assert "omaishoitaja" not in str(event.__dict__)


def test_screen_says_when_only_the_newest_matches_were_ranked(
    org: Any, coordinator: Any, client_for: Any, make_report: MakeReport, monkeypatch: Any
) -> None:
    for n in range(4):
        make_report(org, "Kelan jonot", f"Kela ei vastaa {n}.")
    monkeypatch.setattr(services, "find", functools.partial(find, window=2))

    response = client_for(coordinator).get(URL, {"q": "kela"}, HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "More than 2 reports found" in page
    assert page.count('class="search-hit"') == 3


def test_screen_without_words_searches_nothing(org: Any, coordinator: Any, client_for: Any) -> None:
    response = client_for(coordinator).get(URL, {"q": "  "})

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action="report.searched").exists()


def test_screen_refuses_a_reversed_period(org: Any, coordinator: Any, client_for: Any) -> None:
    response = client_for(coordinator).get(
        URL, {"q": "kela", "date_from": "2025-02-01", "date_to": "2025-01-01"}
    )

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_handler_finds_only_the_reports_of_their_units(
    org: Any, handler: Any, client_for: Any, make_report: MakeReport
) -> None:
    unit = org.units.get()
    other_unit = Unit.objects.create(
        organisation=org, service_line=unit.service_line, name_fi="Toinen yksikkö"
    )
    make_report(org, "Kelan jonot oma", "Kela ei vastaa.", unit=unit)
    make_report(org, "Kelan jonot muu", "Kela ei vastaa.", unit=other_unit)
    make_report(org, "Kelan jonot ei yksikköä", "Kela ei vastaa.")

    page = client_for(handler).get(URL, {"q": "kela"}).content.decode()

    assert "jonot oma" in page
    assert "jonot muu" not in page and "ei yksikköä" not in page


def test_screen_access(
    org: Any,
    org_admin: Any,
    reader: Any,
    reporter: Any,
    outsider: Any,
    client_for: Any,
) -> None:
    # The workspace's one rule for texts: admins manage, they do not read reports; readers
    # read texts only with a grant.
    assert client_for(org_admin).get(URL).status_code == 403
    assert client_for(reader).get(URL, {"q": "kela"}).status_code == 403
    TextGrant.objects.create(organisation=org, user=reader)
    assert client_for(reader).get(URL).status_code == 200
    assert client_for(reporter).get(URL).status_code == 404
    assert client_for(outsider).get(URL).status_code == 404
    assert client_for(reader).get("/o/nowhere/search/").status_code == 404
    assert client_for(reader).post(URL).status_code == 405
    anonymous = Client().get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not AuditEvent.objects.filter(action="report.searched").exists()

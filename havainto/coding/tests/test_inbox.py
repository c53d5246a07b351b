"""The inbox: filters, keyset pages, saved views, "new since the last visit"."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from havainto.coding.forms import decode_cursor, filter_text, keyset_page
from havainto.coding.models import ReportTheme, SavedView, Theme
from havainto.reports.models import Report, VocabularyEntry

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 1, 1)


def order_key(report: Report) -> tuple[datetime.date, int]:
    return report.submitted_on, report.pk


def titles(response: Any) -> list[str]:
    page = response.content.decode()
    return re.findall(r'<a href="/o/alpha/reports/\d+/" lang="\w+">([^<]+)</a>', page)


@pytest.fixture
def many(org: Any, make_report: Any) -> list[Report]:
    """11 reports over 4 days, several on the same day (ties broken by id)."""
    days = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3]
    return [
        make_report(org, submitted_on=DAY + datetime.timedelta(days=d), title=f"R{i}")
        for i, d in enumerate(days)
    ]


@pytest.mark.parametrize("newest_first", [True, False])
def test_keyset_pages__walk_every_row_once_forwards_and_backwards(
    many: list[Report], newest_first: bool
) -> None:
    queryset = Report.objects.all()
    expected = sorted(many, key=order_key, reverse=newest_first)

    seen: list[Report] = []
    pages = []
    after = None
    while True:
        page = keyset_page(queryset, newest_first=newest_first, after=after, size=3)
        pages.append(page)
        seen += page.rows
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert [r.pk for r in seen] == [r.pk for r in expected]
    assert [len(p.rows) for p in pages] == [3, 3, 3, 2]
    assert pages[0].previous_cursor is None

    # Back from the last page to the first, page by page.
    back = pages[-1]
    for expected_page in reversed(pages[:-1]):
        back = keyset_page(queryset, newest_first=newest_first, before=back.previous_cursor, size=3)
        assert [r.pk for r in back.rows] == [r.pk for r in expected_page.rows]
    assert back.previous_cursor is None


def test_keyset_page__uses_no_offset_and_no_count(many: list[Report]) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(Report.objects.all(), after=f"{DAY.isoformat()}_{many[2].pk}", size=3)
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "OFFSET" not in sql and "COUNT(" not in sql
    # Older than R2 (the newest of the first day): the rest of that day, by id.
    assert [r.title for r in page.rows] == ["R1", "R0"] and page.next_cursor is None


def test_bad_cursors__are_ignored() -> None:
    assert decode_cursor("nonsense") is None
    assert decode_cursor("2025-13-01_4") is None
    assert decode_cursor("2025-01-01_x") is None
    assert decode_cursor("2025-01-01_4") == (DAY, 4)


def test_inbox__pages_through_filtered_reports(
    org: Any, coordinator: Any, client_for: Any, many: list[Report], monkeypatch: Any
) -> None:
    monkeypatch.setattr("havainto.coding.views.handling.PAGE_SIZE", 2)
    client = client_for(coordinator)
    url = "/o/alpha/inbox/?date_from=2025-01-02&date_to=2025-01-03"
    first = client.get(url)
    assert first.status_code == 200
    in_period = [
        r for r in many if datetime.date(2025, 1, 2) <= r.submitted_on <= DAY.replace(day=3)
    ]
    expected = [r.title for r in sorted(in_period, key=order_key, reverse=True)]
    assert titles(first) == expected[:2]
    more = re.search(r'href="\?([^"]*after=[^"]+)" rel="next"', first.content.decode())
    assert more is not None
    second = client.get("/o/alpha/inbox/?" + more.group(1).replace("&amp;", "&"))
    assert titles(second) == expected[2:4]
    assert "date_from=2025-01-02" in more.group(1)


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"q": "lumi"}, ["Snow"]),
        ({"q": "KELA"}, ["Kela"]),
        ({"municipality": "202"}, ["Kaarina"]),
        ({"observation_type": "good_practice"}, ["Good"]),
        ({"support_need": "3"}, ["Kela"]),
        ({"sector": "housing"}, ["Snow"]),
        ({"client_group": "youth"}, ["Good"]),
        ({"theme": "homelessness"}, ["Kaarina"]),
        ({"status": "closed"}, ["Closed"]),
        ({"assigned": "me"}, ["Good"]),
        ({"date_to": "2025-02-28"}, ["Closed"]),
        ({"service_line": "child_protection"}, ["Child"]),
    ],
)
def test_inbox_filters(
    org: Any,
    coordinator: Any,
    client_for: Any,
    make_report: Any,
    other_unit: Any,
    params: dict[str, str],
    expected: list[str],
) -> None:
    vocab = VocabularyEntry.objects.filter(organisation=org)
    snow = make_report(org, title="Snow", description="Lumitöitä ei tehdä.")
    snow.sectors.add(vocab.get(kind="sector", code="housing"))
    kela = make_report(org, title="Kela", description="Kelan päätökset viipyvät.")
    kela.support_needs.add(vocab.get(kind="support_need", code="3"))
    kaarina = make_report(
        org, title="Kaarina", unit=other_unit, municipality=org.municipalities.get(code="202")
    )
    ReportTheme.objects.create(
        report=kaarina, theme=Theme.objects.get(organisation=org, code="homelessness")
    )
    good = make_report(org, title="Good", observation_type="good_practice", assignee=coordinator)
    good.client_groups.add(vocab.get(kind="client_group", code="youth"))
    make_report(org, title="Closed", status="closed", submitted_on=datetime.date(2025, 2, 2))
    make_report(org, title="Child", service_line=org.service_lines.get(code="child_protection"))

    response = client_for(coordinator).get("/o/alpha/inbox/", params)

    assert response.status_code == 200
    assert titles(response) == expected


def test_inbox__invalid_filters_show_errors_and_no_rows(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    response = client_for(coordinator).get(
        "/o/alpha/inbox/", {"date_from": "2025-03-01", "date_to": "2025-01-01"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'aria-invalid="true"' in page
    assert titles(response) == []


def test_filter_text__matches_title_and_description(org: Any, make_report: Any) -> None:
    make_report(org, title="Vuokrat", description="Asumistuen taso ei riitä")
    make_report(org, title="Muuta", description="Ei mitään")
    # Full-text matching: the dictionary form finds the inflected word.
    found = filter_text(Report.objects.all(), "asumistuki")
    assert [r.title for r in found] == ["Vuokrat"]
    assert list(filter_text(Report.objects.all(), "' OR 1=1 --")) == []


def test_saved_views__save_list_open_and_delete(
    org: Any, coordinator: Any, handler: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    response = client.post(
        "/o/alpha/inbox/views/",
        {"name": "Kaarina, new", "query": "municipality=202&new=on&after=2025-01-01_3&evil=1"},
    )
    view = SavedView.objects.get(user=coordinator)
    assert view.query == "municipality=202&new=on"
    assert response.status_code == 302 and response["Location"].endswith("?municipality=202&new=on")

    page = client.get("/o/alpha/inbox/").content.decode()
    assert "?municipality=202&amp;new=on" in page and "Kaarina, new" in page
    assert "Kaarina, new" not in client_for(handler).get("/o/alpha/inbox/").content.decode()

    # Saving under the same name replaces the filters.
    client.post("/o/alpha/inbox/views/", {"name": "Kaarina, new", "query": "status=closed"})
    assert SavedView.objects.get(user=coordinator).query == "status=closed"

    response = client.post(f"/o/alpha/inbox/views/{view.pk}/delete/")
    assert response.status_code == 302 and not SavedView.objects.exists()


def test_saved_view_without_a_name__is_not_saved(coordinator: Any, client_for: Any) -> None:
    response = client_for(coordinator).post("/o/alpha/inbox/views/", {"name": " ", "query": ""})
    assert response.status_code == 302 and not SavedView.objects.exists()


def test_new_since_last_visit__counts_per_user_and_survives_reloads(
    org: Any, coordinator: Any, handler: Any, client_for: Any, make_report: Any, report: Report
) -> None:
    client = client_for(coordinator)
    with time_machine.travel("2025-03-01 08:00 +0200", tick=False):
        first = client.get("/o/alpha/inbox/").content.decode()
    assert "Nothing new since your last visit" in first or "Ei uutta" in first

    fresh = [make_report(org, title=f"Uusi {i}") for i in range(2)]
    with time_machine.travel("2025-03-01 10:00 +0200", tick=False):
        second = client.get("/o/alpha/inbox/", HTTP_ACCEPT_LANGUAGE="en")
        only_new = client.get("/o/alpha/inbox/", {"new": "on"})
    with time_machine.travel("2025-03-01 10:10 +0200", tick=False):
        reload = client.get("/o/alpha/inbox/", HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel("2025-03-01 12:00 +0200", tick=False):
        next_visit = client.get("/o/alpha/inbox/", HTTP_ACCEPT_LANGUAGE="en")

    assert "2 new reports since your last visit" in second.content.decode()
    assert sorted(titles(only_new)) == sorted(r.title for r in fresh)
    assert "2 new reports since your last visit" in reload.content.decode()
    assert "Nothing new since your last visit" in next_visit.content.decode()
    # Another user's first visit: nothing is "new" for them yet.
    assert (
        "Nothing new"
        in client_for(handler).get("/o/alpha/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_inbox__renders_with_one_h1_in_every_language(
    coordinator: Any, client_for: Any, report: Report
) -> None:
    client = client_for(coordinator)
    for language in ("fi", "sv", "en"):
        page = client.get("/o/alpha/inbox/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}">' in page
        assert len(re.findall(r"<h1[ >]", page)) == 1
        assert "<caption" in page and 'scope="col"' in page

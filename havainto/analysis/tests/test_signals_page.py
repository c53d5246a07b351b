"""The weak-signal page: a planted new subject is found from the database's reports, the same
as the `signals` command finds it from JSON lines (one conversion); who sees what (readers see
words and counts, report titles only with a text grant, and then the read is logged); the
period choice; hostile input; another organisation's reports never shown."""

import datetime
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from havainto.analysis import services
from havainto.analysis.records import report_records
from havainto.analysis.tests.discover_support import (
    MemoEmbedder,
    fresh_discovery,
    make_report,
    plant,
)
from havainto.audit.models import AuditEvent
from havainto.coding.models import TextGrant
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _discovery(monkeypatch: pytest.MonkeyPatch) -> MemoEmbedder:
    return fresh_discovery(monkeypatch)


def signal_cards(page: str) -> list[str]:
    return re.findall(
        r'<li class="discover-card">(.*?)</li>\s*(?=<li class="discover-card">|</ol>)', page, re.S
    )


# --- Finding the signal ----------------------------------------------------------------------


def test_signals__the_planted_subject_is_found_with_its_reports_and_places(org: Any) -> None:
    planted = plant(org)
    result = services.weak_signals(organisation=org, period="quarter", until=None)
    assert result.window == ["2026-Q2", "2026-Q3"]
    top = result.signals[0]
    assert "sähkö" in top.label or "sähkölasku" in top.label
    assert top.kind == "new" and top.earlier == 0
    assert {int(pk) for pk in top.report_ids} == {r.pk for r in planted}
    assert set(top.municipalities) == {"853", "202"}


def test_signals__the_page_and_the_command_read_the_same_input(org: Any, tmp_path: Path) -> None:
    plant(org)
    path = tmp_path / "reports.jsonl"
    records = list(report_records(Report.objects.of(org)))
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), "utf-8")
    out = io.StringIO()
    call_command("signals", "--reports", str(path), stdout=out)
    from_file = [json.loads(line) for line in out.getvalue().splitlines()]
    from_db = services.weak_signals(organisation=org, period="quarter", until=None).signals
    assert [s["label"] for s in from_file] == [s.label for s in from_db]
    assert [s["report_ids"] for s in from_file] == [s.report_ids for s in from_db]


def test_signals__an_earlier_period_can_be_chosen(org: Any) -> None:
    plant(org)
    earlier = services.weak_signals(organisation=org, period="quarter", until="2026-Q1")
    assert earlier.window == ["2025-Q4", "2026-Q1"]
    assert not any("sähkö" in s.label for s in earlier.signals)
    monthly = services.weak_signals(organisation=org, period="month", until=None)
    assert monthly.window == ["2026-07", "2026-08"]
    assert services.period_end("2026-Q3", "quarter") == datetime.date(2026, 9, 30)
    assert services.period_end("2024-02", "month") == datetime.date(2024, 2, 29)
    assert services.period_end("2026-13", "month") is None


# --- The page --------------------------------------------------------------------------------


def test_signals_page__access_per_persona(
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
    url = "/o/alpha/signals/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(reporter).get(url).status_code == 404
    assert client_for(handler).get(url).status_code == 403
    assert client_for(org_admin).get(url).status_code == 403
    assert client_for(reader).get(url).status_code == 200
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(coordinator).post(url).status_code == 405


def test_signals_page__a_reader_sees_words_and_counts_but_no_titles(
    org: Any, reader: Any, client_for: Any
) -> None:
    planted = plant(org)
    page = client_for(reader).get("/o/alpha/signals/").content.decode()
    cards = signal_cards(page)
    assert cards and "sähkö" in cards[0]
    assert "Turku" in cards[0] and "Kaarina" in cards[0]
    assert not any(report.title in page for report in planted)
    assert "/o/alpha/reports/" not in page and "/phenomena/new/" not in page
    assert t("The reports behind the signals are shown to those who may read report texts.") in page
    assert not AuditEvent.objects.filter(action="report.signals_listed").exists()


def test_signals_page__a_reader_with_a_grant_sees_the_reports_and_the_read_is_logged(
    org: Any, reader: Any, client_for: Any
) -> None:
    planted = plant(org)
    TextGrant.objects.create(organisation=org, user=reader)
    page = client_for(reader).get("/o/alpha/signals/").content.decode()
    assert all(report.title in page for report in planted)
    assert "/phenomena/new/" not in page  # readers do not make phenomena
    assert AuditEvent.objects.filter(action="report.signals_listed", actor=reader).count() == 1


def test_signals_page__a_coordinator_gets_links_and_a_suggestion(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    planted = plant(org)
    page = client_for(coordinator).get("/o/alpha/signals/").content.decode()
    assert len(re.findall(r"<h1[ >]", page)) == 1
    card = signal_cards(page)[0]
    for report in planted:
        assert f'href="/o/alpha/reports/{report.pk}/"' in card
    suggestion = re.search(r'href="(/o/alpha/phenomena/new/\?[^"]+)"', card)
    assert suggestion is not None
    for report in planted:
        assert f"report={report.pk}" in suggestion.group(1)
    assert "name=" in suggestion.group(1)
    assert AuditEvent.objects.filter(action="report.signals_listed", actor=coordinator).exists()


def test_signals_page__never_another_organisations_reports(
    org: Any, other_org: Any, coordinator: Any, outsider: Any, client_for: Any
) -> None:
    plant(org)
    theirs = plant(other_org, prefix="Beta: ")
    page = client_for(coordinator).get("/o/alpha/signals/").content.decode()
    assert "Beta: " not in page
    assert not any(f"/reports/{report.pk}/" in page for report in theirs)
    result = services.weak_signals(organisation=org, period="quarter", until=None)
    ours = {r.pk for r in Report.objects.of(org)}
    assert all(int(pk) in ours for s in result.signals for pk in s.report_ids)
    page = client_for(outsider).get("/o/beta/signals/").content.decode()
    assert "Beta: " in page


def test_signals_page__period_choice_and_hostile_input(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    plant(org)
    client = client_for(coordinator)
    page = client.get("/o/alpha/signals/?period=month").content.decode()
    assert '<option value="2026-08"' in page
    # Switching the period length keeps a quarter name from failing: the latest month is used.
    assert client.get("/o/alpha/signals/?period=month&until=2026-Q3").status_code == 200
    assert client.get("/o/alpha/signals/?period=quarter&until=2026-Q1").status_code == 200
    for query in ("until=2026-Q9", "until=%27%3B--", "until=2026-Q1-x", "period=year&until=x"):
        response = client.get(f"/o/alpha/signals/?{query}")
        assert response.status_code == 400, query
        assert b"error-summary" in response.content


def test_signals_page__is_cached_until_a_report_arrives(
    org: Any, coordinator: Any, client_for: Any, monkeypatch: Any
) -> None:
    plant(org)
    calls = []
    real = services.detect_signals
    monkeypatch.setattr(
        services, "detect_signals", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    client = client_for(coordinator)
    client.get("/o/alpha/signals/")
    client.get("/o/alpha/signals/")
    assert len(calls) == 1
    make_report(org, "housing_fi_1", submitted_on=datetime.date(2026, 9, 1), embed=False)
    client.get("/o/alpha/signals/")
    assert len(calls) == 2


def test_signals_page__no_reports_yet(org: Any, coordinator: Any, client_for: Any) -> None:
    response = client_for(coordinator).get("/o/alpha/signals/")
    assert response.status_code == 200
    assert t("No weak signals in this period.") in response.content.decode()

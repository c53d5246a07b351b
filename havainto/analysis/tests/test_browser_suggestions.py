"""Theme suggestions in a real browser: a coordinator accepts one suggested theme and rejects
another on a report; suggestions that are still being prepared arrive in the open page once
the worker has ranked them (and through a link without JavaScript); axe-core checks the report
page with suggestions, while they are prepared, and the acceptance rates page, also at phone
width (390 px)."""

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from havainto.accounts.models import Organisation
from havainto.analysis.models import ReportSuggestions, SuggestionDecision
from havainto.analysis.services import rank_report_themes
from havainto.analysis.suggestions import forget_loaded_models
from havainto.coding.tests import conftest as coding_fixtures
from havainto.reports.models import Report
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

MakeReport = Callable[..., Report]
make_report = coding_fixtures.make_report

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The zero-shot model without the sentence embedder: fast, and the engine has its own
    tests. The live server runs in this process, so it sees the patch."""
    monkeypatch.setattr("havainto.lib.themes.get_embedder", lambda: None)
    forget_loaded_models()


@pytest.fixture
def unranked_report(org: Organisation, make_report: MakeReport) -> Report:
    return make_report(
        org,
        unit=org.units.order_by("id").first(),
        title="Vuokrat nousevat ja asumistuki ei riitä",
        description=(
            "Asiakkaiden vuokrat ovat nousseet, eikä asumistuki kata asumismenoja. Moni "
            "maksaa vuokran toimeentulotuen perusosasta, ja vuokrarästit kasvavat."
        ),
    )


@pytest.fixture
def housing_report(unranked_report: Report) -> Report:
    """Ranked, as the background task does after a report is submitted and analysed."""
    assert rank_report_themes(unranked_report.pk)
    return unranked_report


@pytest.fixture
def database_tasks(settings: Any) -> None:
    """The production task backend: a page enqueues, `db_worker` runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())


def label(section: Locator, text: str) -> Locator:
    return section.locator(".suggestion-label").get_by_text(text, exact=True)


def no_horizontal_scrolling(page: Page) -> None:
    widths = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"scrollWidth {widths[0]} > innerWidth {widths[1]}"


def test_coordinator_accepts_one_suggestion_and_rejects_another(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    housing_report: Report,
) -> None:
    page = new_page()
    log_in(page, coordinator)
    page.goto(f"/o/alpha/reports/{housing_report.pk}/")

    section = page.locator("section.suggestions")
    expect(section.get_by_role("heading", name=t("Suggested themes"))).to_be_visible()
    items = section.locator("li.suggestion")
    expect(items).to_have_count(3)
    first = items.nth(0).locator(".suggestion-label").inner_text()
    second = items.nth(1).locator(".suggestion-label").inner_text()
    assert_accessible(page, "the report page with suggestions")

    items.nth(0).get_by_role("button", name=re.compile("^" + re.escape(t("Accept")))).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The theme “%(theme)s” was added.") % {"theme": first}
    )
    expect(page.locator(".facts")).to_contain_text(first)  # the report's themes
    expect(label(section, first)).to_have_count(0)

    # `has` is relative to each item: built from the page, not from the section.
    to_reject = section.locator(
        "li.suggestion", has=page.locator(".suggestion-label").get_by_text(second, exact=True)
    )
    to_reject.get_by_role("button", name=re.compile("^" + re.escape(t("Reject")))).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The suggestion “%(theme)s” was rejected. It is not suggested on this report again.")
        % {"theme": second}
    )
    expect(label(section, second)).to_have_count(0)
    assert_accessible(page, "the report page after the decisions")

    decisions = {
        d.theme.label_fi: d.accepted for d in SuggestionDecision.objects.select_related("theme")
    }
    assert decisions[first] is True and decisions[second] is False
    assert list(housing_report.report_themes.values_list("theme__label_fi", flat=True)) == [first]

    page.get_by_role("link", name=t("Theme suggestions")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Theme suggestions"))
    table = page.get_by_role("table")
    for name, rate in ((first, "100 %"), (second, "0 %")):
        row = table.locator("tr", has=page.get_by_role("rowheader", name=name, exact=True))
        expect(row.locator("td").last).to_have_text(rate)
    assert_accessible(page, "the acceptance rates")


def test_suggestions_and_rates_at_phone_width(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    housing_report: Report,
) -> None:
    page = new_page(**PHONE)
    log_in(page, coordinator)
    page.goto(f"/o/alpha/reports/{housing_report.pk}/")
    expect(page.locator("li.suggestion")).to_have_count(3)
    no_horizontal_scrolling(page)
    assert_accessible(page, "the report page with suggestions on a phone")

    page.goto("/o/alpha/suggestions/")
    expect(page.get_by_role("table")).to_be_visible()
    no_horizontal_scrolling(page)
    assert_accessible(page, "the acceptance rates on a phone")

    page.get_by_role("button", name=t("Retrain now")).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_accessible(page, "the acceptance rates after retrain now")


PREPARING = "Theme suggestions are being prepared."
# The panel asks again every 2 s; an answer may take a few seconds on a busy machine.
ARRIVAL_TIMEOUT_MS = 10_000


def test_suggestions_being_prepared__arrive_in_the_open_page(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    unranked_report: Report,
    database_tasks: None,
) -> None:
    page = new_page(**PHONE)
    log_in(page, coordinator)
    page.goto(f"/o/alpha/reports/{unranked_report.pk}/")

    section = page.locator("section.suggestions")
    expect(section).to_contain_text(t(PREPARING))
    expect(section.get_by_role("link", name=t("Show suggestions"))).to_be_visible()
    no_horizontal_scrolling(page)
    assert_accessible(page, "the report page while suggestions are prepared, on a phone")
    page.wait_for_timeout(2_500)  # the panel has asked again at least once meanwhile
    expect(section).to_contain_text(t(PREPARING))

    run_worker()

    expect(section.locator("li.suggestion")).to_have_count(3, timeout=ARRIVAL_TIMEOUT_MS)
    expect(section).not_to_contain_text(t(PREPARING))
    assert ReportSuggestions.objects.filter(report=unranked_report).exists()
    no_horizontal_scrolling(page)
    assert_accessible(page, "the report page once the suggestions arrived, on a phone")
    # The buttons that arrived work as those of a page rendered with them.
    first = section.locator("li.suggestion .suggestion-label").first.inner_text()
    section.get_by_role("button", name=re.compile("^" + re.escape(t("Accept")))).first.click()
    expect(page.get_by_role("status")).to_contain_text(
        t("The theme “%(theme)s” was added.") % {"theme": first}
    )


def test_without_javascript__the_link_shows_the_suggestions_once_ready(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    unranked_report: Report,
    database_tasks: None,
) -> None:
    page = new_page(java_script_enabled=False)
    log_in(page, coordinator)
    page.goto(f"/o/alpha/reports/{unranked_report.pk}/")
    section = page.locator("section.suggestions")
    expect(section).to_contain_text(t(PREPARING))
    section.get_by_role("link", name=t("Show suggestions")).click()  # too early: still so
    expect(page).to_have_url(re.compile(r"/reports/\d+/#suggestions-title$"))
    expect(section).to_contain_text(t(PREPARING))

    run_worker()
    section.get_by_role("link", name=t("Show suggestions")).click()

    expect(section.locator("li.suggestion")).to_have_count(3)
    assert page.url.endswith(f"/o/alpha/reports/{unranked_report.pk}/#suggestions-title")

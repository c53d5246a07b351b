"""Theme suggestions in a real browser: a coordinator accepts one suggested theme and rejects
another on a report; axe-core checks the report page with suggestions and the acceptance
rates page, also at phone width (390 px)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from havainto.accounts.models import Organisation
from havainto.analysis.models import SuggestionDecision
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
def housing_report(org: Organisation, make_report: MakeReport) -> Report:
    return make_report(
        org,
        unit=org.units.order_by("id").first(),
        title="Vuokrat nousevat ja asumistuki ei riitä",
        description=(
            "Asiakkaiden vuokrat ovat nousseet, eikä asumistuki kata asumismenoja. Moni "
            "maksaa vuokran toimeentulotuen perusosasta, ja vuokrarästit kasvavat."
        ),
    )


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

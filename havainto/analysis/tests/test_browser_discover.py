"""The discovery screens in a real browser: a coordinator reads a Swedish report's similar
(Finnish) reports, goes to the candidate topics and the weak signals from the workspace menu,
opens a topic's and a signal's reports from the keyboard, and axe-core finds no WCAG 2.1 A/AA
violation on any of them, at desktop and at phone width (390 px)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from havainto.analysis import services
from havainto.analysis.tests.discover_support import (
    TEXTS,
    MemoEmbedder,
    fresh_discovery,
    make_report,
    plant,
)
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _discovery(monkeypatch: pytest.MonkeyPatch) -> MemoEmbedder:
    return fresh_discovery(monkeypatch)


@pytest.fixture
def reports(org: Any) -> dict[str, Any]:
    made = {key: make_report(org, key) for key in TEXTS}
    plant(org)  # the weak signal
    services.embed_reports(actor=None, organisation=org)
    return made


@pytest.mark.parametrize("device", [{}, PHONE], ids=["desktop", "phone"])
def test_similar_topics_and_signals_are_accessible(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    reports: dict[str, Any],
    device: dict[str, Any],
) -> None:
    page = new_page(**device)
    log_in(page, coordinator)

    swedish = reports["drugs_sv_1"]
    page.goto(f"/o/alpha/reports/{swedish.pk}/")
    similar = page.locator("section.similar-reports")
    expect(similar.get_by_role("heading", level=2)).to_have_text(t("Similar reports"))
    expect(similar.get_by_role("link", name=reports["drugs_fi_1"].title)).to_be_visible()
    assert_accessible(page, "the report with similar reports")

    page.get_by_role("navigation", name=t("Handling workspace")).get_by_role(
        "link", name=t("Topics"), exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Candidate topics"))
    topic = page.locator(".discover-card").filter(has_text=TEXTS["drugs_sv_2"][0])
    expect(topic.get_by_role("link", name=t("Suggest a phenomenon"))).to_be_visible()
    assert_accessible(page, "the candidate topics")

    page.get_by_role("navigation", name=t("Handling workspace")).get_by_role(
        "link", name=t("Weak signals")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Weak signals"))
    card = page.locator(".discover-card").first
    expect(card).to_contain_text("sähkö")
    summary = card.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(card.get_by_role("link", name="Sähkölaskut kaatavat perheiden talouden")).to_be_visible()
    assert_accessible(page, "the weak signals with a signal's reports open")

    page.get_by_label(t("Period length")).select_option("month")
    page.get_by_role("button", name=t("Show")).click()
    expect(page.get_by_role("status")).to_contain_text("2026-08")
    assert_accessible(page, "the weak signals by month")

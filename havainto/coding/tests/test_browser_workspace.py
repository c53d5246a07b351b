"""The handling workspace in a real browser: a coordinator opens the inbox and a report,
forwards it with the state's message template (filled in by workspace.js), and the
anonymous reporter sees the message on the receipt page. axe-core checks every screen."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from havainto.coding.services import workflow_states
from havainto.reports.models import Report
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser


def t(message: str, lang: str = "fi") -> str:
    with translation.override(lang):
        return translation.gettext(message)


def test_coordinator_forwards_a_report_and_the_reporter_sees_the_message(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    report: Report,
) -> None:
    forwarded = next(s for s in workflow_states(report.organisation) if s.code == "forwarded")
    page = new_page()
    log_in(page, coordinator)

    page.goto("/o/alpha/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Inbox"))
    assert_accessible(page, "the inbox")

    page.get_by_role("link", name=report.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.title)
    assert_accessible(page, "the report")

    page.get_by_label(t("New state")).select_option(label=forwarded.label_fi)
    message = page.get_by_role("textbox", name=t("Message to the reporter"), exact=True)
    expect(message).to_have_value(forwarded.template_fi)  # filled in by workspace.js
    message.press("End")
    message.type(" Kiitos!")
    page.get_by_label(re.compile("^" + re.escape(t("Reason")))).fill("Kunnan johdolle")
    page.get_by_role("button", name=t("Change the state")).click()

    expect(page.get_by_role("status")).to_contain_text(t("The state was changed."))
    assert_accessible(page, "the report after the change")
    report.refresh_from_db()
    assert report.status == "forwarded"

    reporter_page = new_page()
    reporter_page.goto(f"/receipt/{report.receipt}/")  # type: ignore[attr-defined]
    expect(reporter_page.locator(".timeline")).to_contain_text(forwarded.template_fi + " Kiitos!")
    assert_accessible(reporter_page, "the receipt page")


def test_inbox_filters_work_from_the_keyboard(
    new_page: PageFactory, log_in: Callable[[Page, Any], None], coordinator: Any, report: Report
) -> None:
    page = new_page()
    log_in(page, coordinator)
    page.goto("/o/alpha/inbox/")
    field = page.get_by_label(t("Words in the title or description"))
    field.focus()
    page.keyboard.type("ei löydy mitään")
    page.keyboard.press("Enter")
    expect(page.get_by_text(t("No reports match the filters."))).to_be_visible()
    assert_accessible(page, "the inbox with no matches")


def test_search_screen_finds_inflected_forms_and_is_accessible(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    report: Report,
) -> None:
    page = new_page()
    log_in(page, coordinator)

    page.goto("/o/alpha/search/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "the empty search screen")

    # "vuokra" (dictionary form) finds "vuokrien" and "Vuokrat" in the report.
    page.get_by_role("searchbox").or_(page.get_by_role("textbox").first).first.fill("vuokra")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(report.title)
    expect(page.locator("main mark").first).to_be_visible()
    assert_accessible(page, "the search results")

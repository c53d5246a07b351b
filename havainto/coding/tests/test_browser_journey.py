"""The whole handling journey in a real browser, on the demo data: a coordinator takes an
anonymous report from "received" through handling and coding into a phenomenon, records
that the phenomenon was taken to a named body and the body's answer, and the anonymous
reporter – who has nothing but the receipt code – sees the answer. axe-core (WCAG 2.1 A/AA)
checks every screen on the way, and the last ones again at phone width."""

import io
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Page, expect

from havainto.coding.models import AdvocacyStep, Phenomenon
from havainto.core.demo import load_demo
from havainto.reports.models import Report
from havainto.reports.services import find_by_receipt
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

BODY = "Sosiaali- ja terveyslautakunta"
ANSWER = (
    "Lautakunta käsitteli ilmiön ja päätti selvittää asumisneuvonnan lisäämisen "
    "vuoden 2027 talousarvioon."
)


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


def label(text: str) -> re.Pattern[str]:
    """A field's accessible name, with or without the "(required)" marker."""
    return re.compile("^" + re.escape(t(text)) + r"( \(" + re.escape(t("required")) + r"\))?$")


@pytest.fixture
def demo(transactional_db: None) -> Any:
    return load_demo(today=date.today())


def test_from_received_to_an_answered_phenomenon_seen_with_the_receipt_code(
    new_page: PageFactory, log_in: Callable[[Page, Any], None], demo: Any, settings: Any
) -> None:
    # Background work as in production: pages enqueue tasks, `db_worker` runs them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receipt = next(r for r in demo.receipts if r.organisation == "varha" and r.status == "received")
    report = find_by_receipt(receipt.code)
    assert report is not None and report.is_anonymous and report.status == "received"
    coordinator = get_user_model().objects.get(username="varha-coordinator")
    page = new_page()
    log_in(page, coordinator)

    # The inbox, filtered to what waits for handling.
    page.goto("/o/varha/inbox/")
    assert_accessible(page, "the inbox")
    page.get_by_label(t("State"), exact=True).select_option("received")
    page.get_by_role("button", name=t("Show"), exact=True).click()
    assert_accessible(page, "the inbox filtered to received reports")
    # The report. The demo's reports were never analysed by a worker, so their theme
    # suggestions are not ranked yet: the page does not wait for that (it would load the
    # sentence-embedding model, seconds in a fresh process) but says they are being prepared
    # and enqueues the ranking.
    page.get_by_role("link", name=report.title, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.title)
    suggestions = page.locator("section.suggestions")
    expect(suggestions).to_contain_text(t("Theme suggestions are being prepared."))
    assert_accessible(page, "the report while its theme suggestions are prepared")
    report_on_phone = new_page(viewport={"width": 390, "height": 844})
    log_in(report_on_phone, coordinator)
    report_on_phone.goto(f"/o/varha/reports/{report.pk}/")
    expect(report_on_phone.locator("section.suggestions")).to_contain_text(
        t("Theme suggestions are being prepared.")
    )
    assert_accessible(report_on_phone, "the report while suggestions are prepared, on a phone")
    report_on_phone.close()
    # The worker ranks them; the open page asks again every 2 s and shows them.
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())
    expect(suggestions.locator("li.suggestion")).to_have_count(3, timeout=10_000)
    assert_accessible(page, "the report with its theme suggestions")

    # Take it into handling, with the state's own message to the reporter.
    page.get_by_label(t("New state")).select_option("in_handling")
    page.get_by_label(label("Reason")).fill("Otettu käsittelyyn ilmiötä varten")
    page.get_by_role("button", name=t("Change the state")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The state was changed."))

    # Gather it into a new phenomenon, straight from the report.
    page.get_by_role("link", name=t("Create a phenomenon from this report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("New phenomenon"))
    assert_accessible(page, "the new phenomenon form")
    page.get_by_label(label("Name of the phenomenon")).fill("Asumisen kustannukset kasvavat")
    page.get_by_label(label("Description")).fill("Vuokrat nousevat tukia nopeammin.")
    expect(page.get_by_label(re.compile(re.escape(report.title)))).to_be_checked()
    page.get_by_role("button", name=t("Create the phenomenon")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The phenomenon was created."))
    expect(page.get_by_role("heading", level=1)).to_have_text("Asumisen kustannukset kasvavat")
    assert_accessible(page, "the phenomenon")

    # A proposal for action.
    page.locator("summary", has_text=t("Add a proposal")).click()
    page.get_by_label(label("Proposal for action")).fill("Lisätään asumisneuvontaa.")
    page.get_by_role("button", name=t("Add the proposal")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The proposal was added."))

    # Taken to a named body: the supporting reports become "forwarded".
    page.locator("summary", has_text=t("Record a step: to whom the phenomenon was taken")).click()
    page.get_by_label(label("Taken to")).fill(BODY)
    page.get_by_label(label("Kind of recipient")).select_option("board")
    page.get_by_label(label("Date")).fill("2026-10-15")
    page.get_by_label(label("New state of the supporting reports")).select_option("forwarded")
    assert_accessible(page, "the step form")
    page.get_by_role("button", name=t("Record the step")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The step was recorded."))

    # The body's answer, shown to the reporters; the reports become "answered".
    page.locator("summary", has_text=t("Record the answer")).click()
    answer = page.locator("form[action$='/answer/']")
    answer.get_by_label(label("Answer")).fill(ANSWER)
    answer.get_by_label(label("Answered on")).fill("2026-11-02")
    answer.get_by_label(label("New state of the supporting reports")).select_option("answered")
    answer.get_by_role("button", name=t("Save the answer")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The answer was recorded."))
    expect(page.locator("#path-title + ol")).to_contain_text(ANSWER)
    assert_accessible(page, "the phenomenon with its answer")

    phenomenon = Phenomenon.objects.get(name="Asumisen kustannukset kasvavat")
    assert AdvocacyStep.objects.get(phenomenon=phenomenon).recipient == BODY
    report = Report.objects.get(pk=report.pk)
    assert report.status == "answered"

    # The anonymous reporter, with nothing but the receipt code.
    reporter = new_page()
    reporter.goto("/receipt/")
    assert_accessible(reporter, "the receipt lookup")
    reporter.get_by_label(t("Receipt code")).fill(receipt.code)
    reporter.get_by_role("button", name=t("Show status")).click()
    timeline = reporter.locator(".timeline")
    expect(timeline).to_contain_text(ANSWER)
    expect(timeline).to_contain_text(BODY)
    expect(reporter.get_by_text("Lisätään asumisneuvontaa.")).to_be_visible()
    assert_accessible(reporter, "the receipt page with the answer")

    phone = new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"/receipt/{receipt.code}/")
    expect(phone.locator(".timeline")).to_contain_text(ANSWER)
    assert_accessible(phone, "the receipt page on a phone")
    log_in(phone, coordinator)
    phone.goto(f"/o/varha/phenomena/{phenomenon.pk}/")
    assert_accessible(phone, "the phenomenon on a phone")
    phone.goto("/o/varha/phenomena/")
    assert_accessible(phone, "the list of phenomena on a phone")
    # The demo's answered phenomenon has many reports: its split screen.
    demo_phenomenon = (
        Phenomenon.objects.filter(organisation__slug="varha")
        .exclude(pk=phenomenon.pk)
        .order_by("pk")
        .last()
    )
    phone.goto(f"/o/varha/phenomena/{demo_phenomenon.pk}/split/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(t("Split the phenomenon"))
    assert_accessible(phone, "the split screen on a phone")
    phone.goto("/o/varha/overview/")
    assert_accessible(phone, "the overview on a phone")
    phone.goto("/o/varha/digests/")
    assert_accessible(phone, "the digest page on a phone")
    phone.get_by_role("button", name=t("Preview")).click()
    expect(phone.locator("#preview-title")).to_be_visible()
    expect(phone.locator(".message-text")).to_contain_text(BODY)
    assert_accessible(phone, "the digest preview on a phone")

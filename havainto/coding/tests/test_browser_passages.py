"""Passages in a real browser: a coordinator codes one quote by selecting words in the report
(passages.js fills the form with the exact offsets) and another by typing the words with
JavaScript off, approves a quote, and redacts a phone number from the redaction queue. axe-core
checks every screen, also at phone width (390 px), where nothing may scroll sideways."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from havainto.coding import services
from havainto.coding.models import Quote, RedactionCandidate, Theme
from havainto.reports.models import Report
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

PHONE = "040 123 4567"
DESCRIPTION = (
    "Vuokrat nousevat nopeasti, ja vuokrat nousevat yhä; asumistuki jää jälkeen.\n\n"
    f"Asiakas soitti numerosta {PHONE} ja kertoi, että vuokrat nousevat taas."
)
PHONE_WIDTH = {"width": 390, "height": 844}


def t(message: str, lang: str = "fi") -> str:
    with translation.override(lang):
        return translation.gettext(message)


@pytest.fixture
def report(org: Any, make_report: Any) -> Report:
    report = make_report(org, unit=org.units.order_by("id").first(), description=DESCRIPTION)
    services.refresh_redaction_candidates(report.pk)
    return report


def select_words(page: Page, field: str, start: int, end: int) -> None:
    """Select characters start–end of a text of the report, as a drag with the mouse would."""
    page.evaluate(
        """([field, start, end]) => {
            const text = document.querySelector(`[data-passage-field="${field}"]`).firstChild;
            const range = document.createRange();
            range.setStart(text, start);
            range.setEnd(text, end);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [field, start, end],
    )


def assert_fits_the_screen(page: Page, what: str) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        wide = page.evaluate(
            """() => Array.from(document.querySelectorAll("body *"))
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 10)
                .map(e => `${e.tagName}.${e.className}: ${(e.textContent || "").slice(0, 40)}`)"""
        )
        pytest.fail(f"{what} scrolls sideways by {overflow} px; too wide: {wide}")


def test_coordinator_codes_quotes_both_ways_approves_and_redacts_from_the_queue(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    report: Report,
) -> None:
    theme = Theme.objects.filter(organisation=report.organisation, hidden=False).first()
    page = new_page()
    log_in(page, coordinator)
    page.goto(f"/o/alpha/reports/{report.pk}/")
    assert_accessible(page, "the report with the quote and redaction forms")

    # JS path: select the last "vuokrat nousevat" (of two); the offsets say which one.
    second = DESCRIPTION.rindex("vuokrat nousevat")
    select_words(page, "description", second - 1, second + len("vuokrat nousevat"))
    quote_form = page.locator("form[data-passage-form]").first
    passage = quote_form.get_by_role("textbox", name=re.compile(t("Words")))
    expect(passage).to_have_value("vuokrat nousevat")  # the space before was trimmed
    expect(quote_form.locator('[name="quote-start"]')).to_have_value(str(second))
    expect(quote_form.get_by_label(t("Part of the report"))).to_have_value("description")
    expect(quote_form.locator("[data-passage-status]")).not_to_be_empty()
    quote_form.get_by_label(re.compile("^" + t("Theme"))).select_option(str(theme.pk))
    quote_form.get_by_role("button", name=t("Add the quote")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The quote was added."))
    selected = Quote.objects.get()
    assert (selected.start, selected.text) == (second, "vuokrat nousevat")
    assert_accessible(page, "the report with a quote")

    # Approve it for publication.
    page.get_by_role("button", name=re.compile(t("Approve for publication"))).first.click()
    expect(page.get_by_role("status")).to_contain_text(t("The quote was approved for publication."))
    assert Quote.objects.get(pk=selected.pk).approved_for_publication

    # No-JS path: copy the words into the box; the server finds them.
    plain = new_page(java_script_enabled=False)
    log_in(plain, coordinator)
    plain.goto(f"/o/alpha/reports/{report.pk}/")
    form = plain.locator("form[data-passage-form]").first
    form.get_by_label(t("Part of the report")).select_option("description")
    form.get_by_role("textbox", name=re.compile(t("Words"))).fill("asumistuki  jää\njälkeen")
    form.get_by_label(re.compile("^" + t("Theme"))).select_option(str(theme.pk))
    form.get_by_role("button", name=t("Add the quote")).click()
    expect(plain.get_by_role("status")).to_contain_text(t("The quote was added."))
    typed = Quote.objects.exclude(pk=selected.pk).get()
    assert typed.text == "asumistuki jää jälkeen"

    # The quote list, by theme.
    page.goto("/o/alpha/quotes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Quotes"))
    expect(page.locator("blockquote")).to_have_count(2)
    assert_accessible(page, "the quote list")

    # The redaction queue: the phone number, redacted with a reason.
    page.goto("/o/alpha/redaction-queue/")
    expect(page.locator("mark", has_text=PHONE)).to_be_visible()
    assert_accessible(page, "the redaction queue")
    page.get_by_role("link", name=re.compile(re.escape(t("Redact…")))).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Redact a passage"))
    assert_accessible(page, "the redaction confirmation")
    page.get_by_label(re.compile("^" + t("Reason for the redaction"))).fill("Puhelinnumero")
    page.get_by_role("button", name=t("Redact the passage")).click()
    expect(page.get_by_role("status")).to_contain_text(t("The passage was redacted."))
    expect(page.locator("mark", has_text=PHONE)).to_have_count(0)
    assert_accessible(page, "the redaction queue after the redaction")
    report.refresh_from_db()
    assert PHONE not in report.description and "[…]" in report.description
    assert not RedactionCandidate.objects.filter(state=RedactionCandidate.State.OPEN, kind="phone")


def test_passage_screens_at_phone_width(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    report: Report,
) -> None:
    theme = Theme.objects.filter(organisation=report.organisation, hidden=False).first()
    quote = services.add_quote(
        actor=coordinator,
        report=report,
        field="description",
        start=0,
        end=len("Vuokrat nousevat nopeasti"),
        theme=theme,
    )
    services.approve_quote(actor=coordinator, quote=quote)
    start = DESCRIPTION.index("Asiakas")
    services.redact_passage(
        actor=coordinator,
        report=report,
        expected_version=report.version,
        field="description",
        start=start,
        end=start + len("Asiakas"),
        reason="Kokeilu",
    )
    candidate = RedactionCandidate.objects.filter(state=RedactionCandidate.State.OPEN).first()
    page = new_page(viewport=PHONE_WIDTH)
    log_in(page, coordinator)
    for url, what in [
        (f"/o/alpha/reports/{report.pk}/", "the report"),
        ("/o/alpha/quotes/", "the quote list"),
        ("/o/alpha/redaction-queue/", "the redaction queue"),
        (f"/o/alpha/redaction-queue/{candidate.pk}/redact/", "the redaction confirmation"),
        (
            f"/o/alpha/reports/{report.pk}/redactions/{report.redactions.get().pk}/original/",
            "the original of a redacted passage",
        ),
    ]:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"{what} at 390 px")
        assert_fits_the_screen(page, what)

    # A passage that occurs twice, typed: the form asks which one, accessibly.
    page.goto(f"/o/alpha/reports/{report.pk}/")
    form = page.locator("form[data-passage-form]").first
    form.get_by_role("textbox", name=re.compile(t("Words"))).fill("vuokrat nousevat")
    form.get_by_label(t("Part of the report")).select_option("description")
    form.get_by_label(re.compile("^" + t("Theme"))).select_option(str(theme.pk))
    form.get_by_role("button", name=t("Add the quote")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(2)
    assert_accessible(page, "the report asking which occurrence, at 390 px")
    assert_fits_the_screen(page, "the report asking which occurrence")

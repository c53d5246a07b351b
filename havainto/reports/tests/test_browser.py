"""The reporting form in a real browser (headless chromium): the whole path from the form to
the receipt, in Finnish and Swedish, with and without JavaScript, on a phone, with errors,
after a keyboard-only login and with autosave, each page checked with axe-core (WCAG 2.1 AA).

Fields are found by their accessible names (labels, legends), so the tests also check that
every control is labelled. Interface texts come from the active catalogue through gettext, so
the tests hold whether or not the fi/sv catalogues are translated and compiled yet.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from havainto.accounts.models import Organisation
from havainto.conftest import PASSWORD
from havainto.lib.hetu import check_character, is_valid_hetu
from havainto.reports.models import Report, ReportDraft
from havainto.testing.browser import (
    PageFactory,
    assert_accessible,
    axe_violations,
    take_browser_problems,
)

pytestmark = pytest.mark.browser

FORM = "/o/alpha/report/"
TITLE_FI = "Vuokrat nousevat toimeentulotuen normia nopeammin"
TITLE_SV = "Hyrorna stiger snabbare än normen för utkomststöd"


def t(message: str, lang: str) -> str:
    """The interface text as the server shows it in ``lang``."""
    with translation.override(lang):
        return translation.gettext(message)


def labelled(page: Page, message: str, lang: str) -> Locator:
    """The control labelled ``message`` (optionally followed by "(required)") – exactly,
    so that "Service line" does not also find a radio button labelled "Service line …"."""
    text = re.escape(t(message, lang))
    required = re.escape(t("required", lang))
    # Only text inputs, selects and text areas: a vocabulary radio button may share the
    # label (the proposal level "Kunta" and the field "Kunta").
    controls = page.locator("select, textarea, input:not([type=radio])")
    return page.get_by_label(re.compile(rf"^{text}(?: \({required}\))?$")).and_(controls)


def choice(page: Page, label: str) -> Locator:
    """A radio button or check box by its (vocabulary) label."""
    return page.get_by_label(label, exact=True)


def fill_report(page: Page, lang: str, texts: dict[str, str], labels: dict[str, str]) -> None:
    """Fill in every part of the form. ``labels`` are the vocabulary labels in ``lang``."""
    labelled(page, "Municipality", lang).select_option(label=labels["municipality"])
    labelled(page, "Service line", lang).select_option(label=labels["service_line"])
    labelled(page, "Your role", lang).select_option(label=labels["reporter_role"])
    labelled(page, "Language of the report", lang).select_option(lang)
    choice(page, labels["observation_type"]).check()
    labelled(page, "Short title", lang).fill(texts["title"])
    labelled(page, "Describe what you have observed", lang).fill(texts["description"])
    for name in ("client_group_1", "client_group_2", "support_need_1", "support_need_2"):
        choice(page, labels[name]).check()
    for name in ("sector_1", "sector_2", "recurrence", "clients_affected"):
        choice(page, labels[name]).check()
    labelled(page, "Causes and societal connections", lang).fill(texts["causes"])
    labelled(page, "Effects of services: what worked, what did not", lang).fill(texts["effects"])
    labelled(page, "Your proposal for action", lang).fill(texts["proposal"])
    choice(page, labels["proposal_level"]).check()
    labelled(page, "I confirm that no client can be identified from this report", lang).check()


FI_TEXTS = {
    "title": TITLE_FI,
    "description": (
        "Yhä useampi asiakas maksaa vuokrastaan osan perusosasta, koska Kelan hyväksymät "
        "asumismenot eivät ole nousseet vuokrien tahtiin."
    ),
    "causes": "Vuokratason nousu Turussa ja Kaarinassa, asumistuen leikkaukset.",
    "effects": "Täydentävä toimeentulotuki paikkaa, mutta hitaasti.",
    "proposal": "Tarkistetaan asumismenojen kohtuullisuusrajat kahdesti vuodessa.",
}
FI_LABELS = {
    "municipality": "Turku",
    "service_line": "Aikuissosiaalityö",
    "reporter_role": "Sosiaalityöntekijä",
    "observation_type": "Epäkohta tai ongelma, johon toivotaan muutosta",
    "client_group_1": "Lapsiperheet",
    "client_group_2": "Työikäiset",
    "support_need_1": "Asuminen",
    "support_need_2": "Taloudellinen tuki",
    "sector_1": "Kela",
    "sector_2": "Asuminen ja asuntotoimi",
    "recurrence": "Lisääntyvä ilmiö",
    "clients_affected": "6–20 asiakasta",
    "proposal_level": "Hyvinvointialue",
}
SV_TEXTS = {
    "title": TITLE_SV,
    "description": (
        "Allt fler klienter betalar en del av hyran med grunddelen, eftersom de boendeutgifter "
        "som FPA godkänner inte har stigit i takt med hyrorna."
    ),
    "causes": "Hyresnivån stiger i Åbo och S:t Karins, bostadsbidraget har skurits ned.",
    "effects": "Det kompletterande utkomststödet hjälper, men långsamt.",
    "proposal": "Gränserna för skäliga boendeutgifter ses över två gånger om året.",
}
SV_LABELS = {
    "municipality": "Åbo",
    "service_line": "Socialt arbete för vuxna",
    "reporter_role": "Socialarbetare",
    "observation_type": "Missförhållande eller problem som behöver åtgärdas",
    "client_group_1": "Barnfamiljer",
    "client_group_2": "Personer i arbetsför ålder",
    "support_need_1": "Boende",
    "support_need_2": "Ekonomiskt stöd",
    "sector_1": "FPA",
    "sector_2": "Boende och bostadsväsende",
    "recurrence": "Ökande fenomen",
    "clients_affected": "6–20 klienter",
    "proposal_level": "Välfärdsområde",
}


def submit_and_get_receipt(page: Page, lang: str, title: str) -> str:
    page.get_by_role("button", name=t("Send the report", lang)).click()
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you for your report", lang))
    expect(page.get_by_text(title, exact=False)).to_be_visible()
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4})+", receipt), receipt
    return receipt


def follow_receipt(
    page: Page, lang: str, receipt: str, title: str, *, check_axe: bool = True
) -> None:
    """Open the status page from the header's link by typing the receipt code."""
    page.get_by_role("link", name=t("Follow a report", lang)).click()
    expect(page).to_have_url(re.compile(r"/receipt/$"))
    if check_axe:
        assert_accessible(page, "the receipt lookup form")
    page.get_by_label(t("Receipt code", lang)).fill(receipt)
    page.get_by_role("button", name=t("Show status", lang)).click()
    expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()


def test_report_round_trip_in_finnish(page: Page, org: Organisation) -> None:
    page.goto(FORM)
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Report an observation", "fi"))
    assert_accessible(page, "the empty form")

    fill_report(page, "fi", FI_TEXTS, FI_LABELS)
    assert_accessible(page, "the filled form")
    receipt = submit_and_get_receipt(page, "fi", TITLE_FI)
    assert_accessible(page, "the thanks page")

    # Typed as people type: lower case is accepted too.
    follow_receipt(page, "fi", receipt.lower(), TITLE_FI)
    assert_accessible(page, "the status page")

    report = Report.objects.get()
    assert report.title == TITLE_FI
    assert report.author is None
    assert report.municipality.code == "853"
    assert report.service_line.code == "adult_social_work"
    assert report.reporter_role.code == "social_worker"
    assert report.observation_type.code == "problem"
    assert report.recurrence.code == "increasing"
    assert report.clients_affected.code == "6-20"
    assert report.proposal_level.code == "county"
    assert sorted(report.client_groups.values_list("code", flat=True)) == [
        "families",
        "working_age",
    ]
    assert sorted(report.support_needs.values_list("code", flat=True)) == ["2", "3"]
    assert sorted(report.sectors.values_list("code", flat=True)) == ["housing", "kela"]
    assert report.causes == FI_TEXTS["causes"]
    assert report.service_effects == FI_TEXTS["effects"]
    assert report.proposal == FI_TEXTS["proposal"]


def test_report_round_trip_in_swedish(page: Page, org: Organisation) -> None:
    page.goto(FORM)
    page.locator("form.language-switch").get_by_role("button", name="Svenska").click()
    expect(page).to_have_url(re.compile(re.escape(FORM) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(
        page.locator("form.language-switch").get_by_role("button", name="Svenska")
    ).to_have_attribute("aria-current", "true")
    # The interface texts as the Swedish catalogue has them (English until it is translated);
    # the Swedish vocabulary labels below come from the database and are always Swedish.
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Report an observation", "sv"))
    expect(page.get_by_text("Välfärdsområde", exact=True)).to_be_visible()
    assert_accessible(page, "the Swedish form")

    fill_report(page, "sv", SV_TEXTS, SV_LABELS)
    receipt = submit_and_get_receipt(page, "sv", TITLE_SV)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(page, "the Swedish thanks page")

    follow_receipt(page, "sv", receipt, TITLE_SV)
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_accessible(page, "the Swedish status page")

    report = Report.objects.get()
    assert report.title == TITLE_SV
    assert report.municipality.code == "853"
    assert report.language == "sv"


SWEDISH_LABELS = {
    "Report an observation": "Rapportera en observation",
    "Municipality": "Kommun",
    "Send the report": "Skicka observationen",
}


def test_swedish_interface_texts(page: Page, org: Organisation) -> None:
    """The interface texts are really Swedish (the sv catalogue is translated and compiled)."""
    page.goto(FORM)
    page.locator("form.language-switch").get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        SWEDISH_LABELS["Report an observation"]
    )
    expect(labelled(page, "Municipality", "sv")).to_be_visible()
    expect(page.get_by_text(SWEDISH_LABELS["Municipality"], exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name=SWEDISH_LABELS["Send the report"])).to_be_visible()


def test_errors_are_summarised_linked_and_identity_codes_are_refused(
    page: Page, org: Organisation
) -> None:
    page.goto(FORM)
    page.get_by_role("button", name=t("Send the report", "fi")).click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^" + re.escape(t("Error", "fi")) + ": "))
    links = summary.get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    required = {
        "municipality",
        "service_line",
        "reporter_role",
        "observation_type",
        "title",
        "description",
        "confirm_no_client_data",
    }
    linked = {re.sub(r"^#id_|_0$", "", href) for href in hrefs}
    assert required <= linked, hrefs
    for href in hrefs:
        target = page.locator(href)
        expect(target).to_have_count(1)
        name = re.sub(r"^#id_|_0$", "", href)
        expect(target).to_have_attribute("name", name)
        # The field itself says it is invalid and points to its message.
        error_id = f"id_{name}_error"
        expect(page.locator(f"#{error_id}")).to_be_visible()
        if target.get_attribute("type") in ("radio", "checkbox") and href.endswith("_0"):
            group = page.locator(f"fieldset:has({href})")
            expect(group).to_have_attribute("aria-describedby", re.compile(error_id))
        else:
            expect(target).to_have_attribute("aria-invalid", "true")
            expect(target).to_have_attribute("aria-describedby", re.compile(error_id))
    # Following a link takes the keyboard to the field.
    summary.get_by_role("link").filter(has_text=t("Short title", "fi")).click()
    expect(labelled(page, "Short title", "fi")).to_be_focused()
    assert_accessible(page, "the form with errors")

    ddmmyy, individual = "150384", "123"
    hetu = f"{ddmmyy}-{individual}{check_character(ddmmyy, individual)}"
    assert is_valid_hetu(hetu)
    fill_report(
        page,
        "fi",
        {**FI_TEXTS, "description": f"Asiakkaan henkilötunnus on {hetu}, ja vuokra nousi."},
        FI_LABELS,
    )
    page.get_by_role("button", name=t("Send the report", "fi")).click()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(t("This looks like a personal identity code", "fi"))
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_description")
    # The typed text is kept for correcting, the other answers too.
    expect(labelled(page, "Short title", "fi")).to_have_value(TITLE_FI)
    expect(labelled(page, "Describe what you have observed", "fi")).to_have_value(
        re.compile(re.escape(hetu))
    )
    assert_accessible(page, "the form with a personal identity code")
    assert Report.objects.count() == 0


def test_keyboard_login_prefills_the_form(page: Page, org: Organisation, reporter: Any) -> None:
    page.goto(f"/accounts/login/?next={FORM}")
    assert_accessible(page, "the login page")

    # The username field has autofocus; a keyboard user who starts elsewhere tabs to it.
    username = page.get_by_label(t("Username", "fi"))
    for _ in range(30):
        if username.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type(reporter.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label(t("Password", "fi"))).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(FORM) + "$"))
    # The first Tab reaches the skip link, which takes the keyboard past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=t("Skip to content", "fi"))
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    expect(labelled(page, "Municipality", "fi")).to_have_value("853")
    expect(labelled(page, "Service line", "fi")).to_have_value("adult_social_work")
    expect(labelled(page, "Your role", "fi")).to_have_value("social_worker")
    expect(labelled(page, "Unit or team", "fi")).to_have_value(str(org.units.get().pk))
    expect(page.get_by_role("button", name=t("Save draft", "fi"))).to_be_visible()
    assert_accessible(page, "the form of a logged-in reporter")


def test_form_works_without_javascript(new_page: PageFactory, org: Organisation) -> None:
    page = new_page(java_script_enabled=False)
    page.goto(FORM)
    fill_report(page, "fi", FI_TEXTS, FI_LABELS)
    receipt = submit_and_get_receipt(page, "fi", TITLE_FI)
    # axe is a script: it cannot run here (the pages are the same as in the tests above).
    follow_receipt(page, "fi", receipt, TITLE_FI, check_axe=False)
    assert Report.objects.get().title == TITLE_FI


def test_phone_viewport_has_no_horizontal_scrolling(
    new_page: PageFactory, org: Organisation
) -> None:
    page = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(FORM)
    overflow = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"scrollWidth {overflow[0]} > innerWidth {overflow[1]}"
    assert_accessible(page, "the form on a phone")

    page.get_by_role("button", name=t("Send the report", "fi")).click()
    expect(page.locator("#error-summary")).to_be_visible()
    overflow = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"with errors: scrollWidth {overflow[0]} > {overflow[1]}"


def test_autosave_keeps_a_draft_across_reloads(
    page: Page,
    org: Organisation,
    reporter: Any,
    log_in: Callable[[Page, Any], None],
) -> None:
    log_in(page, reporter)
    page.goto(FORM)
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_be_empty()

    title = "Asumistuen leikkaukset näkyvät toimeentulotuessa"
    labelled(page, "Short title", "fi").fill(title)
    labelled(page, "Describe what you have observed", "fi").fill("Luonnos: kesken.")
    # The script saves when the page is hidden (tab switch, phone lock); simulate that.
    page.evaluate(
        """() => {
            Object.defineProperty(document, "visibilityState", {value: "hidden",
                                                                 configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        }"""
    )
    saved = re.escape(t("Draft saved at %(time)s.", "fi")).replace(
        re.escape("%(time)s"), r"\d{1,2}\.\d{2}"
    )
    expect(status).to_have_text(re.compile(f"^{saved}$"))
    expect(page.locator("input[name=draft_version]")).to_have_value("1")
    draft = ReportDraft.objects.get(user=reporter)
    assert draft.data["title"] == title

    page.reload()
    expect(labelled(page, "Short title", "fi")).to_have_value(title)
    expect(labelled(page, "Describe what you have observed", "fi")).to_have_value(
        "Luonnos: kesken."
    )
    expect(page.locator("#main-content .notice[role=status]")).to_be_visible()
    assert Report.objects.count() == 0


def test_the_tooling_catches_csp_violations_script_errors_and_axe_violations(
    page: Page, org: Organisation
) -> None:
    """The checks themselves: an inline script (no nonce), an uncaught error and an
    unlabelled input are all noticed."""
    page.goto(FORM)
    page.evaluate(
        """() => document.querySelector("main").append(
            Object.assign(document.createElement("input"), {type: "text"}))"""
    )
    assert "label" in {violation["id"] for violation in axe_violations(page)}
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true;")
    with page.expect_event("pageerror"):
        page.evaluate("() => { setTimeout(() => { throw new Error('boom from a test'); }); }")
    problems: list[str] = []
    for _ in range(50):  # the context's listener may run just after the page's
        problems += take_browser_problems(page)
        if any("boom from a test" in p for p in problems):
            break
        page.wait_for_timeout(20)
    assert any(p.startswith("CSP violation") for p in problems), problems
    assert any("boom from a test" in p for p in problems), problems

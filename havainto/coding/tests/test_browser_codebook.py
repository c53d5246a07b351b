"""The codebook in a real browser: a coordinator finds it from the workspace menu, renames a
theme from the keyboard and merges it into another with the mouse, and axe-core checks the
list, edit, merge and history screens, also at phone width."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import Page, expect

from havainto.accounts.models import Organisation
from havainto.coding import services
from havainto.coding.models import ReportTheme, Theme
from havainto.reports.models import Report
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def t(message: str, lang: str = "fi") -> str:
    with translation.override(lang):
        return translation.gettext(message)


def starts_with(text: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(text))


def test_coordinator_renames_from_the_keyboard_and_merges_with_the_mouse(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    report: Report,
) -> None:
    org = report.organisation
    debt = Theme.objects.get(organisation=org, code="debt")
    target = Theme.objects.get(organisation=org, code="poverty_income")
    ReportTheme.objects.create(report=report, theme=debt)
    ReportTheme.objects.create(report=report, theme=target)
    page = new_page()
    log_in(page, coordinator)

    page.goto("/o/alpha/inbox/")
    page.get_by_role("navigation", name=t("Handling workspace")).get_by_role(
        "link", name=t("Codebook")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Codebook"))
    assert_accessible(page, "the codebook")

    # Rename from the keyboard: the edit link, the Finnish label, Enter to save.
    page.get_by_role("link", name=f"{t('Edit')} {debt.label_fi}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(debt.label_fi)
    assert_accessible(page, "the edit screen")
    page.get_by_label(starts_with(capfirst(t("label in Finnish")))).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Velat ja pikavipit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(t("The theme was saved."))
    debt.refresh_from_db()
    assert debt.label_fi == "Velat ja pikavipit" and debt.version == 2

    # Merge with the mouse; first without choosing, which the form explains.
    page.get_by_role("link", name=f"{t('Merge')} Velat ja pikavipit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velat ja pikavipit")
    assert_accessible(page, "the merge screen")
    page.get_by_role("button", name=t("Merge the themes")).click()
    expect(page.locator(".error-summary")).to_contain_text(t("Choose the theme to merge into."))
    assert_accessible(page, "the merge screen with errors")
    page.get_by_label(starts_with(t("Merge into"))).select_option(label=target.label_fi)
    page.get_by_label(
        starts_with(t("I have checked the target: the merge cannot be undone."))
    ).check()
    page.get_by_role("button", name=t("Merge the themes")).click()
    expect(page.get_by_role("status")).to_contain_text(target.label_fi)
    debt.refresh_from_db()
    assert debt.merged_into == target
    assert list(ReportTheme.objects.filter(report=report).values_list("theme", flat=True)) == [
        target.pk
    ]

    # The merged theme is listed apart, and its history leads to the target.
    page.get_by_role("region", name=t("Merged themes")).get_by_role(
        "link", name="Velat ja pikavipit"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velat ja pikavipit")
    expect(page.locator(".notice")).to_contain_text(target.label_fi)
    assert_accessible(page, "the history of the merged theme")


def test_reorder_buttons_work_from_the_keyboard(
    new_page: PageFactory, log_in: Callable[[Page, Any], None], coordinator: Any, org: Organisation
) -> None:
    first, second = Theme.objects.offered().filter(organisation=org, parent=None)[:2]
    page = new_page()
    log_in(page, coordinator)
    page.goto("/o/alpha/codebook/")
    # The button's name is "Move up: <theme>" (the theme in visually hidden text).
    name = re.compile(re.escape(t("Move up")) + r"\s*: " + re.escape(second.label_fi))
    page.get_by_role("button", name=name).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(t("The order was changed."))
    top = list(Theme.objects.offered().filter(organisation=org, parent=None)[:2])
    assert top == [second, first]


@pytest.mark.parametrize("width", [PHONE["width"], 1280])
def test_codebook_screens_pass_axe_and_fit_the_screen(
    new_page: PageFactory,
    log_in: Callable[[Page, Any], None],
    coordinator: Any,
    org: Organisation,
    width: int,
) -> None:
    parent = Theme.objects.get(organisation=org, code="housing_costs")
    child = Theme.objects.create(
        organisation=org, code="rents", label_fi="Vuokrat", parent=parent, hidden=False
    )
    Theme.objects.filter(organisation=org, code="debt").update(hidden=True)
    services.merge_themes(
        actor=coordinator,
        theme=Theme.objects.get(organisation=org, code="homelessness"),
        into=parent,
        expected_version=1,
    )
    page = new_page(viewport={"width": width, "height": 844})
    log_in(page, coordinator)
    for path, what in (
        ("/o/alpha/codebook/", "the codebook"),
        ("/o/alpha/codebook/add/", "the new theme form"),
        (f"/o/alpha/codebook/{child.pk}/edit/", "the edit screen"),
        (f"/o/alpha/codebook/{child.pk}/merge/", "the merge screen"),
        (f"/o/alpha/codebook/{child.pk}/", "the history screen"),
        (f"/o/alpha/codebook/{parent.pk}/", "the history of a merge target"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, f"{what} at {width} px")
        # Nothing wider than the screen: tables scroll inside their own region.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (what, width)

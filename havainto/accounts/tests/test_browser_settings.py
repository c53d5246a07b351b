"""The organisation admin's screens in a real browser: axe-core finds no WCAG 2.1 A/AA
violations, and a renamed vocabulary entry can be saved with the keyboard."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from havainto.reports.models import VocabularyEntry
from havainto.testing.browser import PageFactory, assert_accessible

pytestmark = pytest.mark.browser

SCREENS = [
    "/o/alpha/settings/",
    "/o/alpha/settings/vocabularies/sector/",
    "/o/alpha/settings/vocabularies/sector/new/",
    "/o/alpha/settings/questions/",
    "/o/alpha/settings/questions/new/",
    "/o/alpha/settings/pages/privacy/",
    "/o/alpha/audit/",
    "/o/alpha/workflow/",
    "/o/alpha/workflow/add/",
    "/o/alpha/text-access/",
]


def test_admin_screens_are_accessible(
    new_page: PageFactory, log_in: Callable[[Page, Any], None], org_admin: Any
) -> None:
    page = new_page()
    log_in(page, org_admin)
    for path in SCREENS:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert_accessible(page, path)

    entry = VocabularyEntry.objects.get(organisation__slug="alpha", kind="sector", code="kela")
    page.goto(f"/o/alpha/settings/vocabularies/sector/{entry.pk}/")
    assert_accessible(page, "a vocabulary entry")
    field = page.locator("#id_label_fi")
    field.fill("Kela (Kansaneläkelaitos)")
    field.press("Enter")
    expect(page.locator("main")).to_contain_text("Kela (Kansaneläkelaitos)")
    entry.refresh_from_db()
    assert entry.label_fi == "Kela (Kansaneläkelaitos)"

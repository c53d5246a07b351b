"""Browser fixtures: Playwright for Python driving Debian's chromium, axe-core from npm.

Registered as a pytest plugin from havainto/conftest.py.

- ``browser`` (session): one headless chromium for the whole run. Never downloads a browser:
  it launches ``shutil.which("chromium")``. Without chromium or node_modules/axe-core the
  browser tests are skipped with the reason; set ``HAVAINTO_REQUIRE_BROWSER=1`` (CI) to make
  that a failure instead, so that the tests cannot silently stop running.
- ``new_page(**context_options)``: a page in a fresh context (locale fi-FI, ``base_url`` is
  the live server) whose console is watched; ``page`` is ``new_page()``. At teardown the test
  fails if the browser reported a Content-Security-Policy violation or a JavaScript error.
- ``axe_violations(page)`` / ``assert_accessible(page)``: WCAG 2.1 A/AA checks with axe-core.
- ``log_in(page, user)``: a logged-in session without typing (for tests about other things).
- ``take_browser_problems(page)``: for tests that provoke a console error on purpose.

The strict CSP (``script-src 'self' 'nonce-…'``) blocks ``page.add_script_tag``: it inserts
an inline script without the page's nonce. axe is therefore injected with ``page.evaluate``
of the file's contents, which runs through the DevTools protocol and is not subject to the
page's CSP, so the pages are checked under the policy that real users get (no
``bypass_csp``).
"""

from __future__ import annotations

import os
import re
import shutil
import weakref
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Response,
    WebError,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
AXE_PATH = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Short timeouts: a missing element should fail the test in seconds, not in 30 s.
ACTION_TIMEOUT_MS = 5_000
NAVIGATION_TIMEOUT_MS = 10_000
# A page's own HTTP error status is often on purpose (the form answers 400 to invalid input)
# and Chromium reports every failed load on the console too; failed loads are judged from the
# responses instead (see ConsoleWatch.on_response).
_FAILED_LOAD_MESSAGE = re.compile(r"^Failed to load resource: ")
# Subresources whose failure breaks the page for users. Not fetch/XHR: the scripts handle
# those answers themselves. (Chromium's own /favicon.ico request is of type "other".)
_ASSET_TYPES = {"stylesheet", "script", "image", "font", "media"}

PageFactory = Callable[..., Page]

# Contexts made with java_script_enabled=False: page.evaluate never returns in them, so axe
# refuses to run there instead of hanging the test.
_SCRIPTLESS: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


def _missing_requirement() -> str | None:
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (apt-get install chromium)"
    if not AXE_PATH.is_file():
        return f"axe-core is not installed: {AXE_PATH} is missing (npm ci --ignore-scripts)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    missing = _missing_requirement()
    if missing is not None:
        if os.environ.get("HAVAINTO_REQUIRE_BROWSER"):
            pytest.fail(f"HAVAINTO_REQUIRE_BROWSER is set but {missing}", pytrace=False)
        pytest.skip(f"browser tests need chromium and axe-core: {missing}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread from start()
    # to stop(), and Django refuses ORM calls while a loop runs (SynchronousOnlyOperation).
    # The loop only drives the browser, so the check is switched off for exactly as long as
    # the loop lives (the rest of the session, as the browser is session-scoped).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class ConsoleWatch:
    """Collects a context's console messages, page errors and failed asset loads; knows which
    ones fail the test (``problems``)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.problems: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        where = message.location.get("url", "") if message.location else ""
        line = f"[{message.type}] {message.text} ({where})"
        self.messages.append(line)
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.problems.append(f"CSP violation: {line}")
        elif message.type == "error" and not _FAILED_LOAD_MESSAGE.match(message.text):
            self.problems.append(f"console error: {line}")

    def on_web_error(self, error: WebError) -> None:
        self.problems.append(f"JavaScript error: {error.error}")

    def on_response(self, response: Response) -> None:
        kind = response.request.resource_type
        if response.status >= 400 and kind in _ASSET_TYPES:
            hint = ""
            if response.status == 404 and "/static/" in response.url:
                hint = " (do the staticfiles finders find it? See STATICFILES_DIRS)"
            self.problems.append(f"HTTP {response.status} for the {kind} {response.url}{hint}")


_WATCHES: weakref.WeakKeyDictionary[BrowserContext, ConsoleWatch] = weakref.WeakKeyDictionary()


def take_browser_problems(page: Page) -> list[str]:
    """The problems reported so far in the page's context, which no longer fail the test:
    for tests that provoke an error on purpose and assert on it."""
    watch = _WATCHES[page.context]
    problems, watch.problems = watch.problems, []
    return problems


@pytest.fixture
def new_page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[PageFactory]:
    """Make pages in fresh contexts: ``new_page(java_script_enabled=False)``,
    ``new_page(viewport={"width": 390, "height": 844})``; any ``browser.new_context`` option."""
    opened: list[tuple[BrowserContext, ConsoleWatch]] = []

    def make(**context_options: Any) -> Page:
        options: dict[str, Any] = {"locale": "fi-FI", "base_url": live_server.url}
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        watch = ConsoleWatch()
        context.on("console", watch.on_console)
        context.on("weberror", watch.on_web_error)
        context.on("response", watch.on_response)
        _WATCHES[context] = watch
        if options.get("java_script_enabled") is False:
            _SCRIPTLESS.add(context)
        opened.append((context, watch))
        return context.new_page()

    yield make
    problems: list[str] = []
    for context, watch in opened:
        problems.extend(watch.problems)
        context.close()
    if problems:
        pytest.fail("The browser reported:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    return new_page()


@pytest.fixture
def log_in(live_server: Any) -> Callable[[Page, Any], None]:
    """Give the page's context a logged-in session of ``user`` (no login form involved)."""

    def log_in(page: Page, user: Any) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return log_in


@cache
def _axe_source() -> str:
    # The trailing expression makes Playwright evaluate the file as a script (not call it as
    # a function) and return something serialisable.
    return AXE_PATH.read_text(encoding="utf-8") + "\n;true"


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page; return its violations."""
    if page.context in _SCRIPTLESS:
        raise RuntimeError("axe cannot run in a context with java_script_enabled=False")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(results => results.violations)",
        WCAG_TAGS,
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    {target}: {node.get('html', '')[:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str = "") -> None:
    """Fail listing axe's WCAG 2.1 A/AA violations (rule, impact, help, target nodes)."""
    violations = axe_violations(page)
    if violations:
        label = what or page.url
        pytest.fail(
            f"axe found {len(violations)} accessibility violation(s) on {label}:\n"
            + format_violations(violations),
            pytrace=False,
        )

"""Project guards: health endpoints, security headers, one h1 per page, every language."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from havainto.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/o/alpha/report/",
    "/receipt/",
    "/thanks/",
    "/accounts/login/",
    "/accessibility/",
    "/privacy/",
    "/o/alpha/accessibility/",
    "/o/alpha/privacy/",
]


def test_healthz_answers_without_the_database(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_the_database() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_public_page_renders_in_every_language_with_one_h1(
    org: Any, path: str, language: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(path)

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert len(re.findall(r"<h1[ >]", page)) == 1
    assert 'href="#main-content"' in page and 'id="main-content"' in page


def test_strict_content_security_policy_and_headers(org: Any) -> None:
    response = Client().get("/o/alpha/report/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline scripts"
    assert not re.search(r"\son[a-z]+=", page), "no inline event handlers"
    assert "style=" not in page


def test_no_inline_scripts_or_styles_in_any_template() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+=", text), template
        assert "style=" not in text, template


def test_pages_for_logged_in_users_are_not_cached(org: Any, reporter: Any, client_for: Any) -> None:
    assert client_for(reporter).get("/o/alpha/report/")["Cache-Control"] == "no-store"


def _all_patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names += _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            names.append(prefix + str(entry.pattern))
    return names


# Everything else needs login (or, for the API, its own authentication rules).
PUBLIC_ROUTES = {
    "",
    "healthz",
    "readyz",
    "o/<slug:slug>/report/",
    "o/<slug:slug>/report/draft/",  # answers 401 JSON to anonymous users
    "thanks/",
    "receipt/",
    "receipt/<str:receipt>/",
    "accessibility/",
    "privacy/",
    "o/<slug:slug>/accessibility/",
    "o/<slug:slug>/privacy/",
    "accounts/login/",
    "accounts/logout/",
    "i18n/setlang/",
    "api/v1/reports/",
    "api/v1/receipts/<str:receipt>/",
}


def test_every_other_url_needs_login(org: Any) -> None:
    kwargs = {"slug": "alpha", "receipt": "AAAA", "kind": "privacy", "pk": "1", "id": "1"}
    for route in _all_patterns(get_resolver()):
        if route in PUBLIC_ROUTES or route.startswith("django-admin/"):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs.get(m.group(1), "1"), route)
        response = Client().get(path)
        assert response.status_code in (302, 404, 405), (route, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], route


def test_audit_events_cannot_be_changed_or_deleted(org: Any) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.action = "forged"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="forged")


def test_oversized_request_gets_a_friendly_400(org: Any) -> None:
    response = Client().post("/o/alpha/report/", {"description": "x" * 1_100_000})
    assert response.status_code == 400


def test_the_stylesheet_and_scripts_are_served() -> None:
    for path in ["/static/css/havainto.css", "/static/js/report-form.js"]:
        response = Client().get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)
        response.close()


def test_readyz_is_503_while_a_migration_is_pending(monkeypatch: Any) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = Client().get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "30"

"""Shared fixtures: two organisations and personas in each (healthchecks' Alice/Bob/Charlie).

- coordinator, handler, reader, admin, reporter: members of organisation "alpha";
- outsider: a coordinator of organisation "beta", who must never see alpha's data.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from hypothesis import settings as hypothesis_settings

from havainto.accounts.models import Organisation, Role, Unit
from havainto.accounts.services import add_member, create_organisation

PASSWORD = "correct-horse-battery-staple"

pytest_plugins = ["havainto.testing.browser"]

# Property tests check what the code finds, not how fast: Hypothesis's default 200 ms deadline
# per example failed a correct test when CI shared the cores with a browser test.
hypothesis_settings.register_profile("havainto", deadline=None)
hypothesis_settings.load_profile("havainto")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _make_org(slug: str, languages: list[str], *, allow_anonymous: bool = True) -> Organisation:
    organisation = create_organisation(
        actor=None,
        slug=slug,
        name_fi=f"{slug.capitalize()}n hyvinvointialue",
        name_sv=f"{slug.capitalize()} välfärdsområde",
        name_en=f"{slug.capitalize()} wellbeing services county",
        languages=languages,
        municipalities=[
            {"code": "853", "fi": "Turku", "sv": "Åbo"},
            {"code": "202", "fi": "Kaarina", "sv": "S:t Karins"},
        ],
        allow_anonymous=allow_anonymous,
    )
    line = organisation.service_lines.get(code="adult_social_work")
    Unit.objects.create(
        organisation=organisation,
        service_line=line,
        municipality=organisation.municipalities.get(code="853"),
        name_fi=f"{slug.capitalize()} aikuissosiaalityö, Turku",
    )
    return organisation


@pytest.fixture
def org(db: None) -> Organisation:
    return _make_org("alpha", ["fi", "sv"])


@pytest.fixture
def other_org(db: None) -> Organisation:
    return _make_org("beta", ["fi"])


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(
        username: str,
        organisation: Organisation | None = None,
        role: str | None = None,
        **context: Any,
    ) -> Any:
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.invalid"
        )
        if organisation is not None and role is not None:
            add_member(actor=None, organisation=organisation, user=user, role=role, **context)
        return user

    return make


@pytest.fixture
def reporter(org: Organisation, make_user: Callable[..., Any]) -> Any:
    unit = org.units.first()
    return make_user(
        "reporter",
        org,
        Role.REPORTER,
        unit=unit,
        municipality=unit.municipality,
        service_line=unit.service_line,
        reporter_role="social_worker",
    )


@pytest.fixture
def coordinator(org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("coordinator", org, Role.COORDINATOR)


@pytest.fixture
def handler(org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("handler", org, Role.HANDLER, unit=org.units.first())


@pytest.fixture
def reader(org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("reader", org, Role.READER)


@pytest.fixture
def org_admin(org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("orgadmin", org, Role.ADMIN)


@pytest.fixture
def outsider(other_org: Organisation, make_user: Callable[..., Any]) -> Any:
    return make_user("outsider", other_org, Role.COORDINATOR)


@pytest.fixture
def client_for() -> Callable[[Any], Client]:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def valid_report_data(**overrides: Any) -> dict[str, Any]:
    """Form data (codes) of a clean, complete report for organisation alpha."""
    data: dict[str, Any] = {
        "municipality": "853",
        "service_line": "adult_social_work",
        "reporter_role": "social_worker",
        "language": "fi",
        "observation_type": "problem",
        "title": "Vuokrat nousevat toimeentulotuen normia nopeammin",
        "description": (
            "Yhä useampi asiakas maksaa vuokrastaan osan perusosasta, koska Kelan "
            "hyväksymät asumismenot eivät ole nousseet vuokrien tahtiin. SHL 11 § "
            "mukainen tuen tarve kasvaa, ja 1.3.2025 jälkeen tilanne on pahentunut."
        ),
        "client_groups": ["families", "working_age"],
        "support_needs": ["2", "3"],
        "sectors": ["kela", "housing"],
        "recurrence": "increasing",
        "clients_affected": "6-20",
        "causes": "Vuokratason nousu Turussa ja Kaarinassa, asumistuen leikkaukset.",
        "service_effects": "Täydentävä toimeentulotuki paikkaa, mutta hitaasti.",
        "proposal": "Tarkistetaan asumismenojen kohtuullisuusrajat kahdesti vuodessa.",
        "proposal_level": "county",
        "confirm_no_client_data": "on",
    }
    data.update(overrides)
    return data

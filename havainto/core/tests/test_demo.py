"""`havainto demo`: the demo organisations, their people and three years of reports."""

import re
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from havainto.accounts.models import Membership, Organisation, Role, Unit
from havainto.core import demo_texts
from havainto.core.demo import (
    DEMO_PASSWORD,
    REPORT_COUNTS,
    SUPERUSER,
    DemoDataError,
    PlannedReport,
    check_texts,
    plan_reports,
)
from havainto.core.taxonomy import taxonomy
from havainto.lib.pii import find_personal_data
from havainto.reports.forms import CHECKED_TEXT_FIELDS
from havainto.reports.models import Report, ReportEvent, Status
from havainto.reports.services import find_by_receipt

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
RECEIPT = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
EMERGING = re.compile("|".join(demo_texts.EMERGING_KEYWORDS), re.IGNORECASE)


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output() -> str:
    return run_demo("--today", TODAY.isoformat())


def test_demo__creates_both_organisations_with_units_and_anonymous_reporting(
    demo_output: str,
) -> None:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    assert set(organisations) == {"varha", "kainuu"}
    assert all(o.allow_anonymous for o in organisations.values())
    assert organisations["varha"].languages == ["fi", "sv"]
    assert organisations["varha"].municipalities.count() == 27
    for organisation in organisations.values():
        units = Unit.objects.filter(organisation=organisation)
        assert units.count() >= 12
        # Several units per service line, and every unit has all three names.
        assert len({u.service_line_id for u in units}) == 9
        assert all(u.name_fi and u.name_sv and u.name_en for u in units)
    assert Unit.objects.filter(name_sv="Familjecentret Pargas").exists()


def test_demo__users_for_every_role_in_each_organisation(demo_output: str) -> None:
    client = Client()
    for slug in ("varha", "kainuu"):
        roles = set(
            Membership.objects.filter(organisation__slug=slug).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
        handler = Membership.objects.get(organisation__slug=slug, role=Role.HANDLER)
        assert handler.unit is not None
        reporter = Membership.objects.filter(organisation__slug=slug, role=Role.REPORTER).first()
        assert reporter is not None
        assert reporter.municipality and reporter.service_line and reporter.unit
        assert reporter.reporter_role == "social_worker"
        # django-axes needs the request that a login comes with.
        assert client.login(
            request=HttpRequest(), username=f"{slug}-coordinator", password=DEMO_PASSWORD
        )
        assert f"{slug}-coordinator" in demo_output
    superuser = get_user_model().objects.get(username=SUPERUSER)
    assert superuser.is_superuser and superuser.is_staff
    assert DEMO_PASSWORD in demo_output
    assert "DEMO ONLY" in demo_output


def test_demo__reports_are_many_varied_and_spread_over_three_years(demo_output: str) -> None:
    varha = Report.objects.filter(organisation__slug="varha")
    kainuu = Report.objects.filter(organisation__slug="kainuu")
    assert varha.count() >= 250
    assert kainuu.count() >= 100
    languages = Counter(varha.values_list("language", flat=True))
    assert 0.15 < languages["sv"] / varha.count() < 0.35
    assert set(kainuu.values_list("language", flat=True)) == {"fi"}
    swedish_places = Counter(
        varha.filter(language="sv").values_list("municipality__code", flat=True)
    )
    bilingual = sum(swedish_places[c] for c in ("445", "322", "853", "529"))
    assert bilingual / sum(swedish_places.values()) > 0.8

    days = sorted(Report.objects.values_list("submitted_on", flat=True))
    assert days[-1] <= TODAY
    assert (days[-1] - days[0]).days >= 30 * 30
    assert set(Report.objects.values_list("status", flat=True)) == set(Status.values)
    assert set(Report.objects.values_list("channel", flat=True)) == {Report.Channel.DEMO}
    kinds = Counter(Report.objects.values_list("observation_type__code", flat=True))
    assert kinds["problem"] > kinds["good_practice"] > 0
    assert kinds["weak_signal"] > 0
    descriptions = list(Report.objects.values_list("organisation_id", "description"))
    assert len(set(descriptions)) == len(descriptions)
    # Coding fields are filled in, and they belong to the report's own organisation.
    report = varha.filter(support_needs__isnull=False).first()
    assert report is not None
    assert {e.organisation_id for e in report.support_needs.all()} == {report.organisation_id}
    assert Report.objects.filter(client_groups__isnull=True).count() == 0
    # Most reports are anonymous, some are named for feedback.
    named = Report.objects.filter(author__isnull=False)
    assert 0 < named.count() < Report.objects.count() / 4
    assert all(r.contact_email.endswith("@example.invalid") for r in named)


def test_demo__no_personal_data_in_any_text(demo_output: str) -> None:
    for report in Report.objects.all():
        for name in CHECKED_TEXT_FIELDS:
            assert find_personal_data(getattr(report, name)) == [], (report.pk, name)
    for message in ReportEvent.objects.values_list("message", flat=True):
        assert find_personal_data(message) == []


def test_demo__printed_receipts_open_the_status_page(demo_output: str) -> None:
    codes = RECEIPT.findall(demo_output)
    assert len(codes) >= 6
    found = [find_by_receipt(code) for code in codes]
    assert all(report is not None for report in found)
    assert {r.organisation.slug for r in found if r} == {"varha", "kainuu"}
    answered = next(r for r in found if r and r.status == Status.ANSWERED)
    events = answered.events.filter(visible_to_reporter=True)
    assert events.exclude(message="").exists()
    assert all(e.created_at.date() <= TODAY for e in events)
    response = Client().get(reverse("reports:receipt", args=[codes[0]]))
    assert response.status_code == 200


def test_demo__feedback_follows_the_status(demo_output: str) -> None:
    for status in (Status.FORWARDED, Status.ANSWERED, Status.CLOSED):
        for report in Report.objects.filter(status=status)[:20]:
            last = report.events.order_by("created_at", "id").last()
            assert last is not None and last.status == status
            assert last.visible_to_reporter and last.message
            assert last.created_at.date() >= report.submitted_on
    assert not ReportEvent.objects.filter(report__status=Status.RECEIVED).exists()


def test_demo__if_empty_does_nothing_the_second_time(demo_output: str) -> None:
    reports = Report.objects.count()
    users = get_user_model().objects.count()
    out = run_demo("--if-empty")
    assert "not loaded" in out
    assert Report.objects.count() == reports
    assert get_user_model().objects.count() == users


def test_demo__if_empty_does_nothing_when_any_organisation_exists(org: Organisation) -> None:
    run_demo("--if-empty")
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["alpha"]


def test_demo__refuses_to_load_twice(demo_output: str) -> None:
    with pytest.raises(CommandError, match="exists already"):
        run_demo()
    assert Organisation.objects.count() == 2


def test_plan__is_deterministic_for_a_seed() -> None:
    first = plan_reports("varha", today=TODAY, seed=7)
    assert first == plan_reports("varha", today=TODAY, seed=7)
    assert first != plan_reports("varha", today=TODAY, seed=8)
    assert len(first) == REPORT_COUNTS["varha"]


def test_plan__every_text_passes_the_privacy_guard_for_several_seeds() -> None:
    for seed in range(5):
        for slug in ("varha", "kainuu"):
            check_texts(plan_reports(slug, today=TODAY, seed=seed))


def test_plan__a_flagged_text_stops_the_load() -> None:
    report = plan_reports("kainuu", today=TODAY)[0]
    leaky = replace(report, description="Soita numeroon 040 123 4567.")
    with pytest.raises(DemoDataError):
        check_texts([leaky])


def test_plan__food_aid_grows_in_the_latest_two_quarters() -> None:
    recent_start = TODAY - timedelta(days=182)
    plan = plan_reports("varha", today=TODAY)

    def mentions(p: PlannedReport) -> bool:
        return bool(EMERGING.search(f"{p.title} {p.description} {p.proposal}"))

    before = [p for p in plan if mentions(p) and p.submitted_on < recent_start]
    recent = [p for p in plan if mentions(p) and p.submitted_on >= recent_start]
    assert len(before) <= 1
    assert 8 <= len(recent) <= 12
    assert {p.language for p in recent} == {"fi", "sv"}


def test_texts__cover_every_theme_in_finnish() -> None:
    themes = {t["code"] for t in taxonomy()["themes"]}
    assert {o.theme for o in demo_texts.FINNISH} == themes
    assert len(demo_texts.FINNISH) >= 50
    assert len(demo_texts.SWEDISH) >= 15


def test_texts__only_the_emerging_observations_mention_food_aid() -> None:
    for observation in (*demo_texts.FINNISH, *demo_texts.SWEDISH):
        text = " ".join([*observation.titles, *observation.sentences, observation.proposal])
        assert not EMERGING.search(text), observation.key
    for observation in demo_texts.EMERGING:
        assert EMERGING.search(" ".join(observation.sentences)), observation.key


def test_demo__handled_reports_are_coded_and_phenomena_show_the_way(demo_output: str) -> None:
    from havainto.coding.models import AdvocacyStep, Phenomenon, ReportTheme

    handled = Report.objects.exclude(status__in=[Status.RECEIVED, Status.IN_HANDLING])
    coded = ReportTheme.objects.values("report").distinct().count()
    assert coded == handled.count() > 100
    assert not ReportTheme.objects.filter(report__status=Status.RECEIVED).exists()
    for slug in ("varha", "kainuu"):
        phenomena = Phenomenon.objects.filter(organisation__slug=slug)
        assert phenomena.count() == 2
        food = phenomena.get(name="Ruoka-avun tarve kasvaa")
        assert food.reports.exists() and not food.advocacy_steps.exclude(answer="").exists()
        answered = phenomena.exclude(pk=food.pk).get()
        assert answered.reports.count() >= 5
        assert AdvocacyStep.objects.filter(phenomenon=answered).exclude(answer="").exists()
        assert answered.proposals.get().progress == 40

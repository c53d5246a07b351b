"""Phenomena: gathering reports, proposals and their outcomes, the advocacy path with answers
that reach the reporters (receipt page, my reports, outbox mail), split and merge, version
conflicts, access per role, audit rows."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import AdvocacyStep, OutboxMessage, Phenomenon, Proposal, Theme
from havainto.reports.models import Report, ReportEvent

from .conftest import MakeReport

pytestmark = pytest.mark.django_db

ANSWER = "Lautakunta päätti lisätä vuokra-asuntojen tarjontaa vuonna 2027."


@pytest.fixture
def reports(org: Any, make_report: MakeReport) -> list[Report]:
    unit = org.units.first()
    return [
        make_report(
            org, unit=unit, title="Vuokrat nousevat", submitted_on=datetime.date(2025, 1, 5)
        ),
        make_report(
            org,
            unit=unit,
            title="Hyresskulder växer",
            language="sv",
            municipality=org.municipalities.get(code="202"),
            submitted_on=datetime.date(2025, 4, 9),
            contact_name="Named Reporter",
            contact_email="named@example.invalid",
            wants_feedback=True,
        ),
        make_report(
            org, unit=unit, title="Asumistuki ei riitä", submitted_on=datetime.date(2025, 2, 1)
        ),
    ]


@pytest.fixture
def phenomenon(org: Any, coordinator: Any, reports: list[Report]) -> Phenomenon:
    return services.create_phenomenon(
        actor=coordinator,
        organisation=org,
        name="Asumisen kustannukset",
        description="Asumismenot kasvavat tukia nopeammin.",
        reports=reports,
    )


def post(client: Client, url: str, prefix: str, **data: Any) -> Any:
    return client.post(url, {f"{prefix}-{k}": v for k, v in data.items() if v is not None})


def base(phenomenon: Phenomenon) -> str:
    return f"/o/alpha/phenomena/{phenomenon.pk}/"


# --- Services ----------------------------------------------------------------------------


def test_support__counts_municipalities_service_lines_and_dates(phenomenon: Phenomenon) -> None:
    support = services.phenomenon_support(phenomenon)
    assert support.count == 3
    assert support.first_seen == datetime.date(2025, 1, 5)
    assert support.latest_seen == datetime.date(2025, 4, 9)
    assert dict(support.municipalities) == {"Turku": 2, "Kaarina": 1}
    assert [n for _name, n in support.service_lines] == [3]


def test_create__refuses_reports_of_another_organisation(
    org: Any, coordinator: Any, foreign_report: Report
) -> None:
    with pytest.raises(ValueError):
        services.create_phenomenon(
            actor=coordinator, organisation=org, name="X", reports=[foreign_report]
        )
    assert not Phenomenon.objects.exists()


def test_answer__reaches_every_reporter_in_their_language_and_mails_the_named_one(
    phenomenon: Phenomenon,
    coordinator: Any,
    reports: list[Report],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        step = services.record_advocacy_step(
            actor=coordinator,
            phenomenon=phenomenon,
            expected_version=phenomenon.version,
            recipient="Sosiaali- ja terveyslautakunta",
            recipient_kind="board",
            taken_on=datetime.date(2025, 5, 20),
            report_status="forwarded",
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.record_answer(
            actor=coordinator,
            step=step,
            expected_version=phenomenon.version,
            answer=ANSWER,
            answered_on=datetime.date(2025, 6, 10),
            report_status="answered",
        )
    for report in reports:
        report.refresh_from_db()
        assert report.status == "answered"
        assert report.version == 3
        messages = list(
            ReportEvent.objects.filter(report=report, visible_to_reporter=True).values_list(
                "message", flat=True
            )
        )
        assert len(messages) == 2 and ANSWER in messages[1]
    swedish = ReportEvent.objects.filter(report=reports[1]).last()
    assert "Fenomenet" in swedish.message  # written in the report's language
    assert "Sosiaali- ja terveyslautakunta" in swedish.message
    mails = OutboxMessage.objects.filter(to="named@example.invalid")
    assert mails.count() == 2  # the step and the answer, each once
    assert ANSWER in mails.last().body
    assert len(mail.outbox) == 2  # sent after commit through the immediate task backend


def test_stale_version__is_refused_and_nothing_is_saved(
    phenomenon: Phenomenon, coordinator: Any
) -> None:
    services.add_proposal(
        actor=coordinator, phenomenon=phenomenon, expected_version=1, text="Lisää asuntoja"
    )
    with pytest.raises(services.PhenomenonConflict) as conflict:
        services.add_proposal(
            actor=coordinator, phenomenon=phenomenon, expected_version=1, text="Toinen"
        )
    assert conflict.value.current.version == 2
    assert list(Proposal.objects.values_list("text", flat=True)) == ["Lisää asuntoja"]


def test_merge__moves_reports_themes_proposals_and_steps_and_keeps_the_source(
    org: Any, coordinator: Any, phenomenon: Phenomenon, make_report: MakeReport
) -> None:
    extra = make_report(org, unit=org.units.first(), title="Asunnottomuus kasvaa")
    theme = Theme.objects.filter(organisation=org).first()
    source = services.create_phenomenon(
        actor=coordinator,
        organisation=org,
        name="Asunnottomuus",
        themes=[theme],
        reports=[extra, phenomenon.reports.first()],
    )
    services.add_proposal(actor=coordinator, phenomenon=source, expected_version=1, text="P")
    services.merge_phenomena(
        actor=coordinator, target=phenomenon, expected_version=1, sources=[source]
    )
    source.refresh_from_db()
    assert source.state == "merged" and source.merged_into == phenomenon
    assert phenomenon.reports.count() == 4
    assert list(phenomenon.themes.all()) == [theme]
    assert list(phenomenon.proposals.values_list("text", flat=True)) == ["P"]
    assert AuditEvent.objects.filter(action="phenomenon.merged", object_id=str(source.pk)).exists()


def test_split__moves_the_chosen_reports_to_a_new_phenomenon(
    phenomenon: Phenomenon, coordinator: Any, reports: list[Report]
) -> None:
    new = services.split_phenomenon(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=1,
        name="Ruotsinkieliset",
        reports=[reports[1]],
    )
    assert list(new.reports.all()) == [reports[1]]
    assert new.split_from == phenomenon
    assert phenomenon.reports.count() == 2


def test_split__refuses_reports_that_do_not_support_it(
    phenomenon: Phenomenon, coordinator: Any, org: Any, make_report: MakeReport
) -> None:
    stranger = make_report(org, title="Muu")
    with pytest.raises(ValueError):
        services.split_phenomenon(
            actor=coordinator,
            phenomenon=phenomenon,
            expected_version=1,
            name="X",
            reports=[stranger],
        )
    assert Phenomenon.objects.count() == 1


# --- Through the views ---------------------------------------------------------------------


def test_coordinator_journey__create_forward_answer_and_the_receipt_shows_it(
    client_for: Callable[[Any], Client], coordinator: Any, reports: list[Report]
) -> None:
    client = client_for(coordinator)
    created = post(
        client,
        "/o/alpha/phenomena/new/",
        "phenomenon",
        name="Asumisen kustannukset",
        description="Kuvaus",
    )
    # Reports come as a list: post them separately.
    assert created.status_code == 302
    phenomenon = Phenomenon.objects.get()
    response = client.post(
        f"/o/alpha/reports/{reports[0].pk}/phenomenon/", {"gather-phenomenon": phenomenon.pk}
    )
    assert response.status_code == 302
    phenomenon.refresh_from_db()
    assert (
        post(
            client,
            base(phenomenon) + "proposals/",
            "proposal",
            version=phenomenon.version,
            text="Lisää kohtuuhintaisia asuntoja",
            addressed_to="Aluehallitus",
        ).status_code
        == 302
    )
    phenomenon.refresh_from_db()
    response = post(
        client,
        base(phenomenon) + "steps/",
        "step",
        version=phenomenon.version,
        recipient="Sosiaali- ja terveyslautakunta",
        recipient_kind="board",
        taken_on="2025-05-20",
        summary="Esitelty kokouksessa",
        tell_reporters="on",
        report_status="forwarded",
    )
    assert response.status_code == 302
    phenomenon.refresh_from_db()
    step = AdvocacyStep.objects.get()
    response = post(
        client,
        base(phenomenon) + f"steps/{step.pk}/answer/",
        f"answer-{step.pk}",
        version=phenomenon.version,
        answer=ANSWER,
        answered_on="2025-06-10",
        answered_by="Lautakunta",
        share_with_reporters="on",
        report_status="answered",
    )
    assert response.status_code == 302
    page = client.get(base(phenomenon))
    assert page.status_code == 200
    assert ANSWER in page.content.decode()
    assert reports[0].title in page.content.decode()

    receipt = Client().get(f"/receipt/{reports[0].receipt}/")  # type: ignore[attr-defined]
    assert ANSWER in receipt.content.decode()
    reports[0].refresh_from_db()
    assert reports[0].status == "answered"
    other = Client().get(f"/receipt/{reports[2].receipt}/")  # type: ignore[attr-defined]
    assert ANSWER not in other.content.decode()  # not part of the phenomenon


def test_create__prefills_readable_reports_and_ignores_others(
    client_for: Callable[[Any], Client],
    coordinator: Any,
    reports: list[Report],
    foreign_report: Report,
) -> None:
    response = client_for(coordinator).get(
        f"/o/alpha/phenomena/new/?name=Aihe&report={reports[0].pk}&report={foreign_report.pk}"
        "&report=abc"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Aihe"' in html
    assert reports[0].title in html
    assert f'name="phenomenon-reports" value="{reports[0].pk}"' in html
    assert f'name="phenomenon-reports" value="{foreign_report.pk}"' not in html


def test_create__refuses_another_organisations_report_posted_by_hand(
    client_for: Callable[[Any], Client], coordinator: Any, foreign_report: Report
) -> None:
    response = client_for(coordinator).post(
        "/o/alpha/phenomena/new/",
        {"phenomenon-name": "X", "phenomenon-reports": [foreign_report.pk]},
    )
    assert response.status_code == 400
    assert not Phenomenon.objects.exists()


@pytest.mark.parametrize(
    ("suffix", "prefix", "data"),
    [
        ("edit/", "edit", {"name": "", "state": "open"}),
        ("edit/", "edit", {"name": "x" * 201, "state": "open"}),
        ("edit/", "edit", {"name": "N", "state": "merged"}),
        ("proposals/", "proposal", {"text": "   "}),
        ("steps/", "step", {"recipient": "L", "recipient_kind": "board", "taken_on": "31.2.2025"}),
        ("steps/", "step", {"recipient": "L", "recipient_kind": "king", "taken_on": "2025-01-01"}),
        (
            "steps/",
            "step",
            {
                "recipient": "L",
                "recipient_kind": "board",
                "taken_on": "2025-01-01",
                "report_status": "nonexistent",
            },
        ),
    ],
)
def test_hostile_input__gets_a_message_and_saves_nothing(
    client_for: Callable[[Any], Client],
    coordinator: Any,
    phenomenon: Phenomenon,
    suffix: str,
    prefix: str,
    data: dict[str, str],
) -> None:
    response = post(client_for(coordinator), base(phenomenon) + suffix, prefix, version=1, **data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    phenomenon.refresh_from_db()
    assert phenomenon.version == 1 and phenomenon.name == "Asumisen kustannukset"


def test_outcome__progress_over_100_is_refused(
    client_for: Callable[[Any], Client], coordinator: Any, phenomenon: Phenomenon
) -> None:
    proposal = services.add_proposal(
        actor=coordinator, phenomenon=phenomenon, expected_version=1, text="P"
    )
    response = post(
        client_for(coordinator),
        base(phenomenon) + f"proposals/{proposal.pk}/",
        f"outcome-{proposal.pk}",
        version=2,
        outcome="implemented",
        progress="150",
    )
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.progress == 0


def test_conflict__second_editor_sees_a_conflict_and_keeps_the_input(
    client_for: Callable[[Any], Client], coordinator: Any, phenomenon: Phenomenon
) -> None:
    first = post(
        client_for(coordinator), base(phenomenon) + "proposals/", "proposal", version=1, text="A"
    )
    assert first.status_code == 302
    second = post(
        client_for(coordinator),
        base(phenomenon) + "proposals/",
        "proposal",
        version=1,
        text="Toisen koordinaattorin ehdotus",
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Toisen koordinaattorin ehdotus" in html  # the input is kept
    assert 'name="proposal-version" value="2"' in html
    assert list(Proposal.objects.values_list("text", flat=True)) == ["A"]


def test_merged_phenomenon__cannot_be_changed_and_points_to_its_target(
    client_for: Callable[[Any], Client], coordinator: Any, org: Any, phenomenon: Phenomenon
) -> None:
    other = services.create_phenomenon(actor=coordinator, organisation=org, name="Toinen")
    client = client_for(coordinator)
    assert (
        post(client, base(phenomenon) + "merge/", "merge", version=1, sources=other.pk).status_code
        == 302
    )
    page = client.get(f"/o/alpha/phenomena/{other.pk}/")
    assert page.status_code == 200
    assert base(phenomenon) in page.content.decode()
    assert (
        post(
            client, f"/o/alpha/phenomena/{other.pk}/proposals/", "proposal", version=2, text="X"
        ).status_code
        == 404
    )


def test_report_removed_from_phenomenon(
    client_for: Callable[[Any], Client],
    coordinator: Any,
    phenomenon: Phenomenon,
    reports: list[Report],
) -> None:
    response = client_for(coordinator).post(
        base(phenomenon) + f"reports/{reports[0].pk}/remove/", {"version": 1}
    )
    assert response.status_code == 302
    assert phenomenon.reports.count() == 2


# --- Access ----------------------------------------------------------------------------


def urls(phenomenon: Phenomenon, report: Report) -> list[tuple[str, str]]:
    b = base(phenomenon)
    proposal = phenomenon.proposals.first()
    step = phenomenon.advocacy_steps.first()
    return [
        ("get", "/o/alpha/phenomena/"),
        ("get", "/o/alpha/phenomena/new/"),
        ("get", b),
        ("get", b + "split/"),
        ("post", b + "edit/"),
        ("post", b + "proposals/"),
        ("post", b + f"proposals/{proposal.pk}/"),
        ("post", b + "steps/"),
        ("post", b + f"steps/{step.pk}/answer/"),
        ("post", b + "merge/"),
        ("post", b + f"reports/{report.pk}/remove/"),
        ("post", f"/o/alpha/reports/{report.pk}/phenomenon/"),
    ]


@pytest.fixture
def full(phenomenon: Phenomenon, coordinator: Any) -> Phenomenon:
    services.add_proposal(actor=coordinator, phenomenon=phenomenon, expected_version=1, text="P")
    services.record_advocacy_step(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=2,
        recipient="Lautakunta",
        recipient_kind="board",
        taken_on=datetime.date(2025, 5, 1),
        tell_reporters=False,
    )
    phenomenon.refresh_from_db()
    return phenomenon


def test_outsider__gets_404_everywhere(
    client_for: Callable[[Any], Client], outsider: Any, full: Phenomenon, reports: list[Report]
) -> None:
    client = client_for(outsider)
    for method, url in urls(full, reports[0]):
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous__is_sent_to_log_in(full: Phenomenon, reports: list[Report]) -> None:
    for method, url in urls(full, reports[0]):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.parametrize("persona", ["reader", "handler", "org_admin"])
def test_other_roles__may_look_but_not_change(
    request: pytest.FixtureRequest,
    client_for: Callable[[Any], Client],
    persona: str,
    full: Phenomenon,
    reports: list[Report],
) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for method, url in urls(full, reports[0]):
        response = getattr(client, method)(url)
        if method == "get" and url in ("/o/alpha/phenomena/", base(full)):
            assert response.status_code == 200, url
        else:
            assert response.status_code in (403, 404), (url, response.status_code)
    full.refresh_from_db()
    assert full.version == 3


def test_reader__sees_counts_but_no_report_titles(
    client_for: Callable[[Any], Client], reader: Any, full: Phenomenon, reports: list[Report]
) -> None:
    html = client_for(reader).get(base(full)).content.decode()
    assert full.name in html
    assert "Lautakunta" in html
    for report in reports:
        assert report.title not in html
    assert not AuditEvent.objects.filter(action="phenomenon.reports_listed").exists()


def test_coordinator_page__logs_the_listing_of_report_titles(
    client_for: Callable[[Any], Client], coordinator: Any, full: Phenomenon
) -> None:
    client_for(coordinator).get(base(full))
    event = AuditEvent.objects.get(action="phenomenon.reports_listed")
    assert event.object_id == str(full.pk)
    assert full.name not in str(event.__dict__)


# --- Overview ----------------------------------------------------------------------------


def test_overview__counts_for_a_reader_without_any_report_text(
    client_for: Callable[[Any], Client], reader: Any, full: Phenomenon, reports: list[Report]
) -> None:
    response = client_for(reader).get("/o/alpha/overview/?date_from=2025-01-01&date_to=2025-12-31")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["overview"].total == 3
    assert dict(response.context["overview"].by_municipality) == {"Turku": 2, "Kaarina": 1}
    assert [n for _month, n in response.context["overview"].by_month] == [1, 1, 1]
    assert response.context["overview"].phenomena_open == 1
    for report in reports:
        assert report.title not in html


def test_overview__default_period_and_bad_dates(
    client_for: Callable[[Any], Client], coordinator: Any, outsider: Any
) -> None:
    client = client_for(coordinator)
    assert client.get("/o/alpha/overview/").status_code == 200
    bad = client.get("/o/alpha/overview/?date_from=2025-05-01&date_to=2025-01-01")
    assert bad.status_code == 400 and 'class="error-summary"' in bad.content.decode()
    assert client.get("/o/alpha/overview/?date_from=not-a-date").status_code == 400
    assert client_for(outsider).get("/o/alpha/overview/").status_code == 404
    assert Client().get("/o/alpha/overview/").status_code == 302


# --- What the reporter sees ----------------------------------------------------------------


def test_receipt_page_and_api__show_custom_state_names_and_the_proposals(
    org: Any, coordinator: Any, full: Phenomenon, reports: list[Report]
) -> None:
    from havainto.coding.models import WorkflowState

    services.workflow_states(org)  # the defaults, created on first use
    WorkflowState.objects.filter(organisation=org, code="forwarded").update(
        label_fi="Viety päättäjille", label_en="Taken to decision makers"
    )
    proposal = full.proposals.get()
    services.update_proposal_outcome(
        actor=coordinator,
        proposal=proposal,
        expected_version=full.version,
        outcome="in_progress",
        progress=40,
        outcome_note="Kaavoitus alkanut",
    )
    full.refresh_from_db()
    services.record_advocacy_step(
        actor=coordinator,
        phenomenon=full,
        expected_version=full.version,
        recipient="Aluehallitus",
        recipient_kind="board",
        taken_on=datetime.date(2025, 6, 1),
        report_status="forwarded",
    )
    code = reports[0].receipt  # type: ignore[attr-defined]
    html = Client(HTTP_ACCEPT_LANGUAGE="fi").get(f"/receipt/{code}/").content.decode()
    assert "Viety päättäjille" in html
    assert full.name in html and "Kaavoitus alkanut" in html and "40 %" in html
    data = Client().get(f"/api/v1/receipts/{code}/").json()
    assert data["status"] == "forwarded"
    assert data["phenomena"][0]["proposals"][0]["progress"] == 40
    assert any("Aluehallitus" in item["message"] for item in data["feedback"])


def test_my_report__shows_the_feedback_to_its_author_only(
    org: Any,
    coordinator: Any,
    reporter: Any,
    handler: Any,
    make_report: MakeReport,
    client_for: Callable[[Any], Client],
) -> None:
    mine = make_report(org, title="Oma havainto", author=reporter)
    phenomenon = services.create_phenomenon(
        actor=coordinator, organisation=org, name="Yhteinen ilmiö", reports=[mine]
    )
    services.record_advocacy_step(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=1,
        recipient="Lautakunta",
        recipient_kind="board",
        taken_on=datetime.date(2025, 5, 1),
    )
    listing = client_for(reporter).get("/my/reports/").content.decode()
    assert f"/my/reports/{mine.pk}/" in listing
    page = client_for(reporter).get(f"/my/reports/{mine.pk}/")
    assert page.status_code == 200 and "Lautakunta" in page.content.decode()
    assert client_for(handler).get(f"/my/reports/{mine.pk}/").status_code == 404

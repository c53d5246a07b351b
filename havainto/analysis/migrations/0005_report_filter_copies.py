"""Copies of the report's filter columns on its index row, kept by triggers (PostgreSQL; see
REPORT_COPIES in havainto.analysis.models). Nothing changes on SQLite, and no Django state
changes: the columns are the database's, like search_vector.

On a large index this writes every row once more and builds the GIN index again: for
1,000,000 reports about two and a half minutes, and the table takes twice its space until
VACUUM can reuse it (`VACUUM FULL analysis_reportindex` gives it back at once; see
docs/benchmarks.md)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_copies(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import create_report_copies

    create_report_copies(schema_editor)


def drop_copies(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import drop_report_copies

    drop_report_copies(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0004_search_statistics"),
        ("reports", "0002_report_assignee_inbox_indexes"),
    ]

    operations = [
        migrations.RunPython(create_copies, drop_copies, elidable=False),
    ]

"""Finer PostgreSQL statistics of the search vector (see SEARCH_STATISTICS_TARGET in
havainto.analysis.models); nothing changes on SQLite, and no Django state changes."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def raise_target(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import SEARCH_STATISTICS_TARGET, set_search_statistics

    set_search_statistics(schema_editor, SEARCH_STATISTICS_TARGET)


def default_target(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import set_search_statistics

    set_search_statistics(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0003_reportembedding"),
    ]

    operations = [
        migrations.RunPython(raise_target, default_target, elidable=False),
    ]

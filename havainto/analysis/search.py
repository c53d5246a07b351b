"""Full-text search over reports, in Finnish, Swedish and English, with highlighted snippets.

A query is analysed with the same per-word analysis as the reports (havainto.lib.language):
each query word gives its alternatives (lemmas and derivation links, `Analyser.query_terms`),
a report matches when, for every query word, its index terms hold one of the alternatives. The
index terms include compound parts, so "toimeentulotuki" finds "toimeentulotuen" and
"perustoimeentulotuen", and "asuminen" (→ asua) finds "asumiskustannukset" (asumis- → asua).

Languages: without `language`, the query is analysed in every language the analyser knows, and
each report is matched against the analysis in the language it was indexed in (a Swedish report
against the Swedish reading of the query, so "och" is a stop word there and a word in no other
language). With `language`, that one analysis is matched against reports in any language.

The query text never reaches the database: only the terms derived from it, passed as bound
parameters and quoted for tsquery / FTS5 syntax, so operators and punctuation a user types
("NEAR(", '"', "*", "&|!", "' OR 1=1 --") are just text, and only their words are searched.

`search()` takes any Report queryset (the inbox passes its filtered one): the filters become a
subquery, so every filter combines with the text search. With a million reports the search
screen ranks only the newest RANK_WINDOW matches; on PostgreSQL they are found in rounds over
ranges of report ids, and the inbox's filter first looks at how many of the newest reports
match (see "The newest matches on PostgreSQL" below). Ranking: PostgreSQL ts_rank over a
weighted tsvector (title weight 1.0, other texts 0.4, normalised by document length); SQLite
FTS5 bm25 with the title weighted 2.5. Ties go to the newer report.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.expressions import Col, RawSQL
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND

from havainto.analysis.models import FTS_TABLE, REPORT_COPIES, has_report_copies
from havainto.lib.language import LANGUAGES, Analyser
from havainto.reports.models import Report

# (text, is_match): templates wrap the matches in <mark>, escaping both.
Segment = tuple[str, bool]

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 16
MAX_ALTERNATIVES = 16
SNIPPET_CHARS = 240
SNIPPET_LEAD = 60
# Report texts shown in snippets, after the title.
SNIPPET_FIELDS = ("description", "causes", "service_effects", "proposal")
# The search screen ranks at most this many of the newest matches (see find()).
RANK_WINDOW = 2000

# PostgreSQL: ts_rank weights {D, C, B, A}; the title is A, the other texts D.
_PG_WEIGHTS = "{0.4,0.4,0.4,1.0}"
# SQLite: bm25 weights of the FTS5 columns title_terms, terms, language.
_FTS_WEIGHTS = "2.5, 1.0, 0.0"

_analyser = Analyser()

Words = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class QueryGroup:
    """Query words (each a tuple of alternatives) for reports in `languages` (None: any)."""

    languages: tuple[str, ...] | None
    words: Words


@dataclass(frozen=True)
class Match:
    report_id: int
    rank: float
    language: str


@dataclass(frozen=True)
class Hit:
    report_id: int
    rank: float
    language: str  # the language the report was analysed in (for lang="" in templates)
    report: Report
    title: list[Segment]
    snippet: list[Segment]


# --- Query analysis ------------------------------------------------------------------------


def _words(text: str, language: str) -> Words:
    per_word = _analyser.query_terms(text, language)[:MAX_QUERY_WORDS]
    return tuple(tuple(alternatives[:MAX_ALTERNATIVES]) for alternatives in per_word)


def parse_query(query: str, language: str | None = None) -> list[QueryGroup]:
    """The query words per report language; empty when nothing is left to search for."""
    text = query[:MAX_QUERY_CHARS].replace("\x00", " ")
    if language in LANGUAGES:
        words = _words(text, language)
        return [QueryGroup(None, words)] if words else []
    by_words: dict[Words, list[str]] = {}
    for lang in LANGUAGES:
        by_words.setdefault(_words(text, lang), []).append(lang)
    if len(by_words) == 1:
        # The usual case: the word reads the same in every language, one condition for all.
        words = next(iter(by_words))
        return [QueryGroup(None, words)] if words else []
    return [QueryGroup(tuple(langs), words) for words, langs in by_words.items() if words]


def _words_for(groups: Sequence[QueryGroup], language: str) -> Words:
    for group in groups:
        if group.languages is None or language in group.languages:
            return group.words
    return ()


# --- Matching: the vendor SQL --------------------------------------------------------------


def _pg_quote(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _postgres_condition(
    groups: Sequence[QueryGroup], alias: str, *, indexed: bool = True
) -> tuple[str, list[object], str, list[object]]:
    """WHERE and rank expressions over analysis_reportindex `alias`, with their parameters.

    `indexed=False` writes the match as the function behind `@@` (ts_match_vq): the same
    test, but the planner can neither use the GIN index for it nor estimate it (it assumes a
    third of the rows match), so a query that knows there are many matches walks its own
    order and checks the rows it meets (see filter_matching)."""
    where: list[str] = []
    where_params: list[object] = []
    ranks: list[str] = []
    rank_params: list[object] = []
    for group in groups:
        tsquery = " & ".join(
            "(" + " | ".join(_pg_quote(term) for term in alternatives) + ")"
            for alternatives in group.words
        )
        if indexed:
            condition = f"{alias}.search_vector @@ %s::tsquery"
        else:
            condition = f"ts_match_vq({alias}.search_vector, %s::tsquery)"
        rank = f"ts_rank('{_PG_WEIGHTS}', {alias}.search_vector, %s::tsquery, 1)"
        if group.languages is None:
            where.append(condition)
            where_params.append(tsquery)
            ranks.append(rank)
            rank_params.append(tsquery)
        else:
            placeholders = ", ".join(["%s"] * len(group.languages))
            where.append(f"({alias}.language IN ({placeholders}) AND {condition})")
            where_params.extend([*group.languages, tsquery])
            ranks.append(f"WHEN {alias}.language IN ({placeholders}) THEN {rank}")
            rank_params.extend([*group.languages, tsquery])
    rank_sql = ranks[0] if groups[0].languages is None else f"CASE {' '.join(ranks)} ELSE 0 END"
    return " OR ".join(where), where_params, rank_sql, rank_params


def _fts_expression(groups: Sequence[QueryGroup]) -> str:
    """One FTS5 MATCH expression: per group, its languages AND its words."""
    parts = []
    for group in groups:
        words = " AND ".join(
            "(" + " OR ".join(_fts_quote(term) for term in alternatives) + ")"
            for alternatives in group.words
        )
        expression = f"{{title_terms terms}} : ({words})"
        if group.languages is not None:
            languages = " OR ".join(_fts_quote(lang) for lang in group.languages)
            expression = f"(language : ({languages}) AND {expression})"
        parts.append(expression)
    return " OR ".join(parts)


def _scope(queryset: QuerySet[Report]) -> tuple[str, tuple[object, ...]] | None:
    """The queryset's report ids as SQL; None when it can hold no report."""
    if queryset.query.is_empty():
        return None
    ids = queryset.order_by().values("pk")
    try:
        return ids.query.sql_with_params()
    except EmptyResultSet:  # e.g. filter(pk__in=[])
        return None


@dataclass(frozen=True)
class Copied:
    """The queryset's filters that the index rows can check themselves (alias `i`): on the
    row's report id and organisation, and on PostgreSQL the copies of the report's filter
    columns (REPORT_COPIES). `complete`: these conditions are the whole queryset, so no
    report needs to be looked up; otherwise the reports are checked too, and the conditions
    only narrow the matches first."""

    conditions: tuple[str, ...] = ()
    params: tuple[object, ...] = ()
    complete: bool = False


# Lookups on a report column that the index row holds, as SQL on the row.
_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
_VALUE_TYPES = (str, int, date)


def _index_columns(vendor: str) -> dict[str, str]:
    """Report field (attname) -> the index row's column that holds the same value."""
    columns = {"id": "report_id", "organisation_id": "organisation_id"}
    if has_report_copies(vendor):
        columns.update((name, name) for name in REPORT_COPIES)
    return columns


def _copied_lookup(
    node: object, base_table: str | None, columns: dict[str, str]
) -> tuple[str, object, str] | None:
    """(condition on `i`, its parameter, the lookup to rebuild it as a filter) for a plain
    comparison of a column of the queried reports with a value; None for anything else."""
    if not isinstance(node, Lookup) or not isinstance(node.lhs, Col):
        return None
    field = node.lhs.target
    if node.lhs.alias != base_table or field.model._meta.concrete_model is not Report:
        return None
    column = columns.get(field.attname)
    value = node.rhs
    if column is None or value is None or hasattr(value, "resolve_expression"):
        return None
    lookup = f"{field.attname}__{node.lookup_name}"
    if node.lookup_name in _OPERATORS and isinstance(value, _VALUE_TYPES):
        return f"i.{column} {_OPERATORS[node.lookup_name]} %s", value, lookup
    if node.lookup_name == "in" and isinstance(value, list | tuple | set | frozenset):
        values = list(value)
        if values and all(isinstance(v, _VALUE_TYPES) for v in values):
            return f"i.{column} = ANY(%s)", values, lookup
    return None


def _copied_filters(queryset: QuerySet[Report]) -> Copied:
    """The queryset's filters the index rows can check (see Copied). Only the top-level AND
    of the queryset's WHERE is read, each of its conditions being necessary; it is complete
    when a queryset rebuilt from the recognised conditions alone compiles to the same SQL (so
    any other condition, join, exclusion or OR leaves the reports to be checked)."""
    query = queryset.query
    where = query.where
    if query.combinator or where.negated or where.connector != AND:
        return Copied()
    columns = _index_columns(connections[queryset.db].vendor)
    found = [_copied_lookup(child, query.base_table, columns) for child in where.children]
    recognised = [item for item in found if item is not None]
    rebuilt = Report.objects.using(queryset.db)
    for _condition, value, lookup in recognised:
        rebuilt = rebuilt.filter(**{lookup: value})
    complete = None not in found and _scope(rebuilt) == _scope(queryset)
    return Copied(
        conditions=tuple(condition for condition, _value, _lookup in recognised),
        params=tuple(value for _condition, value, _lookup in recognised),
        complete=complete,
    )


# The SQL below is put together from constant fragments and the queryset's own compiled SQL;
# every value (terms, languages, ids, limits) is a bound parameter.
def _matching_sql(
    vendor: str, groups: Sequence[QueryGroup], scope_sql: str, scope_params: Sequence[object]
) -> tuple[str, list[object], str, str, list[object]]:
    """The matching reports (SELECT report_id, ..., language), its parameters, the column that
    orders them newest first, and the score over its rows (alias `found`) with parameters."""
    if vendor == "postgresql":
        where, where_params, _rank, _params = _postgres_condition(groups, "i")
        _where, _params, rank, rank_params = _postgres_condition(groups, "found")
        sql = (
            "SELECT i.report_id, i.search_vector, i.language FROM analysis_reportindex i "  # noqa: S608
            f"WHERE ({where}) AND i.report_id IN ({scope_sql})"
        )
        return sql, [*where_params, *scope_params], "i.report_id", rank, rank_params
    if vendor == "sqlite":
        # bm25() only works inside the FTS5 query; it reads the index, not the rows. The unary
        # + keeps SQLite from handing the id list to FTS5 as one lookup per id (seconds on
        # 100 000 reports); the ids are checked against the list instead.
        sql = (
            f"SELECT rowid AS report_id, -bm25({FTS_TABLE}, {_FTS_WEIGHTS}) AS score, language "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND +rowid IN ({scope_sql})"
        )
        return sql, [_fts_expression(groups), *scope_params], "rowid", "found.score", []
    raise NotImplementedError(f"full-text search is not implemented for {vendor}")


# --- The newest matches on PostgreSQL, in rounds over the report ids --------------------------
#
# "The newest N matches" in one query leaves PostgreSQL two plans, and it picks one by its
# estimate of how many reports match, which is often far off for several words (it takes them
# as independent; "hemvård äldre": 1,936 estimated, 31,723 real): walking the primary key
# backwards and testing every report's vector until N match (fine when many match, a walk
# over the whole table when few do), or reading every match that the GIN index gives from the
# table and sorting them (fine when few match; tens of thousands of scattered rows, each on a
# page of its own, when many do).
#
# Instead the matches are looked for among the newest ids first, in rounds: each round takes a
# range of ids below the previous one, where PostgreSQL ANDs the GIN bitmap with a primary-key
# range bitmap, so that only the matches inside the range are read from the table. The first
# range is sized from the column statistics, the next ones from how many matches the ranges so
# far held. A common word is done in one or two rounds that read about N rows. The last round
# has no lower bound: a rare word goes there at once and reads its few matches, and so does a
# scope whose reports seldom match (most of its matches are wanted then). Every round is
# exact, so the rounds find the same reports as one query would.
#
# The scope (the caller's queryset) is checked on the index rows as far as they hold its
# filters (`_copied_filters`): the organisation, and on PostgreSQL copies of the report's
# status, municipality, service line, type, unit and date (REPORT_COPIES in
# havainto.analysis.models), each with an index that PostgreSQL ANDs with the GIN and range
# bitmaps, so that only the matches that pass are read from the table. When those are the
# whole queryset (a coordinator's search with the search screen's filters) no report is looked
# up; otherwise the scope gets the same id range and its other filters are read for the range
# only, for the matches that passed the copies.
#
# The bounded rounds run with plain index scans and sequential scans switched off for their
# transaction (`_pg_bitmap_plans`): otherwise PostgreSQL, trusting a low estimate, reads the
# range along the primary key and tests every row's vector (32,000 rows for a word in 2 % of
# the reports), which costs little in its model and much in fact. Bitmap scans remain: the
# GIN and range bitmaps, and the scope's lookups by id. They also get BITMAP_WORK_MEM: with
# the default 4 MB the bitmap of a word in 8 % of a million reports no longer holds a bit per
# row, turns into whole pages, and every row of those pages that passes the filter bitmaps is
# read and tested again (several times the rows).
BITMAP_WORK_MEM = "32MB"

# The first round is sized from the column statistics (`_pg_share`): to hold N matches (N =
# the matches wanted) if every report that holds the query's rarest word matched. Without
# statistics it looks at the newest FIRST_SPAN x N ids.
FIRST_SPAN = 4
# A later range is sized to hold the missing matches at the density seen so far, with a margin,
# at most MAX_SPAN ids (beyond that PostgreSQL's underestimates make it drop the range bitmap
# and read every match); the last of at most MAX_ROUNDS has no lower bound.
SPAN_MARGIN = 1.25
MAX_SPAN = 131_072
MAX_ROUNDS = 6
# When the statistics allow at most FEW_MATCHES x N matches in all, they are read in one round.
FEW_MATCHES = 4
# A query whose rarest word is in at least this share of the reports walks the primary key.
WALK_SHARE = 0.1


@contextmanager
def _pg_bitmap_plans(using: str) -> Iterator[None]:
    """A transaction (or savepoint) whose queries are planned without plain index scans and
    sequential scans, with BITMAP_WORK_MEM; the settings are put back as they were at its end
    (inside an outer transaction SET LOCAL would outlive a released savepoint)."""
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), "
                "current_setting('work_mem'), set_config('enable_indexscan', 'off', true), "
                "set_config('enable_seqscan', 'off', true), set_config('work_mem', %s, true)",
                [BITMAP_WORK_MEM],
            )
            saved = cursor.fetchone()[:3]
        yield
        # Not reached after an error: rolling the savepoint back undoes the settings.
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_indexscan', %s, true), "
                "set_config('enable_seqscan', %s, true), set_config('work_mem', %s, true)",
                list(saved),
            )


def _pg_share(using: str, groups: Sequence[QueryGroup]) -> float | None:
    """At most which share of the index rows match, by PostgreSQL's statistics of the vector
    column (ANALYZE keeps the most common terms with their shares, see migration
    0004_search_statistics): a report matches a group only if it holds the group's rarest word
    (the shares of its alternatives added up); a term not in the list is rarer than the
    list's rarest. None when the column has no statistics yet."""
    terms = sorted({term for group in groups for word in group.words for term in word})
    with connections[using].cursor() as cursor:
        cursor.execute(
            "WITH s AS (SELECT most_common_elems::text::text[] AS terms, "
            "most_common_elem_freqs AS shares FROM pg_stats WHERE schemaname = current_schema() "
            "AND tablename = 'analysis_reportindex' AND attname = 'search_vector') "
            "SELECT t.term, coalesce(s.shares[array_position(s.terms, t.term)], "
            "s.shares[array_length(s.terms, 1) + 1]) FROM s, unnest(%s::text[]) AS t(term)",
            [terms],
        )
        shares = {term: share for term, share in cursor.fetchall() if share is not None}
    if len(shares) < len(terms):
        return None
    share = sum(min(sum(shares[term] for term in word) for word in group.words) for group in groups)
    return min(1.0, share)


def _pg_top(connection: BaseDatabaseWrapper) -> int | None:
    """The highest report id in the index (None: the index is empty)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(report_id) FROM analysis_reportindex")
        (top,) = cursor.fetchone()
    return None if top is None else int(top)


def _pg_round(
    queryset: QuerySet[Report],
    groups: Sequence[QueryGroup],
    *,
    upper: int,
    lower: int | None,
    limit: int | None,
    copied: Copied,
    walk: bool = False,
) -> list[tuple[int, str]]:
    """(report id, language) of the queryset's matches with lower <= id < upper (lower None:
    no bound), newest first, at most `limit`; `copied`: the queryset's filters that the index
    rows check themselves (_copied_filters). `walk`: the primary key's own order, so that
    PostgreSQL may walk it and stop early."""
    where, params = _postgres_condition(groups, "i")[:2]
    params.append(upper)
    conditions = ["i.report_id < %s"]
    if lower is not None:
        conditions.append("i.report_id >= %s")
        params.append(lower)
    # The copies first narrow the matches through the index rows' own indexes (ANDed with
    # the GIN bitmap); when they are the whole queryset no report is looked up.
    conditions.extend(copied.conditions)
    params.extend(copied.params)
    if not copied.complete:
        part = queryset.filter(pk__lt=upper)
        if lower is not None:
            part = part.filter(pk__gte=lower)
        scope = _scope(part)
        if scope is None:
            return []
        conditions.append(f"i.report_id IN ({scope[0]})")
        params.extend(scope[1])
    # Otherwise `+ 0`: the order is not the primary key's, so PostgreSQL does not walk it
    # backwards testing every report's vector in the hope of stopping early (it would read
    # every row of the range when few match, or of the table without a bound); it reads the
    # matches through the GIN index, the range's alone through the range bitmap, and sorts.
    order = "i.report_id" if walk else "i.report_id + 0"
    sql = (
        "SELECT i.report_id, i.language FROM analysis_reportindex i "  # noqa: S608
        f"WHERE ({where}) AND {' AND '.join(conditions)} ORDER BY {order} DESC"
    )
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), str(lang)) for pk, lang in cursor.fetchall()]


def _pg_newest(
    queryset: QuerySet[Report], groups: Sequence[QueryGroup], wanted: int
) -> list[tuple[int, str]]:
    """(report id, language) of the newest `wanted` matches of the queryset, newest first
    (fewer when there are no more)."""
    top = _pg_top(connections[queryset.db])
    if top is None:
        return []
    rows: list[tuple[int, str]] = []
    upper = top + 1  # exclusive
    share = _pg_share(queryset.db, groups)
    span: int | None
    if share is None:
        span = FIRST_SPAN * wanted
    elif share * top <= FEW_MATCHES * wanted:
        span = None  # few matches in all: straight to the last round
    else:
        span = min(MAX_SPAN, max(wanted, int(wanted / share * SPAN_MARGIN)))
    # A word in a large share of the reports: PostgreSQL estimates one common word well and
    # walks the primary key backwards, stopping after N matches, which costs less than
    # reading the word's long GIN entry; so the first round is planned freely.
    walk = share is not None and share >= WALK_SHARE
    copied = _copied_filters(queryset)
    for _round in range(MAX_ROUNDS - 1):
        if span is None or upper - span <= 1:
            break
        lower = upper - span
        with nullcontext() if walk else _pg_bitmap_plans(queryset.db):
            rows += _pg_round(
                queryset,
                groups,
                upper=upper,
                lower=lower,
                limit=wanted - len(rows),
                copied=copied,
                walk=walk,
            )
        if len(rows) >= wanted:
            return rows
        upper, walk, span = lower, False, None
        if rows:
            # The ids the missing matches need at the density seen so far; none when that
            # is every id left (a rare word in this scope: straight to the last round).
            needed = (wanted - len(rows)) * (top + 1 - lower) / len(rows) * SPAN_MARGIN
            if needed < upper:
                span = min(MAX_SPAN, max(wanted, int(needed)))
    # The last round takes every id below the others. It is there for few matches, or for a
    # scope whose reports seldom match (so most matches below are wanted anyway), and is
    # planned freely: PostgreSQL may start from the scope's own filters instead.
    rows += _pg_round(
        queryset,
        groups,
        upper=upper,
        lower=None,
        limit=wanted - len(rows),
        copied=copied,
    )
    return rows


def _pg_ranked_newest(
    queryset: QuerySet[Report], groups: Sequence[QueryGroup], *, limit: int | None, window: int
) -> list[tuple[int, float, str, int]]:
    """The newest `window` + 1 matches (the +1 tells that there are more), ranked."""
    newest = _pg_newest(queryset, groups, window + 1)
    if not newest:
        return []
    rank, rank_params = _postgres_condition(groups, "i")[2:]
    # Only the chosen rows' vectors are read, through the primary key.
    sql = (
        f"SELECT i.report_id, {rank} AS score, i.language FROM analysis_reportindex i "  # noqa: S608
        "WHERE i.report_id = ANY(%s::bigint[]) ORDER BY score DESC, i.report_id DESC"
    )
    params: list[object] = [*rank_params, [pk for pk, _lang in newest]]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (int(pk), float(value or 0.0), str(lang), len(newest))
            for pk, value, lang in cursor.fetchall()
        ]


def _run(
    queryset: QuerySet[Report],
    groups: Sequence[QueryGroup],
    *,
    limit: int | None,
    window: int | None,
) -> list[tuple[int, float, str, int]]:
    """(report id, score, language, matches in the window) of the best matches, best first."""
    scope = _scope(queryset)
    if not groups or scope is None or limit == 0:
        return []
    connection = connections[queryset.db]
    if window is not None and connection.vendor == "postgresql":
        return _pg_ranked_newest(queryset, groups, limit=limit, window=window)
    inner, inner_params, newest, score, score_params = _matching_sql(
        connection.vendor, groups, *scope
    )
    if window is not None:
        # Only the newest `window` + 1 matches are ranked; the +1 tells that there are more.
        inner = f"{inner} ORDER BY {newest} DESC LIMIT %s"
        inner_params.append(window + 1)
    sql = (
        f"SELECT found.report_id, {score} AS score, found.language, count(*) OVER () "  # noqa: S608
        f"FROM ({inner}) AS found ORDER BY score DESC, found.report_id DESC"
    )
    params = [*score_params, *inner_params]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (int(pk), float(value or 0.0), str(lang), int(total))
            for pk, value, lang, total in cursor.fetchall()
        ]


@dataclass(frozen=True)
class Found:
    """A page of search results: the best hits and how many reports match."""

    hits: list[Hit]
    total: int  # reports that match; at most `window` + 1
    more: bool  # more than `window` match: the hits are the best of the newest `window`


def match(
    queryset: QuerySet[Report],
    query: str,
    *,
    language: str | None = None,
    limit: int | None = 50,
    window: int | None = None,
) -> list[Match]:
    """The reports of `queryset` that match `query`, best first (`limit=None`: all).

    `window`: rank only the newest `window` matches (by id) and leave the others out; without
    it every match is ranked, which reads every matching report's vector.
    """
    rows = _run(queryset, parse_query(query, language), limit=limit, window=window)
    return [Match(pk, score, lang) for pk, score, lang, _total in rows]


def count(queryset: QuerySet[Report], query: str, *, language: str | None = None) -> int:
    """How many reports of `queryset` match `query` (exact; reads every match)."""
    return len(match(queryset, query, language=language, limit=None))


# --- Snippets ------------------------------------------------------------------------------

# A matching token: (start, end, indices of the query words it matches).
_Mark = tuple[int, int, frozenset[int]]


def _marks(text: str, language: str, words: Words) -> list[_Mark]:
    if not text or not words:
        return []
    wanted = [frozenset(alternatives) for alternatives in words]
    marks = []
    for token, terms in _analyser.analyse(text, language):
        found = frozenset(j for j, alternatives in enumerate(wanted) if alternatives & set(terms))
        if found:
            marks.append((token.start, token.end, found))
    return marks


def _segments(text: str, marks: list[_Mark], start: int, end: int) -> list[Segment]:
    segments: list[Segment] = []
    position = start
    for mark_start, mark_end, _found in marks:
        if mark_start < start or mark_end > end:
            continue
        if mark_start > position:
            segments.append((text[position:mark_start], False))
        segments.append((text[mark_start:mark_end], True))
        position = mark_end
    if position < end:
        segments.append((text[position:end], False))
    return segments


def _window(text: str, first: int) -> tuple[int, int]:
    """About SNIPPET_CHARS of `text` around offset `first`, cut between words."""
    start = max(0, first - SNIPPET_LEAD)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else first
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", max(start, first), end)
        end = space if space > first else end
    return start, end


def _with_ellipses(text: str, segments: list[Segment], start: int, end: int) -> list[Segment]:
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(text):
        segments.append(("…", False))
    return segments


def highlight(text: str, language: str, words: Words) -> list[Segment]:
    """All of `text` with the words matching the query marked."""
    return _segments(text, _marks(text, language, words), 0, len(text))


def snippet(texts: Sequence[str], language: str, words: Words) -> list[Segment]:
    """The passage of the texts with the most query words, then the most matches; the start
    of the first text when no query word occurs in them (it matched the title)."""
    best: tuple[tuple[int, int], str, list[_Mark], int, int] | None = None
    for text in texts:
        marks = _marks(text, language, words)
        for mark_start, _end, _found in marks:
            start, end = _window(text, mark_start)
            inside = [m for m in marks if m[0] >= start and m[1] <= end]
            key = (len(frozenset().union(*(m[2] for m in inside))), len(inside))
            if best is None or key > best[0]:
                best = (key, text, marks, start, end)
    if best is None:
        text = next((t for t in texts if t.strip()), "")
        start, end = _window(text, 0)
        return _with_ellipses(text, [(text[start:end], False)] if text else [], start, end)
    _key, text, marks, start, end = best
    return _with_ellipses(text, _segments(text, marks, start, end), start, end)


def find(
    queryset: QuerySet[Report],
    query: str,
    *,
    language: str | None = None,
    limit: int = 50,
    window: int | None = RANK_WINDOW,
) -> Found:
    """The best `limit` reports for `query`, highlighted, and how many match (up to `window`).

    With more than `window` matches (None: no limit) only the newest `window` are ranked: on
    a million reports a common word matches tens of thousands, and ranking them all reads
    every matching report's vector (seconds); the newest ones are found along the primary key
    and ranked in tens of milliseconds. Narrowing words or filters bring older reports back.
    """
    groups = parse_query(query, language)
    rows = _run(queryset, groups, limit=limit, window=window)
    if not rows:
        return Found(hits=[], total=0, more=False)
    total = rows[0][3]
    reports = Report.objects.select_related(
        "municipality", "service_line", "observation_type"
    ).in_bulk([row[0] for row in rows])
    hits = []
    for pk, score, lang, _total in rows:
        report = reports.get(pk)
        if report is None:  # deleted since
            continue
        words = _words_for(groups, lang)
        texts = [getattr(report, name) or "" for name in SNIPPET_FIELDS]
        hits.append(
            Hit(
                report_id=report.pk,
                rank=score,
                language=lang,
                report=report,
                title=highlight(report.title, lang, words),
                snippet=snippet(texts, lang, words),
            )
        )
    more = window is not None and total > window
    return Found(hits=hits, total=window if more and window is not None else total, more=more)


def search(
    queryset: QuerySet[Report], query: str, *, language: str | None = None, limit: int = 50
) -> list[Hit]:
    """The best `limit` reports of `queryset` for `query`, with highlighted title and snippet
    (ranked among the newest RANK_WINDOW matches, see `find`)."""
    return find(queryset, query, language=language, limit=limit).hits


def filter_matching(
    queryset: QuerySet[Report], query: str, *, language: str | None = None
) -> QuerySet[Report]:
    """`queryset` narrowed to the reports that match `query`, as a filter that keeps the
    queryset's own order and paging (the inbox's free-text filter). Same analysis and matching
    as `search`, without ranking.

    On PostgreSQL the newest FILTER_PROBE ids are looked at first (one bounded round, see
    `_pg_newest`), because how the page queries should run depends on how many reports of the
    queryset match, which PostgreSQL guesses badly for several words or for filters that go
    together with the words (a municipality whose reports seldom hold the word: a walk over a
    million reports for one page). Many among the newest ids: the pages are read along the
    queryset's own order. Few: all matches are looked up once and the filter is their ids."""
    groups = parse_query(query, language)
    if not groups:
        return queryset.none() if query.strip() else queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _pg_filter_matching(queryset, groups)
    if vendor == "sqlite":
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        params: list[object] = [_fts_expression(groups)]
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, bound values
    raise NotImplementedError(f"full-text search is not implemented for {vendor}")


# filter_matching on PostgreSQL: how many of the newest ids the first look covers, and the
# rows a caller reads from the filtered queryset at a time (the inbox's page).
FILTER_PROBE = 32_768
FILTER_PAGE = 50
# At most this many matches become a list of ids.
FILTER_LIST = 10_000


def _pg_filter_matching(
    queryset: QuerySet[Report], groups: Sequence[QueryGroup]
) -> QuerySet[Report]:
    top = _pg_top(connections[queryset.db])
    if top is None or _scope(queryset) is None:
        return queryset.none()
    lower = top + 1 - FILTER_PROBE
    copied = _copied_filters(queryset)
    with _pg_bitmap_plans(queryset.db):
        newest = []
        if lower > 1:
            newest = _pg_round(
                queryset,
                groups,
                upper=top + 1,
                lower=lower,
                limit=FILTER_PAGE + 1,
                copied=copied,
            )
        many = len(newest) > FILTER_PAGE
        if not many:
            rows = _pg_round(
                queryset,
                groups,
                upper=top + 1,
                lower=None,
                limit=FILTER_LIST + 1,
                copied=copied,
            )
    if many:
        # A page's worth among the newest ids: pages are read along the queryset's own
        # order, testing each report's vector on the way, and a page is found after about
        # FILTER_PAGE / density reports, at most about FILTER_PROBE.
        where, params = _postgres_condition(groups, "i", indexed=False)[:2]
        sql = f"SELECT i.report_id FROM analysis_reportindex i WHERE {where}"  # noqa: S608
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - bound values
    if len(rows) > FILTER_LIST:
        # More than FILTER_LIST after all (a word common only in old reports): PostgreSQL
        # plans it as one query, as it would without the look.
        where, params = _postgres_condition(groups, "i")[:2]
        sql = f"SELECT i.report_id FROM analysis_reportindex i WHERE {where}"  # noqa: S608
        return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - bound values
    # Few matches (or few reports): all of them were read once through the GIN index, and the
    # page queries look their ids up (one array parameter, however many ids).
    ids = RawSQL("SELECT unnest(%s::bigint[])", [[pk for pk, _lang in rows]])  # noqa: S611
    return queryset.filter(pk__in=ids)

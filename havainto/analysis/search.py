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
subquery, so every filter combines with the text search. Ranking: PostgreSQL ts_rank over a
weighted tsvector (title weight 1.0, other texts 0.4, normalised by document length); SQLite
FTS5 bm25 with the title weighted 2.5. Ties go to the newer report.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from havainto.analysis.models import FTS_TABLE
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
    groups: Sequence[QueryGroup], alias: str
) -> tuple[str, list[object], str, list[object]]:
    """WHERE and rank expressions over analysis_reportindex `alias`, with their parameters."""
    where: list[str] = []
    where_params: list[object] = []
    ranks: list[str] = []
    rank_params: list[object] = []
    for group in groups:
        tsquery = " & ".join(
            "(" + " | ".join(_pg_quote(term) for term in alternatives) + ")"
            for alternatives in group.words
        )
        condition = f"{alias}.search_vector @@ %s::tsquery"
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
    as `search`, without ranking."""
    groups = parse_query(query, language)
    if not groups:
        return queryset.none() if query.strip() else queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        where, params, _rank, _rank_params = _postgres_condition(groups, "i")
        sql = f"SELECT i.report_id FROM analysis_reportindex i WHERE {where}"  # noqa: S608
    elif vendor == "sqlite":
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
        params = [_fts_expression(groups)]
    else:
        raise NotImplementedError(f"full-text search is not implemented for {vendor}")
    return queryset.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, bound values

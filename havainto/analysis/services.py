"""Language analysis of reports for search: building the index, and searching with an audit row.

`index_report` runs as a background task after a report is submitted (havainto.analysis.tasks);
`reindex` rebuilds the index of every report (or one organisation's) with `havainto reindex`.
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.models import ReportIndex
from havainto.analysis.search import Found, find
from havainto.audit.services import record
from havainto.lib.language import DEFAULT_LANGUAGE, LANGUAGES, Analyser, detect_language, tokenize
from havainto.reports.models import Report

Actor = AbstractBaseUser | AnonymousUser | None

# Bump when havainto.lib.language changes what it returns, then run `havainto reindex`.
ANALYSER_VERSION = 2
# The texts of a report that are searched, besides the title.
TEXT_FIELDS = ("description", "causes", "service_effects", "proposal")
# Below this many words the language guess is weak: the reporter's choice counts instead.
MIN_WORDS_TO_DETECT = 8
BATCH_SIZE = 500

_analyser = Analyser()
_WHITESPACE = re.compile(r"\s")


@dataclass(frozen=True)
class AnalysedReport:
    language: str
    title_terms: str
    terms: str


def report_language(text: str, stated: str) -> str:
    """The language a report is analysed in: detected from its text, which says more than the
    form's language choice (it follows the interface language); for a very short text the
    stated language, when it is one the analyser knows."""
    if len(tokenize(text)) >= MIN_WORDS_TO_DETECT:
        return detect_language(text)
    return stated if stated in LANGUAGES else DEFAULT_LANGUAGE


def _join(terms: Iterable[str]) -> str:
    # Terms are single words, so whitespace never occurs; it would split a term in the index.
    return " ".join(term for term in terms if term and not _WHITESPACE.search(term))


def analyse_report(*, title: str, texts: Sequence[str], stated_language: str) -> AnalysedReport:
    """The language and the index terms of a report's title and other texts (text order)."""
    body = "\n\n".join(text for text in texts if text)
    language = report_language(f"{title}\n\n{body}", stated_language)
    return AnalysedReport(
        language=language,
        title_terms=_join(_analyser.index_terms(title, language)),
        terms=_join(_analyser.index_terms(body, language)),
    )


_VALUES = ("pk", "organisation_id", "language", "title", *TEXT_FIELDS)


def _index_row(values: dict[str, object], now: object) -> ReportIndex:
    analysed = analyse_report(
        title=str(values["title"]),
        texts=[str(values[name] or "") for name in TEXT_FIELDS],
        stated_language=str(values["language"]),
    )
    return ReportIndex(
        report_id=values["pk"],
        organisation_id=values["organisation_id"],
        language=analysed.language,
        title_terms=analysed.title_terms,
        terms=analysed.terms,
        analysed_at=now,
        analyser_version=ANALYSER_VERSION,
    )


@transaction.atomic
def index_report(report_id: int) -> ReportIndex | None:
    """(Re)build the search index entry of one report; None when the report is gone.

    Derived data only (no audit row): it changes nothing a person decided.
    """
    values = Report.objects.filter(pk=report_id).values(*_VALUES).first()
    if values is None:
        ReportIndex.objects.filter(report_id=report_id).delete()
        return None
    row = _index_row(values, timezone.now())
    fields = ("organisation_id", "language", "title_terms", "terms", "analysed_at")
    defaults = {name: getattr(row, name) for name in (*fields, "analyser_version")}
    index, _created = ReportIndex.objects.update_or_create(report_id=report_id, defaults=defaults)
    return index


def _batches(reports: QuerySet[Report], size: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for values in reports.order_by("pk").values(*_VALUES).iterator(chunk_size=size):
        batch.append(values)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@transaction.atomic
def reindex(*, actor: Actor, organisation: Organisation | None = None) -> int:
    """Rebuild the search index of every report (of one organisation); returns the count.

    One transaction: searches see the old index until the new one is complete.
    """
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    old = ReportIndex.objects.all()
    if organisation is not None:
        old = old.filter(organisation=organisation)
    old.delete()
    now = timezone.now()
    total = 0
    for batch in _batches(reports, BATCH_SIZE):
        ReportIndex.objects.bulk_create([_index_row(values, now) for values in batch])
        total += len(batch)
    record("analysis.reindexed", actor=actor, organisation=organisation)
    return total


@transaction.atomic
def search_reports(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    reports: QuerySet[Report],
    query: str,
    filters: Iterable[str] = (),
    limit: int = 50,
) -> Found:
    """Search the reports the actor may read, and log the read access.

    The audit row names the filters used, never the words searched for (they may describe a
    client's situation).
    """
    found = find(reports, query, limit=limit)
    record(
        "report.searched",
        actor=actor,
        organisation=organisation,
        fields=sorted({"q", *filters}),
    )
    return found

"""Reports as plain records in the evaluation format (../shared/spec/eval-format.md).

The Django-free analysis (havainto.lib.signals, havainto.lib.themes) reads reports as
dictionaries: `id`, `submitted_at`, `language`, `title`, `description`, `proposal`, `causes`,
`service_effects`, `municipality`, `service_line`. The `signals` command reads them from a
JSON-lines file, the weak-signal page from the database; both pass them through
`signal_input` (text fields as strings, as `havainto analyse` cleans its input), so the
analysis sees the same input either way.
"""

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import QuerySet

from havainto.analysis.management.commands.analyse import clean_report
from havainto.reports.models import Report

_VALUES = (
    "pk",
    "submitted_on",
    "language",
    "title",
    "description",
    "proposal",
    "causes",
    "service_effects",
    "municipality__code",
    "service_line__code",
    "search_index__language",
)


def report_records(
    reports: QuerySet[Report], *, chunk_size: int = 2_000
) -> Iterator[dict[str, Any]]:
    """The reports as evaluation-format records, in id order.

    `language` is the language the report was analysed in (its search index entry), which is
    detected from the text, else the language the reporter chose.
    """
    rows = reports.order_by("pk").values(*_VALUES).iterator(chunk_size=chunk_size)
    for row in rows:
        yield {
            "id": row["pk"],
            "submitted_at": row["submitted_on"].isoformat(),
            "language": row["search_index__language"] or row["language"],
            "title": row["title"],
            "description": row["description"],
            "proposal": row["proposal"],
            "causes": row["causes"],
            "service_effects": row["service_effects"],
            "municipality": row["municipality__code"],
            "service_line": row["service_line__code"],
        }


def signal_input(records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The input of `detect_signals`, from a JSON-lines file or from the database."""
    return [clean_report(record) for record in records]

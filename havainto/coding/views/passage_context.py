"""What the workspace pages show about passages of report texts: the quotes and redactions
of a report (for its detail page), and rows of the quote list and the redaction queue.

Kept apart from handling.py and passages.py so that the report page
(handling._render_report) and the passage views (passages.py) can both use it without
importing each other.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from havainto.accounts.models import Organisation
from havainto.coding.access import can_approve_quotes
from havainto.coding.forms import QuoteForm, RedactionForm
from havainto.coding.models import Quote, RedactionCandidate, ReportTextField
from havainto.lib.passages import Excerpt, Span, excerpt
from havainto.reports.models import Report

# What the detector found, as the queue names it. Names are a warning in the reporting form
# too: reporters may have confirmed that they are not clients.
KIND_LABELS = {
    "hetu": _("Personal identity code"),
    "phone": _("Phone number"),
    "email": _("E-mail address"),
    "address": _("Street address"),
    "other_id": _("Customer number or other identifier"),
    "name": _("Name (maybe not a client's)"),
}


def field_label(name: str) -> str:
    return str(ReportTextField(name).label) if name in ReportTextField.values else name


def report_passages_context(
    organisation: Organisation, report: Report, roles: set[str], *, handling: bool
) -> dict[str, Any]:
    """Quotes and redactions of the report; the forms for those who handle it."""
    quotes = list(
        report.quotes.select_related("theme", "created_by", "approved_by").order_by(
            "theme__order", "theme_id", "field", "start", "id"
        )
    )
    for quote in quotes:
        quote.report = report  # is_current reads the text already loaded
    context: dict[str, Any] = {
        "quotes": quotes,
        "can_approve_quotes": can_approve_quotes(roles),
        "redactions": list(report.redactions.select_related("redacted_by")),
    }
    if handling:
        context["quote_form"] = QuoteForm(report=report)
        context["redaction_form"] = RedactionForm(
            initial={"version": report.version}, report=report
        )
    return context


@dataclass(frozen=True)
class QueueRow:
    candidate: RedactionCandidate
    kind_label: str
    field_label: str
    shown: Excerpt


def queue_row(candidate: RedactionCandidate, *, context: int = 50) -> QueueRow:
    text = getattr(candidate.report, candidate.field) or ""
    return QueueRow(
        candidate=candidate,
        kind_label=str(KIND_LABELS.get(candidate.kind, candidate.kind)),
        field_label=field_label(candidate.field),
        shown=excerpt(text, Span(candidate.start, candidate.end), context=context),
    )


def quote_rows(quotes: list[Quote]) -> list[Quote]:
    """The quotes with their field's label (for the quote list)."""
    for quote in quotes:
        quote.field_label = field_label(quote.field)  # type: ignore[attr-defined]
    return quotes

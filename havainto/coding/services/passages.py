"""Passages of report texts: quotes coded with themes (and their approval for
publication), redaction with a retention for the originals, and the redaction queue."""

import datetime
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.services import index_report
from havainto.audit.models import AuditEvent
from havainto.audit.services import record
from havainto.coding.models import (
    OutboxMessage,
    Quote,
    Redaction,
    RedactionCandidate,
    ReportTextField,
    Theme,
)
from havainto.coding.services._common import _bump, _lock_current
from havainto.lib.passages import MARKER, Span, check_span, replace, shift
from havainto.lib.pii import Finding, find_personal_data
from havainto.reports.models import Report

logger = logging.getLogger(__name__)


# --- Passages: shared by quotes and redaction -----------------------------------------------


class PassageChanged(Exception):
    """The report's text at the passage is no longer what the user picked (someone redacted
    a passage meanwhile)."""


def report_text(report: Report, field: str) -> str:
    """The text of one of the report's text fields; ValueError for any other name."""
    if field not in ReportTextField.values:
        raise ValueError(f"{field!r} is not a text field of a report")
    return getattr(report, field) or ""


def _picked_span(text: str, start: int, end: int, expected_text: str | None) -> Span:
    span = check_span(text, start, end)
    if expected_text is not None and span.of(text) != expected_text:
        raise PassageChanged(span)
    return span


def record_excerpt_reads(
    *, actor: AbstractBaseUser, organisation: Organisation, report_ids: Iterable[int]
) -> None:
    """Log that the user saw passages of these reports (quote lists, the redaction queue):
    one row per report, ids only, like a read of the full text; one INSERT for a page."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organisation=organisation,
            actor=actor,
            action="report.excerpt_viewed",
            object_type="report",
            object_id=str(report_id),
        )
        for report_id in sorted(set(report_ids))
    )


# --- Quotes ----------------------------------------------------------------------------------


class DuplicateQuote(Exception):
    """The same passage has this theme already."""


class QuoteNotCurrent(Exception):
    """The report no longer says what the quote says: it cannot be approved."""


@transaction.atomic
def add_quote(
    *,
    actor: AbstractBaseUser,
    report: Report,
    field: str,
    start: int,
    end: int,
    theme: Theme,
    expected_text: str | None = None,
) -> Quote:
    """Code a passage of the report with a theme. The passage is checked against the text
    under a lock: expected_text is what the user saw there (PassageChanged otherwise)."""
    if theme.organisation_id != report.organisation_id:
        raise ValueError("theme of another organisation")
    current = Report.objects.select_for_update().get(pk=report.pk)
    text = report_text(current, field)
    span = _picked_span(text, start, end, expected_text)
    if Quote.objects.filter(
        report=report, field=field, start=span.start, end=span.end, theme=theme
    ).exists():
        raise DuplicateQuote(span)
    quote = Quote.objects.create(
        report=report,
        field=field,
        start=span.start,
        end=span.end,
        text=span.of(text),
        theme=theme,
        created_by=actor,
    )
    record("quote.added", actor=actor, organisation=report.organisation, obj=quote, fields=[field])
    return quote


@transaction.atomic
def remove_quote(*, actor: AbstractBaseUser, quote: Quote) -> None:
    record("quote.removed", actor=actor, organisation=quote.report.organisation, obj=quote)
    quote.delete()


def _locked_quote(quote: Quote) -> Quote:
    return Quote.objects.select_for_update().select_related("report").get(pk=quote.pk)


@transaction.atomic
def approve_quote(*, actor: AbstractBaseUser, quote: Quote) -> Quote:
    """A coordinator's "checked for identifiability" (LEG-08): summaries may publish it."""
    current = _locked_quote(quote)
    if not current.is_current:
        raise QuoteNotCurrent(quote.pk)
    if not current.approved_for_publication:
        current.approved_for_publication = True
        current.approved_by = actor
        current.approved_at = timezone.now()
        current.save(update_fields=["approved_for_publication", "approved_by", "approved_at"])
        record(
            "quote.approved",
            actor=actor,
            organisation=current.report.organisation,
            obj=current,
            fields=["approved_for_publication"],
        )
    return current


def _drop_approval(quote: Quote) -> None:
    quote.approved_for_publication = False
    quote.approved_by = None
    quote.approved_at = None


@transaction.atomic
def withdraw_quote_approval(*, actor: AbstractBaseUser, quote: Quote) -> Quote:
    current = _locked_quote(quote)
    if current.approved_for_publication:
        _drop_approval(current)
        current.save(update_fields=["approved_for_publication", "approved_by", "approved_at"])
        record(
            "quote.approval_withdrawn",
            actor=actor,
            organisation=current.report.organisation,
            obj=current,
            fields=["approved_for_publication"],
        )
    return current


# --- Redaction -------------------------------------------------------------------------------


class AlreadyRedacted(Exception):
    """The passage is nothing but a redaction marker."""


class TextTooLong(Exception):
    """With the marker the field would pass its maximum length (a very short passage of a
    title at its maximum length)."""


class OriginalPurged(Exception):
    """The original of the redacted passage has been erased."""


@transaction.atomic
def redact_passage(
    *,
    actor: AbstractBaseUser,
    report: Report,
    expected_version: int,
    field: str,
    start: int,
    end: int,
    reason: str,
    expected_text: str | None = None,
) -> Redaction:
    """Replace a passage of the report's text with MARKER, for everyone who sees the report
    (workspace, search, exports, the reporter's own list, API). Version-checked (REL-06).
    The original is kept for coordinators until the organisation's retention has passed; the
    audit row names the field only. Quotes, earlier redactions and queue candidates of the
    field follow the change; the search index is rebuilt after commit."""
    current = _lock_current(report, expected_version)
    text = report_text(current, field)
    span = _picked_span(text, start, end, expected_text)
    original = span.of(text)
    if not original.replace(MARKER, "").strip():
        raise AlreadyRedacted(span)
    new_text, marker = replace(text, span, MARKER)
    if len(new_text) > (Report._meta.get_field(field).max_length or len(new_text)):
        raise TextTooLong(field)
    _bump(report, expected_version, **{field: new_text})
    organisation = report.organisation
    redaction = Redaction.objects.create(
        report=report,
        field=field,
        start=marker.start,
        end=marker.end,
        original=original,
        reason=reason,
        redacted_by=actor,
        original_kept_until=timezone.localdate()
        + timezone.timedelta(days=organisation.redaction_original_retention_days),
    )
    _follow_redaction(actor, report, redaction, span)
    if field == "title":
        _redact_outbox(report, original)
    record("report.redacted", actor=actor, organisation=organisation, obj=report, fields=[field])
    report_id = report.pk
    transaction.on_commit(lambda: _refresh_after_redaction(report_id))
    return redaction


def _follow_redaction(
    actor: AbstractBaseUser, report: Report, redaction: Redaction, edited: Span
) -> None:
    """Keep the other spans of the field in step: those after the passage move, those that
    overlap it changed (quotes lose their approval and the redacted words; queue candidates
    inside it are redacted, others are found again by the next scan)."""
    marker = Span(redaction.start, redaction.end)
    now = timezone.now()
    for quote in Quote.objects.select_for_update().filter(report=report, field=redaction.field):
        moved = shift(Span(quote.start, quote.end), edited, len(marker))
        if moved is not None:
            quote.start, quote.end = moved.start, moved.end
            quote.save(update_fields=["start", "end"])
            continue
        # The snapshot must not keep the redacted words either; the offsets stay, so the
        # quote no longer matches the report (shown as changed, cannot be approved).
        cut_start = max(edited.start, quote.start) - quote.start
        cut_end = min(edited.end, quote.end) - quote.start
        quote.text = quote.text[:cut_start] + MARKER + quote.text[cut_end:]
        fields = ["text"]
        if quote.approved_for_publication:
            _drop_approval(quote)
            fields += ["approved_for_publication", "approved_by", "approved_at"]
        quote.save(update_fields=fields)
        record(
            "quote.changed",
            actor=actor,
            organisation=report.organisation,
            obj=quote,
            fields=fields[:2],
        )
    for earlier in Redaction.objects.filter(report=report, field=redaction.field).exclude(
        pk=redaction.pk
    ):
        # An earlier marker inside the passage is now part of the new one.
        moved = shift(Span(earlier.start, earlier.end), edited, len(marker)) or marker
        if (moved.start, moved.end) != (earlier.start, earlier.end):
            earlier.start, earlier.end = moved.start, moved.end
            earlier.save(update_fields=["start", "end"])
    candidates = RedactionCandidate.objects.select_for_update().filter(
        report=report, field=redaction.field
    )
    for candidate in candidates:
        span = Span(candidate.start, candidate.end)
        moved = shift(span, edited, len(marker))
        if moved is not None:
            candidate.start, candidate.end = moved.start, moved.end
            candidate.save(update_fields=["start", "end"])
        elif edited.covers(span) or candidate.state == RedactionCandidate.State.REDACTED:
            if candidate.state != RedactionCandidate.State.REDACTED:
                candidate.state = RedactionCandidate.State.REDACTED
                candidate.decided_by = actor
                candidate.decided_at = now
                candidate.redaction = redaction
            candidate.start, candidate.end = marker.start, marker.end
            candidate.passage_hash = ""
            candidate.save()
        else:
            candidate.delete()  # half of it is gone: the next scan judges what is left


def _redact_outbox(report: Report, original: str) -> None:
    """The feedback mails quote the title: their stored copies lose the passage too."""
    for message in OutboxMessage.objects.filter(report=report):
        subject = message.subject.replace(original, MARKER)
        body = message.body.replace(original, MARKER)
        if (subject, body) != (message.subject, message.body):
            message.subject, message.body = subject[:200], body
            message.save(update_fields=["subject", "body"])


def _refresh_after_redaction(report_id: int) -> None:
    """Rebuild the search index now, so that the removed words stop finding the report at
    once; if that fails, the background task (or `havainto reindex`) does it."""
    try:
        index_report(report_id)
    except Exception:
        logger.exception("could not index report %s after a redaction", report_id)
        from havainto.analysis.tasks import index_report_task

        index_report_task.enqueue(report_id)
        return
    refresh_redaction_candidates(report_id)


@transaction.atomic
def read_redaction_original(*, actor: AbstractBaseUser, redaction: Redaction) -> str:
    """The original passage, for a coordinator, until it is erased; the read is audited."""
    if redaction.original_purged_at is not None:
        raise OriginalPurged(redaction.pk)
    record(
        "redaction.original_viewed",
        actor=actor,
        organisation=redaction.report.organisation,
        obj=redaction,
    )
    return redaction.original


@transaction.atomic
def purge_redaction_originals(*, today: datetime.date | None = None) -> int:
    """Erase the originals whose retention has passed (kept until and including
    original_kept_until). Idempotent: an erased original is never touched again."""
    today = today or timezone.localdate()
    now = timezone.now()
    due = (
        Redaction.objects.select_for_update(of=("self",))
        .select_related("report__organisation")
        .filter(original_purged_at__isnull=True, original_kept_until__lt=today)
        .order_by("id")
    )
    purged = 0
    for redaction in due:
        redaction.original = ""
        redaction.original_purged_at = now
        redaction.save(update_fields=["original", "original_purged_at"])
        record(
            "redaction.original_purged",
            actor=None,
            organisation=redaction.report.organisation,
            obj=redaction,
            fields=["original"],
        )
        purged += 1
    return purged


# --- The redaction queue -------------------------------------------------------------------


class CandidateClosed(Exception):
    """The candidate was dismissed or redacted already, or its text changed."""


def passage_hash(passage: str) -> str:
    return hashlib.sha256(passage.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Scan:
    open: int
    new: int


def refresh_redaction_candidates(report_id: int) -> Scan:
    """Run the personal-data detector over the report's texts and bring its candidates in
    step: a finding already known keeps its state (a dismissal holds while the same words stand
    at the same place), new findings open, candidates no longer found go. Derived data: no
    audit row."""
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return Scan(open=0, new=0)
        found: dict[tuple[str, int, int, str, str], Finding] = {}
        for field in ReportTextField.values:
            text = report_text(report, field)
            for finding in find_personal_data(text):
                passage = text[finding.start : finding.end]
                key = (field, finding.start, finding.end, finding.kind, passage_hash(passage))
                found[key] = finding
        known = RedactionCandidate.objects.filter(report=report).exclude(
            state=RedactionCandidate.State.REDACTED
        )
        kept: set[tuple[str, int, int, str, str]] = set()
        gone: list[int] = []
        for candidate in known:
            key = (
                candidate.field,
                candidate.start,
                candidate.end,
                candidate.kind,
                candidate.passage_hash,
            )
            if key in found and key not in kept:
                kept.add(key)
            else:
                gone.append(candidate.pk)
        RedactionCandidate.objects.filter(pk__in=gone).delete()
        new = [
            RedactionCandidate(
                report=report,
                field=key[0],
                start=key[1],
                end=key[2],
                kind=key[3],
                passage_hash=key[4],
                confidence=finding.confidence,
            )
            for key, finding in found.items()
            if key not in kept
        ]
        RedactionCandidate.objects.bulk_create(new)
        still_open = RedactionCandidate.objects.filter(
            report=report, state=RedactionCandidate.State.OPEN
        ).count()
        return Scan(open=still_open, new=len(new))


def scan_personal_data(*, organisation: Organisation | None = None) -> tuple[int, int]:
    """Refresh the candidates of every report (of one organisation), one report per
    transaction. Returns (reports scanned, open candidates)."""
    reports = Report.objects.all() if organisation is None else Report.objects.of(organisation)
    scanned = still_open = 0
    for report_id in reports.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=500):
        still_open += refresh_redaction_candidates(report_id).open
        scanned += 1
    return scanned, still_open


@transaction.atomic
def dismiss_candidate(*, actor: AbstractBaseUser, candidate: RedactionCandidate) -> None:
    """ "Not personal data": remembered, and not shown again unless the text there changes."""
    current = RedactionCandidate.objects.select_for_update().get(pk=candidate.pk)
    if current.state != RedactionCandidate.State.OPEN:
        raise CandidateClosed(candidate.pk)
    current.state = RedactionCandidate.State.DISMISSED
    current.decided_by = actor
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "decided_by", "decided_at"])
    record(
        "redaction_candidate.dismissed",
        actor=actor,
        organisation=candidate.report.organisation,
        obj=current,
    )


@transaction.atomic
def redact_candidate(
    *,
    actor: AbstractBaseUser,
    candidate: RedactionCandidate,
    expected_version: int,
    reason: str,
) -> Redaction:
    """Redact what the detector found, through redact_passage (the candidate becomes
    "redacted" there). CandidateClosed when it was decided or its text changed meanwhile."""
    current = _lock_current(candidate.report, expected_version)
    locked = RedactionCandidate.objects.select_for_update().get(pk=candidate.pk)
    passage = report_text(current, locked.field)[locked.start : locked.end]
    if locked.state != RedactionCandidate.State.OPEN or passage_hash(passage) != (
        locked.passage_hash
    ):
        raise CandidateClosed(candidate.pk)
    return redact_passage(
        actor=actor,
        report=candidate.report,
        expected_version=expected_version,
        field=locked.field,
        start=locked.start,
        end=locked.end,
        reason=reason,
        expected_text=passage,
    )

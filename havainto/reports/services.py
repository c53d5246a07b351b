"""State changes of reports. Views, the API, commands and tasks all call these."""

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.tasks import index_report_task
from havainto.audit.services import record
from havainto.coding.models import Phenomenon
from havainto.coding.services import state_labels
from havainto.lib.pii import Finding, find_blocking_data
from havainto.reports.forms import CHECKED_TEXT_FIELDS
from havainto.reports.models import Report, ReportDraft

Actor = AbstractBaseUser | AnonymousUser

# Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or retyped survives.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_STD_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_TO_CROCKFORD = str.maketrans(_STD_B32, _CROCKFORD)
RECEIPT_LENGTH = 16  # 80 bits


class ReplayMismatch(Exception):
    """The submission key was used before for a different report."""


class DraftConflict(Exception):
    """The draft changed elsewhere since the version the client last saw."""

    def __init__(self, current_version: int) -> None:
        super().__init__(current_version)
        self.current_version = current_version


class DraftRejected(Exception):
    """The draft holds client-identifying data, so it is not stored."""

    def __init__(self, findings: dict[str, list[Finding]]) -> None:
        super().__init__(findings)
        self.findings = findings


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    receipt: str
    created: bool


def hash_submission_key(organisation: Organisation, raw_key: str) -> str:
    return hashlib.sha256(f"{organisation.pk}:{raw_key}".encode()).hexdigest()


def derive_receipt(submission_key_hash: str) -> str:
    """The receipt code for a submission: unguessable without RECEIPT_SECRET, and the same
    again when the same submission is replayed, so a retried submit can show it again."""
    digest = hmac.new(
        settings.RECEIPT_SECRET.encode(), f"receipt:{submission_key_hash}".encode(), "sha256"
    ).digest()
    code = base64.b32encode(digest[:10]).decode().translate(_TO_CROCKFORD)
    return "-".join(code[i : i + 4] for i in range(0, RECEIPT_LENGTH, 4))


def normalise_receipt(text: str) -> str:
    """Accept receipts typed in any case, with or without dashes, and with the letters that
    are easy to confuse with digits."""
    cleaned = re.sub(r"[\s\-]", "", text.upper()).translate(str.maketrans("OIL", "011"))
    return cleaned


def hash_receipt(receipt: str) -> str:
    return hashlib.sha256(normalise_receipt(receipt).encode()).hexdigest()


def find_by_receipt(receipt: str) -> Report | None:
    code = normalise_receipt(receipt)
    if len(code) != RECEIPT_LENGTH or not all(c in _CROCKFORD for c in code):
        return None
    return Report.objects.filter(receipt_hash=hash_receipt(code)).first()


def fingerprint(cleaned: dict[str, Any]) -> str:
    """A hash of what was submitted, to tell a replay from a reused key."""

    def plain(value: Any) -> Any:
        if hasattr(value, "code"):
            return value.code
        if hasattr(value, "pk"):
            return value.pk
        if (
            isinstance(value, (list, tuple))
            or hasattr(value, "__iter__")
            and not isinstance(value, (str, dict))
        ):
            return sorted(str(plain(v)) for v in value)
        return value

    canonical = {k: plain(v) for k, v in sorted(cleaned.items()) if k != "submission_key"}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def submit_report(
    *,
    actor: Actor,
    organisation: Organisation,
    cleaned: dict[str, Any],
    raw_key: str,
    channel: str = Report.Channel.FORM,
    extra_answers: dict[str, Any] | None = None,
) -> SubmitResult:
    """Store a validated report exactly once per submission key.

    `cleaned` is ReportForm.cleaned_data. A replay of the same key with the same content
    returns the stored report and the same receipt; with other content, ReplayMismatch.
    """
    key_hash = hash_submission_key(organisation, raw_key)
    print_ = fingerprint({**cleaned, "extra": extra_answers or {}})
    existing = Report.objects.filter(submission_key=key_hash).first()
    if existing is not None:
        return _replayed(existing, print_)
    receipt = derive_receipt(key_hash)
    try:
        report = _create_report(
            actor=actor,
            organisation=organisation,
            cleaned=cleaned,
            key_hash=key_hash,
            print_=print_,
            receipt=receipt,
            channel=channel,
            extra_answers=extra_answers or {},
        )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer as a replay.
        existing = Report.objects.filter(submission_key=key_hash).first()
        if existing is None:
            raise
        return _replayed(existing, print_)
    return SubmitResult(report=report, receipt=receipt, created=True)


def _replayed(report: Report, print_: str) -> SubmitResult:
    if report.request_fingerprint != print_:
        raise ReplayMismatch(report.pk)
    return SubmitResult(report=report, receipt=derive_receipt(report.submission_key), created=False)


@transaction.atomic
def _create_report(
    *,
    actor: Actor,
    organisation: Organisation,
    cleaned: dict[str, Any],
    key_hash: str,
    print_: str,
    receipt: str,
    channel: str,
    extra_answers: dict[str, Any],
) -> Report:
    # Re-check here too: the privacy guard is the product's first promise, whatever the caller.
    # Only the blocking kinds: names are a warning the reporter may have confirmed in the form.
    for name in CHECKED_TEXT_FIELDS:
        if find_blocking_data(cleaned.get(name) or ""):
            raise ValueError(f"personal data in {name}")
    named = actor.is_authenticated and cleaned.get("identity") == "named"
    report = Report.objects.create(
        organisation=organisation,
        municipality=cleaned["municipality"],
        service_line=cleaned["service_line"],
        unit=cleaned.get("unit"),
        reporter_role=cleaned["reporter_role"],
        language=cleaned["language"],
        observation_type=cleaned["observation_type"],
        title=cleaned["title"],
        description=cleaned["description"],
        recurrence=cleaned.get("recurrence"),
        clients_affected=cleaned.get("clients_affected"),
        causes=cleaned.get("causes", ""),
        service_effects=cleaned.get("service_effects", ""),
        proposal=cleaned.get("proposal", ""),
        proposal_level=cleaned.get("proposal_level"),
        extra_answers=extra_answers,
        author=actor if named else None,
        contact_name=cleaned.get("contact_name", ""),
        contact_email=cleaned.get("contact_email", ""),
        wants_feedback=bool(cleaned.get("wants_feedback")),
        submitted_on=timezone.localdate(),
        channel=channel,
        receipt_hash=hash_receipt(receipt),
        submission_key=key_hash,
        request_fingerprint=print_,
    )
    report.client_groups.set(cleaned.get("client_groups") or [])
    report.support_needs.set(cleaned.get("support_needs") or [])
    report.sectors.set(cleaned.get("sectors") or [])
    if named:
        record("report.submitted", actor=actor, organisation=organisation, obj=report)
        ReportDraft.objects.filter(user=actor, organisation=organisation).delete()
    else:
        # Anonymous: the audit row names neither the report nor the account (LEG-09).
        record("report.submitted_anonymously", actor=None, organisation=organisation)
        if actor.is_authenticated:
            ReportDraft.objects.filter(user=actor, organisation=organisation).delete()
    # Search analysis in the background once the report is stored; a failed enqueue is logged
    # and `havainto reindex` catches up.
    transaction.on_commit(lambda: index_report_task.enqueue(report.pk), robust=True)
    return report


DRAFT_FIELDS = frozenset(
    {
        "municipality",
        "service_line",
        "unit",
        "reporter_role",
        "language",
        "observation_type",
        "title",
        "description",
        "client_groups",
        "support_needs",
        "sectors",
        "recurrence",
        "clients_affected",
        "causes",
        "service_effects",
        "proposal",
        "proposal_level",
        "identity",
        "contact_name",
        "contact_email",
        "wants_feedback",
    }
)


@transaction.atomic
def save_draft(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    data: dict[str, Any],
    base_version: int | None,
) -> ReportDraft:
    """Save a logged-in reporter's unfinished form. Refuses text with client-identifying data
    (it would be stored) and a stale version (another tab saved in between)."""
    kept = {
        k: v
        for k, v in data.items()
        if k in DRAFT_FIELDS or (k.startswith("extra_") and k[6:].isdigit())
    }
    # Names do not stop a draft: the warning about them is shown when the report is sent.
    findings = {
        name: found
        for name in CHECKED_TEXT_FIELDS
        if isinstance(kept.get(name), str) and (found := find_blocking_data(kept[name]))
    }
    if findings:
        raise DraftRejected(findings)
    draft, _created = ReportDraft.objects.select_for_update().get_or_create(
        user=actor, organisation=organisation
    )
    if base_version is not None and base_version != draft.version:
        raise DraftConflict(draft.version)
    draft.data = kept
    draft.version += 1
    draft.save()
    return draft


def discard_draft(*, actor: AbstractBaseUser, organisation: Organisation) -> None:
    ReportDraft.objects.filter(user=actor, organisation=organisation).delete()


# --- What the reporter is shown ------------------------------------------------------


def reporter_status(report: Report | None) -> dict[str, Any]:
    """What the reporter is shown about the report (receipt page, "my reports", API): its
    state and the events marked for the reporter, with the organisation's own state names in
    the reader's language, and the phenomena it is part of with their proposals' outcomes."""
    if report is None:
        return {"events": []}
    labels = state_labels(report.organisation)
    events = list(report.events.filter(visible_to_reporter=True).order_by("created_at", "id"))
    for event in events:
        event.state_label = labels.get(event.status, "") if event.status else ""
    phenomena = (
        report.phenomena.exclude(state=Phenomenon.State.MERGED)
        .prefetch_related("proposals")
        .order_by("name")
    )
    return {
        "status_label": labels.get(report.status, report.get_status_display()),
        "events": events,
        "phenomena": phenomena,
    }

"""Fixtures of the workspace tests: reports made straight in the database (fast), a second
unit that the handler does not handle, and a report of the other organisation."""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from havainto.accounts.models import Organisation, Unit
from havainto.analysis.services import index_report
from havainto.reports.models import Report, VocabularyEntry, VocabularyKind
from havainto.reports.services import derive_receipt, hash_receipt, hash_submission_key

MakeReport = Callable[..., Report]


@pytest.fixture
def make_report(db: None) -> MakeReport:
    def make(
        organisation: Organisation,
        *,
        unit: Unit | None = None,
        submitted_on: datetime.date | None = None,
        title: str = "Vuokrat nousevat",
        description: str = "Asumismenot eivät ole nousseet vuokrien tahtiin.",
        observation_type: str = "problem",
        **fields: Any,
    ) -> Report:
        vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
        key_hash = hash_submission_key(organisation, uuid.uuid4().hex)
        receipt = derive_receipt(key_hash)
        values: dict[str, Any] = {
            "municipality": organisation.municipalities.get(code="853"),
            "service_line": organisation.service_lines.get(code="adult_social_work"),
            "reporter_role": vocabulary.get(
                kind=VocabularyKind.REPORTER_ROLE, code="social_worker"
            ),
            "language": "fi",
            **fields,
        }
        report = Report.objects.create(
            organisation=organisation,
            unit=unit,
            observation_type=vocabulary.get(
                kind=VocabularyKind.OBSERVATION_TYPE, code=observation_type
            ),
            title=title,
            description=description,
            submitted_on=submitted_on or datetime.date(2025, 3, 1),
            receipt_hash=hash_receipt(receipt),
            submission_key=key_hash,
            request_fingerprint="test",
            **values,
        )
        report.receipt = receipt  # type: ignore[attr-defined]
        # Submitting indexes after commit; tests run inside a transaction, so index here.
        index_report(report.pk)
        return report

    return make


@pytest.fixture
def other_unit(org: Organisation) -> Unit:
    return Unit.objects.create(
        organisation=org,
        service_line=org.service_lines.get(code="adult_social_work"),
        municipality=org.municipalities.get(code="202"),
        name_fi="Kaarinan aikuissosiaalityö",
    )


@pytest.fixture
def report(org: Organisation, make_report: MakeReport) -> Report:
    """A report of the handler's unit."""
    return make_report(org, unit=org.units.order_by("id").first())


@pytest.fixture
def foreign_report(other_org: Organisation, make_report: MakeReport) -> Report:
    return make_report(other_org, unit=other_org.units.first())

"""The copies of the report's filter columns on its index row (PostgreSQL, REPORT_COPIES): kept
by the database on every write, also when a report changes while it is being indexed or while
`reindex` rebuilds the index, and used by the search with the same results."""

import datetime
import hashlib
import itertools
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F

from havainto.accounts.models import Organisation, Unit
from havainto.analysis.models import REPORT_COPIES, ReportIndex, reindexing
from havainto.analysis.search import find
from havainto.analysis.services import index_report, reindex
from havainto.reports.models import Report, Status, VocabularyEntry

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="copies exist on PostgreSQL"),
]
_serial = itertools.count()


def _report(organisation: Organisation, title: str = "Kelan jono", **fields: Any) -> Report:
    key = hashlib.sha256(f"copies-{next(_serial)}".encode()).hexdigest()
    vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
    values: dict[str, Any] = {
        "municipality": organisation.municipalities.order_by("code").first(),
        "service_line": organisation.service_lines.get(code="adult_social_work"),
        "reporter_role": vocabulary.get(kind="reporter_role", code="social_worker"),
        "observation_type": vocabulary.get(kind="observation_type", code="problem"),
        "submitted_on": datetime.date(2025, 3, 1),
        **fields,
    }
    return Report.objects.create(
        organisation=organisation,
        language="fi",
        title=title,
        description="Asiakas odotti Kelan päätöstä viikkoja.",
        receipt_hash=key,
        submission_key=key,
        request_fingerprint=key,
        **values,
    )


def _copies(report_id: int) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(REPORT_COPIES)} FROM analysis_reportindex "  # noqa: S608
            "WHERE report_id = %s",
            [report_id],
        )
        row = cursor.fetchone()
    return dict(zip(REPORT_COPIES, row, strict=True)) if row else {}


def _values(report_id: int) -> dict[str, Any]:
    return Report.objects.filter(pk=report_id).values(*REPORT_COPIES).get()


@pytest.mark.django_db
def test_every_write_keeps_the_copies(org: Organisation) -> None:
    report = _report(org)
    index_report(report.pk)
    assert _copies(report.pk) == _values(report.pk)

    unit = Unit.objects.create(
        organisation=org,
        service_line=org.service_lines.get(code="adult_social_work"),
        name_fi="Aikuissosiaalityö",
    )
    municipality = org.municipalities.order_by("code").last()
    Report.objects.filter(pk=report.pk).update(
        status=Status.CODED,
        unit=unit,
        municipality=municipality,
        submitted_on=datetime.date(2025, 4, 2),
        version=F("version") + 1,
    )
    assert _copies(report.pk) == _values(report.pk)
    assert _copies(report.pk)["status"] == Status.CODED

    index_report(report.pk)  # the index row updated in place
    assert _copies(report.pk) == _values(report.pk)
    reindex(actor=None, organisation=org)  # deleted and written again
    assert _copies(report.pk) == _values(report.pk)
    # reindex puts its setting back: later writes lock the report again.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('havainto.reindexing', true)")
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.django_db
def test_a_status_filter_finds_a_report_after_its_status_changed(org: Organisation) -> None:
    report = _report(org)
    index_report(report.pk)
    received = Report.objects.of(org).filter(status=Status.RECEIVED)
    coded = Report.objects.of(org).filter(status=Status.CODED)
    assert [hit.report_id for hit in find(received, "kela").hits] == [report.pk]

    Report.objects.filter(pk=report.pk).update(status=Status.CODED)
    assert find(received, "kela").hits == []
    assert [hit.report_id for hit in find(coded, "kela").hits] == [report.pk]


def _in_thread(work: Any) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_a_status_change_during_a_reindex_reaches_the_new_index_row(org: Organisation) -> None:
    """The reindex has deleted the report's index row and written a new one from the old
    status; the change waits for it and then updates the new row."""
    report = _report(org)
    index_report(report.pk)
    changed = threading.Event()
    with transaction.atomic(), reindexing("default"):
        ReportIndex.objects.filter(report_id=report.pk).delete()
        index = ReportIndex.objects.create(
            report_id=report.pk,
            organisation_id=org.pk,
            language="fi",
            title_terms="kela jono",
            terms="",
            analysed_at=datetime.datetime.now(datetime.UTC),
            analyser_version=1,
        )
        assert index.pk == report.pk

        def change() -> None:
            Report.objects.filter(pk=report.pk).update(status=Status.CODED)
            changed.set()

        thread = _in_thread(change)
        # The change waits for this transaction (it must update the row deleted here).
        assert not changed.wait(timeout=1)
    thread.join(timeout=30)
    assert changed.is_set()
    assert _copies(report.pk)["status"] == Status.CODED


@pytest.mark.django_db(transaction=True)
def test_indexing_and_status_changes_at_once_end_consistent(org: Organisation) -> None:
    """index_report and status changes of the same reports, in parallel: no deadlock, and
    every copy ends equal to its report."""
    reports = [_report(org) for _ in range(4)]
    statuses = [Status.RECEIVED, Status.IN_HANDLING, Status.CODED, Status.CLOSED]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def index_all() -> None:
        barrier.wait()
        for _ in range(10):
            for report in reports:
                index_report(report.pk)

    def change_all() -> None:
        barrier.wait()
        for step in range(10):
            with transaction.atomic():
                for report in reversed(reports):
                    Report.objects.filter(pk=report.pk).update(
                        status=statuses[step % len(statuses)], version=F("version") + 1
                    )

    def guarded(work: Any) -> Any:
        def run() -> None:
            try:
                work()
            except BaseException as error:
                errors.append(error)

        return run

    threads = [_in_thread(guarded(index_all)), _in_thread(guarded(change_all))]
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    for report in reports:
        assert _copies(report.pk) == _values(report.pk)

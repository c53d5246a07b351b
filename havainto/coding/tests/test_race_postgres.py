"""Concurrent edits on PostgreSQL (REL-06): of N simultaneous saves from the same version,
exactly one wins and the others get EditConflict; nothing is lost or doubled."""

import threading
from typing import Any

import pytest
from django.db import connection

from havainto.coding import services
from havainto.coding.models import Transition
from havainto.reports.models import Report, ReportEvent

WRITERS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_state_changes__one_wins_the_rest_conflict(
    coordinator: Any, report: Report
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers are tested on PostgreSQL")
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []
    targets = ["in_handling", "coded", "forwarded", "answered"] * 2

    def save(to_status: str) -> None:
        try:
            stale = Report.objects.get(pk=report.pk)
            barrier.wait()
            services.change_state(
                actor=coordinator,
                report=stale,
                expected_version=1,
                to_status=to_status,
                reason=f"race {to_status}",
            )
            outcomes.append("saved")
        except services.EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["saved"]
    report.refresh_from_db()
    assert report.version == 2
    transition = Transition.objects.get(report=report)
    assert report.status == transition.to_status
    assert ReportEvent.objects.filter(report=report).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_sequential_saves_from_fresh_versions__all_count(coordinator: Any, report: Report) -> None:
    """50 saves in a row, each from the version it read: version = 1 + saves."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    barrier = threading.Barrier(4)
    saved: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                current = Report.objects.get(pk=report.pk)
                try:
                    services.assign_report(
                        actor=coordinator,
                        report=current,
                        expected_version=current.version,
                        assignee=coordinator,
                    )
                    saved.append(1)
                except services.EditConflict:
                    pass
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    report.refresh_from_db()
    assert report.version == 1 + len(saved)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_phenomenon_edits__one_wins_the_rest_conflict(coordinator: Any) -> None:
    """REL-06 for phenomena: N coordinators add a proposal from the same version at once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers are tested on PostgreSQL")
    from havainto.coding.models import Phenomenon, Proposal

    phenomenon = services.create_phenomenon(
        actor=coordinator, organisation=coordinator.memberships.first().organisation, name="P"
    )
    barrier = threading.Barrier(WRITERS)
    outcomes: list[str] = []

    def save(number: int) -> None:
        try:
            stale = Phenomenon.objects.get(pk=phenomenon.pk)
            barrier.wait()
            services.add_proposal(
                actor=coordinator, phenomenon=stale, expected_version=1, text=f"ehdotus {number}"
            )
            outcomes.append("saved")
        except services.PhenomenonConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * (WRITERS - 1) + ["saved"]
    phenomenon.refresh_from_db()
    assert phenomenon.version == 2
    assert Proposal.objects.filter(phenomenon=phenomenon).count() == 1

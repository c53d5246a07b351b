# ruff: noqa: T201
"""Theme suggestions on the demo data: training time, ranking time, report page time.

    .venv/bin/python scripts/bench_suggestions.py [--organisation varha] [--reports 30]

Loads `havainto demo` into a throw-away SQLite database, then codes the demo reports that are
past "in handling" with the theme their text was written for (the demo plan knows it), as the
coordinators would have, and measures in this process:

1. `train_theme_model` for the organisation (what the background task does), without and with
   ranking the newest uncoded reports afterwards;
2. ranking one report's themes with the loaded model (`--reports` reports, one at a time);
3. the report page `GET /o/<slug>/reports/<pk>/` as the coordinator (Django test client):
   without suggestions, with the ranking cached, and without a current ranking (the page
   never ranks: it shows "being prepared" and enqueues the ranking), then the panel's own
   request once the ranking has run.

Nothing is written outside the temporary directory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(samples: list[float]) -> str:
    return (
        f"median {1000 * statistics.median(samples):.0f} ms, "
        f"p90 {1000 * sorted(samples)[int(0.9 * (len(samples) - 1))]:.0f} ms, "
        f"max {1000 * max(samples):.0f} ms (n={len(samples)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisation", default="varha")
    parser.add_argument("--reports", type=int, default=30)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="hv-bench-suggest-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from havainto.accounts.models import Organisation, Role
    from havainto.analysis import services, suggestions
    from havainto.analysis.models import ReportSuggestions
    from havainto.coding.models import ReportTheme, Theme
    from havainto.coding.views import handling as coding_views
    from havainto.core import demo
    from havainto.core import demo_texts as texts
    from havainto.reports.models import Report, Status
    from havainto.reports.services import hash_submission_key

    setup_test_environment()  # lets the test client log in without the login form
    call_command("migrate", verbosity=0)
    today = date.today()
    call_command("demo", "--today", today.isoformat(), stdout=open(os.devnull, "w"))  # noqa: SIM115
    organisation = Organisation.objects.get(slug=args.organisation)

    # Code the reports a coordinator has handled, with the theme their text was written for.
    themes_of = {o.key: o.theme for o in (*texts.FINNISH, *texts.SWEDISH, *texts.EMERGING)}
    plan = demo.plan_reports(organisation.slug, today=today)
    by_key = {hash_submission_key(organisation, f"demo-{p.index}"): p for p in plan}
    themes = {t.code: t for t in Theme.objects.filter(organisation=organisation)}
    handled = {Status.CODED, Status.FORWARDED, Status.ANSWERED, Status.CLOSED}
    rows = []
    for report in Report.objects.of(organisation).only("pk", "submission_key", "status"):
        planned = by_key[report.submission_key]
        code = themes_of[planned.base]
        if report.status in handled and code in themes:
            rows.append(ReportTheme(report=report, theme=themes[code]))
    ReportTheme.objects.bulk_create(rows, ignore_conflicts=True)  # the demo codes some itself
    total = Report.objects.of(organisation).count()
    print(f"Organisation {organisation.slug}: {total} reports, {len(rows)} coded by the demo plan")

    started = time.perf_counter()
    snapshot = services.train_theme_model(actor=None, organisation=organisation, warm=False)
    trained = time.perf_counter() - started
    assert snapshot is not None
    print(
        f"1. Training ({snapshot.kind}, {snapshot.coded_reports} coded reports, "
        f"{snapshot.themes_in_use} main themes): {trained:.1f} s; cross-validated top-1 "
        f"{snapshot.top1:.0%}, top-3 {snapshot.top3:.0%}; model {len(snapshot.model) / 1e6:.1f} MB"
    )
    started = time.perf_counter()
    warmed = services.warm_suggestions(snapshot)
    warming = time.perf_counter() - started
    print(
        f"   + ranking the {warmed} newest uncoded reports in batches: {warming:.1f} s "
        f"({1000 * warming / max(warmed, 1):.0f} ms a report)"
    )

    uncoded = list(
        Report.objects.of(organisation)
        .exclude(pk__in=ReportTheme.objects.values("report_id"))
        .order_by("pk")[: args.reports]
    )
    model = suggestions.load_model(snapshot)
    model.suggest_many(suggestions.report_dicts(Report.objects.filter(pk=uncoded[0].pk)))
    samples = []
    for report in uncoded:
        started = time.perf_counter()
        item = suggestions.report_dicts(Report.objects.filter(pk=report.pk))
        suggestions.rank(model, item)
        samples.append(time.perf_counter() - started)
    print(f"2. Ranking one report (read from the database + model): {median_ms(samples)}")

    coordinator = (
        organisation.memberships.filter(role=Role.COORDINATOR).select_related("user").first().user
    )
    client = Client()
    client.force_login(coordinator)

    def page(report: Report) -> float:
        started = time.perf_counter()
        response = client.get(f"/o/{organisation.slug}/reports/{report.pk}/")
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    def panel(report: Report) -> float:
        started = time.perf_counter()
        url = f"/o/{organisation.slug}/reports/{report.pk}/suggestions/"
        response = client.get(url, headers={"HX-Request": "true"})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed

    for report in uncoded:
        services.rank_report_themes(report.pk)  # what the worker does (nothing if current)
    for report in uncoded[:3]:
        page(report)  # warm caches (templates) before measuring
    real = coding_views.report_suggestions
    coding_views.report_suggestions = lambda report: None  # type: ignore[assignment]
    without = [page(report) for report in uncoded]
    coding_views.report_suggestions = real
    cached = [page(report) for report in uncoded]
    ReportSuggestions.objects.filter(report__in=uncoded).delete()
    preparing = [page(report) for report in uncoded]
    for report in uncoded:
        services.rank_report_themes(report.pk)
    ready = [panel(report) for report in uncoded]
    print("3. Report page as the coordinator:")
    print(f"   without suggestions:              {median_ms(without)}")
    print(f"   with suggestions, cached:         {median_ms(cached)}")
    print(f"   without a ranking (placeholder):  {median_ms(preparing)}")
    print(f"   the panel's request, once ranked: {median_ms(ready)}")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {workdir})")


if __name__ == "__main__":
    main()

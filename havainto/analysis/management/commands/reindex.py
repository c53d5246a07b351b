"""`havainto reindex [--organisation SLUG]`: rebuild the search index of the reports."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from havainto.accounts.models import Organisation
from havainto.analysis.services import reindex


class Command(BaseCommand):
    help = (
        "Analyse every report again (lemmas and compound parts) and rebuild the full-text "
        "search index; after an upgrade of the language analysis, or to catch up on reports "
        "whose background analysis did not run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Only this organisation's reports."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        started = time.monotonic()
        total = reindex(actor=None, organisation=organisation)
        seconds = time.monotonic() - started
        scope = f"organisation {organisation.slug}" if organisation else "all organisations"
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {total} reports of {scope} in {seconds:.1f} s.")
        )

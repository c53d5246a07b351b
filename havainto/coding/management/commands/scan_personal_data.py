"""`havainto scan_personal_data [--organisation SLUG]`: fill the redaction queue by running the
personal-data detector over the reports (new reports are scanned when they are indexed)."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from havainto.accounts.models import Organisation
from havainto.coding.services import scan_personal_data


class Command(BaseCommand):
    help = (
        "Look for personal data (identity codes, phone numbers, addresses, names …) in the "
        "texts of every report and refresh the redaction queue. Dismissed findings stay "
        "dismissed while their text is unchanged."
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
        scanned, still_open = scan_personal_data(organisation=organisation)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Scanned {scanned} reports in {seconds:.1f} s; {still_open} findings are open."
            )
        )

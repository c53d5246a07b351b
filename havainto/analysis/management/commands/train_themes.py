"""`havainto train_themes [--organisation SLUG]`: train the theme suggestion models now.

For a manual or nightly run; the workspace also retrains in the background after coding
decisions. Trains in this process (not through the task queue) and prints what it stored.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from havainto.accounts.models import Organisation
from havainto.analysis.models import ThemeModelSnapshot
from havainto.analysis.services import train_theme_model


def describe(organisation: Organisation, snapshot: ThemeModelSnapshot | None) -> str:
    if snapshot is None:
        return f"{organisation.slug}: skipped (another training runs, or the codebook is empty)"
    if snapshot.state == ThemeModelSnapshot.State.FAILED:
        return f"{organisation.slug}: training failed ({snapshot.error}); see the log"
    if not snapshot.trained:
        return (
            f"{organisation.slug}: zero-shot model from the codebook "
            f"({snapshot.coded_reports} coded reports are too few to learn from)"
        )
    figures = (
        f"; cross-validated top-1 {snapshot.top1:.0%}, top-3 {snapshot.top3:.0%}"
        if snapshot.top1 is not None and snapshot.top3 is not None
        else ""
    )
    return (
        f"{organisation.slug}: trained on {snapshot.coded_reports} coded reports "
        f"({snapshot.themes_in_use} main themes) in {snapshot.seconds:.1f} s{figures}"
    )


class Command(BaseCommand):
    help = (
        "Train the theme suggestion model of every organisation (or one) from its coded "
        "reports, store it, and rank the themes of its newest uncoded reports."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", metavar="SLUG", help="Only this organisation.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("slug")
        if options["organisation"]:
            organisations = organisations.filter(slug=options["organisation"])
            if not organisations.exists():
                raise CommandError(f"No organisation {options['organisation']!r}.")
        failed = False
        for organisation in organisations:
            snapshot = train_theme_model(actor=None, organisation=organisation)
            failed = failed or (
                snapshot is not None and snapshot.state == ThemeModelSnapshot.State.FAILED
            )
            self.stdout.write(describe(organisation, snapshot))
        if failed:
            raise CommandError("A training failed.")

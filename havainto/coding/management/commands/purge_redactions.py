"""`havainto purge_redactions`: erase the originals of redacted passages whose retention has
passed. Idempotent and safe to run daily (docs/deployment.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from havainto.coding.services import purge_redaction_originals


class Command(BaseCommand):
    help = (
        "Erase the originals of redacted passages kept longer than their organisation's "
        "retention (one audit row each). Run daily; running it again erases nothing more."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_redaction_originals()
        self.stdout.write(f"Erased {purged} originals of redacted passages.")

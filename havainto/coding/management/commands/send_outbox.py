"""Send the pending outbox e-mails (run from cron or after a mail outage)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from havainto.coding.services import deliver_pending


class Command(BaseCommand):
    help = "Send pending outbox e-mails once each; with --loop, keep doing it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="Rows per round.")
        parser.add_argument("--loop", action="store_true", help="Repeat every --interval s.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args: Any, limit: int, loop: bool, interval: int, **options: Any) -> None:
        while True:
            sent, pending = deliver_pending(limit=limit)
            self.stdout.write(f"sent {sent}, still pending {pending}")
            if not loop:
                return
            time.sleep(interval)

"""`havainto signals --reports FILE.jsonl [--period quarter] [--until DATE]`: weak signals.

Reads the reports of a UTF-8 JSON-lines file (eval-format: id, submitted_at, language, title,
description, proposal, municipality, service_line; missing fields are tolerated, reports
without a valid date are left out) and writes one JSON line per weak signal of the latest
period (the one holding `--until`, default the latest report), strongest first:

    {"label", "terms": [...], "score", "report_ids": [...], "kind", "period", "window",
     "recent", "earlier", "municipalities", "new_municipalities", "service_lines",
     "new_service_lines", "languages"}

The latest period is compared together with the `--window - 1` periods before it (default 2
periods in all) against everything earlier; see havainto.lib.signals for the method.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from havainto.analysis.management.commands.analyse import read_jsonl
from havainto.analysis.records import signal_input
from havainto.lib.signals import PERIODS, detect_signals


class Command(BaseCommand):
    help = (
        "Write the weak signals of the latest period of a JSONL file of reports, strongest first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--reports", required=True, type=Path, metavar="FILE.jsonl")
        parser.add_argument("--period", choices=PERIODS, default="quarter")
        parser.add_argument(
            "--until", metavar="YYYY-MM-DD", help="Leave out later reports; default: all."
        )
        parser.add_argument(
            "--window",
            type=int,
            default=2,
            help="Periods compared with everything earlier: the latest and the ones before it.",
        )
        parser.add_argument("--top", type=int, default=0, help="At most this many (0: all).")
        parser.add_argument(
            "--no-embeddings",
            action="store_true",
            help="Skip the sentence embeddings (no cross-language grouping).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["reports"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        until = None
        if options["until"]:
            try:
                until = date.fromisoformat(options["until"])
            except ValueError as exc:
                raise CommandError(f"--until: not a date: {options['until']}") from exc
        if options["window"] < 1:
            raise CommandError("--window must be at least 1")
        signals = detect_signals(
            signal_input(read_jsonl(path)),
            period=options["period"],
            until=until,
            window=options["window"],
            use_embeddings=not options["no_embeddings"],
        )
        if options["top"] > 0:
            signals = signals[: options["top"]]
        for signal in signals:
            self.stdout.write(json.dumps(signal.as_dict(), ensure_ascii=False))

"""`havainto search --reports FILE.jsonl`: the product's search over a file of reports.

Loads the reports (docs: ../shared/spec/eval-format.md) into a throw-away SQLite database with
the product's own indexing, then reads one query per line on stdin, as a user would type it in
the search box, and writes one JSON line per query: {"query": ..., "ids": [report ids, best
first]}, with the same analysis and matching as the search screen (havainto.analysis.search).

How the throw-away database is set up: the command runs itself again in a child process whose
DATABASE_URL names a SQLite file in a temporary directory. Django reads the database settings
once, when it starts, and by the time a command runs the default connection is configured (and
may be the production PostgreSQL), so swapping connections in-process would leave other cached
state (connection handlers, settings) pointing at the real database. A fresh process gets a
coherent configuration from the start; the parent only creates and removes the temporary
directory and passes the child's lines through. The child refuses to load anything unless its
default database is exactly that temporary file.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from havainto.accounts.models import Organisation
from havainto.accounts.services import create_organisation
from havainto.analysis.search import match
from havainto.analysis.services import reindex
from havainto.reports.models import Report, VocabularyEntry, VocabularyKind

# Set in the child's environment: the path of its throw-away database.
THROWAWAY_ENV = "HAVAINTO_SEARCH_THROWAWAY_DB"
SLUG = "search"
BATCH = 1000


class Command(BaseCommand):
    help = (
        "Load reports from a JSONL file into a throw-away database, then answer one search "
        'query per line of stdin with a JSON line {"query", "ids"} (best match first).'
    )
    # The parent process never touches a database; the child migrates its own.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--reports", required=True, type=Path, metavar="FILE.jsonl", help="Reports to load."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["reports"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        throwaway = os.environ.get(THROWAWAY_ENV)
        if throwaway:
            self._serve(path.resolve(), Path(throwaway))
        else:
            self._run_child(path.resolve())

    # --- Parent ---------------------------------------------------------------------------

    def _run_child(self, path: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="havainto-search-") as directory:
            database = Path(directory) / "search.sqlite3"
            env = {
                **os.environ,
                "DATABASE_URL": f"sqlite:///{database}",
                THROWAWAY_ENV: str(database),
                "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "PYTHONIOENCODING": "utf-8",
            }
            command = [sys.executable, "-m", "havainto.manage", "search", "--reports", str(path)]
            # stdin and stderr are inherited; stdout is passed on line by line.
            with subprocess.Popen(  # noqa: S603 - our own interpreter and command
                command, env=env, stdout=subprocess.PIPE, encoding="utf-8"
            ) as child:
                assert child.stdout is not None
                for line in child.stdout:
                    self.stdout.write(line, ending="")
                    self.stdout.flush()
            if child.returncode:
                raise CommandError(f"The search process failed (exit code {child.returncode}).")

    # --- Child ----------------------------------------------------------------------------

    def _serve(self, path: Path, throwaway: Path) -> None:
        database = settings.DATABASES["default"]
        if connection.vendor != "sqlite" or Path(str(database["NAME"])) != throwaway:
            raise CommandError("Refusing to load reports into a database that is not throw-away.")
        with connection.cursor() as cursor:
            # Nothing here needs to survive a crash.
            cursor.execute("PRAGMA synchronous=OFF")
        call_command("migrate", verbosity=0, interactive=False)
        rows = read_reports(path)
        organisation, external_ids = load_reports(rows)
        reindex(actor=None, organisation=organisation)
        reports = Report.objects.of(organisation)
        out = sys.stdout
        for raw in sys.stdin.buffer:
            query = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            ids = [external_ids[m.report_id] for m in match(reports, query, limit=None)]
            out.write(json.dumps({"query": query, "ids": ids}, ensure_ascii=False) + "\n")
            out.flush()


def read_reports(path: Path) -> list[dict[str, Any]]:
    rows = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}:{number}: not JSON ({exc})") from exc
            if not isinstance(row, dict) or "id" not in row:
                raise CommandError(f"{path}:{number}: a report needs an id")
            if str(row["id"]) in seen:
                raise CommandError(f"{path}:{number}: the id {row['id']!r} is used twice")
            seen.add(str(row["id"]))
            rows.append(row)
    return rows


def _entries(organisation: Organisation, kind: str, codes: set[str]) -> dict[str, VocabularyEntry]:
    """The organisation's vocabulary entries of a kind by code, adding codes it lacks."""
    have = {e.code: e for e in VocabularyEntry.objects.filter(organisation=organisation, kind=kind)}
    missing = [
        VocabularyEntry(organisation=organisation, kind=kind, code=code, label_fi=code)
        for code in sorted(codes - have.keys())
    ]
    for entry in VocabularyEntry.objects.bulk_create(missing):
        have[entry.code] = entry
    return have


@transaction.atomic
def load_reports(rows: list[dict[str, Any]]) -> tuple[Organisation, dict[int, str]]:
    """An organisation with the municipalities and service lines of the rows, and the reports;
    returns it with the map from database id to the file's report id."""

    def codes(key: str, default: str) -> set[str]:
        return {str(row.get(key) or default) for row in rows}

    organisation = create_organisation(
        actor=None,
        slug=SLUG,
        name_fi="Haku",
        languages=["fi", "sv", "en"],
        municipalities=[{"code": c, "fi": c} for c in sorted(codes("municipality", "000"))],
        service_lines=[{"code": c, "fi": c} for c in sorted(codes("service_line", "other"))],
    )
    municipalities = {m.code: m for m in organisation.municipalities.all()}
    lines = {s.code: s for s in organisation.service_lines.all()}
    types = _entries(
        organisation, VocabularyKind.OBSERVATION_TYPE, codes("observation_type", "problem")
    )
    roles = _entries(organisation, VocabularyKind.REPORTER_ROLE, codes("reporter_role", "other"))
    reports = []
    for row in rows:
        key = hashlib.sha256(f"search:{row['id']}".encode()).hexdigest()
        reports.append(
            Report(
                organisation=organisation,
                municipality=municipalities[str(row.get("municipality") or "000")],
                service_line=lines[str(row.get("service_line") or "other")],
                reporter_role=roles[str(row.get("reporter_role") or "other")],
                observation_type=types[str(row.get("observation_type") or "problem")],
                language=str(row.get("language") or "fi")[:2],
                title=str(row.get("title") or ""),
                description=str(row.get("description") or ""),
                causes=str(row.get("causes") or ""),
                service_effects=str(row.get("service_effects") or ""),
                proposal=str(row.get("proposal") or ""),
                submitted_on=_day(row.get("submitted_at")),
                channel=Report.Channel.API,
                receipt_hash=key,
                submission_key=key,
                request_fingerprint=key,
            )
        )
    external: dict[int, str] = {}
    for start in range(0, len(reports), BATCH):
        batch = reports[start : start + BATCH]
        Report.objects.bulk_create(batch)
        for report, row in zip(batch, rows[start : start + BATCH], strict=True):
            external[report.pk] = str(row["id"])
    return organisation, external


def _day(value: object) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return date(2000, 1, 1)

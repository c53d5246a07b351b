"""`havainto analyse [--train FILE.jsonl]`: theme suggestions and personal-data findings.

Reads JSON lines on stdin (UTF-8), each a report in the eval-format form (at least id, title,
description, proposal, language; ../shared/spec/eval-format.md), and writes one JSON line per
input line, in order:

    {"id": ..., "themes": [codes, best first], "pii": [{"kind", "start", "end", "field"}]}

- `themes`: the `--top` (default 5, at least 3) best themes of the codebook
  (havainto.lib.themes). The model is, in this order: trained from the labelled reports of
  `--train FILE.jsonl` (their `themes`, main theme first); loaded from `--model FILE` (bytes
  of `ThemeModel.to_bytes`); the model stored in the database, when the product has one
  (`havainto.analysis.services.stored_theme_model()`, if that function exists); else the
  zero-shot model of the default codebook (havainto/data/taxonomy.json).
- `pii`: every finding of `havainto.lib.pii.find_personal_data` in title, description,
  proposal, causes and service_effects, with offsets into that field's string.
- `--save-model FILE` writes the model in use to FILE (to reuse a trained one with --model).
- `--explain` adds "suggestions": [{"code", "score", "why": [words]}] for the same themes.

The sentence embedder runs on two threads here (`HAVAINTO_EMBED_THREADS`, if set, wins).

A line that is not a JSON object gives {"id": null, "error": "..."}; missing or non-string
fields count as empty. Reports are processed in batches, so the sentence embedder runs once per
batch; output is flushed after each batch.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from argparse import ArgumentParser
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError

from havainto.lib import themes
from havainto.lib.pii import find_personal_data

logger = logging.getLogger(__name__)

PII_FIELDS = ("title", "description", "proposal", "causes", "service_effects")
BATCH = 64


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a UTF-8 JSON-lines file (blank and non-object lines skipped)."""
    result = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if isinstance(value, dict):
                result.append(value)
    return result


def clean_report(value: Mapping[str, Any]) -> dict[str, Any]:
    """The report with text fields as strings (None and other types become "")."""
    report = dict(value)
    for name in themes.TEXT_FIELDS:
        if not isinstance(report.get(name), str):
            report[name] = ""
    return report


def pii_findings(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    findings = []
    for name in PII_FIELDS:
        text = report.get(name)
        if not isinstance(text, str) or not text:
            continue
        for finding in find_personal_data(text):
            findings.append(
                {"kind": finding.kind, "start": finding.start, "end": finding.end, "field": name}
            )
    return findings


def load_model(train: Path | None, model_file: Path | None) -> themes.ThemeModel:
    if train is not None:
        if not train.is_file():
            raise CommandError(f"No such file: {train}")
        return themes.train(read_jsonl(train))
    if model_file is not None:
        if not model_file.is_file():
            raise CommandError(f"No such file: {model_file}")
        try:
            return themes.ThemeModel.from_bytes(model_file.read_bytes())
        except ValueError as exc:
            raise CommandError(f"{model_file}: {exc}") from exc
    stored = stored_model()
    return stored if stored is not None else themes.zero_shot()


def stored_model() -> themes.ThemeModel | None:
    """The theme model kept in the database, if the product stores one and it loads."""
    try:
        from havainto.analysis import services
    except ImportError:  # pragma: no cover - the app is part of the project
        return None
    lookup = getattr(services, "stored_theme_model", None)
    if lookup is None:
        return None
    try:
        data = lookup()
        return themes.ThemeModel.from_bytes(data) if data else None
    except Exception:  # the database may be absent or unmigrated: fall back to zero-shot
        logger.warning("no usable stored theme model; using the zero-shot model", exc_info=True)
        return None


def _lines(stream: IO[str]) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


class Command(BaseCommand):
    help = (
        "Read reports as JSON lines on stdin and write one JSON line per report: "
        '{"id", "themes": [codes, best first], "pii": [{"kind", "start", "end", "field"}]}.'
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--train",
            type=Path,
            metavar="FILE.jsonl",
            help="Train the theme model from the labelled reports in FILE (their 'themes').",
        )
        parser.add_argument(
            "--model", type=Path, metavar="FILE", help="Load a theme model saved with to_bytes."
        )
        parser.add_argument(
            "--save-model",
            type=Path,
            metavar="FILE",
            help="Write the model in use (e.g. the one --train made) to FILE for --model.",
        )
        parser.add_argument(
            "--top", type=int, default=5, help="How many themes per report (at least 3)."
        )
        parser.add_argument(
            "--explain", action="store_true", help="Add scores and 'why' words per theme."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A batch run owns the machine: two embedder threads take 1,000 reports in about half
        # the time of one (docs/benchmarks.md). Web and worker processes keep the default 1.
        os.environ.setdefault("HAVAINTO_EMBED_THREADS", str(min(2, os.cpu_count() or 1)))
        model = load_model(options["train"], options["model"])
        if options["save_model"] is not None:
            options["save_model"].write_bytes(model.to_bytes())
        top = max(3, options["top"])
        stdin = sys.stdin
        if hasattr(stdin, "reconfigure"):
            stdin.reconfigure(encoding="utf-8", errors="replace")
        stdout = self.stdout
        batch: list[str] = []
        for line in _lines(stdin):
            batch.append(line)
            if len(batch) >= BATCH:
                self._write(model, batch, top, options["explain"], stdout)
                batch = []
        if batch:
            self._write(model, batch, top, options["explain"], stdout)

    def _write(
        self, model: themes.ThemeModel, lines: list[str], top: int, explain: bool, out: Any
    ) -> None:
        parsed: list[dict[str, Any] | str] = []
        for line in lines:
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                parsed.append(f"not JSON: {exc.msg}")
                continue
            parsed.append(clean_report(value) if isinstance(value, dict) else "not an object")
        reports = [p for p in parsed if isinstance(p, dict)]
        suggestions = iter(model.suggest_many(reports, top=top))
        for item in parsed:
            if isinstance(item, str):
                out.write(json.dumps({"id": None, "error": item}, ensure_ascii=False))
                continue
            ranked = next(suggestions)
            result: dict[str, Any] = {
                "id": item.get("id"),
                "themes": [s.code for s in ranked],
                "pii": pii_findings(item),
            }
            if explain:
                result["suggestions"] = [
                    {"code": s.code, "score": s.score, "why": s.why} for s in ranked
                ]
            out.write(json.dumps(result, ensure_ascii=False))
        out.flush()

# ruff: noqa: T201
"""Measure havainto.lib.language on the labelled reports (Django-free).

    .venv/bin/python scripts/measure_language.py [--reports PATH] [--fallback] [--errors]

Reads reports.jsonl (format: /work/shared/spec/eval-format.md) and prints:

- language detection accuracy against the `language` field, on the whole report (title +
  description + proposal) and on the title alone (a short text), with the confusions;
- analysis time per report (`Analyser.index_terms` with the report's language): "cold" with
  empty word caches (dictionaries already loaded), "warm" on a second pass; mean, p95 and max;
- vocabulary size: distinct index terms, and distinct lemmas + links (the query-side terms),
  overall and per language.

`--fallback` measures Finnish without Voikko (simplemma), as on a machine without libvoikko.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from havainto.lib import language  # noqa: E402

DEFAULT_REPORTS = Path("/work/shared/eval/reports.jsonl")


def load_reports(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report_text(report: dict[str, object]) -> str:
    parts = (report.get("title"), report.get("description"), report.get("proposal"))
    return "\n".join(str(part) for part in parts if part)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def detection(reports: list[dict[str, object]], show_errors: bool) -> None:
    for label, text_of in (
        ("whole report", report_text),
        ("title only", lambda r: str(r.get("title", ""))),
    ):
        confusion: collections.Counter[tuple[str, str]] = collections.Counter()
        errors = []
        for report in reports:
            text = text_of(report)
            guess = language.detect_language(text)
            confusion[(str(report["language"]), guess)] += 1
            if guess != report["language"]:
                errors.append((report["id"], report["language"], guess, text[:80]))
        start = time.perf_counter()
        for report in reports:
            language.detect_language(text_of(report))
        per_report = (time.perf_counter() - start) / len(reports) * 1000
        correct = sum(n for (truth, guess), n in confusion.items() if truth == guess)
        print(
            f"  {label:13} {correct}/{len(reports)} = {correct / len(reports):.1%}"
            f"   confusions: {dict((k, v) for k, v in confusion.items() if k[0] != k[1]) or '-'}"
            f"   ({per_report:.3f} ms per text)"
        )
        if show_errors:
            for error in errors:
                print("     ", *error)


def timing(analyser: language.Analyser, reports: list[dict[str, object]]) -> None:
    texts = [(report_text(r), str(r["language"])) for r in reports]
    words = [len(language.tokenize(text)) for text, _ in texts]
    # Load the dictionaries first: simplemma needs seconds per language on first use.
    for lang in {lang for _, lang in texts}:
        analyser.index_terms("alku", lang)
    language.clear_caches()
    for label in ("cold", "warm"):
        times = []
        for text, lang in texts:
            start = time.perf_counter()
            analyser.index_terms(text, lang)
            times.append((time.perf_counter() - start) * 1000)
        per_100 = sum(times) / sum(words) * 100
        mean, p95 = statistics.mean(times), percentile(times, 0.95)
        print(
            f"  {label}: mean {mean:.2f} ms, p95 {p95:.2f} ms, max {max(times):.2f} ms per report;"
            f" {per_100:.2f} ms per 100 words"
        )
    print(
        f"  report length: mean {statistics.mean(words):.0f} tokens,"
        f" p95 {percentile([float(w) for w in words], 0.95):.0f}, max {max(words)}"
    )


def vocabulary(analyser: language.Analyser, reports: list[dict[str, object]]) -> None:
    terms: dict[str, set[str]] = collections.defaultdict(set)
    core: dict[str, set[str]] = collections.defaultdict(set)
    tokens: dict[str, set[str]] = collections.defaultdict(set)
    for report in reports:
        lang = str(report["language"])
        for token in language.tokenize(report_text(report)):
            analysis = analyser.analyse_word(token.text, lang)
            tokens[lang].add(token.text.lower())
            terms[lang].update(analysis.terms)
            core[lang].update(analysis.core)
    for lang in sorted(terms):
        print(
            f"  {lang}: {len(tokens[lang])} distinct word forms → {len(core[lang])} lemmas+links"
            f" → {len(terms[lang])} index terms (with compound parts)"
        )
    all_terms = set().union(*terms.values())
    all_core = set().union(*core.values())
    print(f"  all: {len(all_core)} lemmas+links, {len(all_terms)} index terms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    parser.add_argument("--fallback", action="store_true", help="Finnish without Voikko")
    parser.add_argument("--errors", action="store_true", help="list detection mistakes")
    args = parser.parse_args()
    if not args.reports.exists():
        print(f"{args.reports} not found; nothing to measure.")
        return 0
    reports = load_reports(args.reports)
    analyser = language.Analyser(use_voikko=False if args.fallback else None)
    backend = "Voikko" if analyser._voikko_on() else "simplemma (fallback)"
    counts = collections.Counter(str(r["language"]) for r in reports)
    print(f"{len(reports)} reports from {args.reports} {dict(counts)}; Finnish backend: {backend}")
    print("Language detection:")
    detection(reports, args.errors)
    print("Analysis time (index_terms):")
    timing(analyser, reports)
    print("Vocabulary:")
    vocabulary(analyser, reports)
    return 0


if __name__ == "__main__":
    sys.exit(main())

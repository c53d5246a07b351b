"""`havainto generate_reports --organisation SLUG --count N`: synthetic reports for load tests.

Recombines the demo observations (havainto/core/demo_texts.py): an observation's title and
sentences, some of them left out or swapped, a lead and extra sentences of the same kind, the
municipality, season and numbers filled in, spread over three years. The reports and their
search index rows are written with bulk_create in batches (10 000 by default), so a million
reports take minutes rather than hours: each distinct filled sentence is analysed once (the
generator knows its language) and the index rows are put together from those terms, which is
what `index_report` computes for the joined text. Never in production: the texts are not checked
by the privacy guard and no audit rows are written.
"""

import hashlib
import random
import time
from argparse import ArgumentParser
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from havainto.accounts.models import Organisation
from havainto.analysis.models import ReportIndex
from havainto.analysis.services import ANALYSER_VERSION
from havainto.core import demo_texts as texts
from havainto.lib.language import Analyser
from havainto.reports.models import Report, Status, VocabularyEntry, VocabularyKind

SPAN_DAYS = 3 * 365
ROLES = ("social_worker", "social_instructor", "school_social_worker", "other_professional")
STATUSES = [s.value for s in Status]
# Context variants (municipality, season, numbers) per language; each filled sentence is
# analysed once per variant.
VARIANTS = 48


class Generator:
    """Plans synthetic reports and their index terms for one organisation."""

    def __init__(self, organisation: Organisation, *, seed: int, swedish_share: float) -> None:
        self.organisation = organisation
        self.rng = random.Random(seed)  # noqa: S311 - test data
        self.swedish_share = swedish_share
        self.analyser = Analyser()
        self.terms_cache: dict[tuple[str, str], str] = {}
        self.municipalities = list(organisation.municipalities.filter(hidden=False)) or list(
            organisation.municipalities.all()
        )
        if not self.municipalities:
            raise CommandError("The organisation has no municipalities.")
        self.lines = {line.code: line for line in organisation.service_lines.all()}
        vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
        self.types = {e.code: e for e in vocabulary.filter(kind=VocabularyKind.OBSERVATION_TYPE)}
        self.roles = [e for e in vocabulary.filter(kind=VocabularyKind.REPORTER_ROLE)]
        if not self.lines or not self.types or not self.roles:
            raise CommandError("The organisation needs service lines and vocabularies.")
        self.variants = {
            lang: [self._context(lang) for _ in range(VARIANTS)] for lang in texts.SEASONS
        }

    def _context(self, lang: str) -> dict[str, Any]:
        municipality = self.rng.choice(self.municipalities)
        genitive, locative = texts.FI_FORMS.get(
            municipality.code, (f"{municipality.name_fi}n", f"{municipality.name_fi}ssa")
        )
        season = self.rng.choice(list(texts.SEASONS[lang]))
        return {
            "municipality": municipality,
            "kunta": municipality.name_fi,
            "kunnan": genitive,
            "kunnassa": locative,
            "kommun": municipality.name_sv or municipality.name_fi,
            "keskuksessa": "Turussa",
            "keskukseen": "Turkuun",
            "centrum": "Åbo",
            "kausi": self.rng.choice(texts.SEASONS[lang][season]),
            "n": self.rng.randint(2, 40),
            "kk": self.rng.randint(1, 12),
            "vk": self.rng.randint(1, 10),
            "km": self.rng.randint(20, 150),
        }

    def _text(self, template: str, context: dict[str, Any], lang: str) -> tuple[str, str]:
        """The filled text and its index terms (analysed once per distinct text)."""
        filled = template.lstrip("?").format_map(context)
        filled = filled[:1].upper() + filled[1:]
        key = (lang, filled)
        terms = self.terms_cache.get(key)
        if terms is None:
            terms = self.terms_cache[key] = " ".join(self.analyser.index_terms(filled, lang))
        return filled, terms

    def _sentences(self, base: texts.Observation) -> list[str]:
        rng = self.rng
        first, *rest = base.sentences
        kept = [s for s in rest if not s.startswith("?") or rng.random() < 0.65]
        rng.shuffle(kept)
        body = [first, *kept]
        extras = texts.EXTRAS[base.language][base.kind]
        for extra in rng.sample(extras, min(rng.choice((0, 0, 1, 1, 2)), len(extras))):
            body.insert(rng.randint(1, len(body)), extra)
        if rng.random() < 0.2:
            body.insert(0, rng.choice(texts.LEADS[base.language][base.kind]))
        return body

    def report(self, index: int, today: date, run: str) -> tuple[Report, str, str, str]:
        """An unsaved report and its language, title terms and other terms."""
        rng = self.rng
        lang = "sv" if rng.random() < self.swedish_share else "fi"
        base = rng.choice(texts.SWEDISH if lang == "sv" else texts.FINNISH)
        context = rng.choice(self.variants[lang])
        title, title_terms = self._text(rng.choice(base.titles), context, lang)
        parts = [self._text(s, context, lang) for s in self._sentences(base)]
        extra = {}
        for name, template in (
            ("causes", base.causes),
            ("service_effects", base.effects),
            ("proposal", base.proposal),
        ):
            if template and rng.random() < 0.7:
                extra[name] = self._text(template, context, lang)
        line = self.lines.get(base.service_line) or next(iter(self.lines.values()))
        key = hashlib.sha256(f"generated:{run}:{index}".encode()).hexdigest()
        report = Report(
            organisation=self.organisation,
            municipality=context["municipality"],
            service_line=line,
            reporter_role=rng.choice(self.roles),
            language=lang,
            observation_type=self.types.get(base.kind) or next(iter(self.types.values())),
            title=title,
            description=" ".join(text for text, _ in parts),
            causes=extra.get("causes", ("", ""))[0],
            service_effects=extra.get("service_effects", ("", ""))[0],
            proposal=extra.get("proposal", ("", ""))[0],
            submitted_on=today - timedelta(days=rng.randrange(SPAN_DAYS)),
            channel=Report.Channel.DEMO,
            status=rng.choice(STATUSES),
            receipt_hash=key,
            submission_key=key,
            request_fingerprint=key,
        )
        body_terms = [terms for _, terms in parts] + [extra[n][1] for n in extra]
        return report, lang, title_terms, " ".join(t for t in body_terms if t)


class Command(BaseCommand):
    help = (
        "Bulk-insert N synthetic reports (recombined demo texts) with their search index into "
        "an organisation, for load and latency measurements. Never in production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, metavar="SLUG")
        parser.add_argument("--count", required=True, type=int, metavar="N")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--swedish-share",
            type=float,
            default=None,
            help="Share of Swedish reports (default 0.2 if the organisation takes Swedish).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation {options['organisation']!r}.")
        count, size = options["count"], options["batch_size"]
        if count < 1 or size < 1:
            raise CommandError("--count and --batch-size must be positive.")
        share = options["swedish_share"]
        if share is None:
            share = 0.2 if "sv" in organisation.languages else 0.0
        generator = Generator(organisation, seed=options["seed"], swedish_share=share)
        run = f"{options['seed']}:{time.time_ns()}"
        today = timezone.localdate()
        started = time.monotonic()
        done = 0
        while done < count:
            n = min(size, count - done)
            planned = [generator.report(done + i, today, run) for i in range(n)]
            write_batch(organisation, planned)
            done += n
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stdout.write(f"{done} / {count} reports ({rate:.0f}/s)")
        # Fresh planner statistics: without them PostgreSQL guesses a handful of rows per
        # organisation and picks nested loops over the whole table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_report")
            cursor.execute("ANALYZE analysis_reportindex")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {count} reports for {organisation.slug} in "
                f"{time.monotonic() - started:.0f} s."
            )
        )


@transaction.atomic
def write_batch(
    organisation: Organisation, planned: Sequence[tuple[Report, str, str, str]]
) -> None:
    reports = Report.objects.bulk_create([report for report, *_ in planned])
    if any(report.pk is None for report in reports):  # pragma: no cover - no RETURNING
        raise CommandError("This database does not return the ids of bulk-created rows.")
    now = timezone.now()
    ReportIndex.objects.bulk_create(
        ReportIndex(
            report_id=report.pk,
            organisation_id=organisation.pk,
            language=lang,
            title_terms=title_terms,
            terms=terms,
            analysed_at=now,
            analyser_version=ANALYSER_VERSION,
        )
        for report, (_unsaved, lang, title_terms, terms) in zip(reports, planned, strict=True)
    )

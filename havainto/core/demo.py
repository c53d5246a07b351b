"""Demo data: the two demo organisations of taxonomy.json, their people and three years of reports.

:func:`plan_reports` decides everything about the reports (dates, texts, codes, statuses,
feedback) as plain data, deterministically for a seed and without touching the database;
:func:`load_demo` creates the organisations, units and users and writes the planned reports in
bulk. Every generated text is checked with the privacy guard before anything is stored.

Demo only: the users share one published password. Never load this into production.
"""

import hashlib
import itertools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from havainto.accounts.models import Organisation, Role, Unit
from havainto.accounts.services import add_member, create_organisation
from havainto.coding import services as coding
from havainto.coding.models import ReportTheme, Theme
from havainto.core import demo_texts as texts
from havainto.core.taxonomy import taxonomy
from havainto.lib.pii import find_personal_data
from havainto.reports.models import Report, ReportEvent, Status, VocabularyEntry, VocabularyKind
from havainto.reports.services import derive_receipt, hash_receipt, hash_submission_key

DEMO_PASSWORD = "havainto-demo-2026"
SUPERUSER = "demo-superuser"
DEMO_EMAIL_DOMAIN = "example.invalid"

# Reports per organisation and the share written in Swedish.
REPORT_COUNTS = {"varha": 300, "kainuu": 120}
SWEDISH_SHARE = {"varha": 0.25, "kainuu": 0.0}
SPAN_DAYS = 3 * 365
KIND_SHARES = {texts.PROBLEM: 0.65, texts.GOOD: 0.20, texts.WEAK: 0.15}
STATUS_ORDER = [s.value for s in Status]


class DemoDataExists(Exception):
    """The demo organisations or users are already in the database."""


class DemoDataError(Exception):
    """A generated demo text failed the privacy guard (a bug in the demo texts)."""


# ---------------------------------------------------------------------------------------------
# Structure of the demo organisations
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    key: str
    service_line: str
    municipality: str
    name_fi: str
    name_sv: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    title_fi: str
    unit: str = ""
    municipality: str = ""
    service_line: str = ""
    reporter_role: str = ""
    language: str = "fi"


UNITS: dict[str, tuple[UnitSpec, ...]] = {
    slug: tuple(UnitSpec(*row) for row in rows) for slug, rows in texts.UNITS.items()
}


def demo_users(slug: str) -> tuple[UserSpec, ...]:
    """The demo people of an organisation: one for every role, reporters with a context."""
    home = "ast-turku" if slug == "varha" else "ast-kajaani"
    home_municipality = "853" if slug == "varha" else "205"
    users = [
        UserSpec(
            f"{slug}-reporter",
            Role.REPORTER,
            "Raportoija",
            unit=home,
            municipality=home_municipality,
            service_line="adult_social_work",
            reporter_role="social_worker",
        ),
        UserSpec(f"{slug}-handler", Role.HANDLER, "Käsittelijä", unit=home),
        UserSpec(f"{slug}-coordinator", Role.COORDINATOR, "Koordinaattori"),
        UserSpec(f"{slug}-reader", Role.READER, "Johdon lukija"),
        UserSpec(f"{slug}-admin", Role.ADMIN, "Pääkäyttäjä"),
    ]
    if slug == "varha":
        users.insert(
            1,
            UserSpec(
                "varha-reporter-sv",
                Role.REPORTER,
                "Rapportör",
                unit="pk-parainen",
                municipality="445",
                service_line="family_services",
                reporter_role="social_instructor",
                language="sv",
            ),
        )
    return tuple(users)


# Where reports come from: weights roughly by population, and the subsets for "where".
# fmt: off
MUNICIPALITY_WEIGHTS: dict[str, dict[str, float]] = {
    "varha": {
        "853": 30, "734": 9, "202": 6, "680": 5, "529": 4, "423": 4, "445": 4, "895": 3,
        "430": 3, "577": 2.5, "400": 2, "481": 2, "503": 1.5, "322": 1.5, "761": 1.5,
        "636": 1.5, "704": 1, "019": 1, "538": 0.8, "738": 0.6, "284": 0.5, "918": 0.5,
        "480": 0.4, "631": 0.4, "561": 0.3, "833": 0.3, "304": 0.2,
    },
    "kainuu": {
        "205": 12, "765": 4, "290": 3, "777": 3, "578": 1.5, "620": 1, "105": 1, "697": 0.8,
    },
}
# Swedish reports come mostly from the bilingual municipalities.
SWEDISH_MUNICIPALITY_WEIGHTS: dict[str, float] = {
    "445": 5, "853": 5, "322": 4, "529": 1.5, "202": 0.7, "734": 0.5, "577": 0.3,
}
# fmt: on
AREAS: dict[str, dict[str, frozenset[str]]] = {
    "varha": {
        "urban": frozenset({"853", "734", "202", "680", "529", "423", "445", "895", "430"}),
        "rural": frozenset(MUNICIPALITY_WEIGHTS["varha"]) - {"853", "202", "680", "423", "481"},
        "archipelago": frozenset({"445", "322", "304", "833", "529"}),
    },
    "kainuu": {
        "urban": frozenset({"205", "765"}),
        "rural": frozenset(MUNICIPALITY_WEIGHTS["kainuu"]) - {"205"},
        "archipelago": frozenset(),
    },
}
KILOMETRES = {"varha": (25, 80), "kainuu": (60, 190)}

DEFAULT_ROLES = {
    "social_worker": 50,
    "social_instructor": 28,
    "manager": 7,
    "other_professional": 8,
    "partner": 4,
    "expert_by_experience": 2,
    "resident": 1,
}
NO_UNIT_ROLES = frozenset({"partner", "expert_by_experience", "resident"})

# How far handling has got, by the report's age in days: weights of received, in_handling,
# coded, forwarded, answered and closed. Old reports are mostly closed, new ones received.
# fmt: off
STATUS_BY_AGE: tuple[tuple[float, tuple[int, ...]], ...] = (
    (21,           (90, 10,  0,  0,  0,  0)),
    (60,           (45, 35, 15,  5,  0,  0)),
    (120,          (15, 25, 30, 20, 10,  0)),
    (240,          ( 5, 10, 25, 20, 25, 15)),
    (400,          ( 2,  3, 15, 15, 25, 40)),
    (float("inf"), ( 1,  0,  8,  8, 18, 65)),
)
# fmt: on


# ---------------------------------------------------------------------------------------------
# The plan: every report as plain data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedEvent:
    status: str
    day: date
    hour: int
    message: str
    visible: bool
    actor: str


@dataclass(frozen=True)
class PlannedReport:
    index: int
    base: str
    language: str
    submitted_on: date
    municipality: str
    service_line: str
    unit: str | None
    reporter_role: str
    observation_type: str
    title: str
    description: str
    causes: str
    service_effects: str
    proposal: str
    proposal_level: str | None
    client_groups: tuple[str, ...]
    support_needs: tuple[str, ...]
    sectors: tuple[str, ...]
    recurrence: str | None
    clients_affected: str | None
    status: str
    author: str | None
    wants_feedback: bool
    emerging: bool
    events: tuple[PlannedEvent, ...] = field(default=())

    def texts(self) -> list[str]:
        """Every free text of the report and its feedback (for the privacy check)."""
        return [
            self.title,
            self.description,
            self.causes,
            self.service_effects,
            self.proposal,
            *(e.message for e in self.events),
        ]


def plan_reports(slug: str, *, today: date, seed: int = 2026) -> list[PlannedReport]:
    """The demo reports of one organisation, oldest first. Pure and deterministic."""
    return _Planner(slug, today=today, seed=seed).plan()


class _Planner:
    def __init__(self, slug: str, *, today: date, seed: int) -> None:
        self.slug = slug
        self.today = today
        self.rng = random.Random(f"havainto-demo:{seed}:{slug}")
        spec = next(o for o in taxonomy()["demo_organisations"] if o["slug"] == slug)
        self.municipalities = {m["code"]: m for m in spec["municipalities"]}
        self.units = UNITS[slug]
        self.reporters = [u for u in demo_users(slug) if u.role == Role.REPORTER]
        self.bases = [
            o for o in (*texts.FINNISH, *texts.SWEDISH) if o.org in ("", slug) and not o.emerging
        ]
        self.emerging = {o.key: o for o in texts.EMERGING}
        self.seen: set[str] = set()

    # -- schedule --------------------------------------------------------------------------

    def plan(self) -> list[PlannedReport]:
        emerging = self._emerging_schedule()
        total = REPORT_COUNTS[self.slug]
        swedish = round(total * SWEDISH_SHARE[self.slug]) - sum(e[1] == "sv" for e in emerging)
        regular = total - len(emerging)
        languages = ["sv"] * swedish + ["fi"] * (regular - swedish)
        kinds = [kind for kind, share in KIND_SHARES.items() for _ in range(round(regular * share))]
        kinds = (kinds + [texts.PROBLEM] * regular)[:regular]
        self.rng.shuffle(languages)
        self.rng.shuffle(kinds)
        schedule: list[tuple[date, str, str]] = list(
            zip(self._days(regular), languages, kinds, strict=True)
        )
        schedule += emerging
        schedule.sort(key=lambda item: item[0])
        reports = []
        for index, (day, language, what) in enumerate(schedule):
            base = self.emerging.get(what) or self._pick_base(language, what, day)
            reports.append(self._report(index, base, day))
        return reports

    def _days(self, count: int) -> list[date]:
        """`count` report days over the last three years, quarter by quarter in proportion to
        `_weight`, so that every quarter has its share and the data spans the whole time."""
        bounds = [1 + round(i * SPAN_DAYS / 12) for i in range(13)]
        quarters = [range(low, high) for low, high in itertools.pairwise(bounds)]
        weights = [sum(self._weight(age) for age in quarter) for quarter in quarters]
        exact = [count * w / sum(weights) for w in weights]
        quotas = [int(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: quotas[i] - exact[i])
        for i in by_remainder[: count - sum(quotas)]:
            quotas[i] += 1
        days = []
        for quarter, quota in zip(quarters, quotas, strict=True):
            for _ in range(quota):
                age = self.rng.choice(quarter)
                while self.rng.random() * 1.3 >= self._weight(age):  # 1.3: the largest weight
                    age = self.rng.choice(quarter)
                day = self.today - timedelta(days=age)
                if day.weekday() >= 5 and self.rng.random() < 0.85:
                    day -= timedelta(days=day.weekday() - 4)  # weekend → the Friday before
                days.append(day)
        return days

    def _weight(self, age: int) -> float:
        """Slightly more reports lately, and fewer in July and in the Christmas weeks."""
        day = self.today - timedelta(days=age)
        weight = 0.7 + 0.6 * (1 - age / SPAN_DAYS)
        if day.month == 7:
            return weight * 0.4
        if day.month == 12 and day.day > 20:
            return weight * 0.5
        return weight

    def _emerging_schedule(self) -> list[tuple[date, str, str]]:
        """0–1 reports about food aid before, a growing handful in the latest two quarters."""
        if self.slug == "varha":
            early = [(self.rng.randint(380, 470), "fi", "fi-food-aid-signal")]
            previous_quarter = ["fi-food-aid-signal", "sv-food-aid-signal", "fi-food-aid-families"]
            latest_quarter = [
                "fi-food-aid-signal",
                "fi-food-aid-families",
                "fi-food-aid-signal",
                "sv-food-aid-families",
                "fi-food-aid-families",
                "sv-food-aid-signal",
                "fi-food-aid-signal",
            ]
        else:
            early = []
            previous_quarter = ["fi-food-aid-signal"]
            latest_quarter = ["fi-food-aid-families", "fi-food-aid-signal"]
        planned = list(early)
        planned += [(self.rng.randint(92, 180), k[:2], k) for k in previous_quarter]
        planned += [(self.rng.randint(1, 90), k[:2], k) for k in latest_quarter]
        return [(self.today - timedelta(days=age), lang, key) for age, lang, key in planned]

    # -- choices ---------------------------------------------------------------------------

    def _pick_base(self, language: str, kind: str, day: date) -> texts.Observation:
        candidates = [
            o
            for o in self.bases
            if o.language == language and o.kind == kind and self._pool(o, language)
        ]
        in_season = [o for o in candidates if not o.months or day.month in o.months]
        candidates = in_season or candidates
        weights = [self._base_weight(o) for o in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    def _base_weight(self, base: texts.Observation) -> float:
        if self.slug == "kainuu" and base.where == "rural":
            return 1.6
        if self.slug == "varha" and base.where in ("urban", "archipelago"):
            return 1.2
        return 1.0

    def _pool(self, base: texts.Observation, language: str) -> dict[str, float]:
        weights = (
            SWEDISH_MUNICIPALITY_WEIGHTS if language == "sv" else MUNICIPALITY_WEIGHTS[self.slug]
        )
        if base.where == "any":
            return dict(weights)
        area = AREAS[self.slug][base.where]
        return {code: w for code, w in weights.items() if code in area}

    def _role(self, base: texts.Observation) -> str:
        if base.roles and self.rng.random() < 0.85:
            return self.rng.choice(base.roles)
        if base.service_line == "student_welfare":
            return _weighted(
                self.rng, {"school_social_worker": 85, "manager": 8, "other_professional": 7}
            )
        return _weighted(self.rng, DEFAULT_ROLES)

    # -- one report ------------------------------------------------------------------------

    def _report(self, index: int, base: texts.Observation, day: date) -> PlannedReport:
        rng = self.rng
        pool = self._pool(base, base.language)
        author = self._author(base, pool)
        if author is not None:
            municipality, unit, role = author.municipality, author.unit, author.reporter_role
        else:
            municipality = _weighted(rng, pool)
            role = self._role(base)
            unit = self._unit(base.service_line, municipality, role)
        numbers = self._numbers(base)
        title, description, causes, effects, proposal = self._texts(
            base, day, municipality, numbers
        )
        status = self._status((self.today - day).days)
        level = base.level if proposal else None
        report = PlannedReport(
            index=index,
            base=base.key,
            language=base.language,
            submitted_on=day,
            municipality=municipality,
            service_line=base.service_line,
            unit=unit,
            reporter_role=role,
            observation_type=base.kind,
            title=title,
            description=description,
            causes=causes,
            service_effects=effects,
            proposal=proposal,
            proposal_level=level or None,
            client_groups=_some(rng, base.client_groups),
            support_needs=tuple(str(n) for n in _some(rng, base.support_needs)),
            sectors=_some(rng, base.sectors),
            recurrence=rng.choice(base.recurrence)
            if base.recurrence and rng.random() < 0.92
            else None,
            clients_affected=self._clients_affected(base, numbers),
            status=status,
            author=author.username if author else None,
            wants_feedback=author is not None and rng.random() < 0.8,
            emerging=base.emerging,
        )
        events = self._events(report, municipality)
        return replace(report, events=events)

    def _author(self, base: texts.Observation, pool: dict[str, float]) -> UserSpec | None:
        """Some reports are named: the demo reporter whose context fits the observation."""
        for reporter in self.reporters:
            if (
                reporter.language == base.language
                and reporter.service_line == base.service_line
                and reporter.municipality in pool
                and self.rng.random() < 0.5
            ):
                return reporter
        return None

    def _unit(self, line: str, municipality: str, role: str) -> str | None:
        if role in NO_UNIT_ROLES:
            return None
        units = [
            u.key for u in self.units if u.service_line == line and u.municipality == municipality
        ]
        if units and self.rng.random() < 0.75:
            return self.rng.choice(units)
        return None

    def _numbers(self, base: texts.Observation) -> dict[str, int]:
        numbers = {name: self.rng.randint(low, high) for name, low, high in base.numbers}
        numbers.setdefault("km", self.rng.randint(*KILOMETRES[self.slug]))
        return numbers

    def _clients_affected(self, base: texts.Observation, numbers: dict[str, int]) -> str | None:
        if any(name == "n" for name, _, _ in base.numbers):
            n = numbers["n"]
            return "1" if n == 1 else "2-5" if n <= 5 else "6-20" if n <= 20 else "21+"
        if base.recurrence == ("single",):
            return "1"
        if self.rng.random() < 0.1:
            return None
        weights = {
            texts.PROBLEM: {"2-5": 30, "6-20": 35, "21+": 15, "unknown": 20},
            texts.GOOD: {"6-20": 30, "21+": 40, "unknown": 30},
            texts.WEAK: {"2-5": 50, "6-20": 20, "unknown": 30},
        }[base.kind]
        return _weighted(self.rng, weights)

    def _texts(
        self, base: texts.Observation, day: date, municipality: str, numbers: dict[str, int]
    ) -> tuple[str, str, str, str, str]:
        rng = self.rng
        values = self._placeholders(base.language, day, municipality, numbers)
        for _attempt in range(20):
            sentences = self._sentences(base)
            description = " ".join(_fill(s, values) for s in sentences)
            if description not in self.seen:
                break
        self.seen.add(description)
        title = _fill(rng.choice(base.titles), values)
        causes = _fill(base.causes, values) if base.causes and rng.random() < 0.75 else ""
        effects = _fill(base.effects, values) if base.effects and rng.random() < 0.65 else ""
        proposal = _fill(base.proposal, values) if base.proposal and rng.random() < 0.88 else ""
        return title, description, causes, effects, proposal

    def _sentences(self, base: texts.Observation) -> list[str]:
        rng = self.rng
        first, *rest = base.sentences
        kept = [s.lstrip("?") for s in rest if not s.startswith("?") or rng.random() < 0.65]
        if len(kept) >= 2 and rng.random() < 0.4:
            i = rng.randrange(len(kept) - 1)
            kept[i], kept[i + 1] = kept[i + 1], kept[i]
        body = [first.lstrip("?"), *kept]
        extras = texts.EXTRAS[base.language][base.kind]
        count = _weighted(rng, {0: 45, 1: 40, 2: 15})
        for extra in rng.sample(extras, min(count, len(extras))):
            body.insert(rng.randint(len(body) - 1, len(body)), extra)
        if rng.random() < 0.2:
            body.insert(0, rng.choice(texts.LEADS[base.language][base.kind]))
        return body

    def _placeholders(
        self, language: str, day: date, municipality: str, numbers: dict[str, int]
    ) -> dict[str, Any]:
        m = self.municipalities[municipality]
        genitive, locative = texts.FI_FORMS[municipality]
        centre_in, centre_to, centre_sv = texts.CENTRES[self.slug]
        season = texts.season_of(day.month)
        return {
            "kunta": m["fi"],
            "kunnan": genitive,
            "kunnassa": locative,
            "kommun": m.get("sv") or m["fi"],
            "keskuksessa": centre_in,
            "keskukseen": centre_to,
            "centrum": centre_sv,
            "kausi": self.rng.choice(texts.SEASONS[language][season]),
            "n": numbers.get("n", 0),
            "kk": numbers.get("kk", 0),
            "vk": numbers.get("vk", 0),
            "km": numbers["km"],
        }

    def _status(self, age: int) -> str:
        weights = next(w for limit, w in STATUS_BY_AGE if age < limit)
        return _weighted(self.rng, dict(zip(STATUS_ORDER, weights, strict=True)))

    def _events(self, report: PlannedReport, municipality: str) -> tuple[PlannedEvent, ...]:
        """The handling steps up to the report's status, spread over the time it has had."""
        steps = STATUS_ORDER[1 : STATUS_ORDER.index(report.status) + 1]
        if not steps:
            return ()
        gaps = {
            "in_handling": (1, 10),
            "coded": (3, 30),
            "forwarded": (5, 45),
            "answered": (10, 90),
            "closed": (5, 60),
        }
        days = [self.rng.randint(*gaps[step]) for step in steps]
        available = max((self.today - report.submitted_on).days - 1, 0)
        if sum(days) > available:
            days = [d * available // sum(days) for d in days]
        language = report.language
        m = self.municipalities[municipality]
        values = {"kunnan": texts.FI_FORMS[municipality][0], "kommun": m.get("sv") or m["fi"]}
        events = []
        day = report.submitted_on
        for order, (step, gap) in enumerate(zip(steps, days, strict=True)):
            day += timedelta(days=gap)
            message = ""
            if step == "forwarded":
                to = texts.FORWARDED_TO[language][report.proposal_level or ""].format_map(values)
                message = self.rng.choice(texts.FORWARDED[language]).format(to=to)
            elif step == "answered":
                message = self.rng.choice(texts.ANSWERED[language][report.observation_type])
            elif step == "closed":
                message = self.rng.choice(texts.CLOSED[language])
            events.append(
                PlannedEvent(
                    status=step,
                    day=day,
                    hour=9 + order,
                    message=message,
                    # Coding is internal work; the other steps show on the receipt page.
                    visible=step != "coded",
                    actor=f"{self.slug}-handler"
                    if step == "in_handling"
                    else f"{self.slug}-coordinator",
                )
            )
        return tuple(events)


def _weighted(rng: random.Random, weights: dict[Any, float]) -> Any:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _some(rng: random.Random, items: Sequence[Any]) -> tuple[Any, ...]:
    """All of the items, or now and then all but the last (reporters do not tick every box)."""
    if len(items) > 1 and rng.random() < 0.25:
        return tuple(items[:-1])
    return tuple(items)


def _fill(text: str, values: dict[str, Any]) -> str:
    """Fill the placeholders and start every sentence with a capital letter."""
    filled = text.format_map(values)
    sentences = filled.split(". ")
    return ". ".join(s[:1].upper() + s[1:] for s in sentences)


def check_texts(reports: Sequence[PlannedReport]) -> None:
    """Raise DemoDataError if any generated text holds something the privacy guard flags."""
    for report in reports:
        for text in report.texts():
            findings = find_personal_data(text)
            if findings:
                found = ", ".join(f"{f.kind} {text[f.start : f.end]!r}" for f in findings)
                raise DemoDataError(f"demo text of {report.base} flagged: {found}")


# ---------------------------------------------------------------------------------------------
# Writing to the database
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    organisation: str
    role: str
    context: str


@dataclass(frozen=True)
class DemoReceipt:
    organisation: str
    code: str
    status: str
    language: str
    submitted_on: date
    title: str


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    municipalities: int
    service_lines: int
    units: int
    reports: int
    languages: dict[str, int]
    statuses: dict[str, int]
    first_report: date
    last_report: date


@dataclass(frozen=True)
class DemoSummary:
    password: str
    seed: int
    today: date
    users: tuple[DemoUser, ...]
    organisations: tuple[DemoOrganisation, ...]
    receipts: tuple[DemoReceipt, ...]


def demo_usernames() -> list[str]:
    slugs = [o["slug"] for o in taxonomy()["demo_organisations"]]
    return [SUPERUSER, *(u.username for slug in slugs for u in demo_users(slug))]


def existing_demo_data() -> tuple[list[str], list[str]]:
    """The demo organisations (slugs) and demo users (usernames) already in the database."""
    slugs = [o["slug"] for o in taxonomy()["demo_organisations"]]
    organisations = Organisation.objects.filter(slug__in=slugs).order_by("slug")
    users = get_user_model().objects.filter(username__in=demo_usernames()).order_by("username")
    return (
        list(organisations.values_list("slug", flat=True)),
        list(users.values_list("username", flat=True)),
    )


@transaction.atomic
def load_demo(*, today: date, seed: int = 2026) -> DemoSummary:
    """Create the demo organisations, their units and people, and their reports."""
    slugs, usernames = existing_demo_data()
    if slugs or usernames:
        raise DemoDataExists(
            f"organisations: {', '.join(slugs) or 'none'}; demo users: {len(usernames)}"
        )
    plans = {
        spec["slug"]: plan_reports(spec["slug"], today=today, seed=seed)
        for spec in taxonomy()["demo_organisations"]
    }
    for planned in plans.values():
        check_texts(planned)
    password = make_password(DEMO_PASSWORD)
    superuser = get_user_model().objects.create(
        username=SUPERUSER,
        email=f"{SUPERUSER}@{DEMO_EMAIL_DOMAIN}",
        first_name="Demo",
        last_name="Superuser",
        password=password,
        is_staff=True,
        is_superuser=True,
    )
    users = [DemoUser(SUPERUSER, "", "superuser", "Django admin (/django-admin/)")]
    organisations, receipts = [], []
    for spec in taxonomy()["demo_organisations"]:
        slug = spec["slug"]
        organisation = create_organisation(
            actor=superuser,
            slug=slug,
            name_fi=spec["fi"],
            name_sv=spec.get("sv", ""),
            name_en=spec.get("en", ""),
            languages=spec["languages"],
            municipalities=spec["municipalities"],
            allow_anonymous=True,
        )
        units = _create_units(organisation)
        people = _create_users(organisation, units, password, actor=superuser)
        users += [DemoUser(s.username, slug, s.role, _context(s, units)) for s in demo_users(slug)]
        codes = _write_reports(organisation, plans[slug], units, people)
        organisations.append(_describe(organisation, plans[slug], len(units)))
        receipts += _example_receipts(slug, plans[slug], codes)
    return DemoSummary(
        password=DEMO_PASSWORD,
        seed=seed,
        today=today,
        users=tuple(users),
        organisations=tuple(organisations),
        receipts=tuple(receipts),
    )


def _context(spec: UserSpec, units: dict[str, Unit]) -> str:
    if not spec.unit:
        return "whole organisation"
    unit = units[spec.unit]
    return unit.name_sv if spec.language == "sv" and unit.name_sv else unit.name_fi


def _create_units(organisation: Organisation) -> dict[str, Unit]:
    lines = {line.code: line for line in organisation.service_lines.all()}
    municipalities = {m.code: m for m in organisation.municipalities.all()}
    specs = UNITS[organisation.slug]
    units = Unit.objects.bulk_create(
        Unit(
            organisation=organisation,
            service_line=lines[spec.service_line],
            municipality=municipalities[spec.municipality],
            name_fi=spec.name_fi,
            name_sv=spec.name_sv or _default_unit_name(spec, lines, municipalities, "sv"),
            name_en=spec.name_en or _default_unit_name(spec, lines, municipalities, "en"),
        )
        for spec in specs
    )
    if any(unit.pk is None for unit in units):  # backends without RETURNING
        units = list(Unit.objects.filter(organisation=organisation).order_by("id"))
    return {spec.key: unit for spec, unit in zip(specs, units, strict=True)}


def _default_unit_name(
    spec: UnitSpec, lines: dict[str, Any], municipalities: dict[str, Any], language: str
) -> str:
    """ "Aikuissosiaalityö, Salo" → "Socialt arbete för vuxna, Salo" / "Adult social work, Salo"."""
    line = lines[spec.service_line]
    municipality = municipalities[spec.municipality]
    if language == "sv":
        return f"{line.name_sv or line.name_fi}, {municipality.name_sv or municipality.name_fi}"
    return f"{line.name_en or line.name_fi}, {municipality.name_fi}"


def _create_users(
    organisation: Organisation,
    units: dict[str, Unit],
    password: str,
    *,
    actor: AbstractBaseUser,
) -> dict[str, AbstractBaseUser]:
    people = {}
    for spec in demo_users(organisation.slug):
        user = get_user_model().objects.create(
            username=spec.username,
            email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            first_name="Demo",
            last_name=f"{spec.title_fi} ({organisation.slug.capitalize()})",
            password=password,
        )
        context: dict[str, Any] = {}
        if spec.unit:
            context["unit"] = units[spec.unit]
        if spec.role == Role.REPORTER:
            context["municipality"] = organisation.municipalities.get(code=spec.municipality)
            context["service_line"] = organisation.service_lines.get(code=spec.service_line)
            context["reporter_role"] = spec.reporter_role
        add_member(actor=actor, organisation=organisation, user=user, role=spec.role, **context)
        people[spec.username] = user
    return people


def _write_reports(
    organisation: Organisation,
    plan: Sequence[PlannedReport],
    units: dict[str, Unit],
    people: dict[str, Any],
) -> dict[int, str]:
    """Write the planned reports, their coding fields and feedback; return index → receipt."""
    vocabulary = {
        (e.kind, e.code): e for e in VocabularyEntry.objects.filter(organisation=organisation)
    }
    municipalities = {m.code: m for m in organisation.municipalities.all()}
    lines = {line.code: line for line in organisation.service_lines.all()}

    def entry(kind: str, code: str | None) -> VocabularyEntry | None:
        return vocabulary[(kind, code)] if code else None

    receipts: dict[int, str] = {}
    reports = []
    for p in plan:
        key_hash = hash_submission_key(organisation, f"demo-{p.index}")
        receipt = derive_receipt(key_hash)
        receipts[p.index] = receipt
        author = people[p.author] if p.author else None
        reports.append(
            Report(
                organisation=organisation,
                municipality=municipalities[p.municipality],
                service_line=lines[p.service_line],
                unit=units[p.unit] if p.unit else None,
                reporter_role=vocabulary[(VocabularyKind.REPORTER_ROLE, p.reporter_role)],
                language=p.language,
                observation_type=vocabulary[(VocabularyKind.OBSERVATION_TYPE, p.observation_type)],
                title=p.title,
                description=p.description,
                recurrence=entry(VocabularyKind.RECURRENCE, p.recurrence),
                clients_affected=entry(VocabularyKind.CLIENTS_AFFECTED, p.clients_affected),
                causes=p.causes,
                service_effects=p.service_effects,
                proposal=p.proposal,
                proposal_level=entry(VocabularyKind.PROPOSAL_LEVEL, p.proposal_level),
                author=author,
                contact_name=author.get_full_name() if author else "",
                contact_email=author.email if author else "",
                wants_feedback=p.wants_feedback,
                submitted_on=p.submitted_on,
                channel=Report.Channel.DEMO,
                status=p.status,
                receipt_hash=hash_receipt(receipt),
                submission_key=key_hash,
                request_fingerprint=hashlib.sha256(
                    f"demo:{organisation.slug}:{p.index}".encode()
                ).hexdigest(),
            )
        )
    created = Report.objects.bulk_create(reports)
    if any(r.pk is None for r in created):  # backends without RETURNING
        by_key = dict(
            Report.objects.filter(organisation=organisation).values_list("submission_key", "pk")
        )
        for report in created:
            report.pk = by_key[report.submission_key]
    _write_choices(created, plan, vocabulary)
    _write_events(created, plan, people)
    coordinator = people[f"{organisation.slug}-coordinator"]
    _write_themes(organisation, created, plan, coordinator)
    _write_phenomena(organisation, created, plan, coordinator)
    return receipts


# Reports in these states have not been coded yet.
UNCODED = {Status.RECEIVED, Status.IN_HANDLING}


def _write_themes(
    organisation: Organisation,
    created: Sequence[Report],
    plan: Sequence[PlannedReport],
    coordinator: Any,
) -> None:
    """Handled reports carry the theme of the observation they vary, as if coded by the
    coordinator: the overview, theme filters and the suggestion model have something to show."""
    bases = {o.key: o for o in (*texts.FINNISH, *texts.SWEDISH, *texts.EMERGING)}
    themes = {theme.code: theme for theme in Theme.objects.filter(organisation=organisation)}
    ReportTheme.objects.bulk_create(
        ReportTheme(report=report, theme=themes[bases[p.base].theme], created_by=coordinator)
        for report, p in zip(created, plan, strict=True)
        if p.status not in UNCODED and bases[p.base].theme in themes
    )


def _write_phenomena(
    organisation: Organisation,
    created: Sequence[Report],
    plan: Sequence[PlannedReport],
    coordinator: Any,
) -> None:
    """Two phenomena along the way from reports to decision makers: the emerging food-aid
    topic, gathered and taken to the committee but not answered yet; and the most reported
    theme of the last year, taken to the committee and answered, its proposal in progress."""
    latest = max(p.submitted_on for p in plan)
    food = [r for r, p in zip(created, plan, strict=True) if p.emerging and p.status not in UNCODED]
    if food:
        phenomenon = coding.create_phenomenon(
            actor=coordinator,
            organisation=organisation,
            name="Ruoka-avun tarve kasvaa",
            description=(
                "Yhä useampi asiakas kertoo turvautuvansa ruoka-apuun. Havaintoja on sekä "
                "suomeksi että ruotsiksi useasta kunnasta."
            ),
            themes=Theme.objects.filter(organisation=organisation, code="poverty_income"),
            reports=food,
        )
        coding.add_proposal(
            actor=coordinator,
            phenomenon=phenomenon,
            expected_version=1,
            text="Selvitetään ruoka-avun tarve ja yhteistyö järjestöjen kanssa.",
            addressed_to="Hyvinvointialueen johtoryhmä",
        )
        coding.record_advocacy_step(
            actor=coordinator,
            phenomenon=phenomenon,
            expected_version=2,
            recipient="Sosiaali- ja terveysjohtoryhmä",
            recipient_kind="leadership",
            taken_on=latest,
            summary="Ilmiö esiteltiin heikkona signaalina.",
            tell_reporters=False,
        )
    year = [
        (r, p)
        for r, p in zip(created, plan, strict=True)
        if p.status not in UNCODED and not p.emerging and (latest - p.submitted_on).days <= 365
    ]
    bases = {o.key: o for o in (*texts.FINNISH, *texts.SWEDISH)}
    counts = Counter(bases[p.base].theme for _r, p in year if p.base in bases)
    if not counts:
        return
    code = counts.most_common(1)[0][0]
    theme = Theme.objects.filter(organisation=organisation, code=code).first()
    if theme is None:
        return
    supporting = [r for r, p in year if p.base in bases and bases[p.base].theme == code][:25]
    phenomenon = coding.create_phenomenon(
        actor=coordinator,
        organisation=organisation,
        name=f"{theme.label_fi}: toistuva ilmiö",
        description="Aiheesta on tullut havaintoja pitkin vuotta useasta kunnasta.",
        themes=[theme],
        reports=supporting,
    )
    proposal = coding.add_proposal(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=1,
        text="Palveluohjausta vahvistetaan ja asiakasmaksujen kohtuullistamisesta tiedotetaan.",
        addressed_to="Sosiaali- ja terveyslautakunta",
    )
    step = coding.record_advocacy_step(
        actor=coordinator,
        phenomenon=phenomenon,
        expected_version=2,
        recipient="Sosiaali- ja terveyslautakunta",
        recipient_kind="board",
        taken_on=latest - timedelta(days=60),
        summary="Ilmiö ja toimenpide-ehdotus esiteltiin lautakunnalle.",
        proposal=proposal,
        tell_reporters=False,
    )
    coding.record_answer(
        actor=coordinator,
        step=step,
        expected_version=3,
        answer=(
            "Lautakunta merkitsi ilmiön tiedoksi ja pyysi palvelualuetta valmistelemaan "
            "palveluohjauksen vahvistamisen seuraavaan talousarvioon."
        ),
        answered_on=latest - timedelta(days=30),
        answered_by="Sosiaali- ja terveyslautakunta",
        share_with_reporters=False,
    )
    coding.update_proposal_outcome(
        actor=coordinator,
        proposal=proposal,
        expected_version=4,
        outcome="in_progress",
        progress=40,
        outcome_note="Palveluohjauksen lisäresurssi on valmisteltavana.",
    )


def _write_choices(
    reports: Sequence[Report],
    plan: Sequence[PlannedReport],
    vocabulary: dict[tuple[str, str], VocabularyEntry],
) -> None:
    """The many-to-many coding fields, straight into the through tables."""
    for name, kind in (
        ("client_groups", VocabularyKind.CLIENT_GROUP),
        ("support_needs", VocabularyKind.SUPPORT_NEED),
        ("sectors", VocabularyKind.SECTOR),
    ):
        m2m = Report._meta.get_field(name)
        through = m2m.remote_field.through  # type: ignore[union-attr]
        source = f"{m2m.m2m_field_name()}_id"  # type: ignore[attr-defined]
        target = f"{m2m.m2m_reverse_field_name()}_id"  # type: ignore[attr-defined]
        through.objects.bulk_create(
            through(**{source: report.pk, target: vocabulary[(kind, code)].pk})
            for report, p in zip(reports, plan, strict=True)
            for code in getattr(p, name)
        )


def _write_events(
    reports: Sequence[Report], plan: Sequence[PlannedReport], people: dict[str, Any]
) -> None:
    """Status changes and feedback, back-dated (created_at is auto_now_add, so set it after)."""
    tz = timezone.get_current_timezone()
    events, stamps = [], []
    for report, p in zip(reports, plan, strict=True):
        for e in p.events:
            events.append(
                ReportEvent(
                    report=report,
                    actor=people[e.actor],
                    status=e.status,
                    message=e.message,
                    visible_to_reporter=e.visible,
                )
            )
            stamps.append(datetime.combine(e.day, time(e.hour, (report.pk or 0) % 60), tzinfo=tz))
    created = ReportEvent.objects.bulk_create(events)
    if any(e.pk is None for e in created):  # backends without RETURNING
        return
    for event, stamp in zip(created, stamps, strict=True):
        event.created_at = stamp
    ReportEvent.objects.bulk_update(created, ["created_at"], batch_size=500)


def _describe(
    organisation: Organisation, plan: Sequence[PlannedReport], units: int
) -> DemoOrganisation:
    return DemoOrganisation(
        slug=organisation.slug,
        name=organisation.name_fi,
        municipalities=organisation.municipalities.count(),
        service_lines=organisation.service_lines.count(),
        units=units,
        reports=len(plan),
        languages=dict(Counter(p.language for p in plan)),
        statuses={s: n for s in STATUS_ORDER if (n := sum(p.status == s for p in plan))},
        first_report=min(p.submitted_on for p in plan),
        last_report=max(p.submitted_on for p in plan),
    )


def _example_receipts(
    slug: str, plan: Sequence[PlannedReport], codes: dict[int, str]
) -> list[DemoReceipt]:
    """Three receipt codes that show something: an answered report, a forwarded one in the
    other language if there is one, and a fresh one that waits for handling. Anonymous
    reports first: the receipt code is all their reporters have."""
    newest_first = sorted(
        plan, key=lambda p: (p.author is None, p.submitted_on, p.index), reverse=True
    )
    picks: list[PlannedReport] = []
    wanted = [("answered", "fi"), ("forwarded", "sv"), ("received", "fi"), ("closed", "fi")]
    for status, language in wanted:
        found = next(
            (p for p in newest_first if p.status == status and p.language == language), None
        )
        if found is not None and len(picks) < 3:
            picks.append(found)
    return [
        DemoReceipt(slug, codes[p.index], p.status, p.language, p.submitted_on, p.title)
        for p in picks
    ]

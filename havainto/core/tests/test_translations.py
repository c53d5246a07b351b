"""Every string a user sees is translated into Finnish and Swedish (LANG-01)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
LANGUAGES = ["fi", "sv"]


def catalogue(root: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(root / "locale" / lang / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(lang: str) -> None:
    po = catalogue(PACKAGE, lang)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_catalogues_hold_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract the messages from a copy of the code and compare with the committed catalogues,
    so that a new string without a translation fails here rather than in front of a user."""
    copy = tmp_path / "havainto"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("tests", "static", "__pycache__", "*.mo")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "havainto.manage",
            "makemessages",
            "-l",
            "fi",
            "--no-obsolete",
            "-v0",
        ],
        cwd=copy,
        check=True,
    )
    extracted = {e.msgid for e in catalogue(copy, "fi") if not e.obsolete}
    for lang in LANGUAGES:
        committed = {e.msgid for e in catalogue(PACKAGE, lang) if not e.obsolete}
        assert sorted(extracted - committed) == [], f"run `make messages` and translate ({lang})"

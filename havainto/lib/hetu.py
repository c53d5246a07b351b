"""Finnish personal identity code (henkilötunnus, "hetu") helpers.

Format: ``DDMMYYCNNNK`` where

* ``DDMMYY`` is the date of birth,
* ``C`` is the century marker (see :data:`CENTURY_MARKERS`),
* ``NNN`` is the individual number (002–899 for real people; 900–999 are temporary), and
* ``K`` is the check character ``CHECK_CHARS[int(DDMMYYNNN) % 31]``.

The 2023 reform added the markers Y, X, W, V, U (1900s) and B, C, D, E, F (2000s) next to
the classic ``+``, ``-`` and ``A``.

Standard library only; no Django imports, so this module can be used anywhere.
"""

from __future__ import annotations

import datetime as dt
import random
import re

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

#: Century marker -> the century (first year) it denotes.
CENTURY_MARKERS: dict[str, int] = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}

_MARKERS_BY_CENTURY: dict[int, list[str]] = {}
for _marker, _century in CENTURY_MARKERS.items():
    _MARKERS_BY_CENTURY.setdefault(_century, []).append(_marker)

#: The exact shape of a hetu (without any surrounding-context checks).
HETU_SHAPE = re.compile(
    r"(?P<ddmmyy>\d{6})"
    r"(?P<marker>[-+ABCDEFUVWXY])"
    r"(?P<nnn>\d{3})"
    r"(?P<check>[0-9A-Z])"
)


def check_character(ddmmyy: str, nnn: str) -> str:
    """Return the check character for the date part ``ddmmyy`` and individual number ``nnn``."""
    return CHECK_CHARS[int(ddmmyy + nnn) % 31]


def birth_date(ddmmyy: str, marker: str) -> dt.date | None:
    """Return the date of birth encoded by ``ddmmyy`` + ``marker``, or None if it is not a date."""
    century = CENTURY_MARKERS.get(marker)
    if century is None or len(ddmmyy) != 6 or not ddmmyy.isascii() or not ddmmyy.isdigit():
        return None
    day, month, year = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def is_valid_hetu(s: str) -> bool:
    """True if ``s`` is exactly a valid hetu: real date, individual number 002–899, right check."""
    match = HETU_SHAPE.fullmatch(s)
    if match is None:
        return False
    ddmmyy, marker, nnn = match["ddmmyy"], match["marker"], match["nnn"]
    if birth_date(ddmmyy, marker) is None:
        return False
    if not 2 <= int(nnn) <= 899:
        return False
    return match["check"] == check_character(ddmmyy, nnn)


def generate_hetu(rng: random.Random) -> str:
    """Generate a random valid hetu (any century marker, including the 2023 ones). For tests."""
    first = dt.date(1800, 1, 1).toordinal()
    last = dt.date(2099, 12, 31).toordinal()
    born = dt.date.fromordinal(rng.randint(first, last))
    ddmmyy = f"{born.day:02d}{born.month:02d}{born.year % 100:02d}"
    marker = rng.choice(_MARKERS_BY_CENTURY[born.year // 100 * 100])
    nnn = f"{rng.randint(2, 899):03d}"
    return f"{ddmmyy}{marker}{nnn}{check_character(ddmmyy, nnn)}"

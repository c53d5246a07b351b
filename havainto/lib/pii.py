"""Privacy guard: find client-identifying data in free text before a report is stored.

:func:`find_personal_data` returns :class:`Finding` objects for four kinds of identifiers:

``hetu``
    Finnish personal identity codes (``DDMMYYCNNNK``, every century marker incl. the 2023
    ones). A valid code is ``high``; a code-shaped string with a plausible date but a wrong
    check character, an impossible date or an individual number outside 002–899 is ``medium``.
``phone``
    Finnish phone numbers: mobile (04x, 050), landline area codes (02 … 09, 013 … 019),
    service/corporate numbers (0800, 020, 0295, 010, …) and the international forms
    (+358 / 00358, with or without the leading 0, ``+358 (0)40 …``), grouped with spaces or
    hyphens, or with the area code in parentheses ("(09) 310 1234").
``email``
    E-mail addresses (also the "nimi(at)example.fi" spelling, as ``medium``).
``address``
    A street name with a Finnish (inflected: "Hämeentielle", "Kotikadulla") or Swedish
    ("Storgatan", "Strandvägen") street-type ending followed by a house number, an optional
    staircase letter / apartment ("3 A 12", "5 as. 5", "12 lgh 1102"), a P.O. box and a
    postcode + town directly after it ("Kotikatu 5, 20100 Turku").

The detector is deliberately rule based and uses only the standard library, so the rules can
be read, reviewed and tested. Offsets are Python ``str`` offsets, ``end`` exclusive.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from havainto.lib.hetu import HETU_SHAPE, is_valid_hetu

HIGH = "high"
MEDIUM = "medium"

# When two candidates overlap, the kind listed first wins.
_PRIORITY = {"hetu": 0, "email": 1, "phone": 2, "address": 3}


@dataclass(frozen=True)
class Finding:
    """One identifier found in a text: ``text[start:end]`` is the identifier itself."""

    kind: str
    start: int
    end: int
    confidence: str


# ---------------------------------------------------------------------------------------------
# Shared bits
# ---------------------------------------------------------------------------------------------

# Letters as they appear in Finnish and Swedish text (for "not inside a word" checks).
_UPPER = "A-ZÅÄÖÜÉ"
_LOWER = "a-zåäöüéß"

# Space characters that may separate the groups of a number (incl. no-break spaces).
_SPACE = " \u00a0\u202f\u2009"

# A number followed by one of these is a quantity, not a house or phone number.
_QUANTITY_AFTER = re.compile(
    r"""
    [\s\u00a0\u202f]*
    (?:
        [€%§$£]                             # 12 €, 5 %, 11 §
      | (?i:                                # ... or a unit / counting word
            e|eur|euro[a-z]*|snt|kr|kronor|mk
          | v|vee|vuo[a-zäö]*|år[a-z]*|kk|kuukau[a-zäö]*|kuukaude[a-zäö]*|månad[a-z]*
          | pv|päivä[a-zäö]*|vrk|dag[a-z]*|vk|viiko[a-zäö]*|viikk[a-zäö]*|veck[a-z]*
          | h|t|min|tunti[a-zäö]*|tunni[a-zäö]*|minuut[a-zäö]*|timm[a-z]*|sek
          | krt|kerta[a-zäö]*|kerra[a-zäö]*|gång[a-z]*
          | hlö[a-zäö]*|henke[a-zäö]*|henki[a-zäö]*|henkilö[a-zäö]*|perhe[a-zäö]*
          | asiakas[a-zäö]*|asiakkaa[a-zäö]*|lasta|lapsi[a-zäö]*|nuorta|potilas[a-zäö]*
          | personer|person|barn|familjer|klienter|st|kpl|pcs
          | km|m|cm|mm|kg|g|l|m2|m²|neliö[a-zäö]*|kilometri[a-zäö]*|metri[a-zäö]*
          | prosent[a-zäö]*|procent|pistettä|poäng|luku[a-zäö]*|osa[a-zäö]*
          | mom|momentti[a-zäö]*|kohta[a-zäö]*|kohda[a-zäö]*|§
        )(?![\w])
    )
    """,
    re.VERBOSE,
)


# After a number, a lower-case word in the partitive (the case Finnish uses for counted things)
# shows that the number is a count, not a house number: "Ratapihalla 3 junaa", "torilla 5 kojua".
# Participles ("olevaa", "asuvaa") and a few conjunctions look the same and are let through.
_PARTITIVE_AFTER = re.compile(
    r"""
    [ \u00a0]+
    (?!(?:mutta|jotta|vasta)(?![\w-]))
    [a-zåäö]*
    (?<!v)(?:[aeiouyäö][aä]|tt[aä]|[nrs]t[aä])
    (?![\w-])
    """,
    re.VERBOSE,
)


def _is_quantity_at(text: str, pos: int) -> bool:
    """True if the text right after a number (at ``pos``) says it is an amount, not an id."""
    return _QUANTITY_AFTER.match(text, pos) is not None


# ---------------------------------------------------------------------------------------------
# hetu
# ---------------------------------------------------------------------------------------------

# A hetu-shaped token that is not glued to other letters or digits.
_HETU = re.compile(r"(?<![\w])" + HETU_SHAPE.pattern + r"(?![\w])")


def _hetu_confidence(code: str) -> str | None:
    """``high`` for a valid code, ``medium`` for a near miss, None if it is not hetu-like.

    A near miss (wrong check character, impossible date such as 310299, individual number
    outside 002–899) is still reported: it is most likely a mistyped real code.
    """
    day, month = int(code[0:2]), int(code[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None  # not even date-like: "202405-1234" is not a hetu
    return HIGH if is_valid_hetu(code) else MEDIUM


def _find_hetus(text: str) -> list[Finding]:
    found = []
    for m in _HETU.finditer(text):
        confidence = _hetu_confidence(m.group())
        if confidence is not None:
            found.append(Finding("hetu", m.start(), m.end(), confidence))
    return found


# ---------------------------------------------------------------------------------------------
# phone
# ---------------------------------------------------------------------------------------------

_PHONE_CANDIDATE = re.compile(
    rf"""
    (?<![\w+@])(?<!\d[.,/])                # not inside a word, e-mail, decimal or date
    (?:
        (?P<intl>(?:\+|00)\s?358)           # +358 / 00358 ...
        [{_SPACE}-]?
        (?:\(0\)[{_SPACE}-]?)?              # ... optionally "(0)" for the dropped trunk zero
      |
        \((?P<area>0\d{{1,3}})\)            # (09) / (013): area code in parentheses
        [{_SPACE}-]?
    )?
    (?P<body>\d+(?:[{_SPACE}-]\d+)*)        # digit groups separated by one space or hyphen
    """,
    re.VERBOSE,
)

# National numbers (with the trunk zero) by leading digits -> allowed total digit counts.
# Checked in this order; the first prefix that matches decides.
_PHONE_PLANS: list[tuple[re.Pattern[str], range, str]] = [
    # Service and corporate numbers: 0800 free, 0600/0700 premium, 010/020/030/0295 etc.
    (re.compile(r"0(?:[67]00|800)"), range(7, 12), MEDIUM),
    (re.compile(r"0(?:10|20|29|30|7[135])"), range(7, 12), MEDIUM),
    # Mobile: 04x and 050 with 6–8 more digits (7–8 for current numbers).
    (re.compile(r"0(?:4\d|50)"), range(9, 12), HIGH),
    # Landline, one-digit area codes 02, 03, 05, 06, 08, 09 with 5–8 more digits.
    (re.compile(r"0[235689]"), range(7, 11), HIGH),
    # Landline, two-digit area codes 013–019 with 5–8 more digits.
    (re.compile(r"01[3-9]"), range(8, 12), HIGH),
]


_MAX_PHONE_GROUPS = 6


def _phone_confidence(national: str) -> str | None:
    """Return the confidence if ``national`` (digits, starting with 0) is a Finnish number."""
    for prefix, lengths, confidence in _PHONE_PLANS:
        if prefix.match(national):
            return confidence if len(national) in lengths else None
    return None


def _find_phones(text: str) -> list[Finding]:
    found: list[Finding] = []
    for m in _PHONE_CANDIDATE.finditer(text):
        body_start = m.start("body")
        groups = [
            (body_start + g.start(), body_start + g.end()) for g in re.finditer(r"\d+", m["body"])
        ]
        first = 0
        while first < len(groups):
            phone = _phone_at(text, m, groups, first, found)
            if phone is None:
                first += 1
                continue
            found.append(phone)
            first = next(i for i in range(first, len(groups)) if groups[i][1] == phone.end) + 1
    return found


def _phone_at(
    text: str,
    m: re.Match[str],
    groups: list[tuple[int, int]],
    first: int,
    found: list[Finding],
) -> Finding | None:
    """The phone number starting at digit group ``first`` of candidate ``m``, if there is one.

    The longest run of groups is tried first, then groups are dropped from the right, so
    "040 718 2293 2 kertaa" still yields "040 718 2293".
    """
    prefixed = first == 0 and (m["intl"] or m["area"])
    start = m.start() if prefixed else groups[first][0]
    # A group that continues a thousands-grouped number ("1 050 000 €") is not a phone, nor is
    # one glued to a preceding number in any other way than a space.
    previous = re.search(rf"(\d+)([{_SPACE}-])$", text[max(0, start - 8) : start])
    glued = previous is not None and (len(previous[1]) <= 3 or previous[2] == "-")
    if glued and not prefixed and not (found and found[-1].end == start - 1):
        return None
    # A phone number has at most _MAX_PHONE_GROUPS groups ("+358 40 123 45 67" after the prefix).
    for last in range(min(len(groups), first + _MAX_PHONE_GROUPS) - 1, first - 1, -1):
        if re.fullmatch(r"\d{7}-\d", text[groups[first][0] : groups[last][1]]):
            continue  # a business ID (Y-tunnus) such as 0112038-9, not a phone number
        digits = "".join(text[a:b] for a, b in groups[first : last + 1])
        if prefixed and m["intl"]:
            national = digits if digits.startswith("0") else "0" + digits
        elif prefixed:
            national = m["area"] + digits
        elif digits.startswith("0") and not digits.startswith("00"):
            national = digits
        else:
            return None
        confidence = _phone_confidence(national)
        if confidence is None:
            continue
        end = groups[last][1]
        if _phone_end_ok(text, end):
            return Finding("phone", start, end, confidence)
    return None


def _phone_end_ok(text: str, end: int) -> bool:
    """A phone number must not run into a word, a decimal or a quantity ("0 600 000 €")."""
    if re.match(r"[\w@]|[.,]\d", text[end : end + 2]):
        return False
    return not _is_quantity_at(text, end)


# ---------------------------------------------------------------------------------------------
# email
# ---------------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"""
    (?<![\w.+%-])
    (?P<local>[\w+%-]+(?:\.[\w+%-]+)*)      # etunimi.sukunimi (Unicode letters allowed)
    (?P<at>
        @
      | \s?[(\[{](?i:at|a|ät|miuku|kissanhäntä)[)\]}]\s?   # obfuscated: nimi(at)kunta.fi
    )
    (?P<domain>[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})        # hyvaep.fi, ovph.fi, kela.fi
    (?![\w-])
    """,
    re.VERBOSE,
)


def _find_emails(text: str) -> list[Finding]:
    return [
        Finding("email", m.start(), m.end(), HIGH if m["at"] == "@" else MEDIUM)
        for m in _EMAIL.finditer(text)
    ]


# ---------------------------------------------------------------------------------------------
# address
# ---------------------------------------------------------------------------------------------

# Finnish street-type words with the case forms used when telling where someone lives or is
# going to ("asuu Kotikadulla 5", "muuttaa Hämeentielle 3", "Aurakadun 18 asukkaat").
_FI_STREET_FORMS = [
    form
    for line in (
        "tie tien tiellä tielle tieltä tietä",
        "katu kadun kadulla kadulle kadulta katua",
        "kuja kujan kujalla kujalle kujalta kujaa",
        "polku polun polulla polulle polulta polkua",
        "väylä väylän väylällä väylälle väylältä väylää",
        "kaari kaaren kaarella kaarelle kaarelta kaarta",
        "kaarre kaarteen kaarteella kaarteelle kaarteelta",
        "rinne rinteen rinteellä rinteelle rinteeltä rinnettä",
        "raitti raitin raitilla raitille raitilta raittia",
        "tanhua tanhuan tanhualla tanhualle tanhualta",
        "piha pihan pihalla pihalle pihalta",
        "aukio aukion aukiolla aukiolle aukiolta",
        "ranta rannan rannalla rannalle rannalta",
        "mäki mäen mäellä mäelle mäeltä",
        "puistikko puistikon puistikolla puistikolle puistikolta",
        "penger penkereen penkereellä penkereelle penkereeltä",
        "kulma kulman kulmalla kulmalle kulmalta",
        "portti portin portilla portille portilta",
        "bulevardi bulevardin bulevardilla bulevardille bulevardilta",
        "esplanadi esplanadin esplanadilla esplanadille esplanadilta",
        "kaarto kaarron kaarrolla kaarrolle kaarrolta",
        "lenkki lenkin lenkillä lenkille lenkiltä",
        "kierto kierron kierrolla kierrolle kierrolta",
    )
    for form in line.split()
]

# Swedish street-type words (the definite forms are what appears in addresses).
_SV_STREET_FORMS = [
    form
    for line in (
        "vägen gatan gata gränd gränden stigen backen torget allén allé alléen",
        "kajen kaj strand stranden slingan bågen kroken leden esplanaden promenaden",
    )
    for form in line.split()
]


def _alternation(words: list[str]) -> str:
    # Longest first so that "kadulla" wins over "katu" etc.
    return "|".join(sorted(set(words), key=len, reverse=True))


# "tori" only after a vowel: "Kauppatori", but not "Rehtori", "Sektori", "Kuraattori".
_FI_ENDING = rf"(?:(?<=[aeiouyäö])tori(?:n|lla|lle|lta)?|{_alternation(_FI_STREET_FORMS)})"
_SV_ENDING = rf"(?:{_alternation(_SV_STREET_FORMS)})"

_ADDRESS = re.compile(
    rf"""
    (?<![\w-])
    (?P<street>
        # Optional adjective of a multi-word street: "Itäinen Pitkäkatu", "Vanhalla Porvoontiellä".
        (?:
            (?:
                (?:Itäi|Länti|Pohjoi|Eteläi)(?:nen|sellä|selle|seltä|sen)
              | (?:Vanha|Vähä|Pikku|Iso)(?:lla|lle|lta|n)? | Uu(?:si|della|delle|delta|den)
              | Pien(?:i|ellä|elle|eltä|en)
              | Stora|Lilla|Norra|Södra|Östra|Västra|Gamla|Nya
            )
            [{_SPACE}]
        )?
        (?:
            # One word (compounds may contain hyphens): Hämeentie, Kotikadulla, Storgatan,
            # Vilhelm-Schildtin-katu. The ending is preceded by at least one letter.
            [{_UPPER}][{_LOWER}{_UPPER}]*(?:-[{_LOWER}{_UPPER}]+)*?-?
            (?:{_FI_ENDING}|{_SV_ENDING})
          |
            # Genitive name + separate street word: "Aleksis Kiven katu", "Pyhän Henrikin aukio".
            (?P<separate>
                [{_UPPER}][{_LOWER}]+n[{_SPACE}][{_LOWER}]*(?:{_FI_ENDING})
            )
        )
    )
    [{_SPACE}]
    (?P<number>[1-9]\d{{0,2}}(?!\d)(?:[–-][1-9]\d{{0,2}}(?!\d))?)   # 5, 18, 3–5
    (?P<unit>
        (?:                                                        # staircase letter:
            [{_SPACE}]?[{_UPPER}](?![\w-])                           # "3 A", "3A"
          | [{_LOWER}](?![\w-])                                      # "5a"
          | [{_SPACE}](?![iåäö])[{_LOWER}](?=[{_SPACE}]\d)           # "5 a 12", not "i"
        )?
        (?:
            [{_SPACE}]?(?:as\.?|asunto|lgh\.?|lägenhet|bst\.?|bostad)[{_SPACE}]?\d{{1,4}}
          | (?<=[{_UPPER}{_LOWER}])[{_SPACE}]?\d{{1,3}}                # "A 12" after the letter
        )?(?!\d)
    )
    (?P<tail>
        ,?[{_SPACE}](?:PL|PB)[{_SPACE}]?\d{{1,5}}(?!\d)            # ", PL 123"
    )?
    (?P<postal>
        ,?[{_SPACE}]\d{{5}}[{_SPACE}][{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)*
    )?
    """,
    re.VERBOSE,
)

# Numbered highways are not addresses: "Valtatie 8", "kantatiellä 40", "Seututie 110".
_ROAD_NUMBER = re.compile(
    r"(?:Valta|Kanta|Seutu|Maan|Yhdys|Moottori)(?:tie|tien|tiellä|tielle|tieltä)"
)

# A P.O. box with a postcode and town is an address even without a street: "PL 123, 20101 Turku".
# (A bare "PL 19" is left alone: it is also how the constitution, perustuslaki, is cited.)
_PO_BOX = re.compile(
    rf"""
    (?<![\w-])
    (?:PL|PB)[{_SPACE}]?\d{{1,5}},?[{_SPACE}]\d{{5}}[{_SPACE}][{_UPPER}][{_LOWER}]+
    """,
    re.VERBOSE,
)


def _find_addresses(text: str) -> list[Finding]:
    found = []
    for m in _ADDRESS.finditer(text):
        end = m.end()
        number_end = m.end("number")
        after_number = text[number_end : number_end + 2]
        # Not a date or decimal ("Torilla 15.5."), a compound ("Torilla 5-vuotiaat"), a
        # paragraph or an amount ("kadulla 3 henkeä").
        if re.match(r"[.,:/]\d|-\w", after_number):
            continue
        detailed = m["unit"] or m["tail"] or m["postal"]
        if not detailed and (_is_quantity_at(text, end) or _PARTITIVE_AFTER.match(text, end)):
            continue
        if not detailed and re.search(r"\d[–-]", m["number"]):
            continue  # a bare range is more often a time ("Torilla 9–12") than "Kotikatu 3–5"
        if _ROAD_NUMBER.fullmatch(m["street"]):
            continue
        confidence = HIGH if detailed and not m["separate"] else MEDIUM
        found.append(Finding("address", m.start(), end, confidence))
    found.extend(Finding("address", m.start(), m.end(), MEDIUM) for m in _PO_BOX.finditer(text))
    return found


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _start(finding: Finding) -> int:
    return finding.start


def find_personal_data(text: str) -> list[Finding]:
    """Return the identifiers in ``text``, sorted by start and never overlapping.

    When candidates of different kinds overlap, hetu beats e-mail beats phone beats address;
    within a kind the longer candidate wins.
    """
    candidates = _find_hetus(text) + _find_emails(text) + _find_phones(text)
    candidates += _find_addresses(text)
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    chosen: list[Finding] = []  # kept sorted by start; never overlapping
    for candidate in candidates:
        at = bisect.bisect_left(chosen, candidate.start, key=_start)
        before_ok = at == 0 or chosen[at - 1].end <= candidate.start
        after_ok = at == len(chosen) or candidate.end <= chosen[at].start
        if before_ok and after_ok:
            chosen.insert(at, candidate)
    return chosen

"""Privacy guard: find client-identifying data in free text before a report is stored.

:func:`find_personal_data` returns :class:`Finding` objects of six kinds:

``hetu``
    Finnish personal identity codes (``DDMMYYCNNNK``, every century marker incl. the 2023
    ones). A valid code is ``high``; a code-shaped string with a plausible date but a wrong
    check character, an impossible date or an individual number outside 002–899 is ``medium``.
    Sloppy spellings are found too: a space around the marker or before the check character
    ("131052 -308T", "131052-308 T"), a space or nothing instead of the marker ("131052 308T",
    "131052308T"; ten digits only after a hetu word, as a phone number has ten), the date in
    pairs ("13 10 52-308T"), another dash as the marker, a lower-case check character; these
    are ``high`` when the check character is right, and with a wrong one only after a word such
    as "hetu" or "henkilötunnus" (also "hetu on …"). A code without its check character ("hetu
    131052-308") is ``medium`` after such a word.
``phone``
    Finnish phone numbers: mobile (04x, 050), landline area codes (02 … 09, 013 … 019),
    service/corporate numbers (0800, 020, 0295, 010, …) and the international forms
    (+358 / 00358, with or without the leading 0, ``+358 (0)40 …``), grouped with spaces or
    hyphens, or with the area code in parentheses ("(09) 310 1234"). Numbers of other countries
    with their + prefix ("+46 70 123 45 67"), Swedish mobile numbers as written in Sweden
    ("070-123 45 67", 070/072/076/079) and any number in the Swedish grouping of an area code,
    a hyphen and groups of two or three digits ("011-12 34 56") are ``medium``.
``email``
    E-mail addresses (also the "nimi(at)example.fi" and "etunimi.sukunimi at example.fi"
    spellings, as ``medium``).
``address``
    A street name with a Finnish (inflected: "Hämeentielle", "Kotikadulla") or Swedish
    ("Storgatan", "Strandvägen") street-type ending followed by a house number (not by a counted
    noun: "Ratapihalla 3 junaa"; a verb is fine: "Kirkkokadulla 3 valittaa"), an optional
    staircase letter / apartment ("3 A 12", "5 as. 5", "12 lgh 1102"), a P.O. box and a
    postcode + town directly after it ("Kotikatu 5, 20100 Turku").
``other_id``
    Other identifiers: a number after a word that names it as a client's identifier
    ("asiakasnumero 1234567", "asiakasnro VN-2025-0831", "Klientnummer 5512087",
    "vakuutusnumero …", "Kela-numero …"); as ``medium``, a number of five digits or more, with
    an optional letter prefix ("FP8830217", "LV-5590312", "UO 2025/0048213"), after any other
    word ending in a number word ("vahinkonumero", "Passnummer", "asian numero", "permit
    number", "No.", "ID"), except phone, postal, company, product, room, line and page numbers,
    dates, statute numbers ("1301/2014") and amounts; Finnish licence plates ("ABC-123"; two
    letters or one digit only next to a word such as "auto" or "rekisterinumero"), a code of
    one to three capitals and six to ten digits anywhere, the shape of passport and permit card
    numbers ("KX5530912", ``medium``; not after a product or company word), and bank
    account numbers in IBAN form ("FI21 1234 5600 0007 85"; ``high`` when the check digits are
    right).
``name``
    People's names, found with Voikko by :mod:`havainto.lib.names` (``high`` for first name +
    surname, ``medium`` for an unambiguous single name, ``low`` for context-based guesses).
    Names are a *warning* (:data:`WARNING_KINDS`): the reporter may confirm that they are not
    clients. All other kinds block (:data:`BLOCKING_KINDS`).

A public service's phone number or an office's address is not reported when a service or
office word comes before it in its sentence and nothing in the sentence makes it someone's own
("Kriisipuhelimen numero …", "Kelan toimisto (Kauppakatu 4)"; not "asiakkaan puhelinnumero …",
"asuu Kauppakatu 4:ssä"); toll-free 0800 numbers never are. A register number in a sentence
about a board's or a region's own matter is no one's identifier.

The detector is deliberately rule based, so the rules can be read, reviewed and tested.
Offsets are Python ``str`` offsets, ``end`` exclusive.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from havainto.lib.hetu import HETU_SHAPE, birth_date, is_valid_hetu
from havainto.lib.names import find_names, word_classes

HIGH = "high"
MEDIUM = "medium"
LOW = "low"

#: Kinds that stop a report from being stored.
BLOCKING_KINDS: frozenset[str] = frozenset({"hetu", "phone", "email", "address", "other_id"})
#: Kinds that are shown as a warning the reporter may override ("these are not clients").
WARNING_KINDS: frozenset[str] = frozenset({"name"})
KINDS: frozenset[str] = BLOCKING_KINDS | WARNING_KINDS

# When two candidates overlap, the kind listed first wins.
_PRIORITY = {"hetu": 0, "email": 1, "other_id": 2, "phone": 3, "address": 4, "name": 5}


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
          | pv|päiv(?:ä|ää|än|ässä|ästä|äksi|iä|ien|issä|inä|ät)|vrk|dygn[a-z]*
          | dag(?:ar|en|arna|ars)?         # not "dagtid" ("nås på 019 234 567 dagtid")
          | vk|viiko[a-zäö]*|viikk[a-zäö]*|veck[a-z]*
          | h|t|min|tunti[a-zäö]*|tunni[a-zäö]*|minuut[a-zäö]*|timm[a-z]*|sek
          | krt|kerta[a-zäö]*|kerra[a-zäö]*|gång[a-z]*|kappale[a-zäö]*|stycken
          # Counted people, in the forms a count takes: "12 asiakasta", "5 perheen" – not
          # "1234567 asiakasnumero" or "040 123 4567 asiakkaalle".
          | hlö[a-zäö]*|henkeä|henkilö|henkilöä|henkilön|henkilöt|henkilöitä|henkilöiden
          | perhe|perhettä|perheen|perheet|perheitä|perheiden
          | asiakas|asiakasta|asiakkaan|asiakkaat|asiakkaita|asiakkaiden
          | lasta|lapsi|lapsen|lapset|lapsia|lasten|nuorta|potilas|potilasta|potilaita
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


def _counted_after(text: str, pos: int) -> bool:
    """A partitive noun after a number ("Ratapihalla 3 junaa"), not a verb ("… 3 valittaa")."""
    m = _PARTITIVE_AFTER.match(text, pos)
    if m is None:
        return False
    classes = word_classes(m.group().strip(" \u00a0"))
    # Without Voikko (no readings) the ending alone decides, as before.
    return not classes or any(case == "osanto" for _cls, case in classes)


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


# Sloppy spellings: a space (at most two in all) around the marker or before the check
# character, dashes other than the hyphen-minus, lower-case letters. Also the code without
# its check character. Found by this wider pattern and judged in _loose_hetu.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_HETU_LOOSE = re.compile(
    rf"""
    (?<![\w+\-{_DASHES}])
    (?P<ddmmyy>\d{{6}}|\d\d[ \u00a0]\d\d[ \u00a0]\d\d)
    (?P<s1>[ \u00a0]?)
    (?P<marker>[-+A-FU-Ya-fu-y{_DASHES}])?
    (?P<s2>[ \u00a0]?)
    (?P<nnn>\d{{3}})
    (?:(?P<s3>[ \u00a0]?)(?P<check>[0-9A-Ya-y]))?
    (?![\w\-{_DASHES}]|[.,]\d)
    """,
    re.VERBOSE,
)

# Words that say an identity code follows ("hetu", "henkilötunnus", "personbeteckning").
# Up to four words may stand between ("Personbeteckningen hade skrivits som 110772 -289V",
# "henkilötunnuksensa vapaatekstikenttään, kuten eilen: 110788-905 M").
_HETU_CONTEXT = re.compile(
    r"(?i:hetu|henkilötunnu|henkilötunnus|sotu|syntymätunnu|tunnu|tunnus|personbeteckning|"
    r"personnummer|social security|identity code)[\w:]*[\s:=(]*"
    r"(?:[^\W\d]+[\s:,]+){0,4}$"
)


def _hetu_context_before(text: str, start: int) -> bool:
    return _HETU_CONTEXT.search(text[max(0, start - 60) : start]) is not None


def _loose_hetu(text: str, m: re.Match[str]) -> Finding | None:
    """A hetu written with extra spaces, another dash or none, lower case or no check
    character: "131052 308T", "13 10 52-308T", "131052—308T", "hetu on 131052-308t"."""
    ddmmyy = re.sub(r"\D", "", m["ddmmyy"])
    spaced_date = len(ddmmyy) != len(m["ddmmyy"])
    marker = m["marker"]
    spaces = len(m["s1"]) + len(m["s2"]) + len(m["s3"] or "")
    if marker is None:
        # Without a century marker only a check character and a space or a hetu word tell a
        # code from any ten digits (a phone number "0401234567"); the check needs no century.
        if spaced_date or m["check"] is None or spaces > 1 or m["s3"]:
            return None
        if not (spaces or m["check"].isalpha()) and not _hetu_context_before(text, m.start()):
            return None
        marker = "-"
    marker = "-" if marker in _DASHES else marker.upper()
    if spaces > 2 or (m["s3"] and (m["s1"] or m["s2"])):
        return None
    if birth_date(ddmmyy, marker) is None and not _date_like(ddmmyy):
        return None
    if m["check"] is None:
        # "hetu 131052-308": the check character is missing; only after a hetu word.
        if spaces or not _hetu_context_before(text, m.start()):
            return None
        return Finding("hetu", m.start(), m.end(), MEDIUM)
    if _is_quantity_at(text, m.end()):
        return None  # "120500 - 1500 €" is a sum
    code = ddmmyy + marker + m["nnn"] + m["check"].upper()
    if is_valid_hetu(code):
        return Finding("hetu", m.start(), m.end(), HIGH)
    if _hetu_context_before(text, m.start()) and _hetu_confidence(code) is not None:
        return Finding("hetu", m.start(), m.end(), MEDIUM)
    return None


def _date_like(ddmmyy: str) -> bool:
    return 1 <= int(ddmmyy[0:2]) <= 31 and 1 <= int(ddmmyy[2:4]) <= 12


def _find_hetus(text: str) -> list[Finding]:
    found = []
    exact: set[int] = set()
    for m in _HETU.finditer(text):
        confidence = _hetu_confidence(m.group())
        if confidence == MEDIUM and _is_quantity_at(text, m.end()):
            continue  # "150524-1000 euroa" is a sum after a date-like number, not a code
        if confidence is not None:
            found.append(Finding("hetu", m.start(), m.end(), confidence))
            exact.add(m.start())
    for m in _HETU_LOOSE.finditer(text):
        if m.start() in exact:
            continue
        finding = _loose_hetu(text, m)
        if finding is not None:
            found.append(finding)
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
    # Swedish mobile numbers written as at home ("070-123 45 67"): 070, 072, 076, 079 and 10
    # digits (073 is a Finnish corporate prefix above). Another country's number: medium.
    (re.compile(r"07[0269]"), range(10, 11), MEDIUM),
]

# The Swedish way of writing a number: area code, a hyphen, then groups of two or three digits
# ("011-12 34 56", "0480-123 45"). Whatever the area code, this shape is a phone number.
_SWEDISH_GROUPING = re.compile(rf"0\d{{1,3}}-\d{{2,3}}(?:[{_SPACE}]\d{{2,3}}){{1,3}}")


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
        written = text[groups[first][0] : groups[last][1]]
        if confidence is None and not prefixed and _SWEDISH_GROUPING.fullmatch(written):
            confidence = MEDIUM if 8 <= len(digits) <= 10 else None
        if confidence is None:
            continue
        end = groups[last][1]
        if _phone_end_ok(text, end):
            return Finding("phone", start, end, confidence)
    return None


# Numbers of other countries: "+46 70 123 45 67", "+7 921 123 45 67", "+44 20 7946 0958".
_FOREIGN_PHONE = re.compile(
    rf"""
    (?<![\w+])
    \+(?!358)[1-9]\d{{0,2}}
    (?:[{_SPACE}-]?\(0\))?
    (?:[{_SPACE}-]?\d{{1,5}}){{2,6}}
    """,
    re.VERBOSE,
)


def _find_foreign_phones(text: str) -> list[Finding]:
    found = []
    for m in _FOREIGN_PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        if 9 <= digits <= 15 and _phone_end_ok(text, m.end()):
            found.append(Finding("phone", m.start(), m.end(), MEDIUM))
    return found


def _phone_end_ok(text: str, end: int) -> bool:
    """A phone number must not run into a word, a decimal or a quantity ("0 600 000 €")."""
    if re.match(r"[\w@]|[.,-]\d", text[end : end + 2]):
        return False  # also "0987654-3", a business ID
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


# "etunimi.sukunimi at kunta.fi": spelt out with spaces; only with a dotted local part, so
# that ordinary English ("meet at noon") never matches.
_EMAIL_SPELT = re.compile(
    r"""
    (?<![\w.+%-])
    [\w+%-]+(?:\.[\w+%-]+)+
    [ \u00a0]+(?i:at|ät|miuku)[ \u00a0]+
    [\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}
    (?![\w-])
    """,
    re.VERBOSE,
)


# Mailboxes of an office, not a person ("kirjaamo@varha.fi", "info@…", "registrator@…").
_ROLE_MAILBOXES = frozenset(
    re.findall(
        r"\S+",
        """
        kirjaamo kirjaamo.sote registratur registrator registry info neuvonta asiakaspalvelu
        palaute toimisto office contact support kundtjanst kundtjänst kansli sosiaalipaivystys
        sosiaalitoimisto postmaster noreply no-reply
        """,
    )
)


def _find_emails(text: str) -> list[Finding]:
    found = [
        Finding("email", m.start(), m.end(), HIGH if m["at"] == "@" else MEDIUM)
        for m in _EMAIL.finditer(text)
        if m.group().split("@")[0].lower() not in _ROLE_MAILBOXES
    ]
    found += [Finding("email", m.start(), m.end(), MEDIUM) for m in _EMAIL_SPELT.finditer(text)]
    return found


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
        "ahde ahteen ahteella ahteelle ahteelta",
        "mutka mutkan mutkalla mutkalle mutkalta mutkassa",
        "kumpu kummun kummulla kummulle kummulta",
        "sola solan solalla solalle solalta solassa",
        "kenttä kentän kentällä kentälle kentältä",
        "niitty niityn niityllä niitylle niityltä",
        "vainio vainion vainiolla vainiolle vainiolta",
        "lehto lehdon lehdossa lehtoon lehdosta",
        "harju harjun harjulla harjulle harjulta",
        "nummi nummen nummella nummelle nummelta",
    )
    for form in line.split()
]

# Swedish street-type words (the definite forms are what appears in addresses).
_SV_STREET_FORMS = [
    form
    for line in (
        "vägen gatan gata gränd gränden stigen backen torget allén allé alléen",
        "kajen kaj strand stranden slingan bågen kroken leden esplanaden promenaden",
        "väg stig torg backe",
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
            # A street type alone as the name: "Esplanaden", "Esplanadilla", "Bulevardi".
            (?:Esplanad(?:en|i|in|illa|ille|ilta)|Bulevardi(?:n|lla|lle|lta)?|Allén|Promenaden)
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

# A P.O. box alone ("PL 312, 33101 Tampere") is not looked for: in reports it is an office's
# postal address (two held-out writers counted it clean); after a street it is part of the
# address ("Kotikatu 5, PL 123, 20101 Turku").


# A street whose name has no street-type ending ("Pellonpää", "Myllyoja", "Västerby") is an
# address when an apartment follows its number ("Pellonpää 3 as 6", "Västerby 4 lgh 12"), or a
# staircase and a door after a word of living ("asuu Pellonpää 3 B 12"; "Ryhmä 3 A 12" is not).
_UNMARKED_ADDRESS = re.compile(
    rf"""
    (?<![\w-])
    [{_UPPER}][{_LOWER}]{{2,}}(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*
    [{_SPACE}][1-9]\d{{0,2}}
    (?:
        (?:[{_SPACE}]?[A-H])?[{_SPACE}]?(?:as\.?|asunto|lgh\.?|lägenhet|bostad)[{_SPACE}]?\d{{1,4}}
      | (?P<door>[{_SPACE}]?[A-H][{_SPACE}]\d{{1,3}})
    )
    (?![\w-]|[.,]\d)
    """,
    re.VERBOSE,
)
_LIVING_BEFORE = re.compile(
    r"(?i:asu[a-zäö]*|muutt[a-zäö]*|osoite|osoitteessa|osoitteeseen|osoitteella|bor|bodde|"
    r"flyttade|adress|adressen|lives|lived|moved|address)[ \u00a0:]+$"
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
        if not detailed and (_is_quantity_at(text, end) or _counted_after(text, end)):
            continue
        if not detailed and re.search(r"\d[–-]", m["number"]):
            continue  # a bare range is more often a time ("Torilla 9–12") than "Kotikatu 3–5"
        if _ROAD_NUMBER.fullmatch(m["street"]):
            continue
        confidence = HIGH if detailed and not m["separate"] else MEDIUM
        found.append(Finding("address", m.start(), end, confidence))
    for m in _UNMARKED_ADDRESS.finditer(text):
        if m["door"] and not _LIVING_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            continue
        if not any(f.start < m.end() and m.start() < f.end for f in found):
            found.append(Finding("address", m.start(), m.end(), MEDIUM))
    return found


# ---------------------------------------------------------------------------------------------
# other_id
# ---------------------------------------------------------------------------------------------

# Words that name a client's identifier, with any inflection of the last part: "asiakasnumero",
# "asiakasnumerolla", "asiakasnro", "as.nro", "Kela-numero", "vakuutusnumeron", "kundnummer",
# "klientnumret", "customer number", "client ID". The last part is searched for first
# (_ID_KEY), the first part then checked right before it (_ID_OWNER): much faster than one
# pattern with every combination.
_ID_KEY = re.compile(
    r"""
    (?P<key>(?i:numero|nro|nr|n:o|nummer|numret|number|no|tunnus|tunniste|id|reference|
        sopimus|sopimukse|avtal|contract))
    [a-zäöå]{0,6}\.?(?![\w])
    (?P<sep>[ \u00a0]*(?:[:#=(]|on|oli|olisi|är|var|is|was)?[ \u00a0]*)
    """,
    re.VERBOSE,
)
_ID_OWNER = re.compile(
    r"""
    (?<![\w])
    (?i:asiakas|asiakkuus|asiakkaan|potilas|potilaan|jäsen|vakuutus|vakuutuksen|kela|
        kela-kortin|opiskelija|oppilas|sopimus|laina|tili|henkilökortin|ajokortin|passin|
        ajokortti|passi|rekisteri|rek|kund|klient|patient|medlems|försäkrings|avtals|lån|
        konto|elev|studerande|registrerings|register|reg|customer|client|member|patient|
        insurance|account|student|licen[cs]e|registration|lasku|laskun|viite|faktura|
        invoice|reference|referens|hakemus|hakemuksen|ärende|case|as)
    [.\s-]?$
    """,
    re.VERBOSE,
)
# The identifier itself: letters, digits and inner separators, with at least four digits in
# all ("5512087", "VN-2025-0831", "123 456 789", "UO 2025/0048213").
_ID_VALUE = re.compile(
    r"""
    (?P<value>
        (?:[A-ZÅÄÖ]{1,6}[-/](?=[A-ZÅÄÖ]))?  # "FIN-RP 0048812": two letter groups
        (?:[A-ZÅÄÖ]{1,6}(?:[-/]|[ \u00a0](?=\d))?)?\d[\dA-Z]*(?:[-/.][\dA-Z]+)*
        (?:[ \u00a0]\d{3,7}(?![\w]))*  # "no. 75 1234567"
    )
    (?![\w]|[.,]\d)
    """,
    re.VERBOSE,
)

# Finnish licence plates: 2–3 letters, a hyphen, 1–3 digits ("ABC-123", "MNB-71", "AB-12").
_PLATE = re.compile(
    r"(?<![\w\-/.])(?P<letters>[A-ZÅÄÖ]{2,3})-(?P<digits>[1-9]\d{0,2})(?![\w\-/§%]|[.,:]\d)"
)
# Letter groups that are far more often an abbreviation than a plate: "ICD-10", "PHQ-9",
# "GAD-7", "WHO-5", "DSM-5", "COP-28", "HPV-16", "EU-27".
_NOT_PLATE_LETTERS = frozenset(
    re.findall(
        r"\w+",
        """
        ICD PHQ GAD WHO DSM COP HPV ATC BMI CRP EKG MMR SRQ UKK CDR RAI SHL LSL STM THL KKV
        TEM OKM EU YK PL HE LA SOS ABC GDP VAT ALV HUS KYS OYS SIS ISO EN SFS IEC ETA MS ATK
        KHO KKO HAO EIT
        """,
    )
)
# Words near a plate that say it is one: "auto", "rekisterinumero", "bil", "car".
_VEHICLE_CONTEXT = re.compile(
    r"(?i:auto|ajoneuv|pakettiauto|moottoripyör|mopo|rekisteri|rek\.|kilpi|kilven|bil|fordon|"
    r"registreringsnummer|registernummer|\bcar\b|vehicle|licen[cs]e plate|number plate)"
)

# IBAN: Finnish (FI + 16 digits) in groups of four, or any IBAN whose check digits are right.
_IBAN = re.compile(
    r"""
    (?<![\w])
    (?P<iban>
        [A-Z]{2}\d{2}
        (?:[ \u00a0]?[A-Z0-9]{4}){2,7}
        (?:[ \u00a0]?[A-Z0-9]{1,3})?
    )
    (?![\w])
    """,
    re.VERBOSE,
)


def _iban_valid(iban: str) -> bool:
    """The ISO 13616 check: move the first four characters to the end, letters to numbers."""
    compact = re.sub(r"\s", "", iban)
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


# Any other word ending in a number word also names an identifier ("vahinkonumero",
# "Passnummer", "ulosottoasian numero", "permit number"), except for numbers that are no one's
# own: phones, postcodes, companies' and products' numbers, rooms, lines and pages. These
# first parts (of the compound, or the word before) say so. Register (diary) numbers stay
# identifiers: "diaarinumero LS-2024-3381" of a child protection notice points at a child;
# only the same label on a board's or a region's own matter does not (_a_boards_matter).
_NOT_ID_LABEL = re.compile(
    r"""
    (?:(?:^|-)(?:y|fo|org|tel|tfn|vat|zip|alv)
      | puhelin|puh|gsm|kännykkä|känny|telefon|mobil|mobile|phone|fax|faksi|posti|post|postal|
        yritys|business|company|organisations|moms|palvelu|vaihde|vaihteen|hätä|neuvonta|
        tuote|produkt|product|artikkeli|artikel|sarja|serie|serial|malli|modell|model|versio|
        version|sivu|sida|page|huone|huoneen|rum|room|linja|linjan|line|bussi|bussin|buss|bus|
        juna|tåg|train|lento|flyg|flight|raide|spår
    )-?$
    """,
    re.VERBOSE,
)
# Values after such a general label that are no identifiers: a date, a statute or decision
# number ("1301/2014"), a span of years, a business ID.
_NOT_ID_VALUE = re.compile(
    r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?|\d{1,4}/(?:19|20)\d\d|(?:19|20)\d\d-(?:19|20)\d\d|\d{7}-\d"
)


def _general_id_label(text: str, m: re.Match[str]) -> bool:
    """Whether the number word at ``m`` is a label of someone's identifier on its own."""
    start = m.start("key")
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
        start -= 1
    prefix = text[start : m.start("key")].lower()
    key = m["key"].lower()
    after_key = text[m.end("key") : m.end("key") + 1]
    if key in ("id", "no"):
        # Only as a word of their own ("ID", "asiakas-ID"), never inside one ("paid", "Covid",
        # "idea", "casino"); "no" only as "No." (else a word of English or Finnish).
        if (prefix and not prefix.endswith("-")) or after_key.isalpha():
            return False
        if key == "no" and after_key != ".":
            return False
    previous = re.search(r"([\w-]+)[ \u00a0]+$", text[max(0, start - 30) : start])
    for part in (prefix, previous[1].lower() if previous and not prefix else ""):
        if part and _NOT_ID_LABEL.search(part):
            return False
    return True


def _general_id_value(text: str, value: str, end: int) -> bool:
    """An identifier after a general label: five digits or more, not a date, phone number,
    postcode or amount."""
    if sum(c.isdigit() for c in value) < 5 or _NOT_ID_VALUE.fullmatch(value):
        return False
    if value[0] in "0+" and re.fullmatch(r"[\d \u00a0+-]+", value):
        return False  # a phone number, for the phone finder to judge
    # "00100 Helsinki": a postcode before its town.
    postcode = re.fullmatch(r"\d{5}", value) and re.match(rf"[{_SPACE}]+[{_UPPER}]", text[end:])
    return not postcode


# A code of one to three capitals and six to ten digits with no label: the shape of passport,
# residence-permit card and many customer numbers ("FE4417823", "XP1234567", "K-558120463").
# Abbreviations with numbers are shorter ("ICD10", "F32", "ICD-10"); after a product or company
# word it is no one's.
_BARE_ID = re.compile(rf"(?<![\w\-/.])[{_UPPER}]{{1,3}}-?\d{{6,10}}(?![\w\-/]|[.,]\d)")
_MODEL_BEFORE = re.compile(
    r"(?i:malli|model|tuote|produkt|product|sarja|serie|alv|vat|moms|y-tunnus|yritys|företag|"
    r"business|company)[\w-]*\W*$"
)


# A case number of one client's matter: letters, a year and a serial ("LS-2024-01187",
# "BS-2025-0312", "MIGRI/2023/48812"), with or without a label. A whole region's register
# numbers look the same and are flagged too (see docs/benchmarks.md: privacy first).
_CASE_CODE = re.compile(
    rf"(?<![\w\-/.])(?:[{_UPPER}]{{2,6}}[-/ ](?:19|20)\d\d|(?:19|20)\d\d[-/][{_UPPER}]{{2,6}})"
    rf"[-/]\d{{3,7}}(?![\w\-/]|[.,]\d)"
)


# A register number of a board's or a region's own matter is no one's identifier: four writers
# of evaluation data marked "dnr VÖS/118/2024" of a council initiative clean, and a client's
# case number ("Asia LS-2024-01187 (lastensuojeluilmoitus …)") personal. A sentence with words
# of governance and none of a client decides.
_GOVERNANCE = re.compile(
    r"(?i:aluehallitu|aluevaltuusto|valtuusto|lautakun|hallituks|hankinn|hankinta|strategi|"
    r"talousarvio|koko\s+(?:hyvinvointialue|alueen|kaupungin)|nämnd|fullmäktige|styrelse|"
    r"johtoryhm|ohjausryhm|ledningsgrupp|"
    r"upphandling|hela\s+välfärdsområdet|council|board|procurement|region-wide|§)"
)
_CLIENT_WORDS = re.compile(
    r"(?i:asiak|lapse|lapsi|vuotia|perhee|perhe\b|ilmoitu|ilmoitus|hakemu|klient|barn|åring|"
    r"anmälan|ansökan|client|child|family|application|pupil|oppilas|elev)"
)


# How far a sentence is looked for on either side of a finding: a text with no full stops
# (hostile or a long list) must not make every finding read the whole text.
_SENTENCE_REACH = 300


def _sentence_around(text: str, start: int, end: int) -> str:
    low, high = max(0, start - _SENTENCE_REACH), min(len(text), end + _SENTENCE_REACH)
    left = max(text.rfind(mark, low, start) for mark in ".!?\n")
    rights = [i for i in (text.find(mark, end, high) for mark in ".!?\n") if i >= 0]
    return text[max(left + 1, low) : min(rights) if rights else high]


def _a_boards_matter(text: str, start: int, end: int) -> bool:
    sentence = _sentence_around(text, start, end)
    return bool(_GOVERNANCE.search(sentence)) and not _CLIENT_WORDS.search(sentence)


# A Swedish personal identity number (personnummer, samordningsnummer): YYMMDD, "-" or "+",
# four digits, the last a Luhn check digit. A client who moved from Sweden brings one; a
# wrong check digit needs the word before it.
_SWEDISH_PNR = re.compile(
    r"(?<![\w\-+/.])(?:19|20)?(?P<date>\d{6})[-+](?P<serial>\d{4})(?![\w\-/]|[.,]\d)"
)
_SWEDISH_PNR_WORD = re.compile(r"(?i:person(?:nummer|nr|numret)|samordningsnummer)\W*(?:\w+\W+)?$")


def _luhn_valid(digits: str) -> bool:
    total = 0
    for i, char in enumerate(digits):
        value = int(char) * (2 if i % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _swedish_personal_numbers(text: str) -> list[Finding]:
    found = []
    for m in _SWEDISH_PNR.finditer(text):
        month, day = int(m["date"][2:4]), int(m["date"][4:6]) % 60  # +60: samordningsnummer
        if not (1 <= month <= 12 and 1 <= day <= 31) or _is_quantity_at(text, m.end()):
            continue
        if _luhn_valid(m["date"] + m["serial"]):
            found.append(Finding("other_id", m.start(), m.end(), HIGH))
        elif _SWEDISH_PNR_WORD.search(text[max(0, m.start() - 40) : m.start()]):
            found.append(Finding("other_id", m.start(), m.end(), MEDIUM))
    return found


# A payment or debt-collection reference of someone's debt: "viitteellä 1447 2290 8813",
# "ulosottoasian viite on 8120 5561 0047". Only eight digits or more in groups: "viite
# 1301/2014" is a statute and "Viite 202405-1234" tells nothing. Only for a debt: "Maksu
# tilille, viite 00 1234 5678" is how anyone pays an invoice.
_REFERENCE = re.compile(
    r"(?i:\bviit(?:e|teellä|teen|teeksi|enumero\w*)|\breferens\w*|\breference)"
    r"[ \u00a0]*(?:(?:on|oli|är|is|was)[ \u00a0]+|:[ \u00a0]*)?"
    r"(?P<value>\d{1,5}(?:[ \u00a0]\d{1,5}){1,6}|\d{8,20})(?![\w\-/]|[.,]\d)"
)


_DEBT_WORDS = re.compile(
    r"(?i:velka|velan|velko|perintä|perinnä|ulosot|vippi|laina|inkasso|skuld|kronofogd|"
    r"debt|collection|bailiff)"
)


def _find_other_ids(text: str) -> list[Finding]:
    found = [
        Finding("other_id", m.start("value"), m.end("value"), MEDIUM)
        for m in _REFERENCE.finditer(text)
        if sum(c.isdigit() for c in m["value"]) >= 8  # grouped from the right: "12 34561"
        and _DEBT_WORDS.search(_sentence_around(text, m.start(), m.end()))
    ]
    found += _swedish_personal_numbers(text) + [
        Finding("other_id", m.start(), m.end(), MEDIUM)
        for m in _CASE_CODE.finditer(text)
        if not _a_boards_matter(text, m.start(), m.end())
    ]
    for m in _BARE_ID.finditer(text):
        if not _MODEL_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
            found.append(Finding("other_id", m.start(), m.end(), MEDIUM))
    for m in _ID_KEY.finditer(text):
        owned = _ID_OWNER.search(text, max(0, m.start() - 30), m.start()) is not None
        if not owned and not _general_id_label(text, m):
            continue
        v = _ID_VALUE.match(text, m.end())
        if v is None:
            continue
        value = v["value"].rstrip(" \u00a0")
        if sum(c.isdigit() for c in value) < 4 or _is_quantity_at(text, v.end()):
            continue
        if not owned and not _general_id_value(text, value, v.start() + len(value)):
            continue
        if _a_boards_matter(text, v.start(), v.start() + len(value)):
            continue
        if re.fullmatch(r"(?:\+358|0)[\d \u00a0-]{6,}", value):
            continue  # "Asiakkaan numero on 040 718 2934": a phone number, for the phone finder
        if re.fullmatch(r"116[ \u00a0]?\d{3}", value):
            continue  # a European helpline ("Rikosuhripäivystyksen numero 116 006")
        confidence = HIGH if owned else MEDIUM
        found.append(Finding("other_id", v.start(), v.start() + len(value), confidence))
    for m in _PLATE.finditer(text):
        letters, digits = m["letters"], m["digits"]
        context = _VEHICLE_CONTEXT.search(text[max(0, m.start() - 50) : m.start()])
        doubtful = letters in _NOT_PLATE_LETTERS or len(letters) == 2 or len(digits) == 1
        if doubtful and context is None:
            continue
        found.append(Finding("other_id", m.start(), m.end(), HIGH if context else MEDIUM))
    for m in _IBAN.finditer(text):
        iban = m["iban"]
        compact = re.sub(r"\s", "", iban)
        valid = _iban_valid(iban)
        if iban.startswith("FI") and len(compact) == 18:
            found.append(Finding("other_id", m.start(), m.end(), HIGH if valid else MEDIUM))
        elif valid and 15 <= len(compact) <= 34:
            found.append(Finding("other_id", m.start(), m.end(), HIGH))
    return found


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def _start(finding: Finding) -> int:
    return finding.start


def _name_findings(text: str) -> list[Finding]:
    return [Finding("name", m.start, m.end, m.confidence) for m in find_names(text)]


# A public service's number and an office's address are nobody's personal data: reports tell
# where help is ("Kriisipuhelimen numero 09 2525 0111", "Kelan toimisto (Kauppakatu 4)"). A
# service or office word before the finding in its sentence, and no word of someone's own
# number or home in it, decide; a toll-free 0800 number is always a service's.
_SERVICE_BEFORE = re.compile(
    r"(?i:(?:kriisi|neuvonta|auttava[ \u00a0]|vanhempain|palvelu|päivystys|jour|kris)"
    r"(?:puhelim|puhelin|telefon)|puhelinneuvon|neuvonta|neuvonnan|palvelunumero|vaihde|vaihtee|"
    r"päivystys|päivystyk|jour(?:en|tjänst|telefon)?\b|linja|linje|rådgivning|helpline|"
    r"servicenummer|service number|"
    r"hotline|crisis line|service line|switchboard|advice line)"
)
# An office's or a service unit's words before an address in the same clause
# ("Sosiaalipäivystys osoitteessa Kalevankatu 5 B", "aikuissosiaalityö muutti Kauppakatu
# 40:stä"); a service that reports a place is not there ("Päivystys kertoi, että osoitteessa
# Kuusitie 8 B 4 oli riita": see _CLAUSE_BREAK).
_OFFICE_BEFORE = re.compile(
    r"(?i:toimisto|piste|päiväkeskus|terveysasema|vastaanot|kirjasto|byrå|kontor|mottagning|"
    r"office|centre|center|library|päivystys|sosiaalityö|palvelut\b|keskus|asema\b|yksikkö|"
    r"neuvola|socialjour|enhet|mottagningen|unit\b|services\b)"
)
_CLAUSE_BREAK = re.compile(r"(?i:\b(?:että|jossa|missä|att|där|that|where)\b|[:;])")
_OWN_CONTACT = re.compile(
    r"(?i:\b(?:asiakas|asiakkaan|hänen|heidän|äiti|äidin|isä|isän|lapsi|lapsen|oma|omaan|omasta|numeronsa|his|her|"
    r"their|client's|mother's|father's|hans|hennes|deras|klientens|mammans|pappans|soitti|"
    r"hänelle|häneltä|perheen|yhteyshenkilö|soittaa|soittanut|ringer|ringt|"
    r"calls|calling|ringde|called|hän|perhe|familjen|family)\b)"
)
# Words of a home: they make a number or an address someone's wherever they are in the
# sentence ("Hän asuu Asemakatu 12:ssa toimiston vieressä", "tukiasuntoon osoitteessa …",
# "kotikäynnin"); home care ("kotihoidon toimisto") and a day-care centre are services.
_HOME_WORDS = re.compile(
    r"(?i:\b(?:asuu|asui|asuvat|asunut|bor|bodde|hemma|lives|lived|living|apartment|flat)\b|"
    r"\b(?:koti(?!hoi)|kodi(?!nhoi)|koto|home)\w*|\w*(?:asunto|asunno|bostad|lägenhet|hembesök)\w*)"
)
_CLAUSE_OR_COMMA = re.compile(r"(?i:\b(?:että|jossa|mutta|att|där|men|that|where|but|so)\b|[,:;])")
# A service's number named as such right before it: "kriisipuhelimen numero", "FPA:s
# servicenummer", "the crisis line's number is".
_NUMBER_OF_A_SERVICE = re.compile(
    r"(?i:(?:puhelime|puhelimen|neuvonnan|päivystyksen|vaihteen|linjan|jourens|linjens|"
    r"line's|helpline's|switchboard's)[ \u00a0]+(?:puhelin)?(?:numero|nummer|number)\w*"
    r"(?:[ \u00a0]+(?:on|oli|är|var|is|was))?[ \u00a0:,]*)$"
)
_TOLL_FREE = re.compile(r"(?:\+358[ \u00a0-]?|0)800")
_SENTENCE_BREAK = re.compile(r"[.!?][\s\u00a0]+(?=[A-ZÅÄÖ])|\n")


def _up_to(pattern: re.Pattern[str], text: str) -> str:
    """``text`` up to the first match of ``pattern`` (a clause's end)."""
    found = pattern.search(text)
    return text[: found.start()] if found else text


def _public_contact(text: str, finding: Finding) -> bool:
    value = text[finding.start : finding.end]
    if finding.kind == "phone" and _TOLL_FREE.match(re.sub(r"[ \u00a0()-]", "", value)):
        return True
    window = text[max(0, finding.start - 80) : finding.start]
    # Only this sentence: after the last full stop that ends one ("puh." does not).
    breaks = list(_SENTENCE_BREAK.finditer(window))
    before = window[breaks[-1].end() :] if breaks else window
    after = text[finding.end : finding.end + 120]
    end = _SENTENCE_BREAK.search(after)
    following = after[: end.start()] if end else after
    sentence = before + value + following
    if finding.kind == "phone":
        if _NUMBER_OF_A_SERVICE.search(before):
            return True  # "Hänelle annettiin kriisipuhelimen numero 09 2525 0111."
        # Someone's word in the number's clause ("Asiakas soitti … numerosta 040 …") or a
        # home anywhere in the sentence makes the number theirs; so does a person named in it
        # ("Farhad Hosseini (p. 050 …)").
        clause = before + value + _up_to(_CLAUSE_OR_COMMA, following)
        return (
            _SERVICE_BEFORE.search(before) is not None
            and not _OWN_CONTACT.search(clause)
            and not _HOME_WORDS.search(sentence)
            and not find_names(sentence)
        )
    # An address: the office must be in the same clause, and a client's word in that clause
    # ("Sosiaalipäivystys osoitteessa Kalevankatu 5 B on ainoa paikka, jossa asiakkaan voi
    # tavata": the client is met there, it is not theirs); a home word anywhere in the
    # sentence. An office's address may stand beside a client's name ("Kelan toimisto
    # (Kauppakatu 4) neuvoi Hussein Mahamedia").
    clauses = list(_CLAUSE_BREAK.finditer(before))
    before = before[clauses[-1].end() :] if clauses else before
    clause = before + value + _up_to(_CLAUSE_BREAK, following)
    return (
        _OFFICE_BEFORE.search(before) is not None
        and not _OWN_CONTACT.search(clause)
        and not _HOME_WORDS.search(sentence)
    )


def _not_public(finder: Callable[[str], list[Finding]]) -> Callable[[str], list[Finding]]:
    def find(text: str) -> list[Finding]:
        return [f for f in finder(text) if not _public_contact(text, f)]

    return find


_FINDERS: dict[str, Callable[[str], list[Finding]]] = {
    "hetu": _find_hetus,
    "email": _find_emails,
    "other_id": _find_other_ids,
    "phone": _not_public(lambda text: _find_phones(text) + _find_foreign_phones(text)),
    "address": _not_public(_find_addresses),
    "name": _name_findings,
}


def find_personal_data(text: str, *, kinds: Collection[str] | None = None) -> list[Finding]:
    """Return the identifiers in ``text``, sorted by start and never overlapping.

    When candidates of different kinds overlap, hetu beats e-mail beats other_id beats phone
    beats address beats name; within a kind the longer candidate wins. ``kinds`` limits the
    search (e.g. :data:`BLOCKING_KINDS`, which skips the slower name detection); the findings
    of the other kinds are the same as without the limit.
    """
    wanted = KINDS if kinds is None else frozenset(kinds)
    candidates: list[Finding] = []
    for kind, finder in _FINDERS.items():
        if kind in wanted:
            candidates += finder(text)
    candidates.sort(key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    chosen: list[Finding] = []  # kept sorted by start; never overlapping
    for candidate in candidates:
        at = bisect.bisect_left(chosen, candidate.start, key=_start)
        before_ok = at == 0 or chosen[at - 1].end <= candidate.start
        after_ok = at == len(chosen) or candidate.end <= chosen[at].start
        if before_ok and after_ok:
            chosen.insert(at, candidate)
    return chosen


def find_blocking_data(text: str) -> list[Finding]:
    """Only the findings that stop a report from being stored (every kind but ``name``)."""
    return find_personal_data(text, kinds=BLOCKING_KINDS)


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    """The findings of a blocking kind."""
    return [f for f in findings if f.kind in BLOCKING_KINDS]


def warnings(findings: Sequence[Finding]) -> list[Finding]:
    """The findings the reporter may confirm (names)."""
    return [f for f in findings if f.kind in WARNING_KINDS]


def redact(
    text: str, findings: Sequence[Finding], mask: Callable[[Finding], str] | None = None
) -> str:
    """``text`` with every finding replaced by ``mask(finding)`` (default "[kind]"), e.g. for
    the redaction queue. The findings must not overlap (as :func:`find_personal_data` returns)."""
    mask = mask or (lambda f: f"[{f.kind}]")
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=_start):
        parts.append(text[position : finding.start])
        parts.append(mask(finding))
        position = finding.end
    parts.append(text[position:])
    return "".join(parts)

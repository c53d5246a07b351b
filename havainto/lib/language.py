"""Language analysis for search, theme suggestions and weak signals (Django-free).

What it gives (background/stack.md §1–§3):

- `detect_language(text)`: "fi", "sv" or "en", offline, from function words and letter cues.
- `tokenize(text)`: word and number tokens with offsets; hyphenated compounds ("TE-palvelut"),
  colon inflection ("THL:n"), decimals and dates ("1,5", "1.3.2024") stay one token.
- `Analyser.index_terms(text)`: the terms to store for a report, and `Analyser.query_terms(query)`:
  per query word the alternatives to OR together (AND across words). Both run the same per-word
  analysis, so a query and a text always agree on a word's terms.

Finnish (Voikko, `libvoikko.Voikko("fi")`), per word:

- *lemmas*: the base form of every reading ("kuusi" → kuu, kuusi);
- *links*: quality nouns in -(U)Us/-(Y)ys also give the word they are made from, checked by Voikko:
  yksinäisyys → yksinäinen, työttömyys → työtön, asunnottomuus → asunnoton, asiakkuus → asiakas,
  kehitys → kehittää. No other derivation is followed: sähköinen must not match sähkö, nor
  osasto osa.
- *-minen action nouns*: Voikko reads them as forms of their verb (asumisen → asua); here they
  are nouns (asumisen → asuminen, palveluasumisen → palveluasuminen), so the query asuminen does
  not find "asuu". The verb is kept as a text-only term (like a compound part): "asua" still
  finds asuminen.
- for compounds (from the readings with the fewest parts, so "nuorisotakuu" is nuoriso + takuu and
  not nuori + sota + kuu), each part re-analysed (lemmas + links: asumis- → asuminen (+ asua),
  omais- → omainen, lasten- → lapsi, työttömyys- → työttömyys, työtön), and every run of
  adjacent parts ending in a part's lemma (lasten + suojelu → lastensuojelu, mielen + terveys →
  mielenterveys, toimeentulo + tuki → toimeentulotuki).
- Words Voikko does not know: hyphenated ones are analysed part by part ("TE-palvelujen" →
  te-palvelu, palvelu); others are split once where both sides are Finnish words
  ("takaisinperinnän" → takaisinperintä, perintä); otherwise the lower-cased word itself.

A query word's alternatives are its lemmas and links; a text word's terms add the compound parts
and part runs. So "sähkö" finds "pörssisähkösopimuksen", but "pörssisähkösopimus" does not find
every text that mentions "sähkö".

Swedish uses simplemma (lang "sv") for lemmas, plus a recursive split of compounds into words
simplemma knows (`_compound_split`): a non-final piece may end in a linking -s (barnskydds →
barnskydd), pieces need four letters (except a few short heads that begin the word: "el",
"hem", "tid"…) and the word nine (seven after a short head); fewest pieces win, then the longest
last word. The terms are the parts, the runs of adjacent parts (the last one as its lemma) and
the parts of parts whose lemma is a compound itself: "barnskyddsanmälningarna" → barn, skydd,
anmälning, barnskydd, skyddsanmälning; "hemvårdsavgiften" → hemvård, avgift, hem, vård;
"elräkningarna" → elräkning, el, räkning; "boendekostnader" → boendekostnad, bo, kostnad
("boende" and "äldre" lemmatise to bo and gammal, on the query side too). A word simplemma does
not know gets its lemma from its parts (klientavgiften → klientavgift), or, when it cannot be
cut into known words, its longest known tail (digistöd → stöd; not for English words). Without
word frequencies a few cuts are nonsense (villkoren → vilja + kor, missbruksvård + senheten).
English uses simplemma (lang "en") lemmas only.

Without Voikko (libvoikko missing, or no Finnish dictionary) Finnish falls back to simplemma, with
the same compound split as Swedish for the words simplemma does not know; `VOIKKO_AVAILABLE` says
which is in use, and a warning is logged once. simplemma loads a language's dictionary on first
use (about 3 s for sv, 8 s for fi on the 2-core test machine): warm it up in long-running
processes.

Every term is lower-case; stop words (data/stopwords_*.txt, from the Snowball lists that
PostgreSQL ships, plus a few additions), function-word readings (conjunctions, pronouns, negation
verb, interjections, adpositions) and single letters are dropped. Numbers are kept as written
("2024", "1,5"). Per-word analyses are cached (`functools.lru_cache`, 100 000 word forms per
backend). Voikko handles are not thread-safe, so each thread gets its own (`threading.local`).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import simplemma

try:
    import libvoikko
except ImportError:  # pragma: no cover - depends on the machine
    libvoikko = None

logger = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
CACHE_SIZE = 100_000
MAX_WORD_LENGTH = 60

_DATA = Path(__file__).with_name("data")


# --------------------------------------------------------------------------------------------
# Voikko availability and per-thread handles


_local = threading.local()


def _probe_voikko() -> tuple[bool, str]:
    """Whether a Finnish Voikko can be opened here, and why not."""
    if libvoikko is None:
        return False, "the libvoikko Python package is not installed"
    try:
        _local.voikko = libvoikko.Voikko("fi")
    except (OSError, libvoikko.VoikkoException) as exc:
        return False, str(exc)
    return True, ""


VOIKKO_AVAILABLE, _VOIKKO_PROBLEM = _probe_voikko()
if not VOIKKO_AVAILABLE:
    logger.warning(
        "Voikko is not available (%s); Finnish falls back to simplemma lemmas, with a simple "
        "compound split and no readings. Install libvoikko1 + voikko-fi and the libvoikko "
        "package.",
        _VOIKKO_PROBLEM,
    )


def _voikko() -> Any:
    """This thread's Voikko handle (Voikko objects must not be shared between threads)."""
    handle = getattr(_local, "voikko", None)
    if handle is None:
        handle = _local.voikko = libvoikko.Voikko("fi")
    return handle


# --------------------------------------------------------------------------------------------
# Stop words


def _read_word_list(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip().lower()
        if word:
            words.add(word)
    return frozenset(words)


# English function words (PostgreSQL english.stop, shortened); English reports are rare.
_ENGLISH_STOP_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also
"""
_ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_TEXT.split())

STOP_WORDS: dict[str, frozenset[str]] = {
    "fi": _read_word_list(_DATA / "stopwords_fi.txt"),
    "sv": _read_word_list(_DATA / "stopwords_sv.txt"),
    "en": _ENGLISH_STOP_WORDS,
}

# Voikko word classes that carry no topic: conjunction, pronoun, negation verb, interjection,
# adposition. Only those readings go: "kautta" keeps its (wrong but harmless) noun reading.
_FUNCTION_CLASSES = frozenset({"sidesana", "asemosana", "kieltosana", "huudahdussana", "suhdesana"})
# Classes a derived word or a compound tail must have to count as a real word.
_CONTENT_CLASSES = frozenset({"nimisana", "laatusana", "nimisana_laatusana", "teonsana"})


# --------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True, slots=True)
class Token:
    """A word or number in a text; `text == source[start:end]`."""

    text: str
    start: int
    end: int
    kind: str  # "word" or "number"


_HYPHENS = "-\u2010\u2011"
_TOKEN_RE = re.compile(
    r"[^\W_]+"
    # joined by a hyphen or apostrophe, or digits by a decimal point/comma or time colon
    rf"(?:(?:[{_HYPHENS}'\u2019]|(?<=\d)[.,:](?=\d))[^\W_]+)*"
    # Finnish colon inflection of abbreviations and numbers: THL:n, AVI:lle, 2024:ssä
    r"(?::[^\W\d_]{1,6}\b)?"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")


def tokenize(text: str) -> list[Token]:
    """Word and number tokens with their offsets in `text`.

    Hyphenated compounds ("TE-palvelut", "29-vuotiaita", "covid-19"), colon inflection ("THL:n")
    and numbers with decimals or dots ("1,5", "1.3.2024", "10:30") stay one token. Punctuation and
    dashes between words (an en dash in "20–29") separate tokens.
    """
    return [
        Token(
            m.group(),
            m.start(),
            m.end(),
            "word" if _HAS_LETTER.search(m.group()) else "number",
        )
        for m in _TOKEN_RE.finditer(text)
    ]


def _normalise_word(word: str) -> str:
    """Lower-cased, NFC, one kind of hyphen and apostrophe, no soft hyphens."""
    word = unicodedata.normalize("NFC", word).replace("\u00ad", "")
    return word.replace("\u2010", "-").replace("\u2011", "-").replace("\u2019", "'").lower()


# --------------------------------------------------------------------------------------------
# Language detection

# Letters and endings that are strong evidence on their own.
_FI_ENDINGS = (
    "ssa",
    "ssä",
    "stä",
    "llä",
    "ltä",
    "lle",
    "ksi",
    "inen",
    "isen",
    "iset",
    "isten",
    "ään",
    "aan",
    "iin",
    "vat",
    "vät",
    "nut",
    "nyt",
    "ttu",
    "tty",
    "ssaan",
    "ssään",
    "mme",
    "tte",
    "nsa",
    "nsä",
    "jen",
    "ojen",
    "öjen",
    "iden",
)
_FI_DOUBLES = ("aa", "ii", "uu", "yy", "ää", "öö")
_SV_ENDINGS = (
    "ning",
    "ingen",
    "ingar",
    "ingarna",
    "heten",
    "het",
    "erna",
    "arna",
    "orna",
    "lig",
    "liga",
    "ligt",
    "igt",
    "ande",
    "ende",
    "skap",
    "tjänst",
)
_EN_ENDINGS = (
    "ing",
    "ings",
    "ly",
    "tion",
    "tions",
    "ed",
    "ness",
    "ight",
    "ough",
    "able",
    "ible",
    "ies",
    "ence",
    "ance",
    "ful",
    "less",
)
_FI_FINAL_LETTERS = frozenset("aeiouyäönts")
_EN_PAIRS = ("igh", "ph")
_DETECT_WORDS: dict[str, frozenset[str]] = {
    "fi": STOP_WORDS["fi"] | {"ovat", "myös", "eikä", "vielä", "jo", "vain", "kanssa", "mutta"},
    "sv": STOP_WORDS["sv"]
    | {"också", "även", "inga", "får", "finns", "ska", "kommer", "många", "vissa", "flera", "dock"},
    "en": STOP_WORDS["en"] | {"many", "there", "also", "often", "been", "get", "gets"},
}


def _language_scores(text: str) -> dict[str, float]:
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for index, token in enumerate(tokenize(text)):
        if token.kind != "word":
            continue
        word = _normalise_word(token.text)
        for lang, words in _DETECT_WORDS.items():
            if word in words:
                scores[lang] += 2.0
        # A capital letter mid-text usually starts a name (place names cross languages); give it
        # no letter cues. Function words above still count.
        if token.text[:1].isupper() and index > 0 or len(word) < 3:
            continue
        if "å" in word:
            scores["sv"] += 2.0
        if any(double in word for double in _FI_DOUBLES):
            scores["fi"] += 1.0
        if word.endswith(_FI_ENDINGS):
            scores["fi"] += 1.0
        if word.endswith(_SV_ENDINGS):
            scores["sv"] += 1.0
        if word.endswith(_EN_ENDINGS) and "ä" not in word and "ö" not in word:
            scores["en"] += 1.0
        if "th" in word or "w" in word:
            scores["en"] += 1.0
        if ("ck" in word or "sj" in word or "tj" in word) and "w" not in word:
            scores["sv"] += 0.5
        # Weak cues for texts with nothing else: Finnish words end in a vowel, n, t or s.
        if word[-1] not in _FI_FINAL_LETTERS:
            scores["sv"] += 0.5
            scores["en"] += 0.5
            if "ä" in word or "ö" in word:
                scores["sv"] += 0.5
        if "ä" not in word and "ö" not in word and any(p in word for p in _EN_PAIRS):
            scores["en"] += 0.5
    return scores


def detect_language(text: str) -> str:
    """ "fi", "sv" or "en" for `text`; Finnish when there is no evidence either way.

    Scores function words (the stop-word lists) and a few letter cues per word: å (sv), Finnish
    double vowels and case endings, Swedish and English derivational endings, "th" and "w" (en).
    Capitalised words after the first are skipped for letter cues, so place names such as
    "Järvenpää" in Swedish text or "Helsingfors" in Finnish text do not decide the language.
    Offline, no model, about 10 µs a word.
    """
    scores = _language_scores(text)
    best = max(scores.values())
    if best <= 0:
        return DEFAULT_LANGUAGE
    # Ties go to the order of LANGUAGES: Finnish first, it is the main language of the service.
    return next(lang for lang in LANGUAGES if scores[lang] == best)


# --------------------------------------------------------------------------------------------
# Per-word analyses


@dataclass(frozen=True, slots=True)
class WordAnalysis:
    """What one word form contributes.

    `lemmas`: base forms of every reading. `core`: lemmas plus derivation links, the alternatives
    a query word ORs together. `terms`: core plus compound parts and runs of parts, what a text
    word is indexed under. All lower-case; stop words removed.
    """

    lemmas: tuple[str, ...]
    core: tuple[str, ...]
    terms: tuple[str, ...]


_EMPTY = WordAnalysis((), (), ())


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _keep(term: str, lang: str) -> bool:
    """Whether a term is worth storing: not a stop word, not a single letter."""
    if term in STOP_WORDS[lang]:
        return False
    return len(term) > 1 or term.isdigit()


def _make(
    lemmas: Iterable[str], core: Iterable[str], terms: Iterable[str], lang: str
) -> WordAnalysis:
    lemma_tuple = _unique(t for t in lemmas if _keep(t, lang))
    core_tuple = _unique([*lemma_tuple, *(t for t in core if _keep(t, lang))])
    terms_tuple = _unique([*core_tuple, *(t for t in terms if _keep(t, lang))])
    return WordAnalysis(lemma_tuple, core_tuple, terms_tuple)


# ---- Finnish with Voikko

# Quality nouns in -(U)Us/-(Y)ys made from an adjective through another suffix: Voikko lists only
# the innermost root (asunto for asunnottomuus), so the adjective is rebuilt and checked.
_QUALITY_NOUN_ENDINGS = (
    ("ttomuus", "ton"),
    ("ttömyys", "tön"),
    ("tomuus", "ton"),
    ("tömyys", "tön"),
    ("isuus", "inen"),
    ("isyys", "inen"),
)
_LINK_SUFFIXES = frozenset({"+ys", "+us", "+ut", "+yt", "+tu", "+ty"})
_MORPHEME_RE = re.compile(r"\+([^+(]*)((?:\([^)]*\))*)")


@dataclass(frozen=True, slots=True)
class _Morpheme:
    surface: str
    base: str | None  # lexical base ("asua"), a suffix ("+us") or None for a bare piece

    @property
    def is_suffix(self) -> bool:
        return self.base is not None and self.base.startswith("+")


def _morphemes(wordbases: str) -> list[_Morpheme]:
    """Parse Voikko WORDBASES, e.g. "+asumis(asua)+kustann(kustantaa)+us(+us)"."""
    result = []
    for surface, bases in _MORPHEME_RE.findall(wordbases):
        first = bases[1 : bases.index(")")] if bases else None
        result.append(_Morpheme(surface, first))
    return result


def _groups(analysis: dict[str, str]) -> list[list[_Morpheme]]:
    """The compound parts of one reading, each a list of morphemes.

    STRUCTURE marks part boundaries on the word's characters ("=pppppp=pppppppp"); a boundary
    counts only where it falls between WORDBASES morphemes, so lexicalised compounds such as
    toimeentulo (base "toimeen=tulo") stay one part. A hyphen morpheme closes a part.
    """
    structure = analysis.get("STRUCTURE", "")
    boundaries = set()
    position = 0
    for char in structure:
        if char == "=":
            boundaries.add(position)
        else:
            position += 1
    groups: list[list[_Morpheme]] = []
    current: list[_Morpheme] = []
    position = 0
    for morpheme in _morphemes(analysis.get("WORDBASES", "")):
        if morpheme.surface == "-":
            # Kept at the end of the part it closes, so runs of parts keep the hyphen.
            if current:
                current.append(morpheme)
                groups.append(current)
            current = []
        elif position in boundaries and current and not morpheme.is_suffix:
            groups.append(current)
            current = [morpheme]
        else:
            current.append(morpheme)
        position += len(morpheme.surface)
    if current:
        groups.append(current)
    return groups


def _root_link(group: list[_Morpheme]) -> str | None:
    """The word a part is made from, when its only suffix is a linking one (-(U)Us/-(Y)ys nouns
    and past participles): terveys → terve, asiakkuus → asiakas, kiusattu → kiusata."""
    root = group[0]
    suffixes = [m for m in group[1:] if m.is_suffix]
    if (
        root.base
        and not root.is_suffix
        and len(suffixes) == 1
        and suffixes[0].base in _LINK_SUFFIXES
    ):
        return root.base.replace("=", "").lower()
    return None


def _voikko_readings(word: str) -> list[dict[str, str]]:
    return [r for r in _voikko().analyze(word) if r.get("CLASS") not in _FUNCTION_CLASSES]


def _voikko_is_function_word(word: str) -> bool:
    readings = _voikko().analyze(word)
    return bool(readings) and all(r.get("CLASS") in _FUNCTION_CLASSES for r in readings)


def _quality_noun_link(baseform: str) -> str | None:
    for ending, replacement in _QUALITY_NOUN_ENDINGS:
        if baseform.endswith(ending):
            candidate = baseform[: -len(ending)] + replacement
            if any(
                r.get("BASEFORM", "").lower() == candidate and r.get("CLASS") in _CONTENT_CLASSES
                for r in _voikko().analyze(candidate)
            ):
                return candidate
    return None


_MINEN_STEM_RE = re.compile(r"\[X\]([^\[]*)\[Tn4\]")


def _last_base(reading: dict[str, str]) -> str | None:
    """The lexical base of the reading's last morpheme that is not a suffix."""
    bases = [m.base for m in _morphemes(reading.get("WORDBASES", "")) if m.base]
    words = [b for b in bases if not b.startswith("+")]
    return words[-1].replace("=", "").lower() if words else None


def _minen_noun(reading: dict[str, str]) -> tuple[str, str, str] | None:
    """(noun of the whole word, noun of its last part, verb) for a -minen action noun.

    Voikko analyses -minen nouns as a form of their verb (MOOD "MINEN-infinitive", BASEFORM
    asua for asumisen, palveluasua for palveluasumisen), which would make the query asuminen
    find every "asuu". The noun is rebuilt from the verb stem Voikko marks in FSTOUTPUT
    ("[X]asu[Tn4]mi…"): asumisen → asuminen, palveluasumisen → palveluasuminen.
    """
    if reading.get("MOOD") != "MINEN-infinitive":
        return None
    stems = _MINEN_STEM_RE.findall(reading.get("FSTOUTPUT", ""))
    verb = _last_base(reading)
    baseform = reading.get("BASEFORM", "").lower()
    if not stems or not verb or not baseform.endswith(verb):
        return None
    part = stems[-1].lower() + "minen"
    return baseform[: -len(verb)] + part, part, verb


@functools.lru_cache(maxsize=CACHE_SIZE)
def _fi_readings(word: str) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(lemma, links, extras) for every content reading of a word.

    Links are words the reading is made from that a query word also stands for (quality nouns:
    työttömyys → työtön); extras are indexed for a text word only (the verb of a -minen noun:
    a text's "asuminen" is found by "asua", but the query "asuminen" does not find "asuu").
    """
    result = []
    for reading in _voikko_readings(word):
        lemma = reading.get("BASEFORM", "").lower()
        links: list[str] = []
        extras: tuple[str, ...] = ()
        if minen := _minen_noun(reading):
            lemma, _part, verb = minen
            extras = (verb,)
        groups = _groups(reading)
        if len(groups) == 1 and not minen and (link := _root_link(groups[0])):
            links.append(link)
        if link := _quality_noun_link(lemma):
            links.append(link)
        result.append((lemma, tuple(links), extras))
    return tuple(result)


def _fi_core(word: str, only: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lemmas, lemmas + links) of a word, optionally of the readings with lemma `only`."""
    readings = [(lemma, links) for lemma, links, _ in _fi_readings(word) if only in (None, lemma)]
    lemmas = _unique(lemma for lemma, _ in readings)
    return lemmas, _unique([*lemmas, *(link for _, links in readings for link in links)])


def _fi_extras(word: str) -> tuple[str, ...]:
    """The text-only terms of a word's readings (see `_fi_readings`)."""
    return _unique(extra for _, _, extras in _fi_readings(word) for extra in extras)


def _minen_part(surface: str, verb: str) -> str | None:
    """The action noun of a compound part such as "asumis" (base asua): asuminen, when Voikko
    confirms that the noun is a -minen form of that verb."""
    if not surface.endswith("mis") or len(surface) < 5:
        return None
    noun = surface[:-3] + "minen"
    for reading in _voikko().analyze(noun):
        minen = _minen_noun(reading)
        if minen and minen[0] == noun and minen[2] == verb:
            return noun
    return None


def _part_core(group: list[_Morpheme]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lemmas, core) of one compound part."""
    surface = "".join(m.surface for m in group).lower().rstrip("-")
    if not surface or surface.isdigit():
        return (), ()
    root = group[0]
    if len(group) == 1 and root.base and not root.is_suffix:
        # A plain part is its lexical base: lasten → lapsi, omais → omainen, and an action
        # noun stays a noun: asumis → asuminen (+ asua). Re-analysing the surface would add
        # readings the compound does not have ("tuki" is also a past tense of tukea).
        base = root.base.replace("=", "").lower()
        if noun := _minen_part(surface, base):
            return (noun,), (noun, base)
        return (base,), _unique([base, *_fi_core(base, only=base)[1]])
    lemmas, core = _fi_core(surface)
    if lemmas:
        return lemmas, core
    return (surface,), (surface,)


def _weight(groups: list[list[_Morpheme]]) -> int:
    """Parts of a reading, counting those inside lexicalised compounds (yli=velkaantua)."""
    return sum(1 + (group[0].base or "").count("=") for group in groups)


def _compound_terms(readings: list[dict[str, str]]) -> list[str]:
    """Parts and runs of adjacent parts of the readings with the fewest parts."""
    # Readings without WORDBASES (some proper-noun readings) have no groups and no say.
    split = [(reading, groups) for reading in readings if (groups := _groups(reading))]
    fewest = min((_weight(groups) for _reading, groups in split), default=0)
    terms: list[str] = []
    for reading, groups in split:
        if len(groups) < 2 or _weight(groups) != fewest:
            continue
        surfaces = ["".join(m.surface for m in group).lower() for group in groups]
        parts = [_part_core(group) for group in groups]
        if minen := _minen_noun(reading):
            # The last part of palveluasumisen is asuminen (+ asua), not the verb alone.
            _whole, noun, verb = minen
            parts[-1] = ((noun,), (noun, verb))
        for _lemmas, core in parts:
            terms.extend(core)
        # Runs of 2..n-1 parts: the first parts as written, the last one as its lemma.
        for start in range(len(groups)):
            for end in range(start + 1, len(groups)):
                if end - start + 1 >= len(groups):
                    continue
                head = "".join(surfaces[start:end])
                terms.extend(head + lemma for lemma in parts[end][0])
    return terms


def _fi_split_unknown(word: str) -> tuple[str, tuple[str, ...]] | None:
    """Split a word Voikko does not know into a correctly spelt head and a content-word tail.

    Returns (lemma of the whole, terms) or None; the longest tail wins.
    """
    if len(word) < 8 or not word.isalpha():
        return None
    voikko = _voikko()
    for cut in range(3, len(word) - 3):
        head, tail = word[:cut], word[cut:]
        tail_readings = [r for r in voikko.analyze(tail) if r.get("CLASS") in _CONTENT_CLASSES]
        if not tail_readings or not voikko.spell(head):
            continue
        # The head is often an adverb or a prefix (takaisin-): only the tail is indexed.
        tail_lemmas, tail_core = _fi_core(tail)
        whole = _unique(head + lemma for lemma in tail_lemmas)
        return whole[0], _unique([*whole, *tail_core])
    return None


@functools.lru_cache(maxsize=CACHE_SIZE)
def _analyse_fi_voikko(word: str) -> WordAnalysis:
    """All that a (normalised, lower-case) Finnish word contributes, with Voikko."""
    if not word or word in STOP_WORDS["fi"]:
        return _EMPTY
    if not _HAS_LETTER.search(word):
        return _make([word], [], [], "fi")
    # Abbreviations and numbers with colon inflection: THL:n → thl, 2024:ssä → 2024.
    if ":" in word and _HAS_LETTER.search(word.split(":", 1)[1]):
        return _analyse_fi_voikko(word.split(":", 1)[0])
    readings = _voikko_readings(word)
    if readings:
        lemmas, core = _fi_core(word)
        return _make(lemmas, core, [*_fi_extras(word), *_compound_terms(readings)], "fi")
    if _voikko_is_function_word(word):
        return _EMPTY
    if "-" in word:
        return _analyse_hyphenated(word, _analyse_fi_voikko, "fi")
    split = _fi_split_unknown(word)
    if split:
        whole, terms = split
        return _make([whole], [], terms, "fi")
    return _make([word], [], [], "fi")


def _analyse_hyphenated(
    word: str, analyse: Callable[[str], WordAnalysis], lang: str
) -> WordAnalysis:
    """An unknown hyphenated word: "te-palvelujen" → te-palvelu + palvelu (+ te)."""
    pieces = [p for p in word.split("-") if p]
    if not pieces:
        return _EMPTY
    analyses = [analyse(piece) for piece in pieces]
    last = analyses[-1].lemmas or (pieces[-1],)
    prefix = "-".join(pieces[:-1])
    whole = [f"{prefix}-{lemma}" if prefix else lemma for lemma in last]
    terms: list[str] = []
    for analysis in analyses:
        terms.extend(analysis.core)
    return _make(whole, [], terms, lang)


# ---- simplemma: Swedish, English, and Finnish without Voikko

# Heads shorter than four letters are allowed only from this list: el (electricity) is the point.
_SHORT_HEADS = frozenset({"el", "tv", "it", "hem", "tid", "väg", "råd", "nöd", "oro", "hus"})
# Tails that are inflection or derivation endings, not words, although simplemma knows them
# (barndom is not barn + dom, våldsam not vålds + amma, ungdomar not ung + domar).
_SUFFIX_TAILS = frozenset(
    {"erna", "arna", "orna", "ande", "ende", "ning", "ningen", "ingen", "ingar", "heten", "lighet"}
    | {"dom", "domen", "domar", "domarna", "amma", "samma", "samt", "samme", "samhet", "samheten"}
)
# Swedish nouns made of a present participle (boende, stödboendet, sökande): their own lemma,
# not the verb simplemma gives (boende → bo), so that "boende" does not find "bor".
_SV_PARTICIPLE_NOUN = re.compile(r"^(?P<noun>[^\W\d_]{2,}(?:ende|ande))(?:t|n|na|ts|ns|nas|s)?$")
# Plural endings of Swedish nouns in -ar and -or (tolkar, flickorna): simplemma reads some as
# verbs or other words (tolkar → tolkare); the stem is added when it is a known word. Not
# -arna, which is mostly the plural of an agent noun (vårdarna → vårdare, not vård).
_SV_PLURAL = re.compile(r"^(?P<stem>[^\W\d_]{3,}?)(?:ar|or|orna|er|erna)s?$")


# Prefixes simplemma also knows as words; cutting after them gives nonsense (före-drag, be-skriva).
_PREFIX_HEADS = frozenset({"för", "före", "be", "tills", "sam", "miss", "kont", "ur"})
# A compound is cut into at most this many words (barn + skydds + anmälan is three).
MAX_COMPOUND_PARTS = 4


def _simplemma_lemmas(word: str, lang: str) -> tuple[str, ...]:
    """simplemma's lemma, and the word too when the lemma only extends it.

    simplemma has one lemma per form; for a noun that is also a verb form it may pick the verb
    (avgift → avgifta, pris → prisa), which would hide the noun from "avgifter" → avgift.
    """
    lemma = simplemma.lemmatize(word, lang=lang).lower()
    if lemma != word and lemma.startswith(word):
        return (word, lemma)
    return (lemma,)


def _piece_lemmas(piece: str, lang: str) -> tuple[str, ...]:
    """The lemmas of a compound piece: simplemma's, with the Swedish noun readings
    (`_swedish_nouns`: boende + kostnaderna is boende + kostnad, not bo + kostnad)."""
    lemmas = _simplemma_lemmas(piece, lang)
    return _swedish_nouns(piece, lemmas)[0] if lang == "sv" else lemmas


def _head_base(piece: str, lang: str, first: bool = True) -> str | None:
    """The word a non-final compound piece stands for, or None: the piece itself or, without a
    linking -s, its stem (barnskydds → barnskydd), when simplemma knows it; at least four
    letters, except a head from `_SHORT_HEADS` that begins the word (`first`); never a stop
    word or a prefix from `_PREFIX_HEADS`."""
    stop = STOP_WORDS[lang]
    linking_s = piece[:-1] if piece.endswith("s") and len(piece) > 4 else ""
    for candidate in (piece, linking_s):
        if not candidate or candidate in stop or candidate in _PREFIX_HEADS:
            continue
        # A short head needs to begin the word or carry a linking -s (kort + tids + boende).
        short_ok = candidate in _SHORT_HEADS and (first or candidate == linking_s)
        if len(candidate) < 4 and not short_ok:
            continue
        if simplemma.is_known(candidate, lang=lang):
            return candidate
    return None


def _is_tail(piece: str, lang: str) -> bool:
    """Whether a piece can end a compound: a word simplemma knows, four letters or more, not
    an inflection ending (`_SUFFIX_TAILS`) or a stop word."""
    return (
        len(piece) >= 4
        and piece.rstrip("s") not in _SUFFIX_TAILS
        and piece not in STOP_WORDS[lang]
        and simplemma.is_known(piece, lang=lang)
    )


@functools.lru_cache(maxsize=CACHE_SIZE)
def _segments(
    piece: str, lang: str, final: bool, first: bool, whole: bool = False
) -> tuple[str, ...] | None:
    """The pieces a compound (or a piece of one) splits into, or None.

    Every piece is a word by `_head_base` (the last one, when `final`, by `_is_tail`); `first`:
    the piece begins the word. A piece that is a word itself stays whole unless `whole` (the
    word being analysed, which must be cut at least once). Of the cuts, fewest pieces win (at
    most `MAX_COMPOUND_PARTS`), then the longest last piece (arbets + förmedlingen, not
    arbetsför + medlingen; ungdoms + arbetslösheten; familje + rättsliga), then the longest
    shortest piece. Without word frequencies some cuts stay wrong (missbruksvård + senheten).
    """
    if not whole and (_is_tail(piece, lang) if final else _head_base(piece, lang, first)):
        return (piece,)
    best: tuple[str, ...] | None = None
    best_key = (0, 0, 0)
    for cut in range(2, len(piece) - 1):
        head = _segments(piece[:cut], lang, False, first)
        if head is None:
            continue
        tail = _segments(piece[cut:], lang, final, False)
        if tail is None or len(head) + len(tail) > MAX_COMPOUND_PARTS:
            continue
        pieces = (*head, *tail)
        key = (-len(pieces), len(pieces[-1]), min(len(p) for p in pieces))
        if best is None or key > best_key:
            best, best_key = head + tail, key
    return best


def _compound_split(word: str, lang: str) -> tuple[list[str], list[str]] | None:
    """Split a compound into words simplemma knows: (lemmas of the whole, parts and runs).

    Recursive: "barnskyddsanmälningarna" is barn + skydds + anmälningarna, and its terms are
    the parts (barn, skydd, anmälning) and the runs of adjacent parts, the last one as its
    lemma (barnskydd, skyddsanmälning), so barn, barnskydd and anmälan-forms all find it. Rules
    per piece in `_head_base` and `_is_tail`; the word needs nine letters (seven after a head
    from `_SHORT_HEADS`: elavtal, hemvård). simplemma knows many short words and endings, so
    looser rules split "kontroll" into kont + roll; a few cuts are still nonsense
    (villkoren → vilja + kor).
    """
    if len(word) < 7 or not word.isalpha():
        return None
    pieces = _segments(word, lang, True, True, whole=True)
    if pieces is None or (len(word) < 9 and pieces[0] not in _SHORT_HEADS):
        return None
    heads = [_head_base(piece, lang, i == 0) or piece for i, piece in enumerate(pieces[:-1])]
    piece_lemmas = [_piece_lemmas(head, lang) for head in heads]
    tail_lemmas = tuple(lemma for lemma in _piece_lemmas(pieces[-1], lang) if len(lemma) >= 3)
    if not tail_lemmas:
        return None
    piece_lemmas.append(tail_lemmas)
    parts = [lemma for lemmas in piece_lemmas for lemma in lemmas]
    # Runs of 2..n-1 adjacent pieces, the earlier ones as written and the last as its lemma.
    count = len(pieces)
    for start in range(count):
        for end in range(start + 1, count):
            if end - start + 1 < count:
                written = "".join(pieces[start:end])
                parts.extend(written + lemma for lemma in piece_lemmas[end])
    # A piece whose lemma is a compound itself adds that one's parts: hemvårds → hem, vård;
    # studentbostads → student, bostad. Lemmas, not pieces as written: "förenings" would split
    # into före + nings.
    for lemma in {lemmas[0] for lemmas in piece_lemmas}:
        if lemma != word and (nested := _compound_split(lemma, lang)):
            parts.extend(nested[1])
    wholes = ["".join(pieces[:-1]) + lemma for lemma in tail_lemmas]
    return wholes, parts


def _split_unknown_head(word: str, lang: str) -> tuple[list[str], list[str]] | None:
    """An unknown word ending in a known one (digistöd → stöd): (whole lemmas, tail lemmas).

    For words simplemma does not know and `_compound_split` cannot cut into known words; the
    longest tail that `_is_tail` accepts wins, after a head of three letters or more. Only the
    tail is indexed: the head may be a clipping or a name. English words in a Swedish text
    (families, recurring) are left whole: simplemma's Swedish list has odd short entries that
    would match their endings (lie, ring).
    """
    if len(word) < 8 or not word.isalpha():
        return None
    for cut in range(3, len(word) - 3):
        tail = word[cut:]
        if _is_tail(tail, lang):
            lemmas = [lemma for lemma in _simplemma_lemmas(tail, lang) if len(lemma) >= 3]
            # Checked last: the English dictionary takes ~1.5 s to load.
            if lemmas and not simplemma.is_known(word, lang="en"):
                return [word[:cut] + lemma for lemma in lemmas], lemmas
            return None
    return None


@functools.lru_cache(maxsize=CACHE_SIZE)
def _analyse_simplemma(word: str, lang: str) -> WordAnalysis:
    """A (normalised, lower-case) word with simplemma, for sv, en, and fi without Voikko."""
    if not word or word in STOP_WORDS[lang]:
        return _EMPTY
    if not _HAS_LETTER.search(word):
        return _make([word], [], [], lang)
    if ":" in word and _HAS_LETTER.search(word.split(":", 1)[1]):
        return _analyse_simplemma(word.split(":", 1)[0], lang)
    if "-" in word:
        return _analyse_hyphenated(word, lambda piece: _analyse_simplemma(piece, lang), lang)
    lemmas = _simplemma_lemmas(word, lang)
    extras: tuple[str, ...] = ()
    if lang == "sv":
        lemmas, extras = _swedish_nouns(word, lemmas)
    # Finnish word forms simplemma knows are left whole: cutting them gives yksinä + isiä.
    known = simplemma.is_known(word, lang=lang)
    splittable = lang == "sv" or (lang == "fi" and not known)
    split = _compound_split(word, lang) if splittable else None
    if split is None and lang == "sv" and not known:
        split = _split_unknown_head(word, lang)
    if split is None:
        return _make(lemmas, [], extras, lang)
    wholes, parts = split
    # simplemma returns unknown words unchanged; the split then gives the better lemma
    # (klientavgiften → klientavgift).
    return _make(wholes if lemmas == (word,) else lemmas, [], [*parts, *extras], lang)


def _swedish_nouns(word: str, lemmas: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lemmas, text-only extras) of a Swedish word, with the noun readings simplemma misses.

    A participle noun gets its own lemma and keeps the verb as a text-only term, like the
    Finnish -minen nouns: "boendet" is found by "boende" and by "bo", "bor" is not found by
    "boende". A plural in -ar/-or/-er adds its stem when simplemma knows the stem as a word
    (tolkar → tolk; skulder → skuld, which simplemma reads as skuldra, shoulder): such forms
    may be other words too (tolkar = interprets), so both readings stay.
    """
    if (match := _SV_PARTICIPLE_NOUN.match(word)) and simplemma.is_known(
        noun := match["noun"], lang="sv"
    ):
        readings = (*lemmas, *_simplemma_lemmas(noun, "sv"))  # boendet → boende; boende → bo
        return (noun,), tuple(lemma for lemma in readings if lemma != noun)
    match = _SV_PLURAL.match(word)
    stem = match["stem"] if match else ""
    if (
        stem
        and word.rstrip("s").endswith(("er", "erna"))
        and not any(
            lemma != word and lemma.startswith(stem) and lemma not in (stem + "a", stem + "ja")
            for lemma in lemmas
        )
    ):
        # An -er plural only when simplemma took it for a longer word of the same stem
        # (skulder → skuldra); "papper", "kvarter" are words, "bröder" is broder, and
        # "stöder" is a verb (stödja).
        stem = ""
    if stem and stem not in lemmas and stem not in STOP_WORDS["sv"]:
        return ((*lemmas, stem), ()) if simplemma.is_known(stem, lang="sv") else (lemmas, ())
    return lemmas, ()


# --------------------------------------------------------------------------------------------
# The analyser


@functools.lru_cache(maxsize=CACHE_SIZE)
def _finnish_word_elsewhere(word: str, lang: str) -> bool:
    """A word of a Swedish or English text that is Finnish: Voikko reads it (as a common
    word, not a name) and the text's language does not know it. Short words are left out:
    "tie", "hela", "vara" are words of both."""
    if lang == "fi" or len(word) < 6 or not word.isalpha():
        return False
    readings = _voikko_readings(word)
    names = ("etunimi", "sukunimi", "paikannimi")
    if not readings or all(r.get("CLASS") in names for r in readings):
        return False
    return not simplemma.is_known(word, lang=lang)


class Analyser:
    """Lemmas and index/query terms for Finnish, Swedish and English text.

    `use_voikko=None` follows the module flag `VOIKKO_AVAILABLE` at each call (tests switch it
    with monkeypatch); True/False force a backend for Finnish. Instances hold no other state and
    can be shared between threads.
    """

    def __init__(self, use_voikko: bool | None = None) -> None:
        self.use_voikko = use_voikko

    def _voikko_on(self) -> bool:
        if self.use_voikko is None:
            return VOIKKO_AVAILABLE
        return self.use_voikko and VOIKKO_AVAILABLE

    def analyse_word(self, word: str, lang: str) -> WordAnalysis:
        """The cached analysis of one word form."""
        word = _normalise_word(word)
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        if len(word) > MAX_WORD_LENGTH:
            # No language has such words (pasted identifiers, keyboard mashing): keep as is,
            # rather than let the compound splitter try every cut.
            return _make([word], [], [], lang)
        if lang == "fi" and self._voikko_on():
            return _analyse_fi_voikko(word)
        analysis = _analyse_simplemma(word, lang)
        if self._voikko_on() and _finnish_word_elsewhere(word, lang):
            # "perustoimeentulotuki", "omaishoidon" in an English or Swedish report: Finnish
            # benefit and service names are written in Finnish in every language.
            finnish = _analyse_fi_voikko(word)
            return WordAnalysis(
                _unique([*analysis.lemmas, *finnish.lemmas]),
                _unique([*analysis.core, *finnish.core]),
                _unique([*analysis.terms, *finnish.terms]),
            )
        return analysis

    def lemmas(self, word: str, lang: str) -> list[str]:
        """Base forms of every reading of `word` (lower-case; empty for stop words)."""
        return list(self.analyse_word(word, lang).lemmas)

    def analyse(self, text: str, lang: str | None = None) -> list[tuple[Token, tuple[str, ...]]]:
        """Each token with the terms it is indexed under (empty for stop words), e.g. to
        highlight the words a search matched."""
        lang = lang or detect_language(text)
        return [(token, self.analyse_word(token.text, lang).terms) for token in tokenize(text)]

    def index_terms(self, text: str, lang: str | None = None) -> list[str]:
        """The terms of `text` in text order, repeated per occurrence (counts can feed TF-IDF;
        take a set for search). `lang=None` detects the language."""
        lang = lang or detect_language(text)
        terms: list[str] = []
        for token in tokenize(text):
            terms.extend(self.analyse_word(token.text, lang).terms)
        return terms

    def query_terms(self, query: str, lang: str | None = None) -> list[list[str]]:
        """Per query word the alternatives to OR together; AND across the lists.

        A text matches a query word when its `index_terms` hold any alternative. Stop words are
        left out. `lang=None` detects the language of the query, which for one or two words is
        a guess: the search may prefer the user's interface language.
        """
        lang = lang or detect_language(query)
        result: list[list[str]] = []
        for token in tokenize(query):
            alternatives = list(self.analyse_word(token.text, lang).core)
            if alternatives and alternatives not in result:
                result.append(alternatives)
        return result


_default = Analyser()


def index_terms(text: str, lang: str | None = None) -> list[str]:
    """`Analyser().index_terms`, with the default analyser."""
    return _default.index_terms(text, lang)


def query_terms(query: str, lang: str | None = None) -> list[list[str]]:
    """`Analyser().query_terms`, with the default analyser."""
    return _default.query_terms(query, lang)


def clear_caches() -> None:
    """Forget cached word analyses (after changing stop words or dictionaries)."""
    _fi_readings.cache_clear()
    _analyse_fi_voikko.cache_clear()
    _analyse_simplemma.cache_clear()
    _segments.cache_clear()

"""Tests for havainto.lib.language: detection, tokens, Finnish/Swedish terms, fallback, speed.

"Matches" below means what the search will do: a text matches a query when, for every query
word, the text's index terms hold at least one of that word's alternatives.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from havainto.lib import language
from havainto.lib.language import Analyser, Token, detect_language, tokenize

# The Finnish cases are written for Voikko; the fallback has its own, easier cases below.
needs_voikko = pytest.mark.skipif(
    not language.VOIKKO_AVAILABLE, reason="needs Voikko (libvoikko1 + voikko-fi)"
)

ANALYSER = Analyser()


def matches(query: str, text: str, lang: str = "fi", analyser: Analyser = ANALYSER) -> bool:
    terms = set(analyser.index_terms(text, lang))
    groups = analyser.query_terms(query, lang)
    return bool(groups) and all(any(alt in terms for alt in group) for group in groups)


# --------------------------------------------------------------------------------------------
# Finnish: inflection, both directions (dictionary form in the query finds the inflected text,
# the inflected form in the query finds the dictionary form).

FI_INFLECTION = [
    ("toimeentulotuki", "toimeentulotuen"),
    ("kela", "Kelan"),
    ("lapsi", "lasten"),
    ("asiakas", "asiakkaiden"),
    ("yksinäinen", "yksinäisiä"),
    ("ulosotto", "ulosoton"),
    ("maksuhäiriömerkintä", "maksuhäiriömerkinnän"),
    ("ikäihminen", "ikäihmisten"),
    ("lapsiperhe", "lapsiperheiden"),
    ("kotihoito", "kotihoidon"),
    ("nuori", "nuorten"),
    ("perhe", "perheitä"),
    ("huostaanotto", "huostaanotot"),
    ("sosiaalityöntekijä", "sosiaalityöntekijöiden"),
    ("työttömyysturva", "työttömyysturvan"),
    ("mielenterveyspalvelu", "mielenterveyspalveluiden"),
    ("asunnoton", "asunnottomien"),
    ("TE-palvelut", "TE-palvelujen"),
    ("takaisinperintä", "takaisinperinnän"),  # unknown to Voikko: split as takaisin + perintä
    ("Helsinki", "Helsingissä"),
]


@needs_voikko
@pytest.mark.parametrize(("dictionary_form", "inflected"), FI_INFLECTION)
def test_fi_inflection__dictionary_query_finds_inflected_text(
    dictionary_form: str, inflected: str
) -> None:
    assert matches(dictionary_form, f"Havainto: {inflected} ovat ongelma.")


@needs_voikko
@pytest.mark.parametrize(("dictionary_form", "inflected"), FI_INFLECTION)
def test_fi_inflection__inflected_query_finds_dictionary_form(
    dictionary_form: str, inflected: str
) -> None:
    assert matches(inflected, f"Havainto: {dictionary_form} on ongelma.")


# Compounds and derivations: (query word, text form, the text form's dictionary form).
FI_COMPOUNDS = [
    ("asuminen", "asumiskustannukset", "asumiskustannus"),
    ("velka", "velkajärjestelyn", "velkajärjestely"),
    ("lastensuojelu", "lastensuojeluilmoitusten", "lastensuojeluilmoitus"),
    ("lapsi", "lastensuojeluilmoitusten", "lastensuojeluilmoitus"),
    ("mielenterveys", "mielenterveyspalveluihin", "mielenterveyspalvelu"),
    ("päihde", "päihdeongelmaisten", "päihdeongelmainen"),
    ("vuokra", "vuokranmaksuun", "vuokranmaksu"),
    ("työtön", "työttömyysturvan", "työttömyysturva"),
    ("omainen", "omaishoitajien", "omaishoitaja"),
    ("yksinäisyys", "yksinäisiä", "yksinäinen"),
    ("koulu", "koulupoissaolot", "koulupoissaolo"),
    ("sähkö", "pörssisähkösopimuksen", "pörssisähkösopimus"),
    ("sähkölasku", "sähkölaskuihin", "sähkölasku"),
    ("toimeentulotuki", "toimeentulotukiasiakkuuksien", "toimeentulotukiasiakkuus"),
    ("asiakas", "toimeentulotukiasiakkuuksien", "toimeentulotukiasiakkuus"),
    ("asunnottomuus", "asunnottomien", "asunnoton"),
    ("syrjäytyminen", "syrjäytymisvaarassa", "syrjäytymisvaara"),
    ("köyhyys", "lapsiperheköyhyys", "lapsiperheköyhyys"),
    ("velkaantuminen", "ylivelkaantumisesta", "ylivelkaantuminen"),
    ("kiusaaminen", "koulukiusaamisesta", "koulukiusaaminen"),
    ("terveys", "terveyskeskukseen", "terveyskeskus"),
    ("maksuhäiriö", "maksuhäiriömerkinnän", "maksuhäiriömerkintä"),
    ("työttömyys", "työttömiä", "työtön"),
    ("palvelu", "TE-palvelujen", "TE-palvelut"),
]


@needs_voikko
@pytest.mark.parametrize(("query", "text_form", "text_dictionary_form"), FI_COMPOUNDS)
def test_fi_compound__query_finds_compound_or_derived_text(
    query: str, text_form: str, text_dictionary_form: str
) -> None:
    assert matches(query, f"Asiakkaat kertovat: {text_form}.")
    assert matches(query, f"Asiakkaat kertovat: {text_dictionary_form}.")


@needs_voikko
@pytest.mark.parametrize(("query", "text_form", "text_dictionary_form"), FI_COMPOUNDS)
def test_fi_compound__inflected_query_finds_its_dictionary_form(
    query: str, text_form: str, text_dictionary_form: str
) -> None:
    assert matches(text_form, f"Asiakkaat kertovat: {text_dictionary_form}.")
    assert matches(text_dictionary_form, f"Asiakkaat kertovat: {text_form}.")


@needs_voikko
def test_fi_minen_noun_is_its_own_word_not_its_verb() -> None:
    # Voikko reads -minen nouns as forms of their verb (asumisen → asua); the query asuminen
    # must find asumisen, asumis- compounds and palveluasuminen, but not every "asuu".
    assert ANALYSER.query_terms("asuminen") == [["asuminen"]]
    for text in (
        "asumiskustannukset",
        "asumisen tuki",
        "Asumisneuvonta auttoi",
        "palveluasumisessa",
        "Tukiasuminen päättyi",
    ):
        assert matches("asuminen", text), text
    for text in ("asuu yksin", "Asukkaat asuvat ahtaasti", "muutti asumaan", "asunto"):
        assert not matches("asuminen", text), text
    assert ANALYSER.lemmas("palveluasumisen", "fi") == ["palveluasuminen"]
    assert ANALYSER.lemmas("kiusaamista", "fi")[0] == "kiusaaminen"


@needs_voikko
def test_fi_verb_query_still_finds_its_minen_noun() -> None:
    # The verb stays a text-side term of the noun (like a compound part), not the other way.
    assert matches("asua", "Asumisen kustannukset nousivat")
    assert matches("kiusata", "koulukiusaamisesta")
    assert not matches("kiusaaminen", "Häntä kiusattiin")


@needs_voikko
def test_fi_compound_parts_and_part_runs_are_indexed() -> None:
    terms = ANALYSER.index_terms("lastensuojeluilmoitusten", "fi")
    assert {"lastensuojeluilmoitus", "lapsi", "suojelu", "ilmoitus", "lastensuojelu"} <= set(terms)
    terms = ANALYSER.index_terms("mielenterveyspalveluihin", "fi")
    assert {"mieli", "terveys", "palvelu", "mielenterveys", "terveyspalvelu"} <= set(terms)


@needs_voikko
def test_fi_compound_query_word_does_not_expand_to_its_parts() -> None:
    # A query for the whole compound must not match every text with one of its parts.
    assert ANALYSER.query_terms("pörssisähkösopimus") == [["pörssisähkösopimus"]]
    assert not matches("pörssisähkösopimus", "Sähkö on kallista.")


@needs_voikko
def test_fi_all_readings_are_kept() -> None:
    assert set(ANALYSER.lemmas("kuusi", "fi")) == {"kuu", "kuusi"}
    assert set(ANALYSER.lemmas("työttömyysturvan", "fi")) >= {"työttömyysturva"}


# Pairs that must not share a single term: no false matches between unrelated words.
FI_UNRELATED = [
    ("sähkö", "sähköinen asiointi"),  # -inen derivation is not followed
    ("sota", "nuorisotakuu"),  # nuori+sota+kuu is a reading with more parts than nuoriso+takuu
    ("kuusi", "kuusikko"),
    ("osa", "osasto"),
    ("talo", "taloudellinen"),
    ("koti", "kotiutus"),
    ("kela", "kello"),
    ("vuokra", "vuoksi"),
    ("laki", "lakko"),
    ("maksu", "maksa"),
    ("lapsi", "lapio"),
    ("velka", "velvollisuus"),
    ("perhe", "perhonen"),
    ("koulu", "koulutus"),
    ("päivä", "päivystys"),
    ("tulo", "tulli"),
    ("tulo", "toimeentulotuki"),  # toimeentulo (toimeen=tulo) is one lexical word
]


@needs_voikko
@pytest.mark.parametrize(("first", "second"), FI_UNRELATED)
def test_fi_unrelated_words_share_no_terms(first: str, second: str) -> None:
    shared = set(ANALYSER.index_terms(first, "fi")) & set(ANALYSER.index_terms(second, "fi"))
    assert not shared
    assert not matches(first, second)
    assert not matches(second, first)


@needs_voikko
def test_fi_stop_words_and_function_words_are_dropped() -> None:
    terms = ANALYSER.index_terms("Hän ei ole ollut meidän asiakas, mutta se on myös tämän vuoksi.")
    assert terms == ["asiakas"]
    for word in ("hän", "ei", "olla", "ole", "meidän", "mutta", "se", "myös", "tämä"):
        assert word not in terms
    assert ANALYSER.query_terms("lapset ja nuoret") == [["lapsi"], ["nuori"]]


@needs_voikko
def test_fi_colon_inflection_and_numbers() -> None:
    terms = ANALYSER.index_terms("THL:n tilasto 2024:ltä, 1,5 kertaa", "fi")
    assert terms[:4] == ["thl", "tilasto", "2024", "1,5"]
    assert "kerta" in terms[4:]


@needs_voikko
def test_unknown_language_code_and_very_long_words() -> None:
    assert ANALYSER.lemmas("lasten", "de") == ["lapsi"]  # unknown code: the default, Finnish
    word = "a" * 500
    assert ANALYSER.index_terms(f"jono {word} jono", "fi") == ["jono", word, "jono"]


@needs_voikko
def test_fi_terms_are_lower_case() -> None:
    terms = ANALYSER.index_terms("KELAN PÄÄTÖS VIIVÄSTYI Helsingissä", "fi")
    assert terms == [t.lower() for t in terms]
    assert {"kela", "päätös", "helsinki"} <= set(terms)


# --------------------------------------------------------------------------------------------
# Swedish

SV_PAIRS = [
    ("räkning", "elräkningarna"),
    ("el", "elräkningarna"),
    ("elräkning", "elräkningarna"),
    ("äldre", "äldreomsorgen"),
    ("omsorg", "äldreomsorgen"),
    ("boende", "boendekostnader"),
    ("kostnad", "boendekostnaderna"),
    ("barn", "barnfamiljer"),
    ("avgift", "klientavgifterna"),
    ("klientavgift", "klientavgiften"),
    ("pris", "elpriset"),
    ("stöd", "utkomststödet"),
    ("utkomststöd", "utkomststödet"),
    ("tjänst", "socialtjänsten"),
    ("skuld", "skuldsanering"),
]


@pytest.mark.parametrize(("query", "text_form"), SV_PAIRS)
def test_sv_inflection_and_compounds(query: str, text_form: str) -> None:
    assert matches(query, f"Vi ser att {text_form} ökar.", "sv")


def test_sv_split_is_documented_behaviour() -> None:
    assert ANALYSER.index_terms("elräkningarna", "sv") == ["elräkning", "el", "räkning"]
    assert ANALYSER.lemmas("räkningar", "sv") == ["räkning"]


# Compounds of three words and compounds of compounds (words not in the development reports).
SV_MULTI_PART = [
    ("barn", "barnskyddsutredningen"),
    ("barnskydd", "barnskyddsutredningen"),
    ("utredning", "barnskyddsutredningarna"),
    ("vård", "hemvårdsavgiften"),
    ("hem", "hemvårdsavgiften"),
    ("avgift", "hemvårdsavgiften"),
    ("omsorg", "äldreomsorgsavgifterna"),
    ("vård", "mentalvårdsbyrån"),
    ("arbetslöshet", "ungdomsarbetslösheten"),
    ("förmedling", "arbetsförmedlingen"),
    ("stöd", "integrationsstödet"),
    ("bostad", "bostadsbidragsbeslutet"),
]


@pytest.mark.parametrize(("query", "text_form"), SV_MULTI_PART)
def test_sv_multi_part_compounds_are_split_recursively(query: str, text_form: str) -> None:
    assert matches(query, f"Vi ser att {text_form} ökar.", "sv")


def test_sv_three_part_compound_terms() -> None:
    terms = ANALYSER.index_terms("barnskyddsanmälan", "sv")
    assert terms[0] == "barnskyddsanmälan"
    assert {"barn", "skydd", "anmälan", "barnskydd", "skyddsanmälan"} <= set(terms)
    # The whole compound as a query stays one word: it does not find every "barn".
    assert ANALYSER.query_terms("barnskyddsanmälan", "sv") == [["barnskyddsanmälan"]]
    assert not matches("barnskyddsanmälan", "Barnen mår bra.", "sv")


def test_sv_cut_prefers_the_longest_last_word() -> None:
    # arbetsför + medling would also be two words; the longer head word wins.
    assert "förmedling" in ANALYSER.index_terms("arbetsförmedlingen", "sv")
    assert "medling" not in ANALYSER.index_terms("arbetsförmedlingen", "sv")


def test_sv_unknown_head_before_a_known_word() -> None:
    # A clipping (digi-) that simplemma does not know: the known tail is still indexed.
    assert matches("stöd", "Hon fick digistöd på biblioteket.", "sv")
    # English words in a Swedish text are not cut into odd Swedish entries (lie, ring).
    assert ANALYSER.index_terms("families", "sv") == ["families"]
    assert ANALYSER.index_terms("recurring", "sv") == ["recurring"]


def test_sv_short_heads_only_begin_a_word() -> None:
    # "it" (IT) may begin a word, but inside one it made hemmas + it + tare.
    assert ANALYSER.index_terms("hemmasittare", "sv") == ["hemmasittare"]


# Participle nouns, -ar/-or plurals, and derivations that are not compounds (words not in the
# development reports).
SV_NOUN_FORMS = [
    ("boende", "korttidsboendet"),
    ("boende", "serviceboendena"),
    ("boende", "Boendet saknar personal"),
    ("sökande", "de sökandenas"),
    ("tolk", "tolkar"),
    ("flicka", "flickorna"),
    # An -er plural simplemma takes for a longer word of the same stem (skuldra, shoulder).
    ("skuld", "skulder"),
    ("skuld", "elskulderna"),
]


@pytest.mark.parametrize(("query", "text_form"), SV_NOUN_FORMS)
def test_sv_participle_nouns_and_plurals(query: str, text_form: str) -> None:
    assert matches(query, f"Vi ser att {text_form} ökar.", "sv")


SV_NOT_THE_NOUN = [
    ("boende", "Hon bor ensam."),  # the verb is not the participle noun
    ("boende", "De bodde trångt."),
    ("barn", "Han talar om sin barndom."),  # -dom is a suffix, not the word dom
    ("barn", "barndomens minnen"),
    ("våld", "en våldsam kväll"),  # -sam makes an adjective
    ("ung", "ungdomarna"),
    ("vård", "närståendevårdarna"),  # -arna of an agent noun (vårdare), not vård + -arna
    ("stöd", "Frivilliga stöder arbetet."),  # a verb in -er (stödja), not a plural
    ("bröd", "Hans bröder hjälper."),
    ("papp", "Alla papper saknas."),
]


@pytest.mark.parametrize(("query", "text"), SV_NOT_THE_NOUN)
def test_sv_derivations_are_not_compounds(query: str, text: str) -> None:
    assert not matches(query, text, "sv")


def test_sv_participle_noun_keeps_its_verb_for_text_only() -> None:
    # A text's "boende" is still found by the verb, as a Finnish -minen noun is.
    assert matches("bo", "Boendet är dyrt.", "sv")
    assert ANALYSER.query_terms("boende", "sv") == [["boende"]]


SV_UNRELATED = [
    ("roll", "kontroller"),  # kont is not taken as a head
    ("dra", "föredrag"),  # före is a prefix
    ("skriva", "beskriva"),
    ("el", "elever"),  # too short to split
    ("tid", "tidning"),
    ("hem", "hemlig"),
    ("bo", "bok"),
]


@pytest.mark.parametrize(("first", "second"), SV_UNRELATED)
def test_sv_unrelated_words_share_no_terms(first: str, second: str) -> None:
    assert not set(ANALYSER.index_terms(first, "sv")) & set(ANALYSER.index_terms(second, "sv"))


def test_finnish_service_names_in_english_and_swedish_texts_are_finnish_words() -> None:
    # Benefits and services keep their Finnish names in reports written in other languages.
    assert matches("omaishoito", "She applied for omaishoidon tuki twice.", "en")
    assert matches("toimeentulotuki", "Hon fick avslag på perustoimeentulotuki.", "sv")
    # Words of the text's own language, and names, stay as they are.
    assert not matches("koti", "The family's home was cold.", "en")
    assert ANALYSER.index_terms("Virtanen", "en") == ["virtanen"]


def test_sv_stop_words_dropped() -> None:
    assert ANALYSER.query_terms("barn och unga i skolan", "sv") == [
        ["barn"],
        ["ung"],
        ["skola"],
    ]


def test_en_lemmas() -> None:
    terms = ANALYSER.index_terms("Families cannot pay their electricity bills", "en")
    assert {"family", "pay", "electricity", "bill"} <= set(terms)
    assert "their" not in terms


# --------------------------------------------------------------------------------------------
# Language detection

DETECTION = [
    ("fi", "Asiakas muutti Helsingforsista Esboon viime kuussa."),
    ("fi", "Perhe asuu Borgåssa ja lapset käyvät ruotsinkielistä koulua."),
    ("fi", "Jakobstadin ja Närpesin alueella tulkkipalvelut puuttuvat."),
    ("fi", "Vuokrat nousevat Kristinestadissa."),
    ("fi", "Lapsiperheiden köyhyys Borgå–Lovisa-alueella"),
    ("fi", "Toimeentulotuen käsittely kestää liian kauan."),
    ("fi", "Kelan päätökset viivästyvät."),
    ("fi", "Nuoret eivät hae apua ajoissa."),
    ("fi", "Omaishoitajat väsyvät."),
    ("fi", "Ei rahaa ruokaan."),
    ("fi", "Bussi kulkee harvoin."),
    ("sv", "Klienten flyttade från Helsinki till Espoo."),
    ("sv", "Familjer i Vantaa och Järvenpää har svårt att betala elräkningarna."),
    ("sv", "Äldreomsorgen i Kokkola saknar personal."),
    ("sv", "Väntetiderna till socialtjänsten är långa i Seinäjoki."),
    ("sv", "Boendekostnaderna har ökat kraftigt."),
    ("sv", "Många unga mår dåligt."),
    ("sv", "Skuldsanering tar för lång tid."),
    ("sv", "Hyran höjdes igen i Turku."),
    ("sv", "Ensamma äldre i Lapua."),
    ("sv", "Vissa avbryter behandlingen."),
    ("en", "Families in Tampere cannot pay their electricity bills."),
    ("en", "Young people wait too long for mental health services."),
    ("en", "The waiting times in Oulu are long."),
    ("en", "Clients from Helsingfors struggle with debt."),
    ("en", "Immigrants lack information about Kela benefits."),
]


@pytest.mark.parametrize(("expected", "text"), DETECTION)
def test_detect_language(expected: str, text: str) -> None:
    assert detect_language(text) == expected


def test_detect_language__no_evidence_is_finnish() -> None:
    assert detect_language("") == "fi"
    assert detect_language("123 456") == "fi"


def test_index_terms_detects_language_when_not_given() -> None:
    assert "räkning" in ANALYSER.index_terms("Vi kan inte betala räkningarna.")
    assert "lasku" in ANALYSER.index_terms("Emme pysty maksamaan laskuja.")


# --------------------------------------------------------------------------------------------
# Tokens


def test_tokenize_offsets_and_kinds() -> None:
    text = "TE-palvelut ja THL:n 20–29-vuotiaat (1,5 %) 1.3.2024 klo 10:30, covid-19!"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "TE-palvelut",
        "ja",
        "THL:n",
        "20",
        "29-vuotiaat",
        "1,5",
        "1.3.2024",
        "klo",
        "10:30",
        "covid-19",
    ]
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert tokens[5] == Token("1,5", tokens[5].start, tokens[5].end, "number")
    assert {t.kind for t in tokens if t.text[0].isalpha()} == {"word"}


def test_tokenize_separates_punctuation_and_trailing_hyphens() -> None:
    assert [t.text for t in tokenize("sosiaali- ja terveyspalvelut. Kela?")] == [
        "sosiaali",
        "ja",
        "terveyspalvelut",
        "Kela",
    ]


# --------------------------------------------------------------------------------------------
# Stop-word files live in the repository


def test_stop_word_files_are_in_the_repository() -> None:
    data = Path(language.__file__).with_name("data")
    for lang, minimum in (("fi", 235), ("sv", 114)):
        path = data / f"stopwords_{lang}.txt"
        assert path.is_file()
        assert len(language.STOP_WORDS[lang]) >= minimum - 5
    assert {"ja", "olla", "että"} <= language.STOP_WORDS["fi"]
    assert {"och", "att", "det"} <= language.STOP_WORDS["sv"]


# --------------------------------------------------------------------------------------------
# Fallback without Voikko

FALLBACK_INFLECTION = [
    ("toimeentulotuki", "toimeentulotuen"),
    ("kela", "Kelan"),
    ("lapsi", "lasten"),
    ("asiakas", "asiakkaiden"),
    ("nuori", "nuorten"),
    ("sähkölasku", "sähkölaskuihin"),
    ("lastensuojeluilmoitus", "lastensuojeluilmoitusten"),
]
FALLBACK_COMPOUNDS = [("velka", "velkajärjestelyn"), ("koulu", "koulupoissaolot")]


@pytest.mark.parametrize(("dictionary_form", "inflected"), FALLBACK_INFLECTION)
def test_fallback_without_voikko_matches_inflection(
    monkeypatch: pytest.MonkeyPatch, dictionary_form: str, inflected: str
) -> None:
    monkeypatch.setattr(language, "VOIKKO_AVAILABLE", False)
    analyser = Analyser()
    assert matches(dictionary_form, f"Havainto: {inflected}.", "fi", analyser)
    assert matches(inflected, f"Havainto: {dictionary_form}.", "fi", analyser)


@pytest.mark.parametrize(("part", "compound"), FALLBACK_COMPOUNDS)
def test_fallback_without_voikko_splits_compounds_simplemma_does_not_know(
    monkeypatch: pytest.MonkeyPatch, part: str, compound: str
) -> None:
    monkeypatch.setattr(language, "VOIKKO_AVAILABLE", False)
    assert matches(part, f"Havainto: {compound}.", "fi", Analyser())


def test_fallback_uses_simplemma(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "VOIKKO_AVAILABLE", False)
    # simplemma gives one lemma and no Voikko readings or compound parts.
    assert Analyser().lemmas("kuusi", "fi") == ["kuusi"]
    assert Analyser().index_terms("asumiskustannukset", "fi") == ["asumiskustannus"]
    assert Analyser(use_voikko=True).lemmas("kuusi", "fi") == ["kuusi"]  # flag wins


def test_probe_reports_missing_libvoikko(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(language, "libvoikko", None)
    assert language._probe_voikko() == (False, "the libvoikko Python package is not installed")


# --------------------------------------------------------------------------------------------
# Threads and speed


@needs_voikko
def test_threads_get_their_own_voikko_and_agree() -> None:
    texts = [
        f"Lasten ja nuorten mielenterveyspalveluihin jonotetaan {n} kuukautta." for n in range(8)
    ]
    expected = [ANALYSER.index_terms(t, "fi") for t in texts]
    language.clear_caches()
    results: dict[int, list[str]] = {}
    handles: set[int] = set()

    def work(index: int) -> None:
        results[index] = ANALYSER.index_terms(texts[index], "fi")
        handles.add(id(language._voikko()))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(texts))] == expected
    assert len(handles) > 1


REPORT = (
    "Toimeentulotuen käsittely on viivästynyt, ja asiakkaat joutuvat odottamaan päätöstä jopa "
    "kuusi viikkoa. Monella perheellä on vuokranmaksu myöhässä ja sähkölaskut maksamatta. "
    "Pörssisähkösopimuksen tehneet lapsiperheet ovat kertoneet, että talvella laskut nousivat "
    "moninkertaisiksi. Osa on hakenut velkajärjestelyä, mutta velkaneuvontaan on pitkät jonot. "
    "Kelan ja hyvinvointialueen välinen tiedonkulku ei toimi: asiakas ohjataan luukulta toiselle. "
    "Lastensuojeluilmoitusten määrä on kasvanut, ja koulupoissaolot ovat lisääntyneet. Nuoret "
    "kertovat yksinäisyydestä ja mielenterveyspalveluihin pääsyn vaikeudesta. Omaishoitajien "
    "jaksaminen on heikentynyt, eikä lyhytaikaista hoitopaikkaa löydy. Päihdeongelmaisten "
    "asumispalveluihin on jonoa. Työttömyysturvan karenssit ja TE-palvelujen velvoitteet "
    "kuormittavat asiakkaita. Ehdotamme, että toimeentulotuen käsittelyaikoja seurataan "
    "kuukausittain ja että sähkölaskuihin liittyvää neuvontaa lisätään yhdessä Kelan, "
    "velkaneuvonnan ja sosiaalityön kanssa. Asumiskustannukset ovat nousseet nopeammin kuin "
    "tulot, ja ulosotossa olevien asiakkaiden määrä kasvaa. Sosiaalityöntekijät kokevat, "
    "ettei heillä ole aikaa kohdata asiakkaita kasvokkain, koska puhelinpalvelu ruuhkautuu "
    "aamuisin. Ikäihmisten kotihoidon käynnit ovat lyhentyneet, ja omaiset ovat huolissaan. "
    "Maahanmuuttajataustaiset perheet eivät aina tiedä, mihin palveluihin heillä on oikeus."
)


def test_speed_per_report() -> None:
    assert 130 <= len(tokenize(REPORT)) <= 170
    ANALYSER.index_terms(REPORT, "fi")  # warm-up
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        ANALYSER.index_terms(REPORT)  # includes language detection
    per_report = (time.perf_counter() - start) / runs * 1000
    language.clear_caches()
    start = time.perf_counter()
    ANALYSER.index_terms(REPORT, "fi")
    cold = (time.perf_counter() - start) * 1000
    words = len(tokenize(REPORT))
    print(f"\n{words} words: {per_report:.2f} ms warm, {cold:.2f} ms with empty caches")  # noqa: T201
    assert per_report < 200

"""Tests for the privacy guard (havainto.lib.pii)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from havainto.lib.hetu import CENTURY_MARKERS, check_character, generate_hetu
from havainto.lib.pii import Finding, find_personal_data


def make_hetu(ddmmyy: str, marker: str, nnn: str) -> str:
    return f"{ddmmyy}{marker}{nnn}{check_character(ddmmyy, nnn)}"


def found(text: str, kind: str | None = None) -> list[str]:
    """The substrings found in ``text`` (of one kind, if given)."""
    return [
        text[f.start : f.end] for f in find_personal_data(text) if kind is None or f.kind == kind
    ]


def only_finding(text: str) -> Finding:
    findings = find_personal_data(text)
    assert len(findings) == 1, findings
    return findings[0]


# ---------------------------------------------------------------------------------------------
# hetu
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("marker", sorted(CENTURY_MARKERS))
def test_it_finds_codes_with_every_century_marker(marker: str) -> None:
    code = make_hetu("150675", marker, "234")
    text = f"Asiakkaan tunnus on {code} ja asia on vireillä."
    start = text.index(code)
    assert find_personal_data(text) == [Finding("hetu", start, start + 11, "high")]


def test_it_finds_2023_marker_codes() -> None:
    text = "Lapsen 121212B222N ja sisaruksen 280220F4445 tiedot, isä 071188U789J."
    assert found(text, "hetu") == ["121212B222N", "280220F4445", "071188U789J"]
    assert {f.confidence for f in find_personal_data(text)} == {"high"}


def test_a_wrong_check_character_is_still_found_as_medium() -> None:
    text = "Tunnus 131052-308U oli väärin kirjattu."
    finding = only_finding(text)
    assert (finding.kind, finding.confidence) == ("hetu", "medium")
    assert text[finding.start : finding.end] == "131052-308U"


def test_a_temporary_individual_number_is_medium() -> None:
    finding = only_finding(make_hetu("010594", "Y", "902"))
    assert (finding.kind, finding.confidence) == ("hetu", "medium")


@pytest.mark.parametrize(
    "code",
    [
        make_hetu("310499", "-", "123"),
        make_hetu("290201", "A", "123"),
        make_hetu("300287", "-", "456"),
    ],
)
def test_invalid_dates_are_not_high(code: str) -> None:
    assert all(f.confidence != "high" for f in find_personal_data(f"Tunnus {code}."))


def test_non_dates_are_not_codes() -> None:
    assert found("Viite 202405-1234 ja 991399A123B.") == []


@pytest.mark.parametrize(
    "template",
    [
        "{}",
        "({})",
        "Tunnus: {}.",
        "tunnus {}, osoite puuttuu",
        "[{}]",
        "hetu={};",
        "Asiakas\n{}\n",
        "”{}”",
    ],
)
def test_it_finds_codes_next_to_punctuation_and_text_edges(template: str) -> None:
    text = template.format("131052-308T")
    assert found(text) == ["131052-308T"]


@pytest.mark.parametrize(
    "text", ["X131052-308T", "131052-308T5", "ab131052-308Tcd", "0131052-308T", "131052-308TÄ"]
)
def test_it_does_not_find_codes_inside_longer_tokens(text: str) -> None:
    assert found(text, "hetu") == []


FILLER_WORDS = [
    "asiakas",
    "kertoi",
    "että",
    "vuokra",
    "nousi",
    "Kela",
    "Kelan",
    "päätös",
    "viivästyi",
    "sosiaaliohjaaja",
    "tapasi",
    "perheen",
    "kotona",
    "ja",
    "toimeentulotuki",
    "haettiin",
    "uudelleen",
    "Turussa",
    "Vaasassa",
    "äiti",
    "lapsi",
    "klo",
    "2024",
    "15.5.",
    "SHL",
    "11",
    "§",
    "1 200 €",
    "yöllä",
    "Åbo",
]
SEPARATORS = [" ", "\n", ", ", ". ", " (", ") ", ": ", " – ", " ”", "” ", "; "]


@given(
    rng=st.randoms(use_true_random=False),
    before=st.lists(st.sampled_from(FILLER_WORDS), max_size=12),
    after=st.lists(st.sampled_from(FILLER_WORDS), max_size=12),
    left=st.sampled_from(SEPARATORS),
    right=st.sampled_from(SEPARATORS),
)
def test_a_generated_code_in_filler_text_is_always_found_exactly(
    rng: random.Random, before: list[str], after: list[str], left: str, right: str
) -> None:
    code = generate_hetu(rng)
    prefix = " ".join(before) + left if before else ""
    suffix = right + " ".join(after) if after else ""
    text = prefix + code + suffix
    start = len(prefix)
    assert Finding("hetu", start, start + 11, "high") in find_personal_data(text)


# ---------------------------------------------------------------------------------------------
# phone
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "040 718 2293",
        "040-7182293",
        "0407182293",
        "050 419 6630",
        "044 123 45 67",
        "0457 123 4567",
        "+358 40 123 4567",
        "+358401234567",
        "+358 (0)40 123 4567",
        "+358 040 123 4567",
        "00358 40 123 4567",
        "+358 9 310 1234",
        "(09) 310 1234",
        "09 3101 2345",
        "09-310 1234",
        "02 262 6111",
        "(013) 123 456",
        "017 123 4567",
        "0800 123 456",
        "020 634 0200",
        "0295 020 500",
        "010 123 4567",
    ],
)
def test_it_finds_phone_numbers(number: str) -> None:
    text = f"Hänet tavoittaa numerosta {number}, parhaiten aamuisin."
    finding = only_finding(text)
    assert finding.kind == "phone"
    assert text[finding.start : finding.end] == number


def test_it_finds_phone_numbers_without_a_space_after_the_abbreviation() -> None:
    assert found("puh.040-123 4567") == ["040-123 4567"]
    assert found("tfn:050 419 6630") == ["050 419 6630"]


def test_service_numbers_are_medium_and_personal_numbers_high() -> None:
    assert only_finding("0800 123 456").confidence == "medium"
    assert only_finding("040 718 2293").confidence == "high"


def test_a_count_after_a_phone_number_is_not_part_of_it() -> None:
    assert found("Soitin numeroon 040 718 2293 2 kertaa.") == ["040 718 2293"]


def test_it_finds_two_phone_numbers_in_a_row() -> None:
    assert found("040 111 2222 / 050 333 4444") == ["040 111 2222", "050 333 4444"]
    assert found("040 111 2222 050 333 4444") == ["040 111 2222", "050 333 4444"]


@pytest.mark.parametrize(
    "text",
    [
        "040 12",  # too short
        "040 123",
        "09 12",
        "0401234567890123",  # too long
        "01 234 5678",  # 01 is not an area code
        "12 050 000 000 euroa",
        "0 600 000 €",
    ],
)
def test_it_does_not_find_malformed_or_amount_numbers(text: str) -> None:
    assert found(text, "phone") == []


# ---------------------------------------------------------------------------------------------
# email
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "etunimi.sukunimi@hyvaep.fi",
        "matti@example.com",
        "anna-liisa.virtanen+kela@posti.kunta.fi",
        "jönsson.åsa@example.se",
        "sosiaalityo_123@ovph.fi",
    ],
)
def test_it_finds_email_addresses(address: str) -> None:
    text = f"Lisätietoja: {address}."
    finding = only_finding(text)
    assert (finding.kind, finding.confidence) == ("email", "high")
    assert text[finding.start : finding.end] == address


def test_it_finds_obfuscated_email_addresses_as_medium() -> None:
    finding = only_finding("Kirjoita osoitteeseen etunimi.sukunimi(at)hyvaep.fi")
    assert (finding.kind, finding.confidence) == ("email", "medium")


def test_a_phone_number_inside_an_email_address_is_part_of_the_email() -> None:
    assert find_personal_data("0401234567@sms.example.fi")[0].kind == "email"
    assert len(find_personal_data("0401234567@sms.example.fi")) == 1


# ---------------------------------------------------------------------------------------------
# address
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Asiakas asuu osoitteessa Hämeentie 3 A 12.", "Hämeentie 3 A 12"),
        ("Perhe muutti Hämeentielle 3 viime kuussa.", "Hämeentielle 3"),
        ("Hän asuu Kotikadulla 5 yksin.", "Kotikadulla 5"),
        ("Kotikatu 5, 20100 Turku", "Kotikatu 5, 20100 Turku"),
        ("Postit osoitteeseen Kotikatu 5, PL 123, 20101 Turku.", "Kotikatu 5, PL 123, 20101 Turku"),
        ("Asunto on Mannerheimintiellä 120 B 7.", "Mannerheimintiellä 120 B 7"),
        ("Tapaaminen Aurakadun 18 kerhotilassa.", "Aurakadun 18"),
        ("Hän muutti Koivukujalle 4 b.", "Koivukujalle 4"),
        ("Osoite: Koivukuja 4b", "Koivukuja 4b"),
        ("Osoite: Rantapolku 2 as. 5", "Rantapolku 2 as. 5"),
        ("Hän asuu Männistönpolulla 12.", "Männistönpolulla 12"),
        ("Asunto Satamaväylällä 8 C 31.", "Satamaväylällä 8 C 31"),
        ("Koti on Kuusikaarella 3.", "Kuusikaarella 3"),
        ("Asuu Harjurinteellä 14 A 2.", "Harjurinteellä 14 A 2"),
        ("Myllyraitti 4, 15100 Lahti", "Myllyraitti 4, 15100 Lahti"),
        ("Kauppatorilla 3 on toimisto.", "Kauppatorilla 3"),
        ("Asukas Kirkkomäki 7:ssä", "Kirkkomäki 7"),
        ("Itäinen Pitkäkatu 33 A 10", "Itäinen Pitkäkatu 33 A 10"),
        ("Vanhalla Porvoontiellä 12", "Vanhalla Porvoontiellä 12"),
        ("Aleksis Kiven katu 5", "Kiven katu 5"),
        ("Hon bor på Storgatan 12 i Vasa.", "Storgatan 12"),
        ("Adressen är Strandvägen 5 B.", "Strandvägen 5 B"),
        ("Köpmansgatan 3 lgh 1102", "Köpmansgatan 3 lgh 1102"),
        ("Kyrkostigen 7, 65100 Vasa", "Kyrkostigen 7, 65100 Vasa"),
        ("Hon flyttade till Skolgränd 2 A 4.", "Skolgränd 2 A 4"),
        ("Adress: PL 123, 20101 Turku", "PL 123, 20101 Turku"),
    ],
)
def test_it_finds_addresses(text: str, address: str) -> None:
    assert found(text) == [address]


def test_addresses_with_apartment_details_are_high() -> None:
    assert only_finding("Hämeentie 3 A 12").confidence == "high"
    assert only_finding("Hämeentie 3").confidence == "medium"


# ---------------------------------------------------------------------------------------------
# several kinds together
# ---------------------------------------------------------------------------------------------


def test_findings_are_sorted_and_typed() -> None:
    text = (
        "Asiakas 131052-308T asuu Kotikadulla 5 A 3, puh. 040 718 2293, "
        "sähköposti asiakas@example.fi."
    )
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["hetu", "address", "phone", "email"]
    assert [text[f.start : f.end] for f in findings] == [
        "131052-308T",
        "Kotikadulla 5 A 3",
        "040 718 2293",
        "asiakas@example.fi",
    ]


@given(st.text(alphabet="0123456789 -+().,@:abcAÄT§€\n", max_size=80))
def test_findings_never_overlap_and_stay_inside_the_text(text: str) -> None:
    findings = find_personal_data(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    for first, second in zip(findings, findings[1:], strict=False):
        assert first.end <= second.start
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.kind in {"hetu", "phone", "email", "address"}
        assert f.confidence in {"high", "medium"}


def test_findings_are_frozen() -> None:
    finding = Finding("phone", 0, 3, "high")
    with pytest.raises(AttributeError):
        finding.start = 1  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# clean texts: no findings at all
# ---------------------------------------------------------------------------------------------

CLEAN_TEXTS = [
    "Asukasilta pidettiin 15.5.2024 kirjastossa.",
    "Päätös tehtiin 2024-05-15 ja valitusaika päättyy 30 päivän kuluttua.",
    "Tapaaminen on klo 17–19 nuorisotalolla.",
    "Neuvola on auki klo 8-16 ja perjantaisin klo 08.00–14.00.",
    "Vuokra nousi 1 200 €:sta 1 350 euroon.",
    "Toimeentulotuen perusosa on noin 450 euroa kuukaudessa.",
    "Velkaa oli kertynyt 12 000 euroa ja ulosotossa oli 15 000 euroa.",
    "Hakemuksia tuli 1 050 000 kappaletta koko maassa.",
    "Tuen tarve arvioidaan SHL 11 §:n mukaisesti.",
    "Lastensuojelulain LsL 27 § mukainen sijoitus tehtiin kiireellisenä.",
    "Sosiaalihuoltolaki 1301/2014 velvoittaa rakenteelliseen sosiaalityöhön.",
    "PL 19 § turvaa välttämättömän toimeentulon.",
    "Asiakkuus on jatkunut vuodesta 2022 ja vuonna 2025 se päättyy.",
    "Hyvinvointialue toimii Turussa, Raisiossa, Kaarinassa ja Liedossa.",
    "Kela käsittelee hakemukset; Kelan päätös tuli kolmessa viikossa.",
    "FPA:s beslut dröjde, och TE-palvelut ohjasi asiakkaan eteenpäin.",
    "Ryhmässä oli 20–29-vuotiaita nuoria sekä 30-40 vuotiaita aikuisia.",
    "Toimisto sijaitsee 20100 Turku -postinumeroalueella.",
    "Postinumero 00100 Helsinki kattaa keskustan.",
    "Kustannukset nousivat 12 % ja asiakasmäärä 4,5 prosenttia.",
    "Turun pääkirjastossa järjestettiin koulutus 60 osallistujalle.",
    "Kadulla 3 henkilöä odotti bussia.",
    "Kauppatorilla 15.5. oli tapahtuma.",
    "Rantatiellä 2 kertaa viikossa kulkeva bussi ei riitä.",
    "Hämeentiellä 5-vuotiaat leikkivät puistossa.",
    "Myllymäki 45 v. kertoi tilanteesta.",
    "Asiakasnumero 040 oli virheellinen.",
    "Puhelinaika on 9–11, ja jonossa oli 0 soittajaa.",
    "Vuonna 2023 tukea sai 0,5 % väestöstä.",
    "Kuntouttavaan työtoimintaan osallistui 120 asiakasta ja 35 nuorta.",
    "Gruppen träffas kl. 10–12 på biblioteket i Vasa.",
    "Kostnaderna var 3 400 euro per månad.",
    "Rehtori 2 ja kuraattori 3 vastasivat kyselyyn.",
    "Asiakkaita oli 2 050 ja odottajia 300.",
    "Tilanne 1.1.–31.12.2024: 1 234 asiakasta, keskimäärin 0,8 käyntiä.",
    "Rakenteellinen sosiaalityö (ks. luku 4.2, taulukko 3).",
    "Version 2.0.1 julkaisu siirtyi.",
    "Valtatie 8 ja kantatiellä 40 sattuneet onnettomuudet.",
    "Ratapihalla 3 junaa ja Koulun pihalla 5 lasta.",
    "Elinkaaren 3 vaihetta käytiin läpi.",
    "Kauppatorilla 9–12 on neuvontapiste.",
    "Yrityksen Y-tunnus 0112038-9 on julkinen.",
    "Tili FI49 5000 9420 0287 30, viite 00 1234 5678.",
]


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_clean_texts_have_no_findings(text: str) -> None:
    assert find_personal_data(text) == []


def test_there_are_enough_clean_examples() -> None:
    assert len(CLEAN_TEXTS) >= 30

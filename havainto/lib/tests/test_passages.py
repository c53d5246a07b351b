"""Passages: finding copied words in a text, offsets, occurrences, replacing and shifting."""

import pytest

from havainto.lib.passages import (
    MARKER,
    AmbiguousPassage,
    EmptyPassage,
    OutOfRange,
    PassageNotFound,
    Span,
    check_span,
    excerpt,
    locate,
    occurrence_of,
    occurrences,
    replace,
    same_words,
    shift,
    trim,
)

TEXT = (
    "Vuokrat nousevat nopeasti.\n\nYhä useampi asiakas maksaa vuokrastaan osan "
    "perusosasta. Vuokrat nousevat myös Kaarinassa."
)


def test_locate__finds_the_exact_words() -> None:
    span = locate(TEXT, "useampi asiakas")
    assert span.of(TEXT) == "useampi asiakas"


def test_locate__tolerates_whitespace_differences() -> None:
    # A copy from the page turns the paragraph break into one space, and may bring
    # surrounding spaces and tabs along.
    span = locate(TEXT, "  nopeasti.  Yhä\tuseampi \n")
    assert span.of(TEXT) == "nopeasti.\n\nYhä useampi"


def test_locate__normalises_the_passage_to_nfc() -> None:
    text = "Päivähoito puuttuu."
    decomposed = "Pa\u0308iva\u0308hoito"
    assert locate(text, decomposed) == Span(0, 10)


def test_locate__is_case_sensitive_and_literal() -> None:
    with pytest.raises(PassageNotFound):
        locate(TEXT, "vuokrat nousevat nopeasti")
    # Regular expression syntax in the passage is just text.
    with pytest.raises(PassageNotFound):
        locate(TEXT, "Vuokrat.*Kaarinassa")
    assert locate("a (b) [c]* d", "(b) [c]*") == Span(2, 10)


def test_locate__asks_which_occurrence_when_ambiguous() -> None:
    with pytest.raises(AmbiguousPassage) as raised:
        locate(TEXT, "Vuokrat nousevat")
    assert [s.of(TEXT) for s in raised.value.spans] == ["Vuokrat nousevat"] * 2
    second = locate(TEXT, "Vuokrat nousevat", occurrence=2)
    assert second.start == TEXT.rindex("Vuokrat nousevat")
    assert locate(TEXT, "Vuokrat nousevat", occurrence=1).start == 0


@pytest.mark.parametrize("occurrence", [0, 3, -1])
def test_locate__rejects_an_occurrence_that_does_not_exist(occurrence: int) -> None:
    with pytest.raises(AmbiguousPassage):
        locate(TEXT, "Vuokrat nousevat", occurrence=occurrence)


def test_locate__unique_passage_ignores_occurrence_one_but_not_others() -> None:
    assert locate(TEXT, "Kaarinassa", occurrence=1).of(TEXT) == "Kaarinassa"
    with pytest.raises(AmbiguousPassage):
        locate(TEXT, "Kaarinassa", occurrence=2)


@pytest.mark.parametrize("passage", ["", "   ", "\n\t"])
def test_locate__empty_passage(passage: str) -> None:
    with pytest.raises(EmptyPassage):
        locate(TEXT, passage)


def test_locate__words_not_in_the_text() -> None:
    with pytest.raises(PassageNotFound) as raised:
        locate(TEXT, "Turussa")
    assert raised.value.code == "not_found"


def test_occurrence_of__numbers_repeats() -> None:
    first = locate(TEXT, "Vuokrat nousevat", occurrence=1)
    second = locate(TEXT, "Vuokrat nousevat", occurrence=2)
    assert occurrence_of(TEXT, first) == (1, 2)
    assert occurrence_of(TEXT, second) == (2, 2)
    assert occurrence_of(TEXT, locate(TEXT, "Kaarinassa")) == (1, 1)


@pytest.mark.parametrize(
    ("start", "end"),
    [(-1, 5), (5, 5), (6, 5), (0, len(TEXT) + 1), (10**9, 10**9 + 1)],
)
def test_check_span__refuses_offsets_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(OutOfRange):
        check_span(TEXT, start, end)


def test_check_span__trims_whitespace_and_refuses_only_whitespace() -> None:
    at = TEXT.index("\n\n")
    with pytest.raises(EmptyPassage):
        check_span(TEXT, at, at + 2)
    span = check_span(TEXT, at - 9, at + 5)
    assert span.of(TEXT) == "nopeasti.\n\nYhä"
    assert trim(" a ", Span(0, 3)) == Span(1, 2)


def test_same_words() -> None:
    assert same_words("a  b\nc", " a b c ")
    assert not same_words("a b", "a bc")


def test_replace__returns_the_new_text_and_the_marker_span() -> None:
    span = locate(TEXT, "Kaarinassa")
    new_text, marker = replace(TEXT, span, MARKER)
    assert "Kaarinassa" not in new_text
    assert marker.of(new_text) == MARKER
    assert new_text.endswith(f"myös {MARKER}.")


def test_shift__keeps_spans_in_step_with_a_replacement() -> None:
    edited = Span(10, 20)  # ten characters become three
    assert shift(Span(0, 10), edited, 3) == Span(0, 10)  # before: unchanged
    assert shift(Span(20, 25), edited, 3) == Span(13, 18)  # after: moved back by seven
    assert shift(Span(5, 11), edited, 3) is None  # overlaps: its text changed
    assert shift(Span(12, 15), edited, 3) is None  # inside
    assert shift(Span(5, 30), edited, 3) is None  # around


def test_shift_and_replace_agree_on_the_text_after_the_passage() -> None:
    quote = locate(TEXT, "myös Kaarinassa")
    redacted = locate(TEXT, "asiakas")
    new_text, marker = replace(TEXT, redacted, MARKER)
    moved = shift(quote, redacted, len(marker))
    assert moved is not None and moved.of(new_text) == "myös Kaarinassa"


def test_span_relations() -> None:
    assert Span(0, 5).overlaps(Span(4, 6)) and not Span(0, 5).overlaps(Span(5, 6))
    assert Span(0, 5).covers(Span(1, 5)) and not Span(0, 5).covers(Span(1, 6))
    assert len(Span(3, 7)) == 4


def test_excerpt__cuts_at_words_and_flattens_lines() -> None:
    span = locate(TEXT, "useampi asiakas")
    shown = excerpt(TEXT, span, context=15)
    assert shown.passage == "useampi asiakas"
    assert shown.before.startswith("…") and "\n" not in shown.before
    assert shown.before.endswith("Yhä ")
    assert shown.after.endswith("…") and shown.after.startswith(" maksaa")
    whole = excerpt("abc", Span(1, 2))
    assert (whole.before, whole.passage, whole.after) == ("a", "b", "c")


def test_occurrences__of_astral_characters_use_code_point_offsets() -> None:
    text = "🙂 Aino 🙂 Aino"
    assert [s.start for s in occurrences(text, "Aino")] == [2, 9]

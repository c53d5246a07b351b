"""Passages of a text: a (start, end) span that a person picked, for quotes and redaction.

A passage is picked in one of two ways, and both end here:

- with JavaScript, by selecting words in the shown text: the page sends the exact offsets,
  which :func:`check_span` validates (and :func:`trim` shrinks to the words);
- without it, by copying the words into a text box: :func:`locate` finds them in the text,
  tolerant of whitespace differences (a copied line break, two spaces for one), and asks
  which occurrence is meant when they occur more than once (:class:`AmbiguousPassage`).

Offsets are Python ``str`` offsets (code points), ``end`` exclusive, as in
:mod:`havainto.lib.pii`. :func:`replace` and :func:`shift` keep other spans of the same text
(other quotes, earlier redactions) in step when a passage is replaced.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: What a redacted passage is replaced with: visible, and the same in every language.
MARKER = "[…]"


class PassageError(ValueError):
    """The passage cannot be used; ``code`` says why (for the message shown)."""

    code = "invalid"


class EmptyPassage(PassageError):
    code = "empty"


class OutOfRange(PassageError):
    code = "out_of_range"


class PassageNotFound(PassageError):
    code = "not_found"


class AmbiguousPassage(PassageError):
    """The words occur more than once and no occurrence was chosen (or a wrong one)."""

    code = "ambiguous"

    def __init__(self, spans: list[Span]) -> None:
        super().__init__(f"{len(spans)} occurrences")
        self.spans = spans


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def covers(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def words(passage: str) -> list[str]:
    """The passage's words (runs of non-whitespace), NFC-normalised like stored texts."""
    return unicodedata.normalize("NFC", passage).split()


def same_words(a: str, b: str) -> bool:
    """Equal but for whitespace: how a copied passage is compared with the text."""
    return words(a) == words(b)


def check_span(text: str, start: int, end: int) -> Span:
    """The span if it lies inside the text and holds more than whitespace."""
    if not (0 <= start < end <= len(text)):
        raise OutOfRange(f"{start}–{end} is outside 0–{len(text)}")
    span = trim(text, Span(start, end))
    if not span:
        raise EmptyPassage("only whitespace")
    return span


def trim(text: str, span: Span) -> Span:
    """The span without the whitespace at its ends (a selection often takes a space along)."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def occurrences(text: str, passage: str) -> list[Span]:
    """Every place where the passage's words occur in the text in order, with any whitespace
    between them; non-overlapping, from the start."""
    tokens = words(passage)
    if not tokens:
        return []
    pattern = re.compile(r"\s+".join(re.escape(token) for token in tokens))
    return [Span(m.start(), m.end()) for m in pattern.finditer(text)]


def locate(text: str, passage: str, occurrence: int | None = None) -> Span:
    """The span of the passage in the text. ``occurrence`` (1-based) picks one when the words
    occur more than once; without it that is :class:`AmbiguousPassage`."""
    if not words(passage):
        raise EmptyPassage("no words")
    found = occurrences(text, passage)
    if not found:
        raise PassageNotFound("not in the text")
    if len(found) == 1 and occurrence in (None, 1):
        return found[0]
    if occurrence is None or not 1 <= occurrence <= len(found):
        raise AmbiguousPassage(found)
    return found[occurrence - 1]


def occurrence_of(text: str, span: Span) -> tuple[int, int]:
    """(n, total): the span is the n-th of the total occurrences of its words in the text."""
    found = occurrences(text, span.of(text))
    for number, other in enumerate(found, start=1):
        if other.start == span.start:
            return number, len(found)
    # Overlapping repeats ("aa" in "aaa") are not all found by a scan from the start.
    return 0, len(found)


def replace(text: str, span: Span, replacement: str) -> tuple[str, Span]:
    """The text with the span replaced, and the span of the replacement in it."""
    new_text = text[: span.start] + replacement + text[span.end :]
    return new_text, Span(span.start, span.start + len(replacement))


def shift(span: Span, edited: Span, new_length: int) -> Span | None:
    """Where ``span`` is after ``edited`` was replaced by ``new_length`` characters: the same
    before it, moved after it, None when the two overlapped (its text changed)."""
    if span.end <= edited.start:
        return span
    if span.start >= edited.end:
        delta = new_length - len(edited)
        return Span(span.start + delta, span.end + delta)
    return None


@dataclass(frozen=True)
class Excerpt:
    """A passage with a little of the text around it, for showing where it is."""

    before: str
    passage: str
    after: str


def excerpt(text: str, span: Span, context: int = 40) -> Excerpt:
    """The passage and up to ``context`` characters on each side, cut at a word boundary and
    marked with "…" where the text goes on; line breaks become spaces."""
    left = max(0, span.start - context)
    right = min(len(text), span.end + context)
    before, after = text[left : span.start], text[span.end : right]
    if left > 0:
        cut = before.find(" ")
        before = "…" + (before[cut + 1 :] if 0 <= cut < len(before) - 1 else before)
    if right < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return Excerpt(
        before=before.replace("\n", " "),
        passage=span.of(text).replace("\n", " "),
        after=after.replace("\n", " "),
    )

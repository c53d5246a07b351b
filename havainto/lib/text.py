"""Text normalisation for everything a user types (reliability.md INP-03, INP-04, INP-06)."""

import re
import unicodedata

# Bidirectional overrides/isolates and zero-width characters can reorder or hide text
# around them; they have no place in a title or a name.
_FORMAT_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad]")
# C0 controls other than tab and newline (NUL included): never meaningful in a report.
_C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class UnacceptableText(ValueError):
    """The text holds characters that cannot be stored (NUL, lone surrogates)."""


def normalise(text: str, *, short: bool = False) -> str:
    """NFC-normalise, unify newlines and strip surrounding space.

    Short fields (titles, names) also lose format controls and line breaks.
    Raises UnacceptableText for NUL bytes and lone surrogates, which PostgreSQL cannot store.
    """
    if "\x00" in text or _LONE_SURROGATE.search(text):
        raise UnacceptableText(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _C0_CONTROLS.sub("", text)
    if short:
        text = _FORMAT_CONTROLS.sub("", text)
        text = " ".join(text.split())
    else:
        # Keep paragraphs, but not runs of empty lines or trailing spaces.
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def excerpt(text: str, start: int, end: int, context: int = 20) -> str:
    """The span with a little context, for pointing at a place in the text."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    return f"{prefix}{text[left:right]}{suffix}".replace("\n", " ")

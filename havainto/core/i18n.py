"""Helpers for curated content kept in explicit _fi/_sv/_en columns."""

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("fi", "sv", "en")


def active_language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in CONTENT_LANGUAGES else "fi"


def pick(obj: object, field: str, lang: str | None = None) -> str:
    """The obj.<field>_<lang> text in the active language, falling back to fi, sv, en."""
    lang = lang or active_language()
    for candidate in (lang, "fi", "sv", "en"):
        value = getattr(obj, f"{field}_{candidate}", "")
        if value:
            return value
    return ""

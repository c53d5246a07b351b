"""State changes of organisations and their people."""

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from havainto.accounts.models import (
    REDACTION_RETENTION_MAX,
    Membership,
    Municipality,
    Organisation,
    ServiceLine,
)
from havainto.audit.services import record
from havainto.coding.models import Theme
from havainto.core.i18n import CONTENT_LANGUAGES
from havainto.core.taxonomy import VOCABULARY_KEYS, taxonomy
from havainto.reports.models import ExtraQuestion, Report, VocabularyEntry, VocabularyKind


@transaction.atomic
def create_organisation(
    *,
    actor: AbstractBaseUser | None,
    slug: str,
    name_fi: str,
    name_sv: str = "",
    name_en: str = "",
    languages: Iterable[str] = ("fi",),
    municipalities: Iterable[dict[str, str]] = (),
    service_lines: Iterable[dict[str, str]] | None = None,
    allow_anonymous: bool = True,
) -> Organisation:
    """Create an organisation with the default vocabularies and themes of taxonomy.json."""
    organisation = Organisation.objects.create(
        slug=slug,
        name_fi=name_fi,
        name_sv=name_sv,
        name_en=name_en,
        languages=list(languages),
        allow_anonymous=allow_anonymous,
    )
    Municipality.objects.bulk_create(
        Municipality(
            organisation=organisation, code=m["code"], name_fi=m["fi"], name_sv=m.get("sv", "")
        )
        for m in municipalities
    )
    lines = taxonomy()["service_lines_demo"] if service_lines is None else service_lines
    ServiceLine.objects.bulk_create(
        ServiceLine(
            organisation=organisation,
            code=s["code"],
            name_fi=s["fi"],
            name_sv=s.get("sv", ""),
            name_en=s.get("en", ""),
            order=i,
        )
        for i, s in enumerate(lines)
    )
    load_default_vocabularies(organisation)
    record("organisation.created", actor=actor, organisation=organisation, obj=organisation)
    return organisation


def load_default_vocabularies(organisation: Organisation) -> None:
    """Add the default entries the organisation does not have yet (by code)."""
    data = taxonomy()
    have = set(
        VocabularyEntry.objects.filter(organisation=organisation).values_list("kind", "code")
    )
    entries = []
    for key, kind in VOCABULARY_KEYS.items():
        for order, item in enumerate(data[key]):
            code = str(item["code"])
            if (kind, code) not in have:
                entries.append(_entry(organisation, kind, code, item, order))
    VocabularyEntry.objects.bulk_create(entries)
    have_themes = set(
        Theme.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    Theme.objects.bulk_create(
        Theme(
            organisation=organisation,
            code=item["code"],
            label_fi=item["fi"],
            label_sv=item.get("sv", ""),
            label_en=item.get("en", ""),
            description_fi=item.get("description_fi", item.get("desc_fi", "")),
            description_sv=item.get("description_sv", item.get("desc_sv", "")),
            description_en=item.get("description_en", item.get("desc_en", "")),
            order=order,
        )
        for order, item in enumerate(data["themes"])
        if item["code"] not in have_themes
    )


def _entry(
    organisation: Organisation, kind: str, code: str, item: dict[str, Any], order: int
) -> VocabularyEntry:
    return VocabularyEntry(
        organisation=organisation,
        kind=kind,
        code=code,
        label_fi=item["fi"],
        label_sv=item.get("sv", ""),
        label_en=item.get("en", ""),
        order=order,
    )


@transaction.atomic
def add_member(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    user: AbstractBaseUser,
    role: str,
    **context: Any,
) -> Membership:
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=role, **context
    )
    record(
        "membership.created",
        actor=actor,
        organisation=organisation,
        obj=membership,
        fields=["role"],
    )
    return membership


# --- Organisation settings: vocabularies and extra questions -----------------------------

# A new code is stored with every report that uses the entry, so it must stay simple and
# stable: lower-case letters, digits, hyphens and underscores.
CODE_RE = re.compile(r"[a-z0-9_-]{1,40}")

# The report form cannot be sent without one of these, so one entry must stay visible.
REQUIRED_VOCABULARIES = (VocabularyKind.OBSERVATION_TYPE, VocabularyKind.REPORTER_ROLE)

EXTRA_QUESTION_FIELDS = (
    "kind",
    "label_fi",
    "label_sv",
    "label_en",
    "required",
    "hidden",
    "order",
    "choices",
)


def _apply(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set the values that differ and return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


@transaction.atomic
def update_organisation_settings(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    allow_anonymous: bool,
    languages: Sequence[str],
    redaction_original_retention_days: int | None = None,
) -> Organisation:
    """Change whether anonymous reports are taken, which languages the form offers and (when
    given) how many days the originals of redacted passages are kept."""
    languages = list(dict.fromkeys(languages))
    if not languages or set(languages) - set(CONTENT_LANGUAGES):
        raise ValidationError({"languages": _("Choose at least one of the form languages.")})
    values: dict[str, Any] = {"allow_anonymous": allow_anonymous, "languages": languages}
    if redaction_original_retention_days is not None:
        if not 0 <= redaction_original_retention_days <= REDACTION_RETENTION_MAX:
            raise ValidationError(
                {"redaction_original_retention_days": _("Give a number of days from 0 to 365.")}
            )
        values["redaction_original_retention_days"] = redaction_original_retention_days
    # Re-read under a lock: the caller's instance may already carry a form's values.
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = _apply(current, values)
    if changed:
        current.save(update_fields=changed)
        record(
            "organisation.changed", actor=actor, organisation=current, obj=current, fields=changed
        )
    return current


@transaction.atomic
def add_vocabulary_entry(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    kind: str,
    code: str,
    label_fi: str,
    label_sv: str = "",
    label_en: str = "",
    hidden: bool = False,
    order: int | None = None,
) -> VocabularyEntry:
    """Add an entry to one of the organisation's pick-lists, by default at its end."""
    if kind not in VocabularyKind.values:
        raise ValueError(f"unknown vocabulary {kind!r}")
    if not CODE_RE.fullmatch(code):
        raise ValidationError({"code": _("Use 1–40 lower-case letters a–z, digits, - or _.")})
    if not label_fi:
        raise ValidationError({"label_fi": _("The Finnish label is required.")})
    entries = VocabularyEntry.objects.of(organisation, kind)
    if order is None:
        order = (entries.aggregate(last=Max("order"))["last"] or 0) + 1
    taken = ValidationError(
        {"code": _("This vocabulary already has an entry with this code. Codes stay reserved.")}
    )
    if entries.filter(code=code).exists():
        raise taken
    try:
        with transaction.atomic():
            entry = VocabularyEntry.objects.create(
                organisation=organisation,
                kind=kind,
                code=code,
                label_fi=label_fi,
                label_sv=label_sv,
                label_en=label_en,
                hidden=hidden,
                order=order,
            )
    except IntegrityError:
        # Someone else added the same code between the check and the insert.
        raise taken from None
    fields = ["kind", "code", "label_fi", "hidden", "order"]
    fields += [name for name in ("label_sv", "label_en") if getattr(entry, name)]
    record(
        "vocabulary_entry.created",
        actor=actor,
        organisation=organisation,
        obj=entry,
        fields=fields,
    )
    return entry


@transaction.atomic
def update_vocabulary_entry(
    *,
    actor: AbstractBaseUser,
    entry: VocabularyEntry,
    label_fi: str | None = None,
    label_sv: str | None = None,
    label_en: str | None = None,
    hidden: bool | None = None,
    order: int | None = None,
) -> VocabularyEntry:
    """Rename, hide or move an entry. The code never changes: reports refer to it.

    Arguments left as None keep their current value.
    """
    current = VocabularyEntry.objects.select_for_update().get(pk=entry.pk)
    values = {
        "label_fi": label_fi,
        "label_sv": label_sv,
        "label_en": label_en,
        "hidden": hidden,
        "order": order,
    }
    changed = _apply(current, {k: v for k, v in values.items() if v is not None})
    if not current.label_fi:
        raise ValidationError({"label_fi": _("The Finnish label is required.")})
    if "hidden" in changed and current.hidden and current.kind in REQUIRED_VOCABULARIES:
        others = (
            VocabularyEntry.objects.of(current.organisation, current.kind)
            .visible()
            .exclude(pk=current.pk)
        )
        if not others.exists():
            raise ValidationError(
                {
                    "hidden": _(
                        "The report form needs at least one visible entry in this "
                        "vocabulary. Add or show another entry first."
                    )
                }
            )
    if changed:
        current.save(update_fields=changed)
        record(
            "vocabulary_entry.changed",
            actor=actor,
            organisation=current.organisation,
            obj=current,
            fields=changed,
        )
    return current


def answered_choice_codes(question: ExtraQuestion) -> set[str] | None:
    """The choice codes stored in reports' answers to the question; None if unanswered."""
    key = str(question.pk)
    rows = Report.objects.of(question.organisation).filter(extra_answers__has_key=key)
    answers = [row.get(key) for row in rows.values_list("extra_answers", flat=True)]
    if not answers:
        return None
    codes: set[str] = set()
    for answer in answers:
        if isinstance(answer, list):
            codes.update(str(code) for code in answer)
        elif question.kind != ExtraQuestion.Kind.TEXT and answer is not None:
            codes.add(str(answer))
    return codes


@transaction.atomic
def save_extra_question(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    question: ExtraQuestion | None = None,
    kind: str,
    label_fi: str,
    label_sv: str = "",
    label_en: str = "",
    required: bool = False,
    hidden: bool = False,
    order: int | None = None,
    choices: Sequence[Mapping[str, str]] = (),
) -> ExtraQuestion:
    """Add an extra question to the form (question=None) or change one.

    Once reports have answered a question, its answer type and the choice codes used in
    answers are kept, so that old answers keep their meaning.
    """
    if kind not in ExtraQuestion.Kind.values:
        raise ValidationError({"kind": _("Choose an answer type.")})
    choices = [dict(choice) for choice in choices]
    codes = [choice.get("code", "") for choice in choices]
    if kind == ExtraQuestion.Kind.TEXT and choices:
        raise ValidationError({"choices": _("A text question has no choices.")})
    if kind != ExtraQuestion.Kind.TEXT and (
        len(choices) < 2
        or len(set(codes)) != len(codes)
        or not all(
            CODE_RE.fullmatch(code) and choice.get("fi")
            for code, choice in zip(codes, choices, strict=True)
        )
    ):
        raise ValidationError(
            {"choices": _("Give at least two choices with unique codes and Finnish labels.")}
        )
    if not label_fi:
        raise ValidationError({"label_fi": _("The Finnish question is required.")})
    if question is None:
        current = ExtraQuestion(organisation=organisation)
        if order is None:
            last = organisation.extra_questions.aggregate(last=Max("order"))["last"]
            order = (last or 0) + 1
    else:
        current = ExtraQuestion.objects.select_for_update().get(
            pk=question.pk, organisation=organisation
        )
        _check_answers_keep_meaning(current, kind, codes)
    values: dict[str, Any] = {
        "kind": kind,
        "label_fi": label_fi,
        "label_sv": label_sv,
        "label_en": label_en,
        "required": required,
        "hidden": hidden,
        "choices": choices,
    }
    if order is not None:
        values["order"] = order
    changed = _apply(current, values)
    if question is None:
        current.save()
        record(
            "extra_question.created",
            actor=actor,
            organisation=organisation,
            obj=current,
            fields=[
                name for name in EXTRA_QUESTION_FIELDS if getattr(current, name) not in ("", [])
            ],
        )
    elif changed:
        current.save(update_fields=changed)
        record(
            "extra_question.changed",
            actor=actor,
            organisation=organisation,
            obj=current,
            fields=changed,
        )
    return current


def _check_answers_keep_meaning(question: ExtraQuestion, kind: str, codes: Sequence[str]) -> None:
    used = answered_choice_codes(question)
    if used is None:
        return
    if kind != question.kind:
        raise ValidationError(
            {
                "kind": _(
                    "Reports have already answered this question, so its answer type "
                    "cannot change. Hide it and add a new question instead."
                )
            }
        )
    missing = sorted(used - set(codes))
    if missing:
        raise ValidationError(
            {
                "choices": _(
                    "These choice codes are used in answers and cannot be removed: "
                    "%(codes)s. You can rename them."
                )
                % {"codes": ", ".join(missing)}
            }
        )

"""The theme codebook: creating, renaming, moving, reordering, hiding, showing and merging
themes, and reading the codebook as a tree."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import (
    Exists,
    F,
    Max,
    OuterRef,
    ProtectedError,
    Q,
    RestrictedError,
    UniqueConstraint,
)
from django.utils.translation import gettext

from havainto.accounts.models import Organisation
from havainto.audit.services import record
from havainto.coding.models import Theme, ThemeChange

# --- Codebook ------------------------------------------------------------------------------
# The organisation's themes are created, renamed, moved, reordered, hidden and merged here and
# never deleted: reports, summaries and exports refer to them. Every change is version-checked
# (REL-06), leaves a ThemeChange row with the values before and after (curated labels only),
# and an audit row with the names of the changed fields.

CODEBOOK_LEVELS = 3  # main themes, their sub-themes, and the sub-themes of those
THEME_TEXT_FIELDS = (
    "label_fi",
    "label_sv",
    "label_en",
    "description_fi",
    "description_sv",
    "description_en",
)
# Relations that a merge leaves where they are: a theme's history stays its own, and the
# sub-themes are moved by merge_themes itself (with their own history rows). Every other
# foreign key to Theme, including those other apps add later, follows the merge.
MERGE_KEEPS = {("coding.themechange", "theme"), ("coding.theme", "parent")}
REPORT_THEMES = "coding.reporttheme.theme"


class ThemeConflict(Exception):
    """Someone else changed the theme after the version the user started from."""

    def __init__(self, current: Theme) -> None:
        super().__init__(current.pk)
        self.current = current


@dataclass(frozen=True)
class ThemeNode:
    """A theme in the codebook tree, with its report count and its sub-themes in order."""

    theme: Theme
    children: list["ThemeNode"]
    level: int
    first: bool
    last: bool


@dataclass(frozen=True)
class MergeResult:
    source: Theme
    target: Theme
    # Per relation ("app.model.field"): rows moved to the target and rows removed because
    # the target already had an equal row (a report that carried both themes).
    relations: dict[str, dict[str, int]]
    children: list[str]

    @property
    def reports_moved(self) -> int:
        return self.relations.get(REPORT_THEMES, {}).get("moved", 0)

    @property
    def reports_had_both(self) -> int:
        return self.relations.get(REPORT_THEMES, {}).get("removed", 0)


def _codebook_error(message: str, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _theme_error_messages() -> dict[str, str]:
    # Translated when raised, in the language of the request.
    return {
        "cycle": gettext(
            "A theme cannot be placed under itself or under one of its own sub-themes."
        ),
        "too_deep": gettext(
            "The codebook has at most three levels: main themes, their sub-themes and the "
            "sub-themes of those. Choose a parent higher up, or move the sub-themes first."
        ),
        "parent_not_in_use": gettext(
            "Choose a parent theme that is in use: hidden and merged themes cannot have sub-themes."
        ),
        "merged": gettext("The theme has been merged into another theme and cannot be changed."),
        "taken": gettext(
            "The codebook already has a theme with this code. Codes stay reserved, also for "
            "hidden and merged themes: choose another code."
        ),
    }


def _actor_or_none(actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return actor if actor is not None and actor.is_authenticated else None


def _log_change(
    theme: Theme,
    actor: AbstractBaseUser | None,
    kind: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> ThemeChange:
    return ThemeChange.objects.create(
        theme=theme, actor=_actor_or_none(actor), kind=kind, before=before, after=after
    )


def _code_of(pk: int | None) -> str | None:
    if pk is None:
        return None
    return Theme.objects.filter(pk=pk).values_list("code", flat=True).first()


def _snapshot(theme: Theme) -> dict[str, Any]:
    """The theme's curated values, for the history."""
    values: dict[str, Any] = {"code": theme.code}
    values.update({name: getattr(theme, name) for name in THEME_TEXT_FIELDS})
    values.update(
        {"parent": _code_of(theme.parent_id), "order": theme.order, "hidden": theme.hidden}
    )
    return values


def _lock_theme(theme: Theme, expected_version: int) -> Theme:
    """The theme's row, locked for this transaction; ThemeConflict if it has moved on."""
    current = Theme.objects.select_for_update().get(pk=theme.pk)
    if current.version != expected_version:
        raise ThemeConflict(current)
    if current.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["merged"], "merged")
    return current


def _claim(theme: Theme, expected_version: int, **changes: Any) -> None:
    """UPDATE … WHERE id = %s AND version = %s, as for reports: on SQLite the row lock above
    is a no-op, and this is what keeps two saves from both winning."""
    updated = Theme.objects.filter(pk=theme.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise ThemeConflict(Theme.objects.get(pk=theme.pk))
    for name, value in changes.items():
        setattr(theme, name, value)
    theme.version = expected_version + 1


def _parents(organisation: Organisation) -> dict[int, int | None]:
    """{theme id: parent id} of the organisation's current (not merged) themes."""
    return dict(
        Theme.objects.current()
        .filter(organisation=organisation)
        .values_list("pk", "parent_id")
        .order_by()
    )


def _check_tree(parents: dict[int, int | None]) -> None:
    """Refuse a tree with a cycle or with more than CODEBOOK_LEVELS levels."""
    messages = _theme_error_messages()
    for pk in parents:
        level, node = 1, pk
        while (parent := parents.get(node)) is not None and parent in parents:
            if parent == pk or level > len(parents):
                raise _codebook_error(messages["cycle"], "cycle")
            level, node = level + 1, parent
        if level > CODEBOOK_LEVELS:
            raise _codebook_error(messages["too_deep"], "too_deep", levels=CODEBOOK_LEVELS)


def _is_below(parents: dict[int, int | None], pk: int, ancestor: int) -> bool:
    node, steps = parents.get(pk), 0
    while node is not None and steps <= len(parents):
        if node == ancestor:
            return True
        node, steps = parents.get(node), steps + 1
    return False


def _usable_parent(organisation: Organisation, parent: Theme | None) -> Theme | None:
    """The parent, locked, if it may have sub-themes: one of the organisation's themes in
    use. Locked so that it is not hidden or merged while a theme is put under it."""
    if parent is None:
        return None
    locked = (
        Theme.objects.select_for_update().filter(pk=parent.pk, organisation=organisation).first()
    )
    if locked is None or locked.hidden or locked.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["parent_not_in_use"], "parent_not_in_use")
    return locked


def _next_order(organisation: Organisation, parent_id: int | None) -> int:
    highest = (
        Theme.objects.current()
        .filter(organisation=organisation, parent_id=parent_id)
        .aggregate(highest=Max("order"))["highest"]
    )
    return 0 if highest is None else highest + 1


@transaction.atomic
def create_theme(
    *,
    actor: AbstractBaseUser | None,
    organisation: Organisation,
    code: str,
    values: dict[str, str],
    parent: Theme | None = None,
) -> Theme:
    """A new theme at the end of its parent's sub-themes (or of the main themes)."""
    from havainto.accounts.services import CODE_RE

    if not CODE_RE.fullmatch(code):
        raise _codebook_error(gettext("The code is not valid."), "invalid")
    if not (values.get("label_fi") or "").strip():
        raise _codebook_error(gettext("Give the Finnish label."), "required")
    parent = _usable_parent(organisation, parent)
    taken = _theme_error_messages()["taken"]
    if Theme.objects.filter(organisation=organisation, code=code).exists():
        raise _codebook_error(taken, "taken")
    parents = _parents(organisation)
    parents[0] = parent.pk if parent else None  # 0: the new theme, which has no id yet
    _check_tree(parents)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                organisation=organisation,
                code=code,
                parent=parent,
                order=_next_order(organisation, parent.pk if parent else None),
                **{name: values.get(name, "") for name in THEME_TEXT_FIELDS},
            )
    except IntegrityError:  # the same code saved by someone else a moment ago
        raise _codebook_error(taken, "taken") from None
    _log_change(theme, actor, ThemeChange.Kind.CREATED, {}, _snapshot(theme))
    record("theme.created", actor=actor, organisation=organisation, obj=theme)
    return theme


@transaction.atomic
def update_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    values: dict[str, str],
) -> Theme:
    """Rename: the labels and descriptions that differ from the saved ones."""
    current = _lock_theme(theme, expected_version)
    changed = [
        name
        for name in THEME_TEXT_FIELDS
        if name in values and getattr(current, name) != values[name]
    ]
    if "label_fi" in changed and not values["label_fi"].strip():
        raise _codebook_error(gettext("Give the Finnish label."), "required")
    if not changed:
        return current
    before = {name: getattr(current, name) for name in changed}
    _claim(current, expected_version, **{name: values[name] for name in changed})
    _log_change(
        current,
        actor,
        ThemeChange.Kind.RENAMED,
        before,
        {name: values[name] for name in changed},
    )
    record(
        "theme.changed", actor=actor, organisation=current.organisation, obj=current, fields=changed
    )
    return current


@transaction.atomic
def move_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    parent: Theme | None,
) -> Theme:
    """Put the theme (with its sub-themes) under another parent, or at the top level, as the
    parent's last sub-theme. Cycles and a fourth level are refused."""
    current = _lock_theme(theme, expected_version)
    organisation = current.organisation
    if parent is not None and parent.pk == current.pk:
        raise _codebook_error(_theme_error_messages()["cycle"], "cycle")
    parent = _usable_parent(organisation, parent)
    parent_id = parent.pk if parent else None
    if current.parent_id == parent_id:
        return current
    parents = _parents(organisation)
    parents[current.pk] = parent_id
    _check_tree(parents)
    before = {"parent": _code_of(current.parent_id), "order": current.order}
    order = _next_order(organisation, parent_id)
    _claim(current, expected_version, parent=parent, order=order)
    _log_change(
        current,
        actor,
        ThemeChange.Kind.MOVED,
        before,
        {"parent": parent.code if parent else None, "order": order},
    )
    record("theme.moved", actor=actor, organisation=organisation, obj=current, fields=["parent"])
    return current


@transaction.atomic
def reorder_theme(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    expected_version: int,
    direction: str,
) -> Theme:
    """Move the theme one place up or down among its shown siblings. The siblings are
    numbered 0, 1, 2… on the way, so equal order numbers cannot block the swap."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    current = _lock_theme(theme, expected_version)
    if current.hidden:
        raise _codebook_error(gettext("Show the theme before changing its order."), "hidden")
    siblings = list(
        Theme.objects.offered()
        .select_for_update()
        .filter(organisation=current.organisation, parent_id=current.parent_id)
        .order_by("order", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == current.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        message = (
            gettext("The theme is first already.")
            if direction == "up"
            else gettext("The theme is last already.")
        )
        raise _codebook_error(message, "edge")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.pk != current.pk and sibling.order != position:
            Theme.objects.filter(pk=sibling.pk).update(order=position)
    before = {"order": current.order}
    _claim(current, expected_version, order=other)
    _log_change(current, actor, ThemeChange.Kind.REORDERED, before, {"order": other})
    record(
        "theme.reordered",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["order"],
    )
    return current


@transaction.atomic
def hide_theme(*, actor: AbstractBaseUser | None, theme: Theme, expected_version: int) -> Theme:
    """A hidden theme is no longer offered for reports or suggested; the reports that carry
    it keep it. A theme with sub-themes in use cannot be hidden (they would be orphans)."""
    current = _lock_theme(theme, expected_version)
    if current.hidden:
        return current
    if Theme.objects.offered().filter(parent=current).exists():
        raise _codebook_error(
            gettext("Hide or move its sub-themes first: a hidden theme cannot have sub-themes."),
            "has_children",
        )
    _claim(current, expected_version, hidden=True)
    _log_change(current, actor, ThemeChange.Kind.HIDDEN, {"hidden": False}, {"hidden": True})
    record(
        "theme.hidden",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["hidden"],
    )
    return current


@transaction.atomic
def show_theme(*, actor: AbstractBaseUser | None, theme: Theme, expected_version: int) -> Theme:
    current = _lock_theme(theme, expected_version)
    if not current.hidden:
        return current
    parent = (
        Theme.objects.select_for_update().filter(pk=current.parent_id).first()
        if current.parent_id
        else None
    )
    if parent is not None and parent.hidden:
        raise _codebook_error(
            gettext("Show its parent theme “%(parent)s” first.") % {"parent": parent.label},
            "parent_hidden",
        )
    _claim(current, expected_version, hidden=False)
    _log_change(current, actor, ThemeChange.Kind.SHOWN, {"hidden": True}, {"hidden": False})
    record(
        "theme.shown",
        actor=actor,
        organisation=current.organisation,
        obj=current,
        fields=["hidden"],
    )
    return current


def theme_foreign_keys() -> list[models.ForeignKey[Any, Any]]:
    """Every foreign key that points at Theme, from any app. Built from
    Theme._meta.get_fields(include_hidden=True) rather than related_objects, which leaves out
    keys declared with related_name="+"; a many-to-many field to Theme appears here as the
    foreign key of its (possibly automatic) through table, so moving the through rows moves
    the many-to-many links."""
    return [
        rel.field
        for rel in Theme._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def _unique_sets(model: type[models.Model], field: models.Field[Any, Any]) -> list[Any]:
    """(field names, condition) of every uniqueness rule of the model that includes field."""
    sets: list[tuple[list[str], Q | None]] = []
    if field.unique:  # also a one-to-one field
        sets.append(([field.name], None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and field.name in (constraint.fields or ()):
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _repoint(field: models.ForeignKey[Any, Any], source: Theme, target: Theme) -> dict[str, int]:
    """Move the rows of field's model from source to target. A row that would equal a row
    the target has already (under one of the model's uniqueness rules) is removed instead:
    the target carries it."""
    model = field.model
    manager = model._base_manager
    if not manager.filter(**{field.name: source}).exists():
        return {"moved": 0, "removed": 0}
    removed = 0
    for names, condition in _unique_sets(model, field):
        clash = manager.filter(**{field.name: target}).filter(
            **{name: OuterRef(name) for name in names if name != field.name}
        )
        duplicates = manager.filter(**{field.name: source})
        if condition is not None:
            clash, duplicates = clash.filter(condition), duplicates.filter(condition)
        removed += _delete(duplicates.filter(Exists(clash)))
    rows = manager.filter(**{field.name: source})
    try:
        with transaction.atomic():
            moved = rows.update(**{field.name: target})
    except IntegrityError:
        # A rule the checks above cannot read (an expression or a check constraint): row by
        # row, removing the rows that cannot move.
        moved = 0
        for pk in list(rows.values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    moved += manager.filter(pk=pk).update(**{field.name: target})
            except IntegrityError:
                removed += _delete(manager.filter(pk=pk))
    return {"moved": moved, "removed": removed}


def _delete(rows: Any) -> int:
    try:
        _total, per_model = rows.delete()
    except (ProtectedError, RestrictedError):
        raise _codebook_error(
            gettext(
                "The themes cannot be merged: other data refers to a duplicate of a row that "
                "the merge would remove."
            ),
            "protected",
        ) from None
    return per_model.get(rows.model._meta.label, 0)


@transaction.atomic
def merge_themes(
    *,
    actor: AbstractBaseUser | None,
    theme: Theme,
    into: Theme,
    expected_version: int,
) -> MergeResult:
    """Merge `theme` into `into`: every report (and every other row that points at a theme)
    of the first then carries the second, without duplicates; its sub-themes move under the
    second; the first is kept as a merged record pointing at the second, so old links, exports
    and history still resolve, and it is no longer offered or suggested. If `into` was below
    `theme`, it first takes `theme`'s place in the tree."""
    if into.pk == theme.pk or into.organisation_id != theme.organisation_id:
        raise _codebook_error(gettext("Choose another theme of the codebook."), "same")
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {
        t.pk: t
        for t in Theme.objects.select_for_update().filter(pk__in=[theme.pk, into.pk]).order_by("pk")
    }
    source, target = locked[theme.pk], locked[into.pk]
    if source.version != expected_version:
        raise ThemeConflict(source)
    if source.merged_into_id is not None:
        raise _codebook_error(_theme_error_messages()["merged"], "merged")
    if target.merged_into_id is not None or target.hidden:
        raise _codebook_error(
            gettext("Merge into a theme that is in use: not a hidden or a merged one."),
            "target_not_in_use",
        )
    organisation = source.organisation
    parents = _parents(organisation)
    target_was_below = _is_below(parents, target.pk, source.pk)
    if target_was_below:
        parents[target.pk] = parents[source.pk]
    children = list(
        Theme.objects.current().filter(parent=source).exclude(pk=target.pk).order_by("order", "id")
    )
    for child in children:
        parents[child.pk] = target.pk
    del parents[source.pk]
    _check_tree(parents)

    _claim(source, expected_version, merged_into=target)
    if target_was_below:
        before = {"parent": _code_of(target.parent_id), "order": target.order}
        target.parent_id, target.order = source.parent_id, source.order
        Theme.objects.filter(pk=target.pk).update(parent_id=source.parent_id, order=source.order)
        after = {"parent": _code_of(source.parent_id), "order": source.order}
        _log_change(target, actor, ThemeChange.Kind.MOVED, before, after)
    order = _next_order(organisation, target.pk)
    for offset, child in enumerate(children):
        Theme.objects.filter(pk=child.pk).update(
            parent=target, order=order + offset, version=F("version") + 1
        )
        _log_change(
            child,
            actor,
            ThemeChange.Kind.MOVED,
            {"parent": source.code, "order": child.order},
            {"parent": target.code, "order": order + offset},
        )
    relations: dict[str, dict[str, int]] = {}
    for field in theme_foreign_keys():
        if (field.model._meta.label_lower, field.name) in MERGE_KEEPS:
            continue
        counts = _repoint(field, source, target)
        if counts["moved"] or counts["removed"]:
            relations[f"{field.model._meta.label_lower}.{field.name}"] = counts
    Theme.objects.filter(pk=target.pk).update(version=F("version") + 1)
    target.version += 1
    child_codes = [child.code for child in children]
    _log_change(
        source,
        actor,
        ThemeChange.Kind.MERGED,
        {"merged_into": None},
        {"merged_into": target.code, "relations": relations, "children": child_codes},
    )
    _log_change(
        target,
        actor,
        ThemeChange.Kind.RECEIVED,
        {},
        {"from": source.code, "relations": relations, "children": child_codes},
    )
    record(
        "theme.merged",
        actor=actor,
        organisation=organisation,
        obj=source,
        fields=["merged_into"],
    )
    return MergeResult(source=source, target=target, relations=relations, children=child_codes)


# Reading the codebook -----------------------------------------------------------------------


def codebook_tree(themes: Iterable[Theme]) -> list[ThemeNode]:
    """The shown (neither hidden nor merged) themes as a tree in order. A theme whose parent
    is not shown is listed at the top, so that nothing shown is lost."""
    shown = [t for t in themes if not t.hidden and t.merged_into_id is None]
    ids = {t.pk for t in shown}
    below: dict[int | None, list[Theme]] = {}
    for theme in sorted(shown, key=lambda t: (t.order, t.pk)):
        parent = theme.parent_id if theme.parent_id in ids else None
        below.setdefault(parent, []).append(theme)

    def nodes(parent: int | None, level: int) -> list[ThemeNode]:
        items = below.get(parent, []) if level <= CODEBOOK_LEVELS + 1 else []
        return [
            ThemeNode(
                theme=theme,
                children=nodes(theme.pk, level + 1),
                level=level,
                first=index == 0,
                last=index == len(items) - 1,
            )
            for index, theme in enumerate(items)
        ]

    return nodes(None, 1)


def theme_paths(themes: Iterable[Theme]) -> dict[int, str]:
    """{id: "Main theme › Sub-theme"} in the active language, for pick-lists."""
    by_id = {theme.pk: theme for theme in themes}
    paths: dict[int, str] = {}
    for theme in by_id.values():
        names, node, steps = [], theme, 0
        while node is not None and steps <= CODEBOOK_LEVELS:
            names.append(node.label)
            node, steps = by_id.get(node.parent_id) if node.parent_id else None, steps + 1
        paths[theme.pk] = " › ".join(reversed(names))
    return paths


def offered_theme_codes(organisation: Organisation, codes: Iterable[str]) -> list[str]:
    """Codes (say, a suggestion model's, trained before a merge) as the codebook has them
    now: a merged theme's code becomes its target's, hidden and unknown codes are dropped,
    the order is kept and duplicates removed."""
    themes = {
        theme.code: theme
        for theme in Theme.objects.filter(organisation=organisation).select_related("merged_into")
    }
    result: list[str] = []
    for code in codes:
        theme = themes.get(code)
        if theme is not None and theme.merged_into is not None:
            theme = theme.merged_into
        if theme is None or theme.hidden or theme.merged_into_id is not None:
            continue
        if theme.code not in result:
            result.append(theme.code)
    return result

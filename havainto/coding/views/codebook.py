"""The theme codebook: the tree, adding, editing, moving, reordering, hiding, merging, and
each theme's history."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from havainto.accounts.models import Organisation
from havainto.coding import services
from havainto.coding.access import SETTINGS_ROLES, can_read_texts, get_organisation_for_codebook
from havainto.coding.forms import (
    NewThemeForm,
    ThemeEditForm,
    ThemeMergeForm,
    ThemeOrderForm,
    ThemePlaceForm,
    ThemeVisibilityForm,
)
from havainto.coding.models import ReportTheme, Theme, ThemeChange
from havainto.coding.views._common import _data, _nav
from havainto.core.i18n import CONTENT_LANGUAGES, active_language

# --- Codebook ------------------------------------------------------------------------------
# Every member of the workspace reads the codebook (labels, descriptions and report counts,
# never report texts); coordinators and organisation admins change it. Themes are never
# deleted: a merged theme keeps its page, which points to the theme it was merged into.

LANGUAGE_NAMES = {
    "fi": gettext_lazy("Finnish"),
    "sv": gettext_lazy("Swedish"),
    "en": gettext_lazy("English"),
}


def _can_edit_codebook(roles: set[str]) -> bool:
    return bool(roles & SETTINGS_ROLES)


def _theme_or_404(organisation: Organisation, pk: int) -> Theme:
    return get_object_or_404(
        Theme.objects.select_related("parent", "merged_into"), pk=pk, organisation=organisation
    )


def _merged_redirect(
    request: HttpRequest, organisation: Organisation, theme: Theme
) -> HttpResponse:
    messages.info(
        request,
        _("“%(theme)s” has been merged into “%(target)s” and can no longer be changed.")
        % {"theme": theme.label, "target": theme.merged_into.label if theme.merged_into else ""},
    )
    return redirect("coding:theme-history", organisation.slug, theme.pk)


def _with_labels(theme: Theme) -> Theme:
    """Mark the label in the user's language (or the first there is) and the others."""
    active = active_language()
    order = [active] + [lang for lang in CONTENT_LANGUAGES if lang != active]
    shown = next((lang for lang in order if getattr(theme, f"label_{lang}")), "fi")
    theme.shown_lang = shown  # type: ignore[attr-defined]
    theme.other_labels = [  # type: ignore[attr-defined]
        (lang, LANGUAGE_NAMES[lang], getattr(theme, f"label_{lang}"))
        for lang in CONTENT_LANGUAGES
        if lang != shown
    ]
    return theme


@login_required
@require_GET
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug)
    themes = [
        _with_labels(theme)
        for theme in Theme.objects.filter(organisation=organisation)
        .select_related("merged_into")
        .order_by("order", "id")
    ]
    # Counted on the (theme, report) index alone, apart from the themes: a GROUP BY over the
    # joined theme rows took about a second on SQLite with 100 000 coded reports.
    counts = dict(
        ReportTheme.objects.filter(theme_id__in=[theme.pk for theme in themes])
        .values("theme_id")
        .annotate(count=Count("id"))
        .values_list("theme_id", "count")
        .order_by()
    )
    for theme in themes:
        theme.report_count = counts.get(theme.pk, 0)  # type: ignore[attr-defined]
    paths = services.theme_paths(themes)
    return render(
        request,
        "coding/codebook_list.html",
        {
            "organisation": organisation,
            "tree": services.codebook_tree(themes),
            "hidden_themes": [
                (theme, paths[theme.pk])
                for theme in themes
                if theme.hidden and theme.merged_into_id is None
            ],
            "merged_themes": [theme for theme in themes if theme.merged_into_id is not None],
            "can_edit": _can_edit_codebook(roles),
            "levels": services.CODEBOOK_LEVELS,
            # Counts link to the inbox only for those who may read the reports.
            "can_open_reports": can_read_texts(request.user, organisation, roles),
            **_nav(roles),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    parent = request.GET.get("parent", "")
    form = NewThemeForm(
        _data(request),
        organisation=organisation,
        initial={"parent": parent if parent.isdigit() else None},
    )
    if form.is_bound and form.is_valid():
        try:
            theme = services.create_theme(
                actor=request.user,
                organisation=organisation,
                code=form.cleaned_data["code"],
                values=form.texts(),
                parent=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            fields = {"taken": "code", "invalid": "code", "required": "label_fi"}
            form.add_error(fields.get(str(error.code), "parent"), error)
        else:
            messages.success(
                request, _("The theme “%(theme)s” was added.") % {"theme": theme.label}
            )
            return redirect("coding:codebook", organisation.slug)
    return render(
        request,
        "coding/theme_form.html",
        {"organisation": organisation, "form": form, **_nav(roles)},
        status=400 if form.is_bound else 200,
    )


def _display(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Theme):
        return value.label
    return str(value)


def _conflict_rows(form: forms.Form, current: Theme) -> list[tuple[str, str, str]]:
    """(field, saved meanwhile, your input) for the fields of the form that was not saved."""
    yours = getattr(form, "cleaned_data", {})
    return [
        (
            str(field.label or name),
            _display(getattr(current, name, None)),
            _display(yours.get(name)),
        )
        for name, field in form.fields.items()
        if name != "version"
    ]


def _retry(form: forms.Form, current: Theme, **kwargs: Any) -> forms.Form:
    """The user's input again, with the version now saved, to decide again."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(current.version)
    retry = type(form)(data, **kwargs)
    retry.is_valid()
    return retry


def _render_theme_edit(
    request: HttpRequest,
    organisation: Organisation,
    theme: Theme,
    roles: set[str],
    *,
    bound: dict[str, forms.Form] | None = None,
    conflict: list[tuple[str, str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    version = {"version": theme.version}
    texts = {name: getattr(theme, name) for name in services.THEME_TEXT_FIELDS}
    context: dict[str, Any] = {
        "organisation": organisation,
        "theme": theme,
        "report_count": theme.report_themes.count(),
        "children": Theme.objects.current().filter(parent=theme),
        "texts_form": ThemeEditForm(initial={**version, **texts}),
        "place_form": ThemePlaceForm(initial={**version, "parent": theme.parent_id}, theme=theme),
        "visibility_form": ThemeVisibilityForm(initial=version),
        "conflict": conflict,
        **_nav(roles),
    }
    context.update(bound or {})
    return render(request, "coding/theme_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    if request.method == "GET":
        return _render_theme_edit(request, organisation, theme, roles)
    form = ThemeEditForm(request.POST)
    if form.is_valid():
        try:
            services.update_theme(
                actor=request.user,
                theme=theme,
                expected_version=form.cleaned_data["version"],
                values=form.texts(),
            )
        except services.ThemeConflict as conflict:
            return _render_theme_edit(
                request,
                organisation,
                conflict.current,
                roles,
                bound={"texts_form": _retry(form, conflict.current)},
                conflict=_conflict_rows(form, conflict.current),
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The theme was saved."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"texts_form": form}, status=400
    )


@login_required
@require_POST
def theme_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemePlaceForm(request.POST, theme=theme)
    if form.is_valid():
        try:
            services.move_theme(
                actor=request.user,
                theme=theme,
                expected_version=form.cleaned_data["version"],
                parent=form.cleaned_data["parent"],
            )
        except services.ThemeConflict as conflict:
            current = conflict.current
            return _render_theme_edit(
                request,
                organisation,
                current,
                roles,
                bound={"place_form": _retry(form, current, theme=current)},
                conflict=_conflict_rows(form, current),
                status=409,
            )
        except ValidationError as error:
            form.add_error("parent", error)
        else:
            messages.success(request, _("The theme was moved."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"place_form": form}, status=400
    )


@login_required
@require_POST
def theme_visibility(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeVisibilityForm(request.POST)
    if form.is_valid():
        change = services.hide_theme if form.cleaned_data["hidden"] else services.show_theme
        try:
            change(actor=request.user, theme=theme, expected_version=form.cleaned_data["version"])
        except services.ThemeConflict as conflict:
            current = conflict.current
            return _render_theme_edit(
                request,
                organisation,
                current,
                roles,
                bound={"visibility_form": _retry(form, current)},
                conflict=_conflict_rows(form, current),
                status=409,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["hidden"]:
                messages.success(request, _("The theme was hidden."))
            else:
                messages.success(request, _("The theme is shown again."))
            return redirect("coding:codebook", organisation.slug)
    return _render_theme_edit(
        request, organisation, theme, roles, bound={"visibility_form": form}, status=400
    )


@login_required
@require_POST
def theme_order(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The move up / move down buttons of the codebook list."""
    organisation, _roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeOrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The order was not changed. Reload the page and try again."))
        return redirect("coding:codebook", organisation.slug)
    try:
        services.reorder_theme(
            actor=request.user,
            theme=theme,
            expected_version=form.cleaned_data["version"],
            direction=form.cleaned_data["direction"],
        )
    except services.ThemeConflict:
        messages.error(
            request,
            _(
                "The order was not changed: someone else changed “%(theme)s” meanwhile. Check "
                "the list below and try again."
            )
            % {"theme": theme.label},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The order was changed."))
    return redirect(f"{reverse('coding:codebook', args=[organisation.slug])}#theme-{theme.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def theme_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug, write=True)
    theme = _theme_or_404(organisation, pk)
    if theme.is_merged:
        return _merged_redirect(request, organisation, theme)
    form = ThemeMergeForm(_data(request), theme=theme, initial={"version": theme.version})
    status = 400 if form.is_bound else 200
    conflict = False
    if form.is_bound and form.is_valid():
        try:
            result = services.merge_themes(
                actor=request.user,
                theme=theme,
                into=form.cleaned_data["into"],
                expected_version=form.cleaned_data["version"],
            )
        except services.ThemeConflict as error:
            theme, conflict, status = error.current, True, 409
            form = _retry(form, theme, theme=theme)
        except ValidationError as error:
            form.add_error("into", error)
        else:
            messages.success(
                request,
                _(
                    "“%(source)s” was merged into “%(target)s”. Reports moved: %(moved)s; "
                    "reports that already had it: %(both)s."
                )
                % {
                    "source": result.source.label,
                    "target": result.target.label,
                    "moved": result.reports_moved,
                    "both": result.reports_had_both,
                },
            )
            return redirect("coding:codebook", organisation.slug)
    return render(
        request,
        "coding/theme_merge.html",
        {
            "organisation": organisation,
            "theme": theme,
            "report_count": theme.report_themes.count(),
            "children": Theme.objects.current().filter(parent=theme),
            "form": form,
            "conflict": conflict,
            **_nav(roles),
        },
        status=status,
    )


def _parent_name(code: str | None, names: dict[str, str]) -> str:
    if not code:
        return _("None: a main theme")
    return names.get(code, code)


def _relation_counts(after: dict[str, Any]) -> str:
    counts = (after.get("relations") or {}).get(services.REPORT_THEMES, {})
    return _("Reports moved: %(moved)s; reports that already had it: %(both)s.") % {
        "moved": counts.get("moved", 0),
        "both": counts.get("removed", 0),
    }


def _describe_change(change: ThemeChange, names: dict[str, str]) -> list[str]:
    """The change as sentences for the history page."""
    before, after = change.before or {}, change.after or {}
    kind = ThemeChange.Kind
    field_label = {
        name: str(capfirst(Theme._meta.get_field(name).verbose_name))
        for name in (*services.THEME_TEXT_FIELDS, "parent")
    }
    if change.kind == kind.CREATED:
        lines = [f"{_('Code')}: {after.get('code', '')}"]
        lines += [
            f"{field_label[name]}: {after[name]}"
            for name in services.THEME_TEXT_FIELDS
            if after.get(name)
        ]
        return [*lines, f"{field_label['parent']}: {_parent_name(after.get('parent'), names)}"]
    if change.kind == kind.RENAMED:
        return [
            _("%(field)s: “%(before)s” → “%(after)s”")
            % {"field": field_label.get(name, name), "before": before.get(name), "after": value}
            for name, value in after.items()
        ]
    if change.kind == kind.MOVED:
        return [
            _("%(field)s: “%(before)s” → “%(after)s”")
            % {
                "field": field_label["parent"],
                "before": _parent_name(before.get("parent"), names),
                "after": _parent_name(after.get("parent"), names),
            }
        ]
    if change.kind == kind.REORDERED:
        return [
            _("Position among its sibling themes: %(before)s → %(after)s")
            % {"before": (before.get("order") or 0) + 1, "after": (after.get("order") or 0) + 1}
        ]
    lines: list[str] = []
    if change.kind == kind.MERGED:
        target = after.get("merged_into") or ""
        lines = [_("Merged into “%(theme)s”.") % {"theme": names.get(target, target)}]
    elif change.kind == kind.RECEIVED:
        source = after.get("from") or ""
        lines = [
            _("“%(theme)s” was merged into this theme.") % {"theme": names.get(source, source)}
        ]
    if change.kind in (kind.MERGED, kind.RECEIVED):
        lines.append(_relation_counts(after))
        if after.get("children"):
            children = ", ".join(names.get(code, code) for code in after["children"])
            lines.append(_("Sub-themes moved: %(themes)s") % {"themes": children})
    return lines


@login_required
@require_GET
def theme_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation, roles = get_organisation_for_codebook(request.user, slug)
    theme = _with_labels(_theme_or_404(organisation, pk))
    names = {t.code: t.label for t in Theme.objects.filter(organisation=organisation)}
    return render(
        request,
        "coding/theme_history.html",
        {
            "organisation": organisation,
            "theme": theme,
            "report_count": theme.report_themes.count(),
            "children": Theme.objects.current().filter(parent=theme),
            "merged_from": theme.merged_from.all(),
            "changes": [
                (change, _describe_change(change, names))
                for change in theme.changes.select_related("actor")
            ],
            "can_edit": _can_edit_codebook(roles),
            **_nav(roles),
        },
    )

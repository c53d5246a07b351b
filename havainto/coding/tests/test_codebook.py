"""The theme codebook: creating, renaming, moving, reordering, hiding and merging themes,
with history rows, audit rows and version checks; who may see and change it; hostile input;
and how the rest of the workspace treats hidden and merged themes."""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client
from django.utils import translation

from havainto.accounts.models import Organisation
from havainto.analysis.suggestions import codebook, codebook_themes
from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.forms import InboxFilterForm, ThemesForm
from havainto.coding.models import ReportTheme, Theme, ThemeChange
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db

TEXTS = {
    "label_fi": "Lapsiperheiden asumisen ahdinko",
    "label_sv": "Barnfamiljers boendekris",
    "label_en": "",
    "description_fi": "Vuokrat, häädöt ja ahtaat asunnot.",
    "description_sv": "",
    "description_en": "",
}


def theme(org: Organisation, code: str) -> Theme:
    return Theme.objects.get(organisation=org, code=code)


def new_theme(
    org: Organisation, code: str, parent: Theme | None = None, actor: Any = None
) -> Theme:
    return services.create_theme(
        actor=actor,
        organisation=org,
        code=code,
        values={**TEXTS, "label_fi": f"Teema {code}"},
        parent=parent,
    )


def give(report: Report, *themes: Theme) -> None:
    for item in themes:
        ReportTheme.objects.create(report=report, theme=item)


def codes_of(report: Report) -> set[str]:
    return set(ReportTheme.objects.filter(report=report).values_list("theme__code", flat=True))


def kinds(item: Theme) -> list[str]:
    return list(item.changes.order_by("id").values_list("kind", flat=True))


def audit_actions(org: Organisation, prefix: str = "theme.") -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=org, action__startswith=prefix)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Services ----------------------------------------------------------------------------


def test_create_theme__adds_it_last_under_its_parent_with_history_and_audit(
    org: Organisation, coordinator: Any
) -> None:
    parent = theme(org, "housing_costs")
    first = new_theme(org, "evictions", parent, coordinator)
    second = new_theme(org, "crowding", parent, coordinator)

    assert (first.parent, first.order, second.order) == (parent, 0, 1)
    change = first.changes.get()
    assert change.kind == ThemeChange.Kind.CREATED and change.actor == coordinator
    assert change.after["code"] == "evictions" and change.after["parent"] == "housing_costs"
    assert audit_actions(org) == ["theme.created", "theme.created"]


def test_create_theme__refuses_a_taken_code_also_of_a_merged_theme(org: Organisation) -> None:
    old = new_theme(org, "old_code")
    services.merge_themes(
        actor=None, theme=old, into=theme(org, "debt"), expected_version=old.version
    )
    with pytest.raises(ValidationError) as error:
        new_theme(org, "old_code")
    assert error.value.code == "taken"
    assert Theme.objects.filter(organisation=org, code="old_code").count() == 1


def test_update_theme__renames_with_before_and_after_and_a_new_version(
    org: Organisation, coordinator: Any
) -> None:
    item = theme(org, "debt")
    old_label, old_description = item.label_fi, item.description_fi
    values = {name: getattr(item, name) for name in services.THEME_TEXT_FIELDS}

    unchanged = services.update_theme(
        actor=coordinator, theme=item, expected_version=1, values=values
    )
    assert unchanged.version == 1 and not item.changes.exists()  # nothing to save

    saved = services.update_theme(
        actor=coordinator,
        theme=item,
        expected_version=1,
        values={**values, "label_fi": "Velkaantuminen", "description_fi": "Pikavipit."},
    )
    item.refresh_from_db()
    assert (item.label_fi, item.description_fi, item.version) == ("Velkaantuminen", "Pikavipit.", 2)
    assert saved.version == 2
    change = item.changes.get()
    assert change.kind == ThemeChange.Kind.RENAMED
    assert change.before == {"label_fi": old_label, "description_fi": old_description}
    assert change.after == {"label_fi": "Velkaantuminen", "description_fi": "Pikavipit."}
    event = AuditEvent.objects.get(action="theme.changed")
    assert event.fields == ["description_fi", "label_fi"] and event.object_id == str(item.pk)


def test_update_theme__from_a_stale_version_is_a_conflict_and_saves_nothing(
    org: Organisation, coordinator: Any
) -> None:
    item = theme(org, "debt")
    values = {name: getattr(item, name) for name in services.THEME_TEXT_FIELDS}
    services.update_theme(
        actor=coordinator, theme=item, expected_version=1, values={**values, "label_fi": "Eka"}
    )
    with pytest.raises(services.ThemeConflict) as conflict:
        services.update_theme(
            actor=coordinator, theme=item, expected_version=1, values={**values, "label_fi": "Toka"}
        )
    assert conflict.value.current.label_fi == "Eka"
    item.refresh_from_db()
    assert (item.label_fi, item.version, item.changes.count()) == ("Eka", 2, 1)


def test_move_theme__refuses_cycles_and_a_fourth_level_with_a_clear_message(
    org: Organisation, coordinator: Any
) -> None:
    top = theme(org, "housing_costs")
    middle = new_theme(org, "rents", top)
    bottom = new_theme(org, "deposits", middle)

    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.move_theme(actor=coordinator, theme=top, expected_version=1, parent=bottom)
    assert error.value.code == "cycle"  # under its own grandchild
    assert "under one of its own sub-themes" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:  # under itself
        services.move_theme(actor=coordinator, theme=top, expected_version=1, parent=top)
    assert error.value.code == "cycle"

    other = theme(org, "debt")
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.move_theme(actor=coordinator, theme=other, expected_version=1, parent=bottom)
    assert error.value.code == "too_deep"  # a fourth level
    assert "at most three levels" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:  # a two-level branch under a sub-theme
        services.move_theme(
            actor=coordinator, theme=middle, expected_version=1, parent=new_theme(org, "x", other)
        )
    assert error.value.code == "too_deep"

    for item in (top, middle, bottom):
        before = item.parent_id
        item.refresh_from_db()
        assert item.parent_id == before and not item.changes.filter(kind="moved").exists()


def test_move_theme__to_another_parent_and_to_the_top_level(
    org: Organisation, coordinator: Any
) -> None:
    parent = theme(org, "housing_costs")
    item = theme(org, "homelessness")
    moved = services.move_theme(actor=coordinator, theme=item, expected_version=1, parent=parent)
    assert moved.parent == parent and moved.version == 2
    top = services.move_theme(actor=coordinator, theme=item, expected_version=2, parent=None)
    assert top.parent_id is None
    changes = list(item.changes.order_by("id"))
    assert [c.after["parent"] for c in changes] == ["housing_costs", None]
    assert changes[0].before["parent"] is None
    assert audit_actions(org) == ["theme.moved", "theme.moved"]


def test_move_theme__refuses_a_hidden_parent(org: Organisation, coordinator: Any) -> None:
    parent = services.hide_theme(actor=coordinator, theme=theme(org, "debt"), expected_version=1)
    with pytest.raises(ValidationError) as error:
        services.move_theme(
            actor=coordinator, theme=theme(org, "homelessness"), expected_version=1, parent=parent
        )
    assert error.value.code == "parent_not_in_use"


def test_reorder_theme__swaps_with_its_neighbour_and_stops_at_the_ends(
    org: Organisation, coordinator: Any
) -> None:
    top_codes = lambda: [  # noqa: E731
        t.code for t in Theme.objects.offered().filter(organisation=org, parent=None)
    ]
    first, second = top_codes()[:2]
    services.reorder_theme(
        actor=coordinator, theme=theme(org, second), expected_version=1, direction="up"
    )
    assert top_codes()[:2] == [second, first]
    change = theme(org, second).changes.get()
    assert (change.kind, change.before, change.after) == ("reordered", {"order": 1}, {"order": 0})

    with pytest.raises(ValidationError) as error:
        services.reorder_theme(
            actor=coordinator, theme=theme(org, second), expected_version=2, direction="up"
        )
    assert error.value.code == "edge"
    with pytest.raises(services.ThemeConflict):
        services.reorder_theme(
            actor=coordinator, theme=theme(org, second), expected_version=1, direction="down"
        )


def test_hidden_theme__is_not_offered_but_its_reports_keep_it(
    org: Organisation, coordinator: Any, make_report: Callable[..., Report]
) -> None:
    carrying, other = make_report(org), make_report(org)
    debt = theme(org, "debt")
    give(carrying, debt)
    services.hide_theme(actor=coordinator, theme=debt, expected_version=1)

    # Not offered for a report without it; still there (and kept on save) for one with it.
    assert "debt" not in offered_codes(ThemesForm(organisation=org, report=other))
    assert "debt" in offered_codes(ThemesForm(organisation=org, report=carrying))
    form = ThemesForm(
        {"themes-version": 1, "themes-themes": [debt.pk]}, organisation=org, report=other
    )
    assert not form.is_valid() and "themes" in form.errors
    form = ThemesForm(
        {"themes-version": 1, "themes-themes": [debt.pk]}, organisation=org, report=carrying
    )
    assert form.is_valid()
    services.set_report_themes(
        actor=coordinator, report=carrying, expected_version=1, themes=form.cleaned_data["themes"]
    )
    assert codes_of(carrying) == {"debt"}
    with pytest.raises(ValueError, match="hidden"):
        services.set_report_themes(
            actor=coordinator, report=other, expected_version=1, themes=[debt]
        )
    assert "debt" not in {entry.code for entry in suggestion_codebook(org)}
    assert services.offered_theme_codes(org, ["debt", "homelessness"]) == ["homelessness"]
    assert kinds(debt) == ["hidden"] and audit_actions(org) == ["theme.hidden"]


def offered_codes(form: Any) -> set[str]:
    """The codes of the themes a ThemesForm lists (its checkboxes)."""
    ids = [int(str(value)) for value, _label in form.fields["themes"].choices]
    return set(Theme.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_hide_and_show__keep_the_tree_whole(org: Organisation, coordinator: Any) -> None:
    parent = theme(org, "housing_costs")
    child = new_theme(org, "rents", parent)
    with pytest.raises(ValidationError) as error:
        services.hide_theme(actor=coordinator, theme=parent, expected_version=1)
    assert error.value.code == "has_children"

    child = services.hide_theme(actor=coordinator, theme=child, expected_version=1)
    parent = services.hide_theme(actor=coordinator, theme=parent, expected_version=1)
    with pytest.raises(ValidationError) as error:
        services.show_theme(actor=coordinator, theme=child, expected_version=child.version)
    assert error.value.code == "parent_hidden"
    services.show_theme(actor=coordinator, theme=parent, expected_version=parent.version)
    services.show_theme(actor=coordinator, theme=child, expected_version=child.version)
    assert kinds(child) == ["created", "hidden", "shown"]


def test_merge__moves_every_report_without_duplicates_and_keeps_a_merged_record(
    org: Organisation, coordinator: Any, make_report: Callable[..., Report]
) -> None:
    source, target = theme(org, "housing_costs"), theme(org, "homelessness")
    only_source, both, only_target = make_report(org), make_report(org), make_report(org)
    give(only_source, source)
    give(both, source, target)
    give(only_target, target, theme(org, "debt"))
    child = new_theme(org, "rents", source)
    grandchild = new_theme(org, "deposits", child)
    existing = new_theme(org, "shelters", target)

    result = services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)

    assert (result.reports_moved, result.reports_had_both) == (1, 1)
    assert codes_of(only_source) == {"homelessness"}
    assert codes_of(both) == {"homelessness"}
    assert codes_of(only_target) == {"homelessness", "debt"}
    assert not ReportTheme.objects.filter(theme=source).exists()
    assert ReportTheme.objects.filter(theme=target).count() == 3

    source.refresh_from_db()
    target.refresh_from_db()
    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert source.merged_into == target and source.version == 2 and target.version == 2
    assert child.parent == target and child.order > existing.order and child.version == 2
    assert grandchild.parent == child  # the branch moves whole
    assert source.code == "housing_costs" and source.label_fi  # the record resolves

    assert kinds(source) == ["merged"]
    merged = source.changes.get()
    assert merged.after["merged_into"] == "homelessness"
    assert merged.after["relations"][services.REPORT_THEMES] == {"moved": 1, "removed": 1}
    assert merged.after["children"] == ["rents"]
    assert kinds(target)[-1] == "received"
    assert target.changes.get(kind="received").after["from"] == "housing_costs"
    moved = child.changes.get(kind="moved")
    assert (moved.before["parent"], moved.after["parent"]) == ("housing_costs", "homelessness")
    assert "theme.merged" in audit_actions(org)

    # No longer offered or suggested, anywhere.
    assert not Theme.objects.offered().filter(pk=source.pk).exists()
    assert "housing_costs" not in {e.code for e in suggestion_codebook(org)}
    assert services.offered_theme_codes(org, ["housing_costs", "homelessness"]) == ["homelessness"]
    assert source.pk not in {
        int(str(value)) for value, _label in ThemesForm(organisation=org).fields["themes"].choices
    }
    place_choices = [
        str(v)
        for v, _l in InboxFilterForm(None, organisation=org, states=[]).fields["theme"].choices
    ]
    assert "housing_costs" not in place_choices and "homelessness" in place_choices


def test_merge__into_a_theme_below_it_puts_that_theme_in_its_place(
    org: Organisation, coordinator: Any
) -> None:
    top = theme(org, "housing_costs")
    child = new_theme(org, "rents", top)
    sibling = new_theme(org, "deposits", top)
    services.merge_themes(actor=coordinator, theme=top, into=child, expected_version=1)
    child.refresh_from_db()
    sibling.refresh_from_db()
    assert child.parent_id is None and child.order == top.order
    assert sibling.parent == child
    assert kinds(child) == ["created", "moved", "received"]


def test_merge__refuses_a_fourth_level_and_changes_nothing(
    org: Organisation, coordinator: Any, make_report: Callable[..., Report]
) -> None:
    source = theme(org, "housing_costs")
    child = new_theme(org, "rents", source)
    new_theme(org, "deposits", child)
    target = new_theme(org, "shelters", theme(org, "homelessness"))
    report = make_report(org)
    give(report, source)
    with pytest.raises(ValidationError) as error:
        services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)
    assert error.value.code == "too_deep"
    source.refresh_from_db()
    assert source.merged_into_id is None and codes_of(report) == {"housing_costs"}


def test_merge__checks_the_version_and_the_target(org: Organisation, coordinator: Any) -> None:
    source, target = theme(org, "housing_costs"), theme(org, "homelessness")
    with pytest.raises(services.ThemeConflict):
        services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=7)
    hidden = services.hide_theme(actor=coordinator, theme=theme(org, "debt"), expected_version=1)
    with pytest.raises(ValidationError) as error:
        services.merge_themes(actor=coordinator, theme=source, into=hidden, expected_version=1)
    assert error.value.code == "target_not_in_use"
    with pytest.raises(ValidationError):
        services.merge_themes(actor=coordinator, theme=source, into=source, expected_version=1)
    services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)
    target.refresh_from_db()
    with pytest.raises(ValidationError) as error:  # merging into a merged theme
        services.merge_themes(
            actor=coordinator, theme=target, into=source, expected_version=target.version
        )
    assert error.value.code == "target_not_in_use"
    with pytest.raises(ValidationError) as error:  # changing a merged theme
        services.update_theme(actor=coordinator, theme=source, expected_version=2, values=TEXTS)
    assert error.value.code == "merged"


def test_merge__themes_merged_earlier_point_at_the_new_target(
    org: Organisation, coordinator: Any
) -> None:
    first, second, third = (
        theme(org, "debt"),
        theme(org, "housing_costs"),
        theme(org, "homelessness"),
    )
    services.merge_themes(actor=coordinator, theme=first, into=second, expected_version=1)
    # The first merge changed the second theme (it received the reports): version 2.
    services.merge_themes(actor=coordinator, theme=second, into=third, expected_version=2)
    first.refresh_from_db()
    assert first.merged_into == third  # one step from any old code to the theme in use
    assert services.offered_theme_codes(org, ["debt"]) == ["homelessness"]


def test_a_form_opened_before_a_merge__saves_the_target(
    org: Organisation, coordinator: Any, report: Report
) -> None:
    source, target = theme(org, "debt"), theme(org, "homelessness")
    data = {"themes-version": 1, "themes-themes": [source.pk]}
    services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)
    form = ThemesForm(data, organisation=org, report=report)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["themes"] == [target]


def test_inbox_filter__by_a_merged_theme_finds_the_reports_under_its_target(
    org: Organisation, coordinator: Any, make_report: Callable[..., Report], client_for: Any
) -> None:
    source, target = theme(org, "debt"), theme(org, "homelessness")
    old = make_report(org, title="Ennen yhdistämistä koodattu")
    new = make_report(org, title="Kohdeteemalla koodattu")
    unrelated = make_report(org, title="Ei kummallakaan teemalla")
    give(old, source)
    give(new, target)
    services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)

    page = client_for(coordinator).get("/o/alpha/inbox/", {"theme": "debt"})
    assert page.status_code == 200
    content = page.content.decode()
    assert old.title in content and new.title in content and unrelated.title not in content
    assert '<option value="homelessness" selected>' in content
    assert '<option value="debt"' not in content


# --- The merge moves every relation to Theme, also those it does not know -----------------


@pytest.fixture
def probe_models(transactional_db: None) -> Iterator[dict[str, type[models.Model]]]:
    """Models that other apps might add: a hidden foreign key (related_name="+"), a hidden
    many-to-many field, a unique pair, and a one-to-one field. Registered and created for
    this test only, then dropped and unregistered."""

    class ProbeQuote(models.Model):  # noqa: DJ008
        theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
        Meta = type("Meta", (), {"app_label": "coding"})

    class ProbePhenomenon(models.Model):  # noqa: DJ008
        themes = models.ManyToManyField(Theme, related_name="+")
        Meta = type("Meta", (), {"app_label": "coding"})

    class ProbeDecision(models.Model):  # noqa: DJ008
        report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
        theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="probe_decisions")
        Meta = type("Meta", (), {"app_label": "coding", "unique_together": [("report", "theme")]})

    class ProbeProfile(models.Model):  # noqa: DJ008
        theme = models.OneToOneField(Theme, on_delete=models.CASCADE, related_name="+")
        Meta = type("Meta", (), {"app_label": "coding"})

    made = [ProbeQuote, ProbePhenomenon, ProbeDecision, ProbeProfile]
    through = ProbePhenomenon.themes.through
    with connection.schema_editor() as editor:
        for model in made:
            editor.create_model(model)
    try:
        yield {model.__name__: model for model in made}
    finally:
        with connection.schema_editor() as editor:
            for model in reversed(made):
                editor.delete_model(model)
        registered = apps.all_models["coding"]
        for model in [*made, through]:
            registered.pop(model._meta.model_name, None)
        apps.clear_cache()
        Theme._meta._expire_cache()


def test_merge__moves_rows_of_models_it_does_not_know(
    probe_models: dict[str, Any],
    org: Organisation,
    coordinator: Any,
    make_report: Callable[..., Report],
) -> None:
    quote_model, phenomenon_model = probe_models["ProbeQuote"], probe_models["ProbePhenomenon"]
    decision_model, profile_model = probe_models["ProbeDecision"], probe_models["ProbeProfile"]
    source, target, other = (
        theme(org, "debt"),
        theme(org, "homelessness"),
        theme(org, "housing_costs"),
    )
    report, second = make_report(org), make_report(org)

    quote = quote_model.objects.create(theme=source)
    both, single = phenomenon_model.objects.create(), phenomenon_model.objects.create()
    both.themes.add(source, target)
    single.themes.add(source, other)
    decision_model.objects.create(report=report, theme=source)
    decision_model.objects.create(report=report, theme=target)
    decision_model.objects.create(report=second, theme=source)
    profile_model.objects.create(theme=source)
    profile_model.objects.create(theme=target)

    result = services.merge_themes(actor=coordinator, theme=source, into=target, expected_version=1)

    quote.refresh_from_db()
    assert quote.theme == target
    assert set(both.themes.all()) == {target}
    assert set(single.themes.all()) == {target, other}
    assert sorted(decision_model.objects.values_list("report_id", "theme_id")) == sorted(
        [(report.pk, target.pk), (second.pk, target.pk)]
    )
    assert list(profile_model.objects.values_list("theme_id", flat=True)) == [target.pk]
    assert result.relations["coding.probedecision.theme"] == {"moved": 1, "removed": 1}
    assert result.relations["coding.probephenomenon_themes.theme"] == {"moved": 1, "removed": 1}
    assert result.relations["coding.probequote.theme"] == {"moved": 1, "removed": 0}
    assert result.relations["coding.probeprofile.theme"] == {"moved": 0, "removed": 1}
    # The history stays with the merged theme.
    assert source.changes.filter(kind="merged").exists()


# --- Who may see and change the codebook ---------------------------------------------------


def codebook_urls(item: Theme) -> dict[str, str]:
    base = f"/o/{item.organisation.slug}/codebook"
    return {
        "codebook": f"{base}/",
        "history": f"{base}/{item.pk}/",
        "add": f"{base}/add/",
        "edit": f"{base}/{item.pk}/edit/",
        "merge": f"{base}/{item.pk}/merge/",
    }


POST_ONLY = ["move", "order", "visibility"]
READ = {"codebook": 200, "history": 200, "add": 403, "edit": 403, "merge": 403}
WRITE = dict.fromkeys(["codebook", "history", "add", "edit", "merge"], 200)
NONE = dict.fromkeys(["codebook", "history", "add", "edit", "merge"], 404)
EXPECTED = {
    "coordinator": WRITE,
    "org_admin": WRITE,
    "handler": READ,
    "reader": READ,
    "outsider": NONE,
    "reporter": NONE,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_every_codebook_url__answers_each_persona(
    persona: str, request: Any, org: Organisation, report: Report, client_for: Any, other_org: Any
) -> None:
    give(report, theme(org, "debt"))
    client = client_for(request.getfixturevalue(persona))
    item = theme(org, "debt")
    for name, path in codebook_urls(item).items():
        response = client.get(path)
        assert response.status_code == EXPECTED[persona][name], (persona, name)
        assert report.title.encode() not in response.content  # never report texts
    for action in POST_ONLY:
        response = client.post(f"/o/alpha/codebook/{item.pk}/{action}/", {})
        expected = {200: {"order": 302}.get(action, 400), 403: 403, 404: 404}
        assert response.status_code == expected[EXPECTED[persona]["edit"]], (persona, action)
    item.refresh_from_db()
    assert item.version == 1 and not item.changes.exists()


def test_codebook_urls__send_anonymous_users_to_log_in(org: Organisation) -> None:
    item = theme(org, "debt")
    for path in codebook_urls(item).values():
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for action in POST_ONLY:
        response = Client().post(f"/o/alpha/codebook/{item.pk}/{action}/", {})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_organisations_theme__is_404_for_a_coordinator(
    org: Organisation, other_org: Organisation, coordinator: Any, client_for: Any
) -> None:
    foreign = theme(other_org, "debt")
    client = client_for(coordinator)
    for name in ("history", "edit", "merge"):
        path = codebook_urls(foreign)[name].replace("/o/beta/", "/o/alpha/")
        assert client.get(path).status_code == 404, name
    response = client.post(f"/o/alpha/codebook/{foreign.pk}/move/", {"place-version": 1})
    assert response.status_code == 404


def test_codebook_page__shows_the_tree_counts_and_the_hidden_and_merged_themes(
    org: Organisation,
    coordinator: Any,
    handler: Any,
    reader: Any,
    make_report: Callable[..., Report],
    client_for: Any,
) -> None:
    parent = theme(org, "housing_costs")
    child = new_theme(org, "evictions", parent)
    for _n in range(2):
        give(make_report(org), child)
    services.hide_theme(actor=coordinator, theme=theme(org, "debt"), expected_version=1)
    services.merge_themes(
        actor=coordinator,
        theme=theme(org, "homelessness"),
        into=theme(org, "housing_costs"),
        expected_version=1,
    )

    page = client_for(coordinator).get("/o/alpha/codebook/", HTTP_ACCEPT_LANGUAGE="en")
    tree, hidden_part = page.content.decode().split('id="hidden-title"')
    hidden_section, merged_section = hidden_part.split('id="merged-title"')
    assert f'id="theme-{child.pk}"' in tree and "Teema evictions" in tree
    assert tree.index(parent.label_en) < tree.index("Teema evictions")
    assert "<h4>" in tree  # the sub-theme is a level below its parent
    assert f'lang="en">{parent.label_en}</a>' in tree  # in the user's language
    assert f'lang="fi">{parent.label_fi}</span>' in tree  # and the others visible
    assert "2 reports" in tree
    assert theme(org, "debt").label_en in hidden_section
    assert theme(org, "debt").label_en not in tree
    assert theme(org, "homelessness").label_en in merged_section
    assert f"/o/alpha/codebook/{child.pk}/edit/" in tree  # coordinators edit
    assert "?theme=evictions" in tree  # and can open the reports

    for user in (handler, reader):
        page = client_for(user).get("/o/alpha/codebook/").content.decode()
        assert "Teema evictions" in page and "/edit/" not in page and "/order/" not in page
    # Readers without access to texts get no links to the reports.
    assert "?theme=evictions" not in client_for(reader).get("/o/alpha/codebook/").content.decode()


def test_workspace_nav__links_the_codebook(
    org: Organisation, coordinator: Any, client_for: Any
) -> None:
    page = client_for(coordinator).get("/o/alpha/inbox/").content.decode()
    assert 'href="/o/alpha/codebook/"' in page


# --- Through the views: changes, conflicts and hostile input -------------------------------


def test_coordinator__adds_renames_moves_reorders_hides_and_merges_through_the_views(
    org: Organisation, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    parent = theme(org, "housing_costs")
    response = client.post(
        "/o/alpha/codebook/add/", {"code": "evictions", "label_fi": "Häädöt", "parent": parent.pk}
    )
    assert response.status_code == 302
    item = theme(org, "evictions")
    assert item.parent == parent

    response = client.post(
        f"/o/alpha/codebook/{item.pk}/edit/",
        {
            "texts-version": 1,
            "texts-label_fi": "Häädöt ja häätöuhat",
            "texts-label_sv": "Vräkningar",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/move/", {"place-version": 2, "place-parent": ""}
    )
    assert response.status_code == 302
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/order/", {"order-version": 3, "order-direction": "up"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/visibility/",
        {"visibility-version": 4, "visibility-hidden": "1"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/merge/",
        {"merge-version": 5, "merge-into": parent.pk, "merge-confirm": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.label_fi, item.label_sv, item.parent_id, item.hidden) == (
        "Häädöt ja häätöuhat",
        "Vräkningar",
        None,
        True,
    )
    assert item.merged_into == parent
    assert kinds(item) == ["created", "renamed", "moved", "reordered", "hidden", "merged"]
    assert audit_actions(org) == [
        "theme.created",
        "theme.changed",
        "theme.moved",
        "theme.reordered",
        "theme.hidden",
        "theme.merged",
    ]
    history = client.get(f"/o/alpha/codebook/{item.pk}/").content.decode()
    assert "Häädöt ja häätöuhat" in history and f"/o/alpha/codebook/{parent.pk}/" in history
    # A merged theme can no longer be edited: its pages lead to its history.
    response = client.get(f"/o/alpha/codebook/{item.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/o/alpha/codebook/{item.pk}/"


def test_concurrent_edit__shows_a_conflict_and_keeps_the_first_save(
    org: Organisation, coordinator: Any, org_admin: Any, client_for: Any
) -> None:
    item = theme(org, "debt")
    first, second = client_for(coordinator), client_for(org_admin)
    assert (
        first.post(
            f"/o/alpha/codebook/{item.pk}/edit/", {"texts-version": 1, "texts-label_fi": "Velat"}
        ).status_code
        == 302
    )
    response = second.post(
        f"/o/alpha/codebook/{item.pk}/edit/", {"texts-version": 1, "texts-label_fi": "Pikavipit"}
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Velat" in content and "Pikavipit" in content  # theirs and yours
    assert 'name="texts-version" value="2"' in content  # the form to decide again
    item.refresh_from_db()
    assert item.label_fi == "Velat" and item.version == 2

    for action, data in (
        ("move", {"place-version": 1, "place-parent": ""}),
        ("visibility", {"visibility-version": 1, "visibility-hidden": "1"}),
        (
            "merge",
            {
                "merge-version": 1,
                "merge-into": theme(org, "homelessness").pk,
                "merge-confirm": "on",
            },
        ),
    ):
        response = second.post(f"/o/alpha/codebook/{item.pk}/{action}/", data)
        assert response.status_code == 409, action
    response = second.post(
        f"/o/alpha/codebook/{item.pk}/order/",
        {"order-version": 1, "order-direction": "down"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = second.get("/o/alpha/codebook/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The order was not changed: someone else changed" in page
    item.refresh_from_db()
    assert item.version == 2 and not item.hidden and item.merged_into_id is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "ok_code", "label_fi": "x" * 201}, "label_fi"),
        ({"code": "ok_code", "label_fi": "Hyvä", "label_sv": "y" * 201}, "label_sv"),
        ({"code": "ok_code", "label_fi": "Hyvä", "description_fi": "z" * 2_001}, "description_fi"),
        ({"code": "debt", "label_fi": "Tuplakoodi"}, "code"),
        ({"code": "Iso Koodi!", "label_fi": "Huono koodi"}, "code"),
        ({"code": "x" * 61, "label_fi": "Pitkä koodi"}, "code"),
        ({"code": "ok_code", "label_fi": "   "}, "label_fi"),
        ({"code": "ok_code", "label_fi": "Ohjausmerkki \x00"}, "label_fi"),
        ({"code": "ok_code", "label_fi": "Hyvä", "parent": "abc"}, "parent"),
        ({"code": "ok_code", "label_fi": "Hyvä", "parent": "999999"}, "parent"),
    ],
)
def test_hostile_input_when_adding__is_a_form_error_and_stores_nothing(
    org: Organisation, coordinator: Any, client_for: Any, data: dict[str, str], field: str
) -> None:
    before = Theme.objects.count()
    response = client_for(coordinator).post("/o/alpha/codebook/add/", data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Theme.objects.count() == before and not ThemeChange.objects.exists()


def test_a_parent_or_target_of_another_organisation__is_a_form_error(
    org: Organisation, other_org: Organisation, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    foreign = theme(other_org, "debt")
    item = theme(org, "debt")
    response = client.post(
        "/o/alpha/codebook/add/", {"code": "ok_code", "label_fi": "Hyvä", "parent": foreign.pk}
    )
    assert response.status_code == 400 and 'id="id_parent_error"' in response.content.decode()
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/move/", {"place-version": 1, "place-parent": foreign.pk}
    )
    assert response.status_code == 400 and 'id="id_place-parent_error"' in response.content.decode()
    response = client.post(
        f"/o/alpha/codebook/{item.pk}/merge/",
        {"merge-version": 1, "merge-into": foreign.pk, "merge-confirm": "on"},
    )
    assert response.status_code == 400 and 'id="id_merge-into_error"' in response.content.decode()
    assert not ThemeChange.objects.exists() and not ReportTheme.objects.exists()
    foreign.refresh_from_db()
    assert foreign.merged_into_id is None


def test_hostile_input_when_editing__is_a_form_error_and_stores_nothing(
    org: Organisation, coordinator: Any, client_for: Any
) -> None:
    client = client_for(coordinator)
    top = theme(org, "housing_costs")
    child = new_theme(org, "rents", top)
    cases = [
        ("edit", {"texts-version": 1, "texts-label_fi": "x" * 201}),
        ("edit", {"texts-version": "abc", "texts-label_fi": "Hyvä"}),
        ("edit", {"texts-version": 0, "texts-label_fi": "Hyvä"}),
        ("move", {"place-version": 1, "place-parent": child.pk}),  # a cycle
        ("move", {"place-version": 1, "place-parent": "1 OR 1=1"}),
        ("visibility", {"visibility-version": 1, "visibility-hidden": "maybe"}),
        ("visibility", {"visibility-version": 1, "visibility-hidden": "1"}),  # has a sub-theme
        ("merge", {"merge-version": 1, "merge-into": top.pk}),  # without confirming
        ("merge", {"merge-version": 1, "merge-into": "", "merge-confirm": "on"}),
    ]
    for action, data in cases:
        response = client.post(f"/o/alpha/codebook/{top.pk}/{action}/", data)
        assert response.status_code == 400, (action, data)
        assert b"error-summary" in response.content, (action, data)
    cycle = client.post(
        f"/o/alpha/codebook/{top.pk}/move/",
        {"place-version": 1, "place-parent": child.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "under one of its own sub-themes" in cycle.content.decode()
    response = client.post(
        f"/o/alpha/codebook/{top.pk}/order/", {"order-version": 1, "order-direction": "sideways"}
    )
    assert response.status_code == 302
    top.refresh_from_db()
    assert top.version == 1 and top.parent_id is None and not top.hidden
    assert list(ThemeChange.objects.values_list("kind", flat=True)) == ["created"]


def test_codebook_pages__render_in_every_language_with_one_h1(
    org: Organisation, coordinator: Any, client_for: Any
) -> None:
    item = theme(org, "debt")
    client = client_for(coordinator)
    for lang in ("fi", "sv", "en"):
        for path in codebook_urls(item).values():
            content = client.get(path, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
            assert f'<html lang="{lang}">' in content, (lang, path)
            assert len(re.findall(r"<h1[ >]", content)) == 1, (lang, path)


def test_add_a_sub_theme_link__preselects_the_parent_and_ignores_junk(
    org: Organisation, coordinator: Any, client_for: Any
) -> None:
    parent = theme(org, "housing_costs")
    client = client_for(coordinator)
    page = client.get(f"/o/alpha/codebook/add/?parent={parent.pk}").content.decode()
    assert f'<option value="{parent.pk}" selected>' in page
    for junk in ("abc", "-1", "1e9", "%00"):
        response = client.get(f"/o/alpha/codebook/add/?parent={junk}")
        assert response.status_code == 200
        assert '<option value="" selected>' in response.content.decode()


def test_suggestion_codebook__is_the_offered_themes_as_a_lib_codebook(
    org: Organisation, coordinator: Any
) -> None:
    item = theme(org, "debt")
    services.update_theme(
        actor=coordinator,
        theme=item,
        expected_version=1,
        values={
            **{name: getattr(item, name) for name in services.THEME_TEXT_FIELDS},
            "description_fi": "Pikavipit ja ulosotto.",
        },
    )
    codebook = suggestion_codebook(org)
    entry = next(entry for entry in codebook if entry.code == "debt")
    assert entry.labels["fi"] == item.label_fi and entry.labels["sv"] == item.label_sv
    assert entry.descriptions == {
        "fi": "Pikavipit ja ulosotto.",
        "sv": item.description_sv,  # the defaults of taxonomy.json
        "en": item.description_en,
    }
    assert ("fi", f"{item.label_fi}: Pikavipit ja ulosotto.") in entry.texts()
    assert len(codebook) == Theme.objects.offered().filter(organisation=org).count()


def suggestion_codebook(org: Organisation) -> list[Any]:
    """The codebook that theme suggestions are trained and ranked against."""
    return codebook(codebook_themes(org))

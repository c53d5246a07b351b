"""Quotes: passages of reports coded with themes, picked by offsets (JS) or by copied words
(no JS), approved for publication by coordinators (LEG-08), current only while the report says
what they say; the quote list; access, hostile input, audit rows without the text."""

from typing import Any

import pytest
from django.test import Client

from havainto.accounts.models import Role
from havainto.audit.models import AuditEvent
from havainto.coding import services
from havainto.coding.models import Quote, TextGrant, Theme, publishable_quotes
from havainto.reports.models import Report

pytestmark = pytest.mark.django_db

CANARY = "Kanarialintu"
DESCRIPTION = (
    f"Vuokrat nousevat nopeasti. {CANARY} kertoi, että asumistuki ei riitä.\n\n"
    "Vuokrat nousevat myös Kaarinassa, ja jonot kasvavat."
)


@pytest.fixture
def report(org: Any, make_report: Any) -> Report:
    return make_report(org, unit=org.units.order_by("id").first(), description=DESCRIPTION)


@pytest.fixture
def theme(org: Any) -> Theme:
    return Theme.objects.filter(organisation=org, hidden=False).order_by("order").first()


@pytest.fixture
def other_theme(org: Any) -> Theme:
    return Theme.objects.filter(organisation=org, hidden=False).order_by("order")[1]


def post_quote(client: Client, report: Report, chosen: Theme, **data: Any) -> Any:
    values = {"field": "description", "theme": chosen.pk, **data}
    payload = {f"quote-{k}": v for k, v in values.items() if v is not None}
    return client.post(f"/o/{report.organisation.slug}/reports/{report.pk}/quotes/", payload)


def assert_no_text_in_audit(*texts: str) -> None:
    rows = list(AuditEvent.objects.values())
    assert rows
    for row in rows:
        for text in texts:
            assert text not in str(row), row


def add(report: Report, theme: Theme, words: str, actor: Any, field: str = "description") -> Quote:
    text = getattr(report, field)
    start = text.index(words)
    return services.add_quote(
        actor=actor, report=report, field=field, start=start, end=start + len(words), theme=theme
    )


# --- Coding a quote ---------------------------------------------------------------------------


def test_typed_passage__is_found_and_stored_with_a_snapshot(
    coordinator: Any, client_for: Any, report: Report, theme: Theme
) -> None:
    # Copied from the page: the line break became a space, and a space came along at the end.
    words = "asumistuki ei riitä. Vuokrat nousevat myös "
    response = post_quote(client_for(coordinator), report, theme, passage=words)
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.text == "asumistuki ei riitä.\n\nVuokrat nousevat myös"
    assert DESCRIPTION[quote.start : quote.end] == quote.text
    assert (quote.field, quote.theme, quote.created_by) == ("description", theme, coordinator)
    assert quote.is_current and not quote.approved_for_publication
    event = AuditEvent.objects.get(action="quote.added")
    assert event.fields == ["description"] and event.object_id == str(quote.pk)


def test_selected_offsets__win_over_searching_the_words(
    handler: Any, client_for: Any, report: Report, theme: Theme
) -> None:
    # "Vuokrat nousevat" occurs twice; the selection says which one without asking.
    second = DESCRIPTION.rindex("Vuokrat nousevat")
    response = post_quote(
        client_for(handler),
        report,
        theme,
        passage="Vuokrat nousevat",
        start=second,
        end=second + len("Vuokrat nousevat"),
    )
    assert response.status_code == 302
    assert Quote.objects.get().start == second


def test_offsets_that_do_not_hold_the_words__fall_back_to_the_words(
    coordinator: Any, client_for: Any, report: Report, theme: Theme
) -> None:
    # The user selected, then edited the box: the words decide.
    response = post_quote(
        client_for(coordinator), report, theme, passage="jonot kasvavat", start=0, end=7
    )
    assert response.status_code == 302
    assert Quote.objects.get().text == "jonot kasvavat"


def test_ambiguous_words__ask_which_occurrence(
    coordinator: Any, client_for: Any, report: Report, theme: Theme
) -> None:
    client = client_for(coordinator)
    response = post_quote(client, report, theme, passage="Vuokrat nousevat")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="quote-occurrence"' in page and 'value="2"' in page
    assert "2 " in page and "Kaarinassa" in page  # the second occurrence with its context
    assert not Quote.objects.exists()

    response = post_quote(client, report, theme, passage="Vuokrat nousevat", occurrence=2)
    assert response.status_code == 302
    assert Quote.objects.get().start == DESCRIPTION.rindex("Vuokrat nousevat")


@pytest.mark.parametrize(
    "data",
    [
        {"passage": "Turussa ja Helsingissä"},  # not in the text
        {"passage": "   "},  # only whitespace
        {"passage": "Vuokrat\x00nousevat"},  # a NUL byte
        {"field": "contact_email", "passage": "Vuokrat"},  # not a text field
        {"field": "receipt_hash", "passage": "Vuokrat"},
        {"field": "", "passage": "Vuokrat"},
        {"passage": "Vuokrat nousevat", "occurrence": "7"},  # no such occurrence
        {"passage": "Vuokrat nousevat", "occurrence": "x"},
        {"theme": "999999", "passage": "jonot"},
        {"theme": "", "passage": "jonot"},
    ],
)
def test_hostile_or_wrong_input__is_refused_with_a_message(
    coordinator: Any, client_for: Any, report: Report, theme: Theme, data: dict[str, Any]
) -> None:
    response = post_quote(client_for(coordinator), report, theme, **data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Quote.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [("-1", "5"), ("99999999999", "999999999999"), ("5", "2"), ("abc", "x"), ("1" * 5000, "2")],
)
def test_hostile_offsets__never_break_the_page(
    coordinator: Any, client_for: Any, report: Report, theme: Theme, start: str, end: str
) -> None:
    response = post_quote(
        client_for(coordinator), report, theme, passage="jonot kasvavat", start=start, end=end
    )
    assert response.status_code == 302  # the words decide
    assert Quote.objects.get().text == "jonot kasvavat"
    response = post_quote(
        client_for(coordinator), report, theme, passage="ei ole tekstissä", start=start, end=end
    )
    assert response.status_code == 400
    assert Quote.objects.count() == 1


def test_theme_of_another_organisation__is_refused(
    coordinator: Any, client_for: Any, report: Report, other_org: Any
) -> None:
    foreign = Theme.objects.filter(organisation=other_org).first()
    response = post_quote(client_for(coordinator), report, foreign, passage="jonot")
    assert response.status_code == 400
    assert not Quote.objects.exists()
    with pytest.raises(ValueError, match="another organisation"):
        add(report, foreign, "jonot", None)


def test_the_same_passage_and_theme_twice__is_one_quote(
    coordinator: Any, client_for: Any, report: Report, theme: Theme, other_theme: Theme
) -> None:
    client = client_for(coordinator)
    post_quote(client, report, theme, passage="jonot kasvavat")
    response = post_quote(client, report, theme, passage="jonot kasvavat")
    assert response.status_code == 302
    assert Quote.objects.count() == 1
    post_quote(client, report, other_theme, passage="jonot kasvavat")
    assert Quote.objects.count() == 2  # one passage, two themes


def test_add_quote__refuses_a_passage_that_changed_under_the_form(
    coordinator: Any, report: Report, theme: Theme
) -> None:
    start = DESCRIPTION.index("jonot")
    with pytest.raises(services.PassageChanged):
        services.add_quote(
            actor=coordinator,
            report=report,
            field="description",
            start=start,
            end=start + 5,
            theme=theme,
            expected_text="vuoro",
        )
    with pytest.raises(ValueError, match="not a text field"):
        services.add_quote(
            actor=coordinator, report=report, field="contact_email", start=0, end=1, theme=theme
        )
    assert not Quote.objects.exists()


# --- Who may do what ----------------------------------------------------------------------------


def test_access__anonymous_outsider_reader_and_handler_of_another_unit(
    client_for: Any,
    report: Report,
    theme: Theme,
    outsider: Any,
    reader: Any,
    org_admin: Any,
    make_user: Any,
    org: Any,
    other_unit: Any,
) -> None:
    assert post_quote(Client(), report, theme, passage="jonot").status_code == 302
    assert post_quote(client_for(outsider), report, theme, passage="jonot").status_code == 404
    assert post_quote(client_for(reader), report, theme, passage="jonot").status_code == 403
    assert post_quote(client_for(org_admin), report, theme, passage="jonot").status_code == 403
    stranger = make_user("stranger", org, Role.HANDLER, unit=other_unit)
    assert post_quote(client_for(stranger), report, theme, passage="jonot").status_code == 404
    assert not Quote.objects.exists()


def test_reader_with_a_text_grant__sees_quotes_but_cannot_code(
    client_for: Any, report: Report, theme: Theme, reader: Any, coordinator: Any, org: Any
) -> None:
    TextGrant.objects.create(organisation=org, user=reader)
    quote = add(report, theme, "jonot kasvavat", coordinator)
    client = client_for(reader)
    page = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert "jonot kasvavat" in page and theme.label_fi in page
    assert 'name="quote-passage"' not in page and "/approve/" not in page
    assert post_quote(client, report, theme, passage="jonot").status_code == 403
    assert client.post(f"/o/alpha/quotes/{quote.pk}/approve/").status_code == 403
    assert client.post(f"/o/alpha/quotes/{quote.pk}/remove/").status_code == 403
    assert client.get("/o/alpha/quotes/").status_code == 200


def test_handler__codes_and_removes_but_does_not_approve(
    client_for: Any, report: Report, theme: Theme, handler: Any
) -> None:
    client = client_for(handler)
    post_quote(client, report, theme, passage="jonot kasvavat")
    quote = Quote.objects.get()
    page = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert f"/quotes/{quote.pk}/remove/" in page and f"/quotes/{quote.pk}/approve/" not in page
    assert client.post(f"/o/alpha/quotes/{quote.pk}/approve/").status_code == 403
    assert not Quote.objects.get().approved_for_publication
    assert client.post(f"/o/alpha/quotes/{quote.pk}/remove/").status_code == 302
    assert not Quote.objects.exists()
    assert AuditEvent.objects.filter(action="quote.removed", object_id=str(quote.pk)).exists()


def test_quote_of_another_organisation__is_404(
    client_for: Any, foreign_report: Report, outsider: Any, coordinator: Any
) -> None:
    theme = Theme.objects.filter(organisation=foreign_report.organisation).first()
    quote = add(foreign_report, theme, "Asumismenot", outsider)
    client = client_for(coordinator)
    for action in ("approve", "withdraw", "remove"):
        assert client.post(f"/o/alpha/quotes/{quote.pk}/{action}/").status_code == 404
        assert client.post(f"/o/beta/quotes/{quote.pk}/{action}/").status_code == 404
    assert Quote.objects.filter(pk=quote.pk, approved_for_publication=False).exists()


def test_approve_and_withdraw__by_a_coordinator_with_audit_rows(
    client_for: Any, report: Report, theme: Theme, coordinator: Any
) -> None:
    quote = add(report, theme, f"{CANARY} kertoi", coordinator)
    client = client_for(coordinator)
    assert client.get(f"/o/alpha/quotes/{quote.pk}/approve/").status_code == 405
    response = client.post(
        f"/o/alpha/quotes/{quote.pk}/approve/", {"next": "/o/alpha/quotes/?approval=waiting"}
    )
    assert (
        response.status_code == 302 and response["Location"] == "/o/alpha/quotes/?approval=waiting"
    )
    quote.refresh_from_db()
    assert quote.approved_for_publication and quote.approved_by == coordinator
    assert quote.approved_at is not None
    page = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert f"/quotes/{quote.pk}/withdraw/" in page

    client.post(f"/o/alpha/quotes/{quote.pk}/withdraw/")
    quote.refresh_from_db()
    assert not quote.approved_for_publication and quote.approved_by is None
    actions = list(
        AuditEvent.objects.filter(object_type="quote")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["quote.added", "quote.approved", "quote.approval_withdrawn"]
    assert_no_text_in_audit(CANARY, "kertoi")


def test_next__never_leaves_the_organisation(
    client_for: Any, report: Report, theme: Theme, coordinator: Any
) -> None:
    quote = add(report, theme, "jonot", coordinator)
    client = client_for(coordinator)
    for target in ("https://evil.example/o/alpha/", "//evil.example/", "/o/beta/quotes/"):
        response = client.post(f"/o/alpha/quotes/{quote.pk}/approve/", {"next": target})
        assert response["Location"] == f"/o/alpha/reports/{report.pk}/#quotes-title"


# --- Current quotes, redaction and publication --------------------------------------------------


def test_redaction_under_a_quote__takes_its_approval_and_words_away(
    client_for: Any, report: Report, theme: Theme, coordinator: Any
) -> None:
    under = add(report, theme, f"{CANARY} kertoi, että asumistuki ei riitä", coordinator)
    after = add(report, theme, "jonot kasvavat", coordinator)
    before = add(report, theme, "Vuokrat nousevat nopeasti", coordinator)
    for quote in (under, after, before):
        services.approve_quote(actor=coordinator, quote=quote)
    start = DESCRIPTION.index(CANARY)
    services.redact_passage(
        actor=coordinator,
        report=report,
        expected_version=report.version,
        field="description",
        start=start,
        end=start + len(CANARY),
        reason="Asiakkaan nimi",
    )
    under.refresh_from_db()
    after.refresh_from_db()
    before.refresh_from_db()
    report.refresh_from_db()
    assert under.text == "[…] kertoi, että asumistuki ei riitä"
    assert not under.approved_for_publication and not under.is_current
    assert after.is_current and after.approved_for_publication  # moved with the text
    assert report.description[after.start : after.end] == "jonot kasvavat"
    assert before.is_current and before.approved_for_publication
    with pytest.raises(services.QuoteNotCurrent):
        services.approve_quote(actor=coordinator, quote=under)
    assert set(publishable_quotes(report.organisation)) == {after, before}
    changed = AuditEvent.objects.get(action="quote.changed")
    assert changed.fields == ["approved_for_publication", "text"]

    client = client_for(coordinator)
    page = client.get(f"/o/alpha/reports/{report.pk}/").content.decode()
    assert "quote-changed" in page and f"/quotes/{under.pk}/approve/" not in page
    response = client.post(f"/o/alpha/quotes/{under.pk}/approve/", follow=True)
    assert "quote-changed" in response.content.decode()
    assert not Quote.objects.get(pk=under.pk).approved_for_publication
    assert_no_text_in_audit(CANARY)


def test_publishable_quotes__approved_current_of_the_organisation_by_theme(
    report: Report,
    foreign_report: Report,
    theme: Theme,
    other_theme: Theme,
    coordinator: Any,
    outsider: Any,
) -> None:
    approved = add(report, theme, "jonot kasvavat", coordinator)
    other = add(report, other_theme, "Vuokrat nousevat nopeasti", coordinator)
    waiting = add(report, theme, "asumistuki", coordinator)
    stale = add(report, theme, "Kaarinassa", coordinator)
    foreign_theme = Theme.objects.filter(organisation=foreign_report.organisation).first()
    foreign = add(foreign_report, foreign_theme, "Asumismenot", outsider)
    for quote in (approved, other, stale):
        services.approve_quote(actor=coordinator, quote=quote)
    services.approve_quote(actor=outsider, quote=foreign)
    # A change of the text by any other way than redaction: the SQL check catches it.
    Report.objects.filter(pk=report.pk).update(
        description=DESCRIPTION.replace("Kaarinassa", "Kaarinass!")
    )
    assert set(publishable_quotes(report.organisation)) == {approved, other}
    assert list(publishable_quotes(report.organisation, theme=theme)) == [approved]
    assert list(publishable_quotes(foreign_report.organisation)) == [foreign]
    assert waiting not in Quote.objects.current().approved()


def test_current__compares_code_points_like_python(
    org: Any, make_report: Any, theme: Theme, coordinator: Any
) -> None:
    text = "🙂 Äiti kertoi: ”vuokra nousi” 🙂 ja sitten"
    report = make_report(org, description=text)
    quote = add(report, theme, "”vuokra nousi”", coordinator)
    services.approve_quote(actor=coordinator, quote=quote)
    assert list(publishable_quotes(org)) == [quote]


# --- The quote list -----------------------------------------------------------------------------


def test_quote_list__by_theme_with_filters_and_excerpt_reads(
    client_for: Any,
    report: Report,
    theme: Theme,
    other_theme: Theme,
    coordinator: Any,
    make_report: Any,
    org: Any,
) -> None:
    second = make_report(org, description="Jonot kasvavat terveysasemalla.")
    approved = add(report, theme, "jonot kasvavat", coordinator)
    waiting = add(second, other_theme, "terveysasemalla", coordinator)
    services.approve_quote(actor=coordinator, quote=approved)
    client = client_for(coordinator)

    page = client.get("/o/alpha/quotes/").content.decode()
    assert theme.label_fi in page and other_theme.label_fi in page
    assert page.index(theme.label_fi) < page.index(other_theme.label_fi)  # codebook order
    assert f"/quotes/{waiting.pk}/approve/" in page and f"/quotes/{approved.pk}/withdraw/" in page
    reads = AuditEvent.objects.filter(action="report.excerpt_viewed", actor=coordinator)
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(
        [str(report.pk), str(second.pk)]
    )

    only_approved = client.get("/o/alpha/quotes/?approval=approved").content.decode()
    assert "jonot kasvavat</blockquote>" in only_approved
    assert "terveysasemalla</blockquote>" not in only_approved
    waiting_page = client.get("/o/alpha/quotes/?approval=waiting").content.decode()
    assert "terveysasemalla</blockquote>" in waiting_page
    by_theme = client.get(f"/o/alpha/quotes/?theme={other_theme.code}").content.decode()
    assert "jonot kasvavat</blockquote>" not in by_theme
    assert client.get("/o/alpha/quotes/?approval=nonsense").status_code == 400

    response = client.post(
        f"/o/alpha/quotes/{waiting.pk}/approve/", {"next": "/o/alpha/quotes/?approval=waiting"}
    )
    assert response["Location"] == "/o/alpha/quotes/?approval=waiting"
    assert Quote.objects.get(pk=waiting.pk).approved_for_publication


def test_quote_list__access(
    client_for: Any,
    report: Report,
    theme: Theme,
    coordinator: Any,
    handler: Any,
    reader: Any,
    outsider: Any,
    make_report: Any,
    org: Any,
    other_unit: Any,
) -> None:
    elsewhere = make_report(org, unit=other_unit, description="Toisen yksikön havainto.")
    add(report, theme, "jonot kasvavat", coordinator)
    add(elsewhere, theme, "Toisen yksikön", coordinator)
    assert Client().get("/o/alpha/quotes/").status_code == 302
    assert client_for(outsider).get("/o/alpha/quotes/").status_code == 404
    assert client_for(reader).get("/o/alpha/quotes/").status_code == 403
    page = client_for(handler).get("/o/alpha/quotes/").content.decode()
    assert "jonot kasvavat" in page and "Toisen yksikön" not in page
    assert "/approve/" not in page

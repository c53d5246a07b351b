from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from havainto.accounts.access import get_organisation_for_admin
from havainto.accounts.forms import (
    ExtraQuestionForm,
    NewVocabularyEntryForm,
    OrganisationPageForm,
    OrganisationSettingsForm,
    VocabularyEntryForm,
)
from havainto.accounts.models import Organisation
from havainto.accounts.services import (
    add_vocabulary_entry,
    save_extra_question,
    update_organisation_settings,
    update_vocabulary_entry,
)
from havainto.publishing.models import OrganisationPage
from havainto.publishing.services import save_organisation_page
from havainto.reports.models import ExtraQuestion, VocabularyEntry, VocabularyKind


class LoginForm(AuthenticationForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Password managers and paste must work (WCAG 3.3.8, ASVS 6.2.7).
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()


# --- Organisation settings (URLs in settings_urls.py) -------------------------------------
# Every view starts from get_organisation_for_admin: 404 for anyone who does not administer
# the organisation, so the pages do not even reveal that it exists. Objects are looked up
# within that organisation only.


def _form_page(
    request: HttpRequest, template: str, form: BaseForm, context: dict[str, Any]
) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, f"accounts/{template}", {**context, "form": form}, status=status)


def _vocabulary_kind(kind: str) -> VocabularyKind:
    if kind not in VocabularyKind.values:
        raise Http404
    return VocabularyKind(kind)


def _page_kind(kind: str) -> OrganisationPage.Kind:
    if kind not in OrganisationPage.Kind.values:
        raise Http404
    return OrganisationPage.Kind(kind)


def _data(request: HttpRequest) -> Any:
    # Not `request.POST or None`: a POST with every box unticked is empty but still a POST.
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def settings_overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    form = OrganisationSettingsForm(_data(request), instance=organisation)
    if form.is_bound and form.is_valid():
        try:
            update_organisation_settings(
                actor=request.user,
                organisation=organisation,
                allow_anonymous=form.cleaned_data["allow_anonymous"],
                languages=form.cleaned_data["languages"],
                redaction_original_retention_days=form.cleaned_data[
                    "redaction_original_retention_days"
                ],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("settings:overview", organisation.slug)
    if form.is_bound:
        organisation.refresh_from_db()  # validation copied the rejected values onto it
    return _form_page(
        request,
        "settings_overview.html",
        form,
        {"organisation": organisation, "vocabulary_kinds": VocabularyKind.choices},
    )


@login_required
@require_GET
def settings_vocabulary(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    vocabulary = _vocabulary_kind(kind)
    entries = VocabularyEntry.objects.of(organisation, vocabulary).order_by("order", "id")
    return render(
        request,
        "accounts/settings_vocabulary_list.html",
        {"organisation": organisation, "vocabulary": vocabulary, "entries": entries},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_vocabulary_add(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    vocabulary = _vocabulary_kind(kind)
    form = NewVocabularyEntryForm(_data(request), organisation=organisation, kind=vocabulary)
    if form.is_bound and form.is_valid():
        try:
            add_vocabulary_entry(
                actor=request.user, organisation=organisation, kind=vocabulary, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was added."))
            return redirect("settings:vocabulary", organisation.slug, vocabulary.value)
    return _form_page(
        request,
        "settings_vocabulary_form.html",
        form,
        {"organisation": organisation, "vocabulary": vocabulary, "entry": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_vocabulary_entry(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    vocabulary = _vocabulary_kind(kind)
    entry = get_object_or_404(VocabularyEntry, pk=pk, organisation=organisation, kind=vocabulary)
    # The form has no code field, so a posted "code" is ignored: codes never change.
    form = VocabularyEntryForm(_data(request), instance=entry)
    if form.is_bound and form.is_valid():
        try:
            update_vocabulary_entry(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry was saved."))
            return redirect("settings:vocabulary", organisation.slug, vocabulary.value)
    return _form_page(
        request,
        "settings_vocabulary_form.html",
        form,
        {"organisation": organisation, "vocabulary": vocabulary, "entry": entry},
    )


@login_required
@require_GET
def settings_questions(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    questions = organisation.extra_questions.order_by("order", "id")
    return render(
        request,
        "accounts/settings_question_list.html",
        {"organisation": organisation, "questions": questions},
    )


def _question_form(
    request: HttpRequest, organisation: Organisation, question: ExtraQuestion | None
) -> HttpResponse:
    form = ExtraQuestionForm(_data(request), instance=question)
    if form.is_bound and form.is_valid():
        try:
            save_extra_question(
                actor=request.user,
                organisation=organisation,
                question=question,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("settings:questions", organisation.slug)
    return _form_page(
        request,
        "settings_question_form.html",
        form,
        {"organisation": organisation, "question": question},
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_question_add(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    return _question_form(request, organisation, None)


@login_required
@require_http_methods(["GET", "POST"])
def settings_question(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    question = get_object_or_404(ExtraQuestion, pk=pk, organisation=organisation)
    return _question_form(request, organisation, question)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = get_organisation_for_admin(request.user, slug)
    page_kind = _page_kind(kind)
    page = OrganisationPage.objects.filter(organisation=organisation, kind=page_kind).first()
    instance = page or OrganisationPage(organisation=organisation, kind=page_kind)
    form = OrganisationPageForm(_data(request), instance=instance)
    if form.is_bound and form.is_valid():
        save_organisation_page(
            actor=request.user, organisation=organisation, kind=page_kind, **form.cleaned_data
        )
        messages.success(request, _("The page was saved."))
        return redirect("settings:page", organisation.slug, page_kind.value)
    return _form_page(
        request,
        "settings_page_form.html",
        form,
        {"organisation": organisation, "page_kind": page_kind, "page": page},
    )

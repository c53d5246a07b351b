"""The organisation admin's settings screens, under /o/<slug>/settings/."""

from django.urls import path

from havainto.accounts import views

app_name = "settings"

urlpatterns = [
    path("o/<slug:slug>/settings/", views.settings_overview, name="overview"),
    path(
        "o/<slug:slug>/settings/vocabularies/<slug:kind>/",
        views.settings_vocabulary,
        name="vocabulary",
    ),
    path(
        "o/<slug:slug>/settings/vocabularies/<slug:kind>/new/",
        views.settings_vocabulary_add,
        name="vocabulary-add",
    ),
    path(
        "o/<slug:slug>/settings/vocabularies/<slug:kind>/<int:pk>/",
        views.settings_vocabulary_entry,
        name="vocabulary-entry",
    ),
    path("o/<slug:slug>/settings/questions/", views.settings_questions, name="questions"),
    path("o/<slug:slug>/settings/questions/new/", views.settings_question_add, name="question-add"),
    path("o/<slug:slug>/settings/questions/<int:pk>/", views.settings_question, name="question"),
    path("o/<slug:slug>/settings/pages/<slug:kind>/", views.settings_page, name="page"),
]

from django.urls import path

from havainto.analysis import views

app_name = "analysis"

urlpatterns = [
    path("o/<slug:slug>/search/", views.search_page, name="search"),
    # Theme suggestions
    path(
        "o/<slug:slug>/reports/<int:pk>/suggestions/",
        views.suggestions_panel,
        name="suggestions-panel",
    ),
    path(
        "o/<slug:slug>/reports/<int:pk>/suggestions/accept/",
        views.accept_suggestion,
        name="suggestion-accept",
    ),
    path(
        "o/<slug:slug>/reports/<int:pk>/suggestions/reject/",
        views.reject_suggestion,
        name="suggestion-reject",
    ),
    path("o/<slug:slug>/suggestions/", views.suggestion_rates, name="suggestions"),
    path("o/<slug:slug>/suggestions/retrain/", views.retrain_themes, name="suggestions-retrain"),
    # discover: candidate topics and weak signals
    path("o/<slug:slug>/topics/", views.topics_page, name="topics"),
    path("o/<slug:slug>/signals/", views.signals_page, name="signals"),
]

from django.urls import path

from havainto.analysis import views

app_name = "analysis"

urlpatterns = [
    path("o/<slug:slug>/search/", views.search_page, name="search"),
    # discover: candidate topics and weak signals
    path("o/<slug:slug>/topics/", views.topics_page, name="topics"),
    path("o/<slug:slug>/signals/", views.signals_page, name="signals"),
]

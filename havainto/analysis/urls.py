from django.urls import path

from havainto.analysis import views

app_name = "analysis"

urlpatterns = [
    path("o/<slug:slug>/search/", views.search_page, name="search"),
]

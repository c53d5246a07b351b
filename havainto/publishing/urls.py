from django.urls import path

from havainto.publishing import views

app_name = "publishing"

urlpatterns = [
    path("accessibility/", views.site_page, {"kind": "accessibility"}, name="accessibility"),
    path("privacy/", views.site_page, {"kind": "privacy"}, name="privacy"),
    path(
        "o/<slug:slug>/accessibility/",
        views.organisation_page,
        {"kind": "accessibility"},
        name="org-accessibility",
    ),
    path(
        "o/<slug:slug>/privacy/", views.organisation_page, {"kind": "privacy"}, name="org-privacy"
    ),
]

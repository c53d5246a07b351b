from django.urls import path

from havainto.reports import views

app_name = "reports"

urlpatterns = [
    path("o/<slug:slug>/report/", views.report_form, name="form"),
    path("o/<slug:slug>/report/draft/", views.autosave_draft, name="autosave"),
    path("thanks/", views.thanks, name="thanks"),
    path("receipt/", views.receipt_lookup, name="receipt-lookup"),
    path("receipt/<str:receipt>/", views.receipt_status, name="receipt"),
    path("my/reports/", views.my_reports, name="my-reports"),
    path("my/reports/<int:pk>/", views.my_report, name="my-report"),
]

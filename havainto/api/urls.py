from django.urls import path

from havainto.api import views

app_name = "api"

urlpatterns = [
    path("reports/", views.submit, name="reports"),
    path("receipts/<str:receipt>/", views.receipt, name="receipt"),
]

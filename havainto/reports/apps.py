from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "havainto.reports"
    label = "reports"

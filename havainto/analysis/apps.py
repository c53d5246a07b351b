from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "havainto.analysis"
    label = "analysis"

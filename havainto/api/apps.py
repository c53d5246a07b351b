from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "havainto.api"
    label = "api"

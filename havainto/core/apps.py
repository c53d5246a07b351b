from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "havainto.core"
    label = "core"

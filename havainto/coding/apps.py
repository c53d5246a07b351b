from django.apps import AppConfig


class CodingConfig(AppConfig):
    name = "havainto.coding"
    label = "coding"

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "havainto.publishing"
    label = "publishing"

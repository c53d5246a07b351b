from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "havainto.accounts"
    label = "accounts"

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "havainto.audit"
    label = "audit"

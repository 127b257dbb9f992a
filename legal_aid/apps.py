from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    name = "legal_aid"
    verbose_name = "法律救助"

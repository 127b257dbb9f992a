from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "care_homes"
    verbose_name = "托养与辅助性就业"

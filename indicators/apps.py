from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "规划指标"

    def ready(self) -> None:
        from . import freshness

        freshness.connect_signals()

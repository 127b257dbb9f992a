from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "数据质量"

    def ready(self) -> None:
        from quality import workbench_items

        workbench_items.register_items()

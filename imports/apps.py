from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Excel导入导出"

    def ready(self) -> None:
        from core import workbench
        from imports.resources import RESOURCES
        from registry.audit import register_export_label

        for name, resource in RESOURCES.items():
            register_export_label(name, f"{resource.import_title}（导出）")

        workbench.register(
            key="imports_ready",
            title="待确认的导入",
            order=40,
            count=_ready_count,
            url=workbench.link("imports:index"),
            help_text="已通过检查、等待确认导入的Excel文件",
            domain="imports",
        )


def _ready_count(user, year: int) -> int:
    from imports.models import ImportJob

    return ImportJob.objects.for_user(user).filter(status=ImportJob.Status.READY).count()

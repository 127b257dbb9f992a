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
            workbench.WorkbenchItem(
                key="imports_ready",
                title="待确认的导入",
                order=40,
                count=_ready_count,
                url=_imports_url,
                help_text="已通过检查、等待确认导入的Excel文件",
                applies=_may_use_imports,
            )
        )


def _ready_count(user, year: int) -> int:
    from imports.models import ImportJob

    return ImportJob.objects.for_user(user).filter(status=ImportJob.Status.READY).count()


def _imports_url(user, year: int) -> str:
    from django.urls import reverse

    return reverse("imports:index")


def _may_use_imports(user) -> bool:
    from core.roles import may_use_domain

    return may_use_domain(user, "imports")

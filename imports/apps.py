from registry import app_config


class ImportsConfig(app_config.PortalAppConfig):
    name = "imports"
    verbose_name = "Excel导入导出"
    workbench_items = True

    def ready(self) -> None:
        super().ready()
        from imports.resources import RESOURCES
        from registry.audit import register_export_label

        for name, resource in RESOURCES.items():
            register_export_label(name, f"{resource.import_title}（导出）")

from registry import app_config


class QualityConfig(app_config.PortalAppConfig):
    name = "quality"
    verbose_name = "数据质量"
    workbench_items = True

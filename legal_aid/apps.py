from registry import app_config


class LegalAidConfig(app_config.PortalAppConfig):
    name = "legal_aid"
    verbose_name = "法律救助"
    demo_order = 12
    workbench_items = True

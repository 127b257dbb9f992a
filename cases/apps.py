from registry import app_config


class CasesConfig(app_config.PortalAppConfig):
    name = "cases"
    verbose_name = "信访与维权"
    demo_order = 8
    workbench_items = True  # the overdue and due-soon counts

from registry import app_config


class EducationConfig(app_config.PortalAppConfig):
    name = "education"
    verbose_name = "教育助学"
    # Its demo records after the demo campaign (order 100), whose surveys of this year decide this
    # year's 未入学 children and so the gap list.
    demo_order = 101
    demo_after_accounts = True
    workbench_items = True

from registry import app_config


class RehabConfig(app_config.PortalAppConfig):
    name = "rehab"
    verbose_name = "康复服务"
    demo_order = 3

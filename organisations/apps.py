from registry import app_config


class OrganisationsConfig(app_config.PortalAppConfig):
    name = "organisations"
    verbose_name = "助残组织与志愿者"
    demo_order = 9

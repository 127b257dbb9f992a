from registry import app_config


class CertificatesConfig(app_config.PortalAppConfig):
    name = "certificates"
    verbose_name = "办证管理"
    demo_order = 6

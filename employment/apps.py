from registry import app_config


class EmploymentConfig(app_config.PortalAppConfig):
    name = "employment"
    verbose_name = "就业与培训"
    demo_order = 2
    # Offer this domain's running records when a person dies, moves out or is cancelled.
    running_provider = "employment.running.EmploymentProvider"

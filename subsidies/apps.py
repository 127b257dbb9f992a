from registry import app_config


class SubsidiesConfig(app_config.PortalAppConfig):
    name = "subsidies"
    verbose_name = "补贴与救助"
    demo_order = 1
    # Offer this domain's running records when a person dies, moves out or is cancelled.
    running_provider = "subsidies.running.GrantProvider"
    workbench_items = True

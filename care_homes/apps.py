from registry import app_config


class CareHomesConfig(app_config.PortalAppConfig):
    name = "care_homes"
    verbose_name = "托养与辅助性就业"
    demo_order = 4
    # Offer this domain's running records when a person dies, moves out or is cancelled.
    running_provider = "care_homes.running.PlacementProvider"

from registry import app_config


class PaymentsConfig(app_config.PortalAppConfig):
    name = "payments"
    verbose_name = "发放名册"
    demo_order = 5
    workbench_items = True

    def ready(self) -> None:
        super().ready()
        from payments import selectors
        from subsidies.selectors import register_standard_lookup

        # The grant form pre-fills the standard in force (subsidies cannot import this layer).
        register_standard_lookup(selectors.standard_in_force)

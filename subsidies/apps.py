from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = "补贴与救助"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from registry import running
        from subsidies.running import GrantProvider

        running.register(GrantProvider())

from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "care_homes"
    verbose_name = "托养与辅助性就业"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from care_homes.running import PlacementProvider
        from registry import running

        running.register(PlacementProvider())

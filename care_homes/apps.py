from django.apps import AppConfig


class CareHomesConfig(AppConfig):
    name = "care_homes"
    verbose_name = "托养与辅助性就业"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from care_homes.running import PlacementProvider
        from registry import running

        running.register(PlacementProvider())
        # Its demo records for `manage.py generate_demo_data`.
        from care_homes.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="care_homes", order=4, generate=generate_demo))

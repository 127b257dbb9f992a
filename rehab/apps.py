from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "康复服务"

    def ready(self) -> None:
        # Its demo records for `manage.py generate_demo_data`.
        from registry import demo_steps
        from rehab.demo import generate_demo

        demo_steps.register(demo_steps.DemoStep(app="rehab", order=3, generate=generate_demo))

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "助残组织与志愿者"

    def ready(self) -> None:
        # Its demo records for `manage.py generate_demo_data`.
        from organisations.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="organisations", order=9, generate=generate_demo))

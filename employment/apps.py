from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = "就业与培训"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from employment.running import EmploymentProvider
        from registry import running

        running.register(EmploymentProvider())
        # Its demo records for `manage.py generate_demo_data`.
        from employment.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="employment", order=2, generate=generate_demo))

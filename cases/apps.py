from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "信访与维权"

    def ready(self) -> None:
        # The overdue and due-soon counts on the 工作台.
        from cases.workbench_items import register_items

        register_items()
        # Its demo records for `manage.py generate_demo_data`.
        from cases.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="cases", order=8, generate=generate_demo))

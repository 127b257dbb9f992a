from django.apps import AppConfig


class SubsidiesConfig(AppConfig):
    name = "subsidies"
    verbose_name = "补贴与救助"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from core import workbench
        from registry import running
        from subsidies.running import GrantProvider

        running.register(GrantProvider())
        workbench.register(
            key="missing_entitlements",
            title="应享未享",
            order=20,
            count=_missing_count,
            url=workbench.link("subsidies:missing_list"),
            help_text="符合护理补贴或生活补贴条件、但目前没有在发放的人员",
            domain="subsidies",
        )
        # Its demo records for `manage.py generate_demo_data`.
        from registry import demo_steps
        from subsidies.demo import generate_demo

        demo_steps.register(demo_steps.DemoStep(app="subsidies", order=1, generate=generate_demo))


def _missing_count(user, year: int) -> int:
    from subsidies.selectors import persons_missing_entitlements

    return persons_missing_entitlements(user).count()

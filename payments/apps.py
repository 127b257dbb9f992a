from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "发放名册"

    def ready(self) -> None:
        from core import workbench
        from payments import selectors
        from subsidies.selectors import register_standard_lookup

        # The grant form pre-fills the standard in force (subsidies cannot import this layer).
        register_standard_lookup(selectors.standard_in_force)
        workbench.register(
            key="rolls",
            title="待处理的发放名册",
            order=50,
            count=lambda user, year: selectors.rolls_to_do(user).count(),
            url=_rolls_url,
            help_text="街道经办人：本月名册草稿待提交；区残联：已提交的名册待审核",
            domain="payments",
        )
        # Its demo records for `manage.py generate_demo_data`.
        from payments.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="payments", order=5, generate=generate_demo))


def _rolls_url(user, year: int) -> str:
    from django.urls import reverse

    from payments import selectors

    month = selectors.rolls_to_do(user).order_by("month").values_list("month", flat=True).first()
    url = reverse("payments:overview")
    return f"{url}?month={month:%Y-%m}" if month else url

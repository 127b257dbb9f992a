from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "规划指标"

    def ready(self) -> None:
        from . import freshness

        freshness.connect_signals()

        # Example reference growth rates for the demo (`manage.py generate_demo_data`), after the records.
        from registry import demo_steps

        demo_steps.register(
            demo_steps.DemoStep(
                app="indicators", order=50, generate=_demo_growth, flushed=False, line=_demo_growth_line
            )
        )


def _demo_growth(*, rng, batch_size: int) -> int:
    from indicators.demo import generate_example_growth

    return generate_example_growth()


def _demo_growth_line(created: int, seconds: float) -> str | None:
    if not created:
        return None
    return f"indicators: K01参照增速示例 {created} 年（标为示例，请工作人员录入正式数值）"

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "年度调查"

    def ready(self) -> None:
        # The demo's campaign of this year, opened by demo_staff once the demo accounts exist.
        from registry import demo_steps

        demo_steps.register(
            demo_steps.DemoStep(app="campaigns", order=100, generate=_demo_campaign, after_accounts=True)
        )


def _demo_campaign(*, rng, batch_size: int) -> dict[str, int]:
    from campaigns.demo import generate_demo

    return generate_demo(rng=rng)

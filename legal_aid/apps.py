from django.apps import AppConfig


class LegalAidConfig(AppConfig):
    name = "legal_aid"
    verbose_name = "法律救助"

    def ready(self) -> None:
        from core import workbench
        from legal_aid.demo import generate_demo
        from registry import demo_steps

        workbench.register(
            key="legal_aid_long_open",
            title="法律救助案件超过90天未结",
            order=60,
            count=_long_open_count,
            url=workbench.link("legal_aid:case_list", "?state=long_open"),
            help_text="立案超过90天仍在办理的法律救助案件：请跟进承办律师或机构，办结后登记结案",
        )
        # Its demo records for `manage.py generate_demo_data`.
        demo_steps.register(demo_steps.DemoStep(app="legal_aid", order=12, generate=generate_demo))


def _long_open_count(user, year: int) -> int:
    from legal_aid.selectors import long_open_cases

    return long_open_cases(user=user).count()

from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "教育助学"

    def ready(self) -> None:
        from core import workbench
        from core.roles import sees_person_data
        from education.demo import generate_demo
        from registry import demo_steps

        workbench.register(
            key="education_gap",
            title="未入学且无送教上门",
            order=45,
            count=_gap_count,
            url=workbench.link("education:gap_list", "?year={year}"),
            help_text="今年调查为未入学、今年尚无送教上门的6–15周岁残疾儿童少年",
            applies=sees_person_data,
        )
        # Its demo records for `manage.py generate_demo_data`: after the demo campaign (order 100), whose
        # surveys of this year decide this year's 未入学 children and so the gap list.
        demo_steps.register(
            demo_steps.DemoStep(app="education", order=101, generate=generate_demo, after_accounts=True)
        )


def _gap_count(user, year: int) -> int:
    from education.selectors import gap_count

    return gap_count(user, year)

"""The default 办理时限 of each source, in working days (district staff change them on the
cases:deadline_rules page): petitions 15 working days, the disability hotline 12385 7, the
government hotlines 12345 and 96180 5, other sources 15. 人大建议 and 政协提案 carry the date of
their assignment letter and have no rule."""

from django.db import migrations

DEFAULTS = [
    ("letter", 15, "信访事项：受理之日起15个工作日内答复"),
    ("visit", 15, "信访事项：受理之日起15个工作日内答复"),
    ("online", 15, "网上信访：受理之日起15个工作日内答复"),
    ("12385", 7, "12385残疾人维权服务热线交办事项"),
    ("12345", 5, "12345政务服务热线工单"),
    ("96180", 5, "96180热线交办事项"),
    ("other", 15, ""),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("cases", "DeadlineRule")
    for source, days, note in DEFAULTS:
        DeadlineRule.objects.get_or_create(source=source, defaults={"working_days": days, "note": note})


def unseed(apps, schema_editor):
    apps.get_model("cases", "DeadlineRule").objects.filter(source__in=[s for s, _, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_cases_and_actions")]

    operations = [migrations.RunPython(seed, unseed)]

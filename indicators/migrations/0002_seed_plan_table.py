"""Seed the 12 indicators of the plan table with their 2020–2025 targets."""

from django.db import migrations


def seed(apps, schema_editor):
    from indicators.plan import ensure_plan_data

    ensure_plan_data(apps.get_model("indicators", "Indicator"), apps.get_model("indicators", "Target"))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

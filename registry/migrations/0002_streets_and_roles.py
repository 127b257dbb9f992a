"""The 13 streets of Gulou district and the four role groups (access.md)."""

from django.db import migrations

from core.reference import ROLE_GROUPS, ensure_reference_data


def forwards(apps, schema_editor):
    ensure_reference_data(apps.get_model("registry", "Street"), apps.get_model("auth", "Group"))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

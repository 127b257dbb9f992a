"""A GIN index on the persons an access-log row showed, for "who looked at this person" (admin search).

The access log grows by one row per request that reads person data; finding the lists and API pages
that showed one person is a JSON containment test (person_ids @> '[42]'), which jsonb_path_ops serves.
PostgreSQL only; other databases scan.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS accesslog_person_ids ON registry_accesslog "
    "USING gin (person_ids jsonb_path_ops)"
)
DROP = "DROP INDEX IF EXISTS accesslog_person_ids"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_access_log_doors_and_counts")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

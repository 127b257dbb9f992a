"""Fill the pinyin of stored persons' names and add the search indexes (PostgreSQL).

- name_initials: a pattern index, so that "zs" (LIKE 'zs%') finds 张三 by an index range scan.
- reverse(id_number), reverse(phone): pattern indexes, so that the last 4–8 digits of an ID number or a
  phone number are a prefix search on the reversed text instead of a scan of the register.
Measured at 1,000,000 persons in docs/performance.md. Other databases (SQLite's quick start) scan.
"""

from django.db import migrations

INDEXES = {
    "person_name_initials_like": "(name_initials varchar_pattern_ops)",
    "person_id_number_tail": "(reverse(id_number) text_pattern_ops)",
    "person_phone_tail": "(reverse(phone) text_pattern_ops)",
}
BATCH = 5000


def fill_pinyin(apps, schema_editor):
    from core.pinyin import name_pinyin

    Person = apps.get_model("registry", "Person")
    names = list(Person.objects.filter(name_initials="").values_list("name", flat=True).distinct())
    connection = schema_editor.connection
    for start in range(0, len(names), BATCH):
        rows = [(name, *name_pinyin(name)) for name in names[start : start + BATCH]]
        if connection.vendor == "postgresql":
            # one statement per batch of distinct names (the name index finds their persons)
            values = ", ".join(["(%s, %s, %s)"] * len(rows))
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE registry_person AS p SET name_pinyin = v.pinyin, name_initials = v.initials "
                    f"FROM (VALUES {values}) AS v(name, pinyin, initials) WHERE p.name = v.name",
                    [value for row in rows for value in row],
                )
        else:
            for name, full, initials in rows:
                Person.objects.filter(name=name).update(name_pinyin=full, name_initials=initials)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON registry_person {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0011_person_name_pinyin")]

    operations = [
        migrations.RunPython(fill_pinyin, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]

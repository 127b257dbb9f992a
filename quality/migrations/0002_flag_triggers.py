"""PostgreSQL keeps quality_flag up to date (see quality/models.py); SQLite has no triggers and skips it.

quality_refresh_flags(persons) recomputes both rules for the given persons: misdated rehab services
(selectors.misdated_rehab_services) and overlapping grants (selectors.overlapping_grants), each stated
as the rule's queryset states it. Statement-level triggers call it with the persons whose services or
grants a statement inserted, updated or deleted, and with those whose certificate date or status an
update changed (a record's person never changes, and a person with records is never deleted).
"""

from django.db import migrations

GONE = "('cancelled', 'deceased', 'moved_out')"
MISDATED = f"""
    SELECT 'misdated_services', r.id, r.person_id
    FROM rehab_rehabservice r JOIN registry_person p ON p.id = r.person_id
    WHERE (r.service_date < p.issued_on
           OR (p.status IN {GONE} AND r.service_date > p.status_changed_on))"""
OVERLAPPING = """
    SELECT 'overlapping_grants', g.id, g.person_id
    FROM subsidies_grant g
    WHERE EXISTS (
        SELECT 1 FROM subsidies_grant u
        WHERE u.person_id = g.person_id AND u.kind = g.kind AND u.id <> g.id
          AND u.start_month <= COALESCE(g.end_month, DATE '9999-12-01')
          AND (u.end_month IS NULL OR u.end_month >= g.start_month))"""
INSERT = "INSERT INTO quality_flag (rule, record_id, person_id)"
TABLES = [("rehab_rehabservice", "misdated_services"), ("subsidies_grant", "overlapping_grants")]

FORWARD = f"""
CREATE FUNCTION quality_refresh_flags(persons bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM quality_flag WHERE person_id = ANY(persons);
    {INSERT} {MISDATED} AND r.person_id = ANY(persons);
    {INSERT} {OVERLAPPING} AND g.person_id = ANY(persons);
$$;

CREATE FUNCTION quality_flags_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quality_refresh_flags(ARRAY(SELECT DISTINCT person_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION quality_flags_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quality_refresh_flags(ARRAY(SELECT DISTINCT person_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION quality_flags_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quality_refresh_flags(
        ARRAY(SELECT person_id FROM new_rows UNION SELECT person_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION quality_flags_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM quality_flag WHERE rule = TG_ARGV[0];
    RETURN NULL;
END $$;

CREATE FUNCTION quality_flags_person_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM quality_refresh_flags(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.issued_on, n.status, n.status_changed_on)
              IS DISTINCT FROM (o.issued_on, o.status, o.status_changed_on)));
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER quality_flags_{table}_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_flags_inserted();
CREATE TRIGGER quality_flags_{table}_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quality_flags_updated();
CREATE TRIGGER quality_flags_{table}_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION quality_flags_deleted();
CREATE TRIGGER quality_flags_{table}_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION quality_flags_truncated('{rule}');
"""
    for table, rule in TABLES
) + f"""
CREATE TRIGGER quality_flags_person_update AFTER UPDATE ON registry_person
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION quality_flags_person_updated();

{INSERT} {MISDATED};
{INSERT} {OVERLAPPING};
ANALYZE quality_flag;
"""

BACKWARD = """
DROP TRIGGER quality_flags_person_update ON registry_person;
""" + "".join(
    f"""
DROP TRIGGER quality_flags_{table}_insert ON {table};
DROP TRIGGER quality_flags_{table}_update ON {table};
DROP TRIGGER quality_flags_{table}_delete ON {table};
DROP TRIGGER quality_flags_{table}_truncate ON {table};
"""
    for table, _rule in TABLES
) + """
DROP FUNCTION quality_flags_person_updated();
DROP FUNCTION quality_flags_truncated();
DROP FUNCTION quality_flags_updated();
DROP FUNCTION quality_flags_deleted();
DROP FUNCTION quality_flags_inserted();
DROP FUNCTION quality_refresh_flags(bigint[]);
DELETE FROM quality_flag;
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_flags"),
        ("registry", "0018_gap_list_severe_index"),
        ("rehab", "0005_gap_list_indexes"),
        ("subsidies", "0005_person_record_base"),
    ]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD))]

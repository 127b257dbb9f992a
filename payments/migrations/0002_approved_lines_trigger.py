"""PostgreSQL refuses any change to a line of an approved roll, whatever code path tries it.

Once `locked` (set at approval), a line's roll, person, grant, kind, month, amount and type never
change and the line is never deleted; only the bank's return file may mark it failed (and then
`paid` is cleared so that the arrears line can be paid). SQLite relies on the model guard.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION payments_rollline_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.locked THEN
            RAISE EXCEPTION 'line % of an approved roll cannot be deleted', OLD.id
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.locked AND (
        (NEW.roll_id, NEW.person_id, NEW.grant_id, NEW.kind, NEW.month, NEW.amount, NEW.type, NEW.locked)
        IS DISTINCT FROM
        (OLD.roll_id, OLD.person_id, OLD.grant_id, OLD.kind, OLD.month, OLD.amount, OLD.type, OLD.locked)
        OR (OLD.failed AND NOT NEW.failed)
        OR (NOT OLD.paid AND NEW.paid)
    ) THEN
        RAISE EXCEPTION 'line % of an approved roll cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS payments_rollline_guard ON payments_rollline;
CREATE TRIGGER payments_rollline_guard BEFORE UPDATE OR DELETE ON payments_rollline
    FOR EACH ROW EXECUTE FUNCTION payments_rollline_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS payments_rollline_guard ON payments_rollline;
DROP FUNCTION IF EXISTS payments_rollline_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_payments_initial")]

    operations = [migrations.RunPython(create, drop)]

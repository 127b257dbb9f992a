"""A roll line's roll, person and grant: checked once per statement instead of by row-level foreign keys.

PostgreSQL checks a foreign key with one trigger call per new row at commit, each locking the
referenced row (FOR KEY SHARE writes to the person's and the grant's heap page): 35-45 % of the
time of a district build (docs/performance.md). The foreign keys go (db_constraint=False) and the
database keeps the guarantee with triggers that look at a whole statement at once:
- every INSERT into payments_rollline checks in one anti-join that each new line's roll exists and
  its grant exists and belongs to the line's person (stronger than the foreign keys: the grant is
  the person's);
- an UPDATE that changes a line's roll, person or grant checks that row (the build never does it);
- deleting a roll, a grant or a person that has lines is refused (the application never deletes
  grants or persons: grants end, persons change status; Django's PROTECT refuses it first; a roll
  is deleted by Django's CASCADE, which deletes its lines first).
Unlike a foreign key these checks do not lock the referenced rows; that is safe because nothing
deletes persons or grants while a roll is built. SQLite relies on the model (PROTECT).
"""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION payments_rollline_refs_check() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM new_lines n
        WHERE NOT EXISTS (
            SELECT 1 FROM subsidies_grant g WHERE g.id = n.grant_id AND g.person_id = n.person_id
        ) OR NOT EXISTS (SELECT 1 FROM payments_roll r WHERE r.id = n.roll_id)
    ) THEN
        RAISE EXCEPTION 'a roll line refers to a roll or grant that does not exist, or to another person''s grant'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION payments_rollline_refs_check_row() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM subsidies_grant g WHERE g.id = NEW.grant_id AND g.person_id = NEW.person_id
    ) OR NOT EXISTS (SELECT 1 FROM payments_roll r WHERE r.id = NEW.roll_id) THEN
        RAISE EXCEPTION 'roll line % refers to a roll or grant that does not exist, or to another person''s grant',
            NEW.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION payments_rollline_refs_keep() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'subsidies_grant' THEN
        IF EXISTS (SELECT 1 FROM payments_rollline l JOIN gone ON gone.id = l.grant_id) THEN
            RAISE EXCEPTION 'a grant on a payment roll cannot be deleted'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'payments_roll' THEN
        IF EXISTS (SELECT 1 FROM payments_rollline l JOIN gone ON gone.id = l.roll_id) THEN
            RAISE EXCEPTION 'a roll that has lines cannot be deleted before its lines'
                USING ERRCODE = 'foreign_key_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM payments_rollline l JOIN gone ON gone.id = l.person_id) THEN
        RAISE EXCEPTION 'a person on a payment roll cannot be deleted'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_rollline_refs_insert AFTER INSERT ON payments_rollline
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION payments_rollline_refs_check();
CREATE TRIGGER payments_rollline_refs_update AFTER UPDATE ON payments_rollline
    FOR EACH ROW WHEN (
        (OLD.roll_id, OLD.person_id, OLD.grant_id) IS DISTINCT FROM (NEW.roll_id, NEW.person_id, NEW.grant_id)
    )
    EXECUTE FUNCTION payments_rollline_refs_check_row();
CREATE TRIGGER payments_rollline_keep_grant AFTER DELETE ON subsidies_grant
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION payments_rollline_refs_keep();
CREATE TRIGGER payments_rollline_keep_roll AFTER DELETE ON payments_roll
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION payments_rollline_refs_keep();
CREATE TRIGGER payments_rollline_keep_person AFTER DELETE ON registry_person
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION payments_rollline_refs_keep();
"""

DROP = """
DROP TRIGGER IF EXISTS payments_rollline_refs_insert ON payments_rollline;
DROP TRIGGER IF EXISTS payments_rollline_refs_update ON payments_rollline;
DROP TRIGGER IF EXISTS payments_rollline_keep_grant ON subsidies_grant;
DROP TRIGGER IF EXISTS payments_rollline_keep_roll ON payments_roll;
DROP TRIGGER IF EXISTS payments_rollline_keep_person ON registry_person;
DROP FUNCTION IF EXISTS payments_rollline_refs_check();
DROP FUNCTION IF EXISTS payments_rollline_refs_check_row();
DROP FUNCTION IF EXISTS payments_rollline_refs_keep();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0006_street_moved_to_core"),
        ("registry", "0013_community_history"),
        ("subsidies", "0004_date_bounds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rollline",
            name="roll",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="payments.roll",
                verbose_name="发放名册",
            ),
        ),
        migrations.AlterField(
            model_name="rollline",
            name="grant",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="subsidies.grant",
                verbose_name="补贴",
            ),
        ),
        migrations.AlterField(
            model_name="rollline",
            name="person",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.person",
                verbose_name="持证残疾人",
            ),
        ),
        migrations.RunPython(create, drop),
    ]

"""The database holds the order of an application's steps (PostgreSQL; SQLite, for the local smoke
run only, relies on the services). Mirrors certificates.services.expected_next_steps."""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION certificates_step_order() RETURNS trigger AS $$
DECLARE
  app_needs_assessment boolean;
  last_kind text;
  last_seq integer;
  appealed boolean;
  expected text;
  new_state text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION '已记录的办理环节不能修改或删除' USING ERRCODE = 'check_violation';
  END IF;
  SELECT needs_assessment INTO app_needs_assessment
    FROM certificates_application WHERE id = NEW.application_id FOR UPDATE;
  SELECT kind, sequence INTO last_kind, last_seq FROM certificates_applicationstep
    WHERE application_id = NEW.application_id ORDER BY sequence DESC LIMIT 1;
  SELECT EXISTS(SELECT 1 FROM certificates_applicationstep
    WHERE application_id = NEW.application_id AND kind = 'appeal') INTO appealed;
  IF last_kind IS NULL THEN expected := 'intake';
  ELSIF last_kind = 'intake' THEN
    expected := CASE WHEN app_needs_assessment THEN 'assessment' ELSE 'street_review' END;
  ELSIF last_kind = 'assessment' THEN
    expected := CASE WHEN appealed THEN 'district_review' ELSE 'street_review' END;
  ELSIF last_kind = 'street_review' THEN expected := 'district_review';
  ELSIF last_kind = 'district_review' AND NOT appealed THEN expected := 'appeal';
  ELSIF last_kind = 'appeal' THEN expected := 'assessment';
  ELSE expected := NULL;
  END IF;
  IF expected IS NULL OR NEW.kind <> expected OR NEW.sequence <> COALESCE(last_seq, 0) + 1 THEN
    RAISE EXCEPTION '环节顺序错误：申请 % 的下一步应为 %，不能录入 %（序号 %）',
      NEW.application_id, COALESCE(expected, '（已办结）'), NEW.kind, NEW.sequence
      USING ERRCODE = 'check_violation';
  END IF;
  new_state := CASE NEW.kind
    WHEN 'intake' THEN 'received'
    WHEN 'assessment' THEN CASE WHEN appealed THEN 'reassessed' ELSE 'assessed' END
    WHEN 'street_review' THEN 'street_reviewed'
    WHEN 'district_review' THEN CASE WHEN NEW.decision = 'issue' THEN 'issued' ELSE 'refused' END
    WHEN 'appeal' THEN 'appealed'
  END;
  UPDATE certificates_application SET state = new_state WHERE id = NEW.application_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_step_order
  BEFORE INSERT OR UPDATE OR DELETE ON certificates_applicationstep
  FOR EACH ROW EXECUTE FUNCTION certificates_step_order();

-- The state moves only with a step (the trigger above, one level down): never by a plain UPDATE.
CREATE OR REPLACE FUNCTION certificates_state_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.state <> 'received' THEN
    RAISE EXCEPTION '新申请的状态只能是“已受理”' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.state IS DISTINCT FROM OLD.state AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION '申请状态只能随办理环节变更' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_state_guard
  BEFORE INSERT OR UPDATE ON certificates_application
  FOR EACH ROW EXECUTE FUNCTION certificates_state_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS certificates_state_guard ON certificates_application;
DROP FUNCTION IF EXISTS certificates_state_guard();
DROP TRIGGER IF EXISTS certificates_step_order ON certificates_applicationstep;
DROP FUNCTION IF EXISTS certificates_step_order();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_applications_and_steps")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

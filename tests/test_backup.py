"""scripts/backup.sh and scripts/restore.sh on a scratch PostgreSQL database: a real round trip.

The scratch databases get a unique suffix, so concurrent runs never meet; they are dropped at the end.
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import environ
import psycopg2
import pytest
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent
SERVER_URL = os.environ.get("BACKUP_TEST_SERVER_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# Runs in a subprocess on the scratch database: a few rows in the register, with Chinese text.
WRITE_ROWS = """
from django.contrib.auth.models import Group
from core.models import Street
from core.reference import ensure_reference_data
from core.roles import Role
from registry.tests.factories import CommunityFactory, PersonFactory, make_user
ensure_reference_data(Street, Group)
community = CommunityFactory(name="回归测试社区")
for _ in range(5):
    PersonFactory(community=community, street=community.street)
make_user("backup_clerk", Role.STREET_CLERK, "宁海路街道")
"""


@contextmanager
def server_cursor(database: str = "postgres"):
    """An autocommit cursor (CREATE/DROP DATABASE cannot run in a transaction); closed afterwards."""
    connection = _connect(database)
    try:
        with connection.cursor() as cursor:
            yield cursor
    finally:
        connection.close()


def _connect(database: str = "postgres"):
    config = environ.Env.db_url_config(SERVER_URL)
    connection = psycopg2.connect(
        dbname=database,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def database_url(name: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + name


def create_database(name: str) -> None:
    with server_cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    with server_cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def table_counts(name: str) -> dict[str, int]:
    with server_cursor(name) as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
        return counts


def query(name: str, statement: str) -> list[tuple]:
    with server_cursor(name) as cursor:
        cursor.execute(statement)
        return cursor.fetchall()


def script_env(name: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "BACKUP_"))}
    env.update(DATABASE_URL=database_url(name), DJANGO_SETTINGS_MODULE="gulou_portal.settings.test", **extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def scratch_database():
    """A migrated database with a few rows; its name has a unique suffix."""
    try:
        _connect().close()
    except psycopg2.Error as error:
        pytest.skip(f"PostgreSQL not reachable at {SERVER_URL}: {error}")
    name = f"gulou_backup_test_{uuid.uuid4().hex[:10]}"
    create_database(name)
    try:
        for command in (["migrate", "--noinput"], ["shell", "-c", WRITE_ROWS]):
            result = run([sys.executable, "manage.py", *command], script_env(name))
            assert result.returncode == 0, result.stderr
        yield name
    finally:
        drop_database(name)


def backup(name: str, backup_dir: Path, keep: int = 14) -> Path:
    result = run(
        [str(ROOT / "scripts" / "backup.sh")],
        script_env(name, BACKUP_DIR=str(backup_dir), BACKUP_KEEP=str(keep)),
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def test_backup_and_restore_round_trip_keeps_every_row(scratch_database, tmp_path):
    # given a database with persons, a community and a user, backed up
    before = table_counts(scratch_database)
    assert before["registry_person"] == 5
    names_before = query(scratch_database, "SELECT name, id_number FROM registry_person ORDER BY id")
    dump = backup(scratch_database, tmp_path)
    assert dump.parent == tmp_path and dump.name.startswith(f"gulou-{scratch_database}-")
    assert dump.stat().st_mode & 0o077 == 0, "backups hold personal data: owner only"
    # when the database is lost and recreated empty, then restored
    drop_database(scratch_database)
    create_database(scratch_database)
    result = run([str(ROOT / "scripts" / "restore.sh"), "--yes", str(dump)], script_env(scratch_database))
    assert result.returncode == 0, result.stderr
    # then every table has its rows back, Chinese text intact
    assert table_counts(scratch_database) == before
    assert query(scratch_database, "SELECT name, id_number FROM registry_person ORDER BY id") == names_before
    assert query(scratch_database, "SELECT name FROM registry_community") == [("回归测试社区",)]
    # and the restored database takes new rows (sequences restored, migrations recorded)
    result = run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            # another birth date: the factory's sequence starts again in a new process
            "import datetime; from registry.tests.factories import PersonFactory; "
            "PersonFactory(birth=datetime.date(1990, 5, 5))",
        ],
        script_env(scratch_database),
    )
    assert result.returncode == 0, result.stderr
    assert table_counts(scratch_database)["registry_person"] == 6
    check = run([sys.executable, "manage.py", "migrate", "--check"], script_env(scratch_database))
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_over_a_changed_database_brings_back_the_backed_up_state(scratch_database, tmp_path):
    # given a backup, then a person deleted after it
    before = table_counts(scratch_database)
    dump = backup(scratch_database, tmp_path)
    query_and_commit = (
        "DELETE FROM registry_person WHERE id = (SELECT max(id) FROM registry_person) RETURNING id"
    )
    assert query(scratch_database, query_and_commit)
    # when the backup is restored over the live database
    result = run([str(ROOT / "scripts" / "restore.sh"), "--yes", str(dump)], script_env(scratch_database))
    # then the person is back
    assert result.returncode == 0, result.stderr
    assert table_counts(scratch_database) == before


def test_backup_keeps_only_the_newest_files(scratch_database, tmp_path):
    unrelated = tmp_path / "gulou-other_database-20200101-000000-000.dump"
    unrelated.write_bytes(b"not ours")
    dumps = [backup(scratch_database, tmp_path, keep=2) for _ in range(3)]
    remaining = sorted(tmp_path.glob(f"gulou-{scratch_database}-*.dump"))
    assert remaining == sorted(dumps[1:])
    assert unrelated.exists(), "other databases' backups are left alone"
    assert not list(tmp_path.glob("*.partial"))


def test_restore_refuses_without_yes(scratch_database, tmp_path):
    dump = backup(scratch_database, tmp_path)
    query(scratch_database, "UPDATE registry_community SET name = '改名后的社区' RETURNING id")
    result = run([str(ROOT / "scripts" / "restore.sh"), str(dump)], script_env(scratch_database))
    assert result.returncode == 2
    assert "--yes" in result.stderr
    assert query(scratch_database, "SELECT name FROM registry_community") == [("改名后的社区",)]
    query(scratch_database, "UPDATE registry_community SET name = '回归测试社区' RETURNING id")


def test_restore_rejects_a_file_that_is_not_a_backup(scratch_database, tmp_path):
    bogus = tmp_path / "persons.xlsx"
    bogus.write_bytes(b"PK\x03\x04 not a dump")
    result = run([str(ROOT / "scripts" / "restore.sh"), "--yes", str(bogus)], script_env(scratch_database))
    assert result.returncode == 2
    assert "not a pg_dump" in result.stderr


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = script_env("unused", BACKUP_DIR=str(tmp_path))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    result = run([str(ROOT / "scripts" / "backup.sh")], env)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert not list(tmp_path.iterdir())

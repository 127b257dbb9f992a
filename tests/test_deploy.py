"""Production configuration: settings, security headers, /healthz, the Docker files and the native stack.

The production settings are exercised in subprocesses (the test process runs the test settings), with an
environment built here so that nothing of the developer's environment leaks in.
"""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys
import types
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone
from freezegun import freeze_time

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
APP_SERVICES = ("web", "worker", "beat")
# Variables of the caller's environment that would change what the production settings see.
SCRUBBED_PREFIXES = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "GUNICORN_", "DB_CONN")


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SCRUBBED_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="gulou_portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="portal.example,testserver",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


# Runs inside a production-settings process: makes requests with Django's test client and prints the
# status, headers and cookies of each as JSON.
PROBE = r"""
import json, logging, sys
import django
django.setup()
from django.test import Client

client = Client()
requests = json.loads(sys.argv[1])
results = []
for path, kwargs in requests:
    response = client.get(path, **kwargs)
    results.append({
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}
                    for name, c in response.cookies.items()},
        "json": response.json() if response.get("Content-Type") == "application/json" else None,
    })
logging.getLogger("probe").warning("probe finished", extra={"requests": len(requests)})
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected as the image build does (hashed names: pages cannot render without them)."""
    root = tmp_path_factory.mktemp("staticfiles")
    result = run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        production_env(DJANGO_STATIC_ROOT=str(root)),
    )
    assert result.returncode == 0, result.stderr
    return root


def test_collectstatic_writes_hashed_compressed_files(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert re.fullmatch(r"vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css", hashed)
    assert (static_root / (hashed + ".gz")).exists()


def probe(requests: list[tuple[str, dict]], static_root: Path, **env_overrides: str | None) -> list[dict]:
    # an empty SQLite database unless the test says otherwise: SELECT 1 answers, no table is needed
    env_overrides.setdefault("DATABASE_URL", f"sqlite:///{static_root.parent / 'probe.sqlite3'}")
    env = production_env(DJANGO_STATIC_ROOT=str(static_root), **env_overrides)
    result = run([sys.executable, "-c", PROBE, json.dumps(requests)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- production settings -------------------------------------------------------------------------


def test_check_deploy_is_clean_under_production_settings():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_required_variable(variable):
    if (ROOT / ".env").exists() and re.search(rf"^{variable}=.+", (ROOT / ".env").read_text(), re.M):
        pytest.skip(f"./.env sets {variable}: the settings would read it from there")
    result = run([sys.executable, "manage.py", "check"], production_env(**{variable: None}))
    assert result.returncode != 0
    assert variable in result.stderr


def test_production_settings_refuse_an_empty_secret_key():
    result = run([sys.executable, "manage.py", "check"], production_env(DJANGO_SECRET_KEY=""))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_ignores_django_debug():
    result = run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        production_env(DJANGO_DEBUG="true"),
    )
    assert result.stdout.strip() == "False", result.stderr


def test_https_responses_carry_hsts_csp_and_secure_cookies(static_root):
    # given the portal behind a TLS-terminating proxy that sets X-Forwarded-Proto
    login, healthz_plain, login_plain = probe(
        [
            ("/accounts/login/", {"headers": {"X-Forwarded-Proto": "https"}}),
            ("/healthz", {}),
            ("/accounts/login/", {}),
        ],
        static_root,
    )
    # then the login page over https has the security headers and secure cookies
    assert login["status"] == 200
    headers = login["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert login["cookies"]["csrftoken"]["secure"]
    script_src = csp_directive(headers["Content-Security-Policy"], "script-src")
    assert script_src == ["'self'"]
    # and plain http is redirected to https, except the health check that probes use on loopback
    assert login_plain["status"] == 301
    assert login_plain["headers"]["Location"] == "https://testserver/accounts/login/"
    assert healthz_plain["status"] == 200
    assert "Strict-Transport-Security" not in healthz_plain["headers"]


def test_plain_http_loopback_stack_neither_redirects_nor_sets_secure_cookies(static_root):
    (login,) = probe(
        [("/accounts/login/", {})],
        static_root,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
    )
    assert login["status"] == 200
    assert not login["cookies"]["csrftoken"]["secure"]


def test_healthz_answers_503_when_the_database_is_unreachable(static_root):
    (healthz,) = probe(
        [("/healthz", {})], static_root, DATABASE_URL="postgres://postgres@127.0.0.1:1/unreachable"
    )
    assert healthz["status"] == 503
    assert healthz["json"]["database"] == "error"
    assert healthz["json"]["status"] == "error"


def test_healthz_answers_503_when_redis_is_unreachable(static_root):
    (healthz,) = probe(
        [("/healthz", {})],
        static_root,
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    assert healthz["status"] == 503
    assert healthz["json"] == {
        "status": "error",
        "database": "ok",
        "redis": "error",
        "last_indicator_run_age_seconds": None,
    }


def test_production_logs_are_json_lines():
    result = run(
        [
            sys.executable,
            "-c",
            "import django, logging; django.setup(); "
            "logging.getLogger('gulou').warning('赵 \"quoted\"', extra={'rows': 3})",
        ],
        production_env(),
    )
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "gulou"
    assert entry["message"] == '赵 "quoted"'
    assert entry["rows"] == 3


def csp_directive(policy: str, name: str) -> list[str]:
    for directive in policy.split(";"):
        parts = directive.split()
        if parts and parts[0] == name:
            return parts[1:]
    raise AssertionError(f"no {name} in {policy}")


# --- CSP in the test process (same base settings) ------------------------------------------------


@pytest.mark.django_db
def test_login_page_csp_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp_directive(policy, "script-src")
    assert "'unsafe-eval'" not in csp_directive(policy, "script-src")
    assert_no_inline_script(response.content.decode())


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.I)


def assert_no_inline_script(html: str):
    for match in INLINE_SCRIPT.finditer(html):
        # data-only script elements (json_script) do not run
        assert 'type="application/json"' in match.group(0), match.group(0)


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/add/"]
)
def test_django_admin_pages_need_no_inline_script(path, client_for, admin_user):
    response = client_for(admin_user).get(path)
    assert response.status_code == 200
    assert_no_inline_script(response.content.decode())


# --- /healthz --------------------------------------------------------------------------------------


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = ""


def fake_selectors(monkeypatch, last_completed_run):
    monkeypatch.setattr("indicators.selectors.last_completed_run", last_completed_run)


@pytest.mark.django_db
def test_healthz_reports_database_redis_and_indicator_age(client, settings, redis_url, monkeypatch):
    # given Redis configured and an indicator run that finished 90 seconds ago
    settings.REDIS_URL = redis_url
    with freeze_time("2026-11-28 10:00:00"):
        finished = timezone.now() - timedelta(seconds=90)
        fake_selectors(monkeypatch, lambda: types.SimpleNamespace(finished_at=finished))
        # when a probe asks
        response = client.get("/healthz")
    # then everything is reported
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "last_indicator_run_age_seconds": 90,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reads_the_last_succeeded_indicator_run(client, no_redis):
    from indicators.models import RunStatus
    from indicators.tests.factories import IndicatorRunFactory

    # given a run that succeeded at 02:00:03 and a later one that failed
    IndicatorRunFactory()
    IndicatorRunFactory(status=RunStatus.FAILED, started_at=timezone.now() - timedelta(minutes=5))
    # when a probe asks an hour later
    with freeze_time("2026-11-28 03:00:03+00:00"):
        response = client.get("/healthz")
    # then the age is that of the succeeded run
    assert response.json()["last_indicator_run_age_seconds"] == 3600


@pytest.mark.django_db
def test_healthz_without_redis_or_indicator_runs(client, no_redis, monkeypatch):
    fake_selectors(monkeypatch, lambda: None)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "not_configured"
    assert response.json()["last_indicator_run_age_seconds"] is None


@pytest.mark.django_db
def test_healthz_falls_back_to_the_celery_broker_for_redis(client, settings, redis_url):
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_URL = redis_url
    assert client.get("/healthz").json()["redis"] == "ok"


@pytest.mark.django_db
def test_healthz_stays_up_when_the_indicator_selector_fails(client, no_redis, monkeypatch):
    def broken():
        raise RuntimeError("indicator tables missing")

    fake_selectors(monkeypatch, broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["last_indicator_run_age_seconds"] is None


@pytest.mark.django_db
def test_healthz_tolerates_a_missing_indicator_selector(client, no_redis, monkeypatch):
    monkeypatch.delattr("indicators.selectors.last_completed_run")  # the import raises ImportError
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["last_indicator_run_age_seconds"] is None


@pytest.mark.django_db
def test_healthz_answers_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "error"


# --- Celery ---------------------------------------------------------------------------------------


def test_ping_task_is_registered_for_workers():
    from gulou_portal.celery import app

    app.loader.import_default_modules()
    assert "gulou_portal.tasks.ping" in app.tasks


@pytest.mark.celery_worker
def test_ping_task_round_trip_through_a_real_worker(celery_redis_worker):
    from gulou_portal.tasks import ping

    assert ping.delay().get(timeout=20) == "pong"


# --- Docker files and the native stack ------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def stack_commands():
    result = subprocess.run(
        [str(ROOT / "scripts" / "stack.sh"), "commands"], capture_output=True, text=True, check=True
    )
    return dict(line.split(": ", 1) for line in result.stdout.strip().splitlines())


def test_compose_names_the_five_services_with_healthchecks_and_restart_policies(compose):
    services = compose["services"]
    for name in ("db", "redis", *APP_SERVICES):
        assert services[name]["healthcheck"]["test"], name
        assert services[name]["restart"] == "unless-stopped", name
    assert services["db"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["db"]["volumes"])
    assert services["redis"]["image"] == "redis:7"
    assert "gulou_portal.healthcheck" in services["web"]["healthcheck"]["test"]


def test_compose_migrates_once_before_the_application_starts(compose):
    services = compose["services"]
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "gulou_portal.settings.production"


def test_compose_keeps_the_beat_schedule_on_a_volume(compose):
    beat = compose["services"]["beat"]
    schedule = beat["environment"]["CELERY_BEAT_SCHEDULE_FILENAME"]
    mounts = [volume.split(":")[1] for volume in beat["volumes"]]
    assert os.path.dirname(schedule) in mounts
    assert beat["volumes"][0].split(":")[0] in compose["volumes"]


def test_compose_runs_the_same_commands_as_the_native_stack(compose, stack_commands):
    for name in (*APP_SERVICES, "migrate"):
        assert shlex.join(compose["services"][name]["command"]) == stack_commands[name], name


def test_dockerfile_runs_the_web_command_as_a_non_root_user(stack_commands):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert shlex.join(json.loads(cmd)) == stack_commands["web"]
    user = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert user and user[-1] not in ("root", "0")
    assert "collectstatic --noinput" in dockerfile
    assert "tomllib" in dockerfile and "pyproject.toml" in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", ".git", "*.sqlite3"):
        assert entry in ignored


def test_every_command_in_compose_exists_in_the_virtualenv(compose, stack_commands):
    commands = [compose["services"][name]["command"] for name in (*APP_SERVICES, "migrate")]
    commands += [
        shlex.split(compose["services"][name]["healthcheck"]["test"][1])
        for name in ("worker", "beat")
        if compose["services"][name]["healthcheck"]["test"][0] == "CMD-SHELL"
    ]
    commands.append(compose["services"]["web"]["healthcheck"]["test"][1:])
    for command in commands:
        assert (VENV_BIN / command[0]).exists(), command
    # and the modules and config files they name are there
    assert (ROOT / "gulou_portal" / "gunicorn.conf.py").exists()
    assert run([sys.executable, "-c", "import gulou_portal.healthcheck"], os.environ.copy()).returncode == 0


def test_gunicorn_config_and_application_load_under_production_settings():
    result = run(
        [
            str(VENV_BIN / "gunicorn"),
            "--check-config",
            "--config",
            "gulou_portal/gunicorn.conf.py",
            "gulou_portal.wsgi:application",
        ],
        production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_app_loads_under_production_settings():
    result = run(
        [
            sys.executable,
            "-c",
            "from gulou_portal.celery import app; app.loader.import_default_modules(); "
            "print(app.conf.beat_schedule_filename, 'gulou_portal.tasks.ping' in app.tasks)",
        ],
        production_env(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", CELERY_BEAT_SCHEDULE_FILENAME="/x/beat"),
    )
    assert result.stdout.split() == ["/x/beat", "True"], result.stderr


def _variables_read_by_the_deployment() -> set[str]:
    names: set[str] = set()
    for path in ("gulou_portal/settings/base.py", "gulou_portal/settings/production.py"):
        names |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', (ROOT / path).read_text()))
    names |= set(
        re.findall(
            r'os\.environ\.get\("([A-Z][A-Z0-9_]+)"', (ROOT / "gulou_portal/gunicorn.conf.py").read_text()
        )
    )
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    names |= set(re.findall(r"setting ([A-Z][A-Z0-9_]+)", (ROOT / "scripts/backup.sh").read_text()))
    return names


def _variables_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", text, re.M))


def test_env_example_lists_every_variable_the_deployment_reads():
    missing = _variables_read_by_the_deployment() - _variables_in_env_example()
    assert not missing, f"add these to .env.example: {sorted(missing)}"


def test_env_example_lists_no_variable_that_nothing_reads():
    unread = _variables_in_env_example() - _variables_read_by_the_deployment() - {"DJANGO_SETTINGS_MODULE"}
    assert not unread, f"nothing reads these: {sorted(unread)}"

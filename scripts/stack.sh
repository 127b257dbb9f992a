#!/usr/bin/env bash
# The production processes, natively: gunicorn, a Celery worker and Celery beat, with production
# settings, against PostgreSQL and Redis on this machine. The command lines are the ones of
# docker-compose.yml (tests/test_deploy.py compares them). CI's end-to-end tests run on this.
#
#   scripts/stack.sh start     create the database if missing, migrate, collectstatic, start the three
#                              processes and wait until /healthz answers and the worker and beat reply
#   scripts/stack.sh stop      stop them (TERM, then KILL after STACK_STOP_TIMEOUT seconds)
#   scripts/stack.sh status    which processes run, and /healthz; exit 0 when all run and are healthy
#   scripts/stack.sh restart   stop, then start (an upgrade: new code, migrations, static files)
#   scripts/stack.sh commands  print the process command lines
#
# Environment (default):
#   STACK_DIR (/tmp/gulou-stack)   pid files, logs/, staticfiles/, beat schedule, generated secret key
#   STACK_PORT (8000)              gunicorn listens on 127.0.0.1:STACK_PORT (plain http: loopback only)
#   DATABASE_URL (postgres://postgres@127.0.0.1:5432/gulou_stack)   created if missing, migrated
#   CELERY_BROKER_URL (redis://127.0.0.1:6379/0)   REDIS_URL (the broker's URL): cache
#   DJANGO_SECRET_KEY              generated once into STACK_DIR/secret_key when unset
#   GUNICORN_WORKERS (2), CELERY_WORKER_CONCURRENCY (2), STACK_START_TIMEOUT (120), STACK_STOP_TIMEOUT (30)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
STACK_DIR=${STACK_DIR:-/tmp/gulou-stack}
STACK_PORT=${STACK_PORT:-8000}
LOG_DIR=$STACK_DIR/logs
VENV=${VENV:-$ROOT/.venv}
if [ -d "$VENV/bin" ]; then
  export PATH="$VENV/bin:$PATH"
fi

# The process command lines: the same in docker-compose.yml and the Dockerfile.
WEB_CMD=(gunicorn --config gulou_portal/gunicorn.conf.py gulou_portal.wsgi:application)
WORKER_CMD=(celery -A gulou_portal worker --loglevel=INFO)
BEAT_CMD=(celery -A gulou_portal beat --loglevel=INFO)
MIGRATE_CMD=(python manage.py migrate --noinput)
SERVICES=(web worker beat)

command_of() {
  case "$1" in
    web) echo "${WEB_CMD[*]}" ;;
    worker) echo "${WORKER_CMD[*]}" ;;
    beat) echo "${BEAT_CMD[*]}" ;;
    migrate) echo "${MIGRATE_CMD[*]}" ;;
  esac
}

configure_environment() {
  export DJANGO_SETTINGS_MODULE=gulou_portal.settings.production
  export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
  # Plain http on loopback: no redirect to https, cookies without the Secure flag.
  export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-false}
  export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-false}
  export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gulou_stack}
  export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0}
  export REDIS_URL=${REDIS_URL:-$CELERY_BROKER_URL}
  export DJANGO_STATIC_ROOT=$STACK_DIR/staticfiles
  export CELERY_BEAT_SCHEDULE_FILENAME=$STACK_DIR/celerybeat-schedule
  export GUNICORN_BIND=127.0.0.1:$STACK_PORT
  export GUNICORN_WORKERS=${GUNICORN_WORKERS:-2}
  export CELERY_WORKER_CONCURRENCY=${CELERY_WORKER_CONCURRENCY:-2}
  if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
    if [ ! -s "$STACK_DIR/secret_key" ]; then
      (umask 077 && python -c "import secrets; print(secrets.token_urlsafe(64))" >"$STACK_DIR/secret_key")
    fi
    DJANGO_SECRET_KEY=$(cat "$STACK_DIR/secret_key")
    export DJANGO_SECRET_KEY
  fi
}

base_url() { echo "http://127.0.0.1:$STACK_PORT"; }

pid_of() { cat "$STACK_DIR/$1.pid" 2>/dev/null || true; }

# Running means: the pid file names a live process whose command line is that service's (pids get reused).
is_running() {
  local pid
  pid=$(pid_of "$1")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  local marker=gunicorn
  [ "$1" = web ] || marker=celery
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$marker"
}

preflight() {
  # The database exists (created when missing) and Redis answers: clear messages instead of tracebacks.
  python - <<'PY'
import os
import socket
import sys

import environ
import psycopg2
import redis
from psycopg2 import sql

config = environ.Env.db_url_config(os.environ["DATABASE_URL"])
if config["ENGINE"] == "django.db.backends.postgresql":
    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            connect_timeout=5,
        )
    except psycopg2.Error as error:
        sys.exit(f"stack: PostgreSQL is not reachable ({error}); start it (scripts/services.sh)")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"stack: created database {config['NAME']}")
    connection.close()
try:
    redis.Redis.from_url(os.environ["CELERY_BROKER_URL"], socket_connect_timeout=5).ping()
except redis.RedisError as error:
    sys.exit(f"stack: Redis is not reachable ({error}); start it (scripts/services.sh)")
host, port = os.environ["GUNICORN_BIND"].rsplit(":", 1)
with socket.socket() as probe:
    if probe.connect_ex((host, int(port))) == 0:
        sys.exit(f"stack: {host}:{port} is already in use; choose another STACK_PORT")
PY
}

launch() {
  local name=$1
  shift
  # setsid: each service leads its own process group, so stop can also reach its children.
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$STACK_DIR/$name.pid"
  echo "stack: started $name (pid $!), log $LOG_DIR/$name.log"
}

workers_reply() {
  local host output
  host=$(hostname)
  output=$(celery -A gulou_portal inspect ping --timeout 3 \
    --destination "celery@$host,celerybeat@$host" 2>/dev/null || true)
  grep -q "celery@$host: OK" <<<"$output" && grep -q "celerybeat@$host: OK" <<<"$output"
}

start() {
  mkdir -p "$STACK_DIR" "$LOG_DIR"
  chmod 700 "$STACK_DIR"
  configure_environment
  local all_running=1
  for name in "${SERVICES[@]}"; do is_running "$name" || all_running=0; done
  if [ "$all_running" = 1 ]; then
    echo "stack: already running at $(base_url)"
    return 0
  fi
  preflight
  echo "stack: migrating, collecting static files"
  "${MIGRATE_CMD[@]}" >>"$LOG_DIR/migrate.log" 2>&1 || fail "migrate failed" migrate
  python manage.py collectstatic --noinput >>"$LOG_DIR/collectstatic.log" 2>&1 || fail "collectstatic failed" collectstatic
  is_running web || launch web "${WEB_CMD[@]}"
  is_running worker || launch worker "${WORKER_CMD[@]}"
  is_running beat || launch beat "${BEAT_CMD[@]}"

  local deadline=$((SECONDS + ${STACK_START_TIMEOUT:-120}))
  until python -m gulou_portal.healthcheck "$(base_url)/healthz" >/dev/null 2>&1; do
    check_alive
    [ "$SECONDS" -lt "$deadline" ] || fail "/healthz did not answer in time" web
    sleep 0.5
  done
  until workers_reply; do
    check_alive
    [ "$SECONDS" -lt "$deadline" ] || fail "the Celery worker and beat did not reply in time" worker
    sleep 1
  done
  echo "$(base_url)" >"$STACK_DIR/url"
  echo "stack: running at $(base_url)"
}

check_alive() {
  for name in "${SERVICES[@]}"; do
    is_running "$name" || fail "$name exited" "$name"
  done
}

fail() {
  echo "stack: $1; last lines of $LOG_DIR/$2.log:" >&2
  tail -n 30 "$LOG_DIR/$2.log" >&2 || true
  stop >&2
  exit 1
}

# All three get TERM at once (gunicorn finishes its requests, the worker its tasks: warm shutdown), then
# whatever is left of a service's process group after STACK_STOP_TIMEOUT seconds gets KILL.
stop() {
  local name pid stopping=()
  for name in beat worker web; do
    pid=$(pid_of "$name")
    if is_running "$name"; then
      kill -TERM "$pid" 2>/dev/null || true
      stopping+=("$name:$pid")
    elif [ -n "$pid" ]; then
      # A stale pid file: its process is gone, but children in its group may remain.
      kill -KILL -- "-$pid" 2>/dev/null || true
      rm -f "$STACK_DIR/$name.pid"
    fi
  done
  local deadline=$((SECONDS + ${STACK_STOP_TIMEOUT:-30})) entry
  for entry in "${stopping[@]}"; do
    name=${entry%%:*}
    pid=${entry#*:}
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$STACK_DIR/$name.pid"
    echo "stack: stopped $name (pid $pid)"
  done
  rm -f "$STACK_DIR/url"
}

status() {
  local healthy=0
  for name in "${SERVICES[@]}"; do
    if is_running "$name"; then
      echo "$name: running (pid $(pid_of "$name"))"
    else
      echo "$name: stopped"
      healthy=3
    fi
  done
  if is_running web; then
    configure_environment
    local report
    report=$(python -m gulou_portal.healthcheck "$(base_url)/healthz" 2>&1) || healthy=3
    echo "healthz: $report"
  fi
  return "$healthy"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  status) status ;;
  commands) for name in migrate web worker beat; do echo "$name: $(command_of "$name")"; done ;;
  *)
    echo "usage: $0 start|stop|status|restart|commands" >&2
    exit 2
    ;;
esac

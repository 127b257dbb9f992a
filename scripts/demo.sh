#!/usr/bin/env bash
# README's quick start: the portal with demo data on the embedded default (SQLite, Celery eager).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=gulou_portal.settings.local
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py generate_demo_data --persons "${DEMO_PERSONS:-3000}" --seed "${DEMO_SEED:-2025}"
.venv/bin/python manage.py compute_indicators >/dev/null
exec .venv/bin/python manage.py runserver "${PORT:-127.0.0.1:8000}"

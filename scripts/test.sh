#!/usr/bin/env bash
# README's test command: set up everything the tests need on a fresh machine and run the whole suite.
# The suite runs on PostgreSQL and Redis (127.0.0.1), drives Debian's chromium for browser tests,
# and includes a smoke test of the SQLite quick start.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
scripts/bootstrap.sh
scripts/services.sh >/dev/null
export DJANGO_SETTINGS_MODULE=gulou_portal.settings.test
# A fresh test database every run (pyproject's addopts reuse it between developer runs).
exec .venv/bin/python -m pytest --create-db "$@"

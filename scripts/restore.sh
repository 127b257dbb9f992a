#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL, replacing what is there.
#
#   scripts/restore.sh --yes FILE
#
# Without --yes it only says what it would do. Stop web, worker and beat first (docker compose stop web
# worker beat, or scripts/stack.sh stop), restore, then start them again; the restore runs in one
# transaction, so a failure leaves the database as it was. DATABASE_URL is read from the environment,
# else from ./.env.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  echo "usage: $0 --yes FILE" >&2
  exit 2
}

confirmed=0
file=""
for argument in "$@"; do
  case "$argument" in
    --yes) confirmed=1 ;;
    -h | --help) usage ;;
    -*) echo "restore: unknown option $argument" >&2; usage ;;
    *) [ -z "$file" ] || usage; file=$argument ;;
  esac
done
[ -n "$file" ] || usage
[ -f "$file" ] || { echo "restore: no such file: $file" >&2; exit 2; }

url=${DATABASE_URL:-}
if [ -z "$url" ] && [ -f "$ROOT/.env" ]; then
  url=$(sed -n 's/^DATABASE_URL=//p' "$ROOT/.env" | tail -n 1)
  url=${url%\"}
  url=${url#\"}
fi
[ -n "$url" ] || { echo "restore: set DATABASE_URL" >&2; exit 2; }
case "$url" in
  postgres://* | postgresql://*) ;;
  pgsql://* | psql://*) url="postgresql://${url#*://}" ;;
  *) echo "restore: DATABASE_URL must be a PostgreSQL URL (postgres://...)" >&2; exit 2 ;;
esac

if ! pg_restore --list "$file" >/dev/null 2>&1; then
  echo "restore: $file is not a pg_dump custom-format backup" >&2
  exit 2
fi

database=${url##*/}
database=${database%%\?*}
host=${url#*://}
host=${host#*@}
host=${host%%/*}
if [ "$confirmed" != 1 ]; then
  echo "restore: this replaces the contents of database '$database' on '$host' with $file." >&2
  echo "restore: stop web, worker and beat first, then run again with --yes." >&2
  exit 2
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$url" "$file"
echo "restore: $file restored into database '$database'"

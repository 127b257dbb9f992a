#!/usr/bin/env bash
# Back up the portal's PostgreSQL database: pg_dump in custom format (compressed, restorable table by
# table) to BACKUP_DIR/gulou-<database>-<timestamp>.dump, checked, then keep only the BACKUP_KEEP newest.
#
#   scripts/backup.sh                      (docker compose: docker compose exec -T web scripts/backup.sh)
#
# Environment (default), read from ./.env when not set:
#   DATABASE_URL    postgres://user:password@host:port/database (required)
#   BACKUP_DIR      (/var/backups/gulou)
#   BACKUP_KEEP     (14) backups of this database to keep
# Prints the path of the new backup. The files hold sensitive personal data: they are created readable by
# their owner only; copy them off the server encrypted (docs/operations.md).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)

# A variable from the environment, else from ./.env (read as data, never executed).
setting() {
  local name=$1 default=${2:-} value
  value=${!name:-}
  if [ -z "$value" ] && [ -f "$ROOT/.env" ]; then
    value=$(sed -n "s/^$name=//p" "$ROOT/.env" | tail -n 1)
    value=${value%\"}
    value=${value#\"}
  fi
  echo "${value:-$default}"
}

# django-environ's URL schemes, as libpq (pg_dump, pg_restore) spells them.
libpq_url() {
  local url=$1
  case "$url" in
    postgres://* | postgresql://*) echo "$url" ;;
    pgsql://* | psql://*) echo "postgresql://${url#*://}" ;;
    *)
      echo "backup: DATABASE_URL must be a PostgreSQL URL (postgres://...), got '${url%%:*}://...'" >&2
      return 1
      ;;
  esac
}

url=$(setting DATABASE_URL)
[ -n "$url" ] || { echo "backup: set DATABASE_URL" >&2; exit 2; }
url=$(libpq_url "$url") || exit 2
backup_dir=$(setting BACKUP_DIR /var/backups/gulou)
keep=$(setting BACKUP_KEEP 14)
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_KEEP must be a positive number" >&2; exit 2; }

database=${url##*/}
database=${database%%\?*}
umask 077
mkdir -p "$backup_dir"
target="$backup_dir/gulou-$database-$(date +%Y%m%d-%H%M%S-%3N).dump"

# Written under a temporary name and renamed when complete and readable: a failed dump never counts as
# one of the newest backups.
pg_dump --format=custom --file="$target.partial" "$url"
pg_restore --list "$target.partial" >/dev/null
mv "$target.partial" "$target"

# Names sort by time: drop all but the newest $keep of this database's backups.
find "$backup_dir" -maxdepth 1 -type f -name "gulou-$database-*.dump" -printf '%f\n' \
  | sort -r | tail -n "+$((keep + 1))" \
  | while read -r old; do rm -f -- "$backup_dir/$old"; done

echo "$target"

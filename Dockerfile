# The portal's image: web (gunicorn), worker and beat (Celery) all run from it; see docker-compose.yml.
# Debian 12 (bookworm) variant of python:3.11-slim: its postgresql-client-15 matches the database server.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=gulou_portal.settings.production \
    GUNICORN_BIND=0.0.0.0:8000

# pg_dump/pg_restore (scripts/backup.sh, restore.sh) of the same major version as the postgres:15 service.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 gulou \
    && useradd --system --uid 10001 --gid gulou --home-dir /app --no-create-home --shell /usr/sbin/nologin gulou

WORKDIR /app

# Dependencies from pyproject.toml, in their own layer: a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Hashed, compressed static files baked into the image. The key and database exist for this command only.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only-never-used-to-serve-requests-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /var/lib/gulou/beat /var/backups/gulou \
    && chown gulou:gulou /var/lib/gulou/beat /var/backups/gulou

USER gulou
EXPOSE 8000
CMD ["gunicorn", "--config", "gulou_portal/gunicorn.conf.py", "gulou_portal.wsgi:application"]

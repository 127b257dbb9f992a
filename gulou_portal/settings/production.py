"""Production: every secret from the environment, no defaults; passes `manage.py check --deploy`.

The same settings serve docker-compose.yml and scripts/stack.sh (the native stack CI uses). Behind a
TLS-terminating proxy (nginx, a cloud load balancer) the proxy sets X-Forwarded-Proto; on a plain-http
loopback (the native stack) DJANGO_SECURE_SSL_REDIRECT and DJANGO_SECURE_COOKIES are turned off.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, LOGGING, env

DEBUG = False  # whatever DJANGO_DEBUG says

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("Set the DJANGO_SECRET_KEY environment variable to a long random value")
# Old keys still accepted for sessions and signed values while a new key is rolled out.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before reuse so a restarted PostgreSQL costs one failed request at most.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer must fail fast (health check, workers), not hang a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# Redis serves the cache (REDIS_URL, or the broker's Redis when only that is set); the broker and the
# cache should use different Redis database numbers so that clearing the cache never drops tasks.
REDIS_URL = env("REDIS_URL", default="") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gulou",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }

STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, pre-compressed files served by WhiteNoise with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS. The proxy terminates TLS and sets X-Forwarded-Proto; only trust it when gunicorn is reachable
# through the proxy alone (docker-compose.yml publishes it on 127.0.0.1).
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes talk plain http inside the host
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Cookies only over HTTPS. DJANGO_SECURE_COOKIES=false exists for the plain-http loopback stack only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# Celery: the broker comes from CELERY_BROKER_URL (base); beat keeps its schedule where a volume persists
# it; Celery logs through Django's LOGGING so that every process writes the same JSON lines.
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default="celerybeat-schedule")
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Beat answers `celery inspect ping --destination celerybeat@HOST` (the compose health check).
CELERY_BEAT_ENABLE_REMOTE_CONTROL = True

# One JSON object per line on stdout, for docker logs / journald / a log shipper.
LOGGING = {
    **LOGGING,
    "formatters": {"json": {"()": "gulou_portal.jsonlog.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
}

"""Settings shared by every environment.

Everything that differs between machines is an environment variable (django-environ) with a safe
local default: DATABASE_URL falls back to a SQLite file and an unset CELERY_BROKER_URL runs tasks
eagerly, so the portal starts with no services at all.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The portal's apps with pages at /<app>/ and an API at /api/<app>/ (gulou_portal/urls.py).
DOMAIN_APPS = [
    "registry",
    "subsidies",
    "employment",
    "rehab",
    "care_homes",
    "indicators",
    "imports",
    "payments",
    "certificates",
    "cases",
    "legal_aid",
    "organisations",
    "education",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "simple_history",
    "gulou_portal.apps.AxesConfig",  # django-axes with a Chinese name
    "csp",
    "core",
    "sheets",
    *DOMAIN_APPS,
    "campaigns",
    "quality",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), before everything that answers.
    "core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.LoginRequiredEverywhereMiddleware",
    "core.middleware.CommunityWorkerDomainMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gulou_portal.urls"
WSGI_APPLICATION = "gulou_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's rule with a Chinese message (Django 5.2's own is untranslated in zh-hans).
    {"NAME": "core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
CSRF_FAILURE_VIEW = "gulou_portal.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request (access.md: expire after inactivity).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed-login throttling: 5 failures per username and address lock for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address behind the reverse proxy (docs/operations.md): the number of proxies in front of
# gunicorn that append to X-Forwarded-For. 0 (direct exposure) ignores the header, which any client can
# forge. One function computes the address for the lockout, axes' logs and the portal's access log.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"

# API tokens (Authorization: Token …) expire this many days after they were created; users revoke
# theirs on /accounts/token/ or with DELETE /api/auth/token/.
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

LANGUAGE_CODE = "zh-hans"
# Chinese for the admin and django-axes strings that Django 5.2 and axes leave in English.
LOCALE_PATHS = [BASE_DIR / "gulou_portal" / "locale"]
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["gulou_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "gulou_portal" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a refused or missing credential answer 401
    # (with the reason, e.g. an expired token) rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api_contract.SearchFilter",
        "core.api_contract.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api_contract.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"user": "6000/hour", "anon": "60/hour"},
    # Chinese for the two messages DRF leaves untranslated (Http404's, the JSON parser's).
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "鼓楼区残联服务平台 API",
    "DESCRIPTION": "持证残疾人登记、各业务领域记录与规划指标。所有接口按街道范围授权。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI comes from drf-spectacular-sidecar's static files: no CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": STATIC_URL + "favicon.svg",  # the portal's own, as on every page
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status` field with their own choices: name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "PersonStatusEnum": "registry.models.PersonStatus",
        "RunStatusEnum": "indicators.models.RunStatus",
        "ImportJobStatusEnum": "imports.models.ImportJob.Status",
        # 就业意愿 and 培训需求 share the 有/无 code list.
        "YesNoEnum": "registry.models.YesNo",
        # 类别 and 办理结果 of a 信访 case and of a legal consultation or aid case are different lists.
        "CategoryEnum": "registry.models.Category",
        "CaseCategoryEnum": "cases.models.CaseCategory",
        "CaseOutcomeEnum": "cases.models.Outcome",
        "LegalTopicEnum": "legal_aid.models.Topic",
        "AidCaseOutcomeEnum": "legal_aid.models.Outcome",
        # an application's kind and state, and its steps' kind (each in its list and detail shapes)
        "ApplicationKindEnum": "certificates.models.ApplicationKind",
        "ApplicationStateEnum": "certificates.models.ApplicationState",
        "StepKindEnum": "certificates.models.StepKind",
    },
    # Request bodies have their own components (PersonRequest...): without the read-only fields, and
    # with minLength 1 on required text. Every operation documents its error answers.
    "COMPONENT_SPLIT_REQUEST": True,
    # The published contract is JSON; form posts stay accepted but undocumented (their parsers turn a
    # body that is not a form into an empty one, which the schema cannot describe).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_contract.document_error_responses",
        "core.api_contract.document_text_parameters",
    ],
}

# Content-Security-Policy: only the portal's own static files run; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Celery: an unset broker means tasks run eagerly in the web process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = False
CELERY_TASK_TRACK_STARTED = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Indicators fresh after a change (indicators/freshness.py): a change marks its years stale and,
# once committed, queues one recompute after this many seconds; the changes of that wait share it.
INDICATORS_REFRESH_ON_CHANGE = env.bool("INDICATORS_REFRESH_ON_CHANGE", default=True)
INDICATORS_REFRESH_DELAY_SECONDS = env.int("INDICATORS_REFRESH_DELAY_SECONDS", default=30)
# PostgreSQL: a run's statement is split into this many ranges of persons, counted at once on as many
# connections (cores); 1 counts the register in one statement (indicators.engine_sql.results).
INDICATORS_SQL_PARTS = env.int("INDICATORS_SQL_PARTS", default=2)
# Project-level tasks (gulou_portal is not an installed app, so autodiscovery does not see them).
CELERY_IMPORTS = ["gulou_portal.tasks"]
# The one place for periodic schedules.
CELERY_BEAT_SCHEDULE = {
    # Every night at 01:30 Asia/Shanghai: open survey campaigns take in persons who joined the
    # register and mark those who left.
    "sync-survey-campaigns-nightly": {
        "task": "campaigns.tasks.sync_open_campaigns",
        "schedule": crontab(hour=1, minute=30),
    },
    # Every night at 02:00 Asia/Shanghai: recompute K01–K12 for 2020..current year.
    "recompute-indicators-nightly": {
        "task": "indicators.tasks.recompute_indicators",
        "schedule": crontab(hour=2, minute=0),
    },
    # Every night at 03:30 Asia/Shanghai: delete uploaded workbooks previewed but never confirmed.
    "purge-stale-import-uploads": {
        "task": "imports.tasks.purge_stale_uploads",
        "schedule": crontab(hour=3, minute=30),
    },
    # 03:00 Asia/Shanghai on the 1st of each month: build the draft payment roll of every street for
    # that month (submitted or approved rolls are never overwritten).
    "build-payment-rolls-monthly": {
        "task": "payments.tasks.build_monthly_rolls",
        "schedule": crontab(hour=3, minute=0, day_of_month=1),
    },
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_MAX_FILE_BYTES = env.int("IMPORT_MAX_FILE_BYTES", default=30 * 1024 * 1024)
# Files with more data rows than this are imported by a Celery task with a progress bar.
IMPORT_ASYNC_THRESHOLD_ROWS = env.int("IMPORT_ASYNC_THRESHOLD_ROWS", default=5000)
# What an uploaded workbook may hold, checked by sheets/guard.py before any parser reads it (far
# above any real template; a 50,000-row export unpacks to about 35 MB at a compression ratio of 11).
IMPORT_MAX_DATA_ROWS = env.int("IMPORT_MAX_DATA_ROWS", default=200_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=100)
# The rectangle from A1 to the last row and column (the reader allocates 32 bytes a cell).
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=4_000_000)
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
IMPORT_MAX_PARTS = env.int("IMPORT_MAX_PARTS", default=1000)
# A job in 正在检查/正在导入 whose progress has not moved for this long lost its worker: it ends as failed.
IMPORT_JOB_STALE_MINUTES = env.int("IMPORT_JOB_STALE_MINUTES", default=30)
# Previews never confirmed (checked or rejected) expire after this many hours: they leave the import
# log at once and are deleted, with their file, by the nightly purge.
IMPORT_PREVIEW_TTL_HOURS = env.int("IMPORT_PREVIEW_TTL_HOURS", default=24)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# 办证管理 (certificates): the decision deadline in working days from 受理, the days after a decision
# within which an appeal (申诉复议) is accepted, and whether the clerk who took an application in may
# record its decision (four-eyes: default no).
CERTIFICATE_DECISION_WORKING_DAYS = env.int("CERTIFICATE_DECISION_WORKING_DAYS", default=20)
CERTIFICATE_APPEAL_DAYS = env.int("CERTIFICATE_APPEAL_DAYS", default=60)
CERTIFICATE_FOUR_EYES = env.bool("CERTIFICATE_FOUR_EYES", default=True)

"""Django settings for Kefu.

Every setting that differs between a laptop demo and a carrier's production
site comes from an environment variable; the README's configuration table
lists them all with their defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("KEFU_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("KEFU_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("KEFU_DEBUG", False)
SECRET_KEY = os.environ.get("KEFU_SECRET_KEY", "kefu-insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("KEFU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("KEFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # the API docs from Ninja's own static files, not a CDN with an inline script
    "kefu.core",
    "kefu.orgs",
    "kefu.iam",
    "kefu.audit",
    "kefu.params",
    "kefu.crm",
    "kefu.workorders",
    "kefu.contactcenter",
    "kefu.billing",
    "kefu.ivr",
    "kefu.outlets",
    "kefu.messaging",
    "kefu.notices",
    "kefu.kpi",
    "kefu.surveys",
    "kefu.simulation",
    "kefu.campaigns",
    "kefu.knowledge",
    "kefu.intake",
    "kefu.webchat",
    "kefu.quality",
    "kefu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kefu.core.middleware.RequestGuardMiddleware",
    "kefu.core.middleware.ApiErrorFormatMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kefu.core.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kefu.core.middleware.RequestContextMiddleware",
    "kefu.audit.reads.ReadAuditMiddleware",
    "kefu.core.middleware.KefuErrorPagesMiddleware",
]

ROOT_URLCONF = "kefu.urls"
ASGI_APPLICATION = "kefu.asgi.application"
WSGI_APPLICATION = "kefu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kefu.core.context_processors.shell",
            ],
        },
    },
]

# --- Storage -----------------------------------------------------------------
# SQLite (WAL) under var/ is the embedded default; DATABASE_URL switches to
# PostgreSQL. See docs/decisions/0002-sqlite-and-postgresql.md.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# The owner of the schema, for `migrate` and `db_roles` only; DATABASE_URL is then the application's own
# role, which may not alter, truncate or delete from the audit log. See docs/decisions/0019.
KEFU_MIGRATE_DATABASE_URL = os.environ.get("KEFU_MIGRATE_DATABASE_URL", "")
if DATABASE_URL:
    # Kefu is served over ASGI, where each request may run in its own thread: persistent connections
    # would pile up per thread (Django's advice). So a request takes a connection from a pool (psycopg 3's,
    # through Django) and gives it back when it ends, instead of opening one per request (7 ms on a
    # local PostgreSQL). The pool is per process: min is kept open, max bounds what the process's threads
    # (asgiref's executor, the embedded worker) can hold; a request waits up to the timeout for a free one.
    # KEFU_DB_POOL=0 goes back to one connection per request. See docs/decisions/0023.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _env_bool("KEFU_DB_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(os.environ.get("KEFU_DB_POOL_MIN", "2")),
            "max_size": int(os.environ.get("KEFU_DB_POOL_MAX", "20")),
            "timeout": float(os.environ.get("KEFU_DB_POOL_TIMEOUT", "10")),
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("KEFU_SQLITE_PATH", str(VAR_DIR / "kefu.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on
                # the busy timeout instead of failing with "database is locked"
                # when a read transaction tries to upgrade.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not :memory:, so tests see WAL and the busy timeout as production does.
            "TEST": {"NAME": os.environ.get("KEFU_SQLITE_TEST_PATH") or str(VAR_DIR / "test-kefu.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity ----------------------------------------------------------------
AUTH_USER_MODEL = "iam.Staff"
AUTHENTICATION_BACKENDS = ["kefu.iam.auth.StaffBackend"]
LOGIN_URL = "iam:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "iam:login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kefu.iam.passwords.CharacterClassValidator"},
    {"NAME": "kefu.iam.passwords.PersonalDataValidator"},
]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("KEFU_SESSION_AGE", 12 * 3600))
SESSION_COOKIE_SECURE = _env_bool("KEFU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS once Kefu is served over HTTPS only (kefu.core.security sends it, also behind a TLS proxy).
SECURE_HSTS_SECONDS = int(os.environ.get("KEFU_HSTS_SECONDS", 365 * 24 * 3600)) if SESSION_COOKIE_SECURE else 0
CSRF_FAILURE_VIEW = "kefu.core.http_errors.csrf_failure"  # JSON under /api/, Django's page elsewhere

# --- Language and time ---------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS: list = []  # each app keeps its own locale/ directory
TIME_ZONE = os.environ.get("KEFU_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# Outgoing e-mail (answers to e-mail contacts, notices): Django's SMTP backend.
EMAIL_BACKEND = os.environ.get("KEFU_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("KEFU_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("KEFU_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KEFU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KEFU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("KEFU_SMTP_STARTTLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("KEFU_SMTP_SSL", "0") == "1"
EMAIL_TIMEOUT = 20
# Monthly archives of audit entries older than the retention parameter (kefu.audit.archive).
KEFU_AUDIT_ARCHIVE_DIR = Path(os.environ.get("KEFU_AUDIT_ARCHIVE_DIR", VAR_DIR / "audit-archive"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Caches and real time ------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    # "pubsub" (the default): one PUBLISH per push and one subscriber connection per process; "lists": Channels'
    # original Redis layer (per-channel lists, a group's members read from Redis on every send). See
    # docs/decisions/0036-pubsub-channel-layer.md.
    KEFU_CHANNEL_LAYER = os.environ.get("KEFU_CHANNEL_LAYER", "pubsub")
    if KEFU_CHANNEL_LAYER == "lists":
        # A socket's group joins and receives each hold a pooled connection while they wait; redis-py's
        # default cap (100) refused them once a few hundred desktops connected at once.
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [{
            "address": REDIS_URL, "max_connections": int(os.environ.get("KEFU_REDIS_MAX_CONNECTIONS", "2000"))}]}}}
    else:
        CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                      "CONFIG": {"hosts": [REDIS_URL]}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "kefu.core.channel_layer.LocalChannelLayer"}}

# --- API ----------------------------------------------------------------------
NINJA_PAGINATION_CLASS = "kefu.core.pagination.Pagination"  # bounded page numbers, see that module
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 500
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery (optional; see kefu/celery.py). Redis or RabbitMQ.
CELERY_BROKER_URL = os.environ.get("KEFU_CELERY_BROKER", "")
CELERY_RESULT_BACKEND = os.environ.get("KEFU_CELERY_RESULTS", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# "service": an in-memory router service decides from events (kefu serve and kefu demo run one); "inline":
# every change routes from a full reading in the request that made it (tests, tools). See docs/decisions/0024.
KEFU_ROUTER = os.environ.get("KEFU_ROUTER", "inline")
KEFU_ROUTER_INBOX_KEY = os.environ.get("KEFU_ROUTER_INBOX_KEY", "kefu:router:inbox")  # the Redis list of events
KEFU_WORKER_POLL_SECONDS = float(os.environ.get("KEFU_WORKER_POLL_SECONDS", "5"))
# The agent desktop refetches its state this often (and at once on every socket (re)connect), so a push it
# missed shows up within this time; every 5 s while its socket is down. See docs/decisions/0023.
KEFU_DESK_RESYNC_SECONDS = float(os.environ.get("KEFU_DESK_RESYNC_SECONDS", "15"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEFU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

KEFU_NAME = _("Kefu customer service center")

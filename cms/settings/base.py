"""Settings shared by every environment. Environment-specific modules import from here."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cms.email_url import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("TADRIB_DATA_DIR", BASE_DIR))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
# "production" disables what must never run on a live site, such as the demo seed.
TADRIB_ENVIRONMENT = "development"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    # The modeltranslation apps must precede every app whose models they translate.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "cms",
    "courses",
    "quizzes",
    "certificates",
    # Workshops: the live part of blended training, with pre/post tests (issue 14).
    "workshops",
    # Workshop certificates: the glue between workshops and certificates (neither imports the
    # other); after both, so its demo certificates follow the demo workshops.
    "workshop_certificates",
    # Search and the legal glossary (issue 20); after courses, whose demo they build on.
    "search",
    "glossary",
    # Background tasks, e-mail notifications, learning records for an LRS (issue 18).
    "tasks",
    "notifications",
    "xapi",
    "django_tasks",
    "django_tasks_db",
    "reports",
    # Surveys (issue 15): a course activity; results under the reports.
    "surveys",
    # Offline: the installable web app, kept courses, the offline queue (issue 17).
    "offline",
    # Security: audit trail, lockouts, second factor (issue 8).
    "security",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Site settings: the certificates' issuing organisation.
    "wagtail.contrib.settings",
    "wagtail.sites",
    "cms.apps.TadribUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "cms.middleware.HealthCheckMiddleware",
    "cms.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "security.middleware.SecurityHeadersMiddleware",
    "security.middleware.PrivateMediaMiddleware",
    "cms.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "security.middleware.AuthenticationMiddleware",
    "security.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionTimeoutMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "security.middleware.AuditMiddleware",
    "offline.middleware.ClearSiteDataMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that asks the socket before sending `SELECT 1`
    # (cms/postgresql/base.py): a restarted database is still noticed before a request uses it.
    DATABASES["default"]["ENGINE"] = "cms.postgresql"
# The statements every page runs are prepared on PostgreSQL (cms/statements.py). Off for a
# connection pooler in transaction mode that does not keep prepared statements (PgBouncer
# before 1.21, or without max_prepared_statements).
TADRIB_PREPARED_STATEMENTS = os.environ.get("TADRIB_PREPARED_STATEMENTS", "1") != "0"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; a busy timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tadrib",
        }
    }
else:
    # Without Redis, the database is what every worker and app server shares: a per-process
    # cache would let workers disagree. `setup_site` creates the table after `migrate`.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tadrib_cache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

AUTH_USER_MODEL = "cms.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Set-password links for imported users: single use, valid this many days.
TADRIB_SET_PASSWORD_DAYS = int(os.environ.get("TADRIB_SET_PASSWORD_DAYS", "14"))
PASSWORD_RESET_TIMEOUT = TADRIB_SET_PASSWORD_DAYS * 86400
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Languages: English is the source language; Arabic is right-to-left.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
]
# Each language's name written in that language, for the switcher.
LANGUAGE_NATIVE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# One way to write dates, times, numbers and percentages per language (docs/learner-pages.md).
FORMAT_MODULE_PATH = ["cms.formats"]
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A field missing in the reader's language falls back along this chain.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "fr": ("en",), "ar": ("fr", "en")}
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True
# Translatable field classes beyond Django's and Wagtail's own (cms/fields.py).
MODELTRANSLATION_CUSTOM_FIELDS = ("SanitizedStreamField",)
# Widgets of translated fields carry their language's `lang` and `dir` (cms/form_renderer.py).
FORM_RENDERER = "cms.form_renderer.LanguageDirectionRenderer"

STATIC_URL = "/static/"
# Where collectstatic writes (hashed, compressed); a test or a second checkout may point elsewhere.
STATIC_ROOT = Path(os.environ.get("TADRIB_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, precompressed, cached for a year, in production and in `make run` alike (its
# collectstatic step); only the test settings serve plain files (docs/page-weight.md).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "cms.static_files.HashedStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

WAGTAIL_SITE_NAME = "Tadrib"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "odt",
    "xlsx",
    "ods",
    "pptx",
    "odp",
    "txt",
    "csv",
    "vtt",
    "mp4",
    "webm",
]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Sessions end after 30 minutes without a request or 12 hours after signing in
# (security.middleware.SessionTimeoutMiddleware); the cookie never outlives the second.
SESSION_COOKIE_AGE = 12 * 3600
TADRIB_SESSION_IDLE_SECONDS = 30 * 60
TADRIB_SESSION_ABSOLUTE_SECONDS = 12 * 3600
# Sign-in lockout (security.lockout, docs/security.md), counted in the database so every
# worker and server agrees. Failures within the window lock until the window ends:
# one account from one address; one account from anywhere; one address for every account,
# much higher, since a whole office may share one address.
TADRIB_LOCKOUT_FAILURES = 10
TADRIB_LOCKOUT_ACCOUNT_FAILURES = 20
TADRIB_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("TADRIB_LOCKOUT_ADDRESS_FAILURES", "100"))
TADRIB_LOCKOUT_WINDOW = 15 * 60
# Forgotten-password requests per hour: per address (then refused, with a message) and per
# account (then quietly not sent, so the answer never tells whether an account exists).
TADRIB_PASSWORD_RESET_ADDRESS_LIMIT = 10
TADRIB_PASSWORD_RESET_ACCOUNT_LIMIT = 3
TADRIB_PASSWORD_RESET_WINDOW = 3600
# A forgotten-password link works once, within this many hours (cms.tokens).
TADRIB_PASSWORD_RESET_HOURS = 2
# Forms the account pages use, so an app can add its checks without the core importing it
# (as Wagtail's WAGTAILADMIN_USER_LOGIN_FORM does for the admin's sign-in).
TADRIB_SIGN_IN_FORM = "security.forms.LockoutAuthenticationForm"
TADRIB_PASSWORD_RESET_FORM = "security.forms.ThrottledPasswordResetForm"  # noqa: S105 - a path
# One forgotten-password flow, the public one, rate-limited and audited: not also Wagtail's.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Reverse proxies in front of the app whose X-Forwarded-For is trusted for client addresses.
TADRIB_TRUSTED_PROXIES = int(os.environ.get("TADRIB_TRUSTED_PROXIES", "0"))
# Trainers, managers and administrators must pass a TOTP second factor before the admin and
# the reports. Off here so the local demo signs in with a password; production turns it on.
TADRIB_REQUIRE_STAFF_2FA = False
OTP_TOTP_ISSUER = "Tadrib"
WAGTAILADMIN_USER_LOGIN_FORM = "security.forms.LockoutAdminLoginForm"
# No third-party requests from the admin: no Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Documents: only through Wagtail's view (it checks private collections), always as
# attachments, under `default-src 'none'`; size-limited by security.uploads.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "security.uploads.SafeDocumentForm"
TADRIB_DOCUMENT_MAX_UPLOAD_SIZE = 50 * 1024 * 1024

# Surveys (docs/surveys.md): no result is shown or exported for fewer responses than this;
# anonymous responses are found again by their author with a key derived from this secret.
TADRIB_SURVEY_MIN_GROUP = int(os.environ.get("TADRIB_SURVEY_MIN_GROUP", "5"))
TADRIB_SURVEY_SECRET = os.environ.get("TADRIB_SURVEY_SECRET", "")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Mail (password reset): EMAIL_URL names the SMTP server (cms.email_url); without it, messages
# go to the console.
globals().update(email_settings(os.environ.get("EMAIL_URL", "")))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tadrib <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The local demo may sign in with a password alone; see the production settings.
DEMO_PASSWORD_DEFAULT = "tadrib-demo-2026"  # noqa: S105 - documented demo default

# --- Performance (issue 7; figures in bench/README.md) -------------------------------------
# HTML is compressed by the app, as nothing sits in front of gunicorn; after WhiteNoise, which
# serves its own precompressed static files. Brotli where the browser takes it, else Django's
# gzip (cms/compression.py); both pad each response at random against BREACH, and CSRF tokens
# are masked per response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("cms.static_files.StaticFilesMiddleware") + 1,
    "cms.compression.CompressionMiddleware",
)
# Sessions in the database, read together with their user in one statement
# (security.sessions; docs/security.md, "Sessions").
SESSION_ENGINE = "security.sessions"
if REDIS_URL:
    # Sessions are read on every signed-in request. Only a cache shared by every worker may
    # hold them: a per-process cache would keep a signed-out session alive in other workers.
    SESSION_ENGINE = "security.cached_sessions"

# Django's cookie-then-session message storage, its cookie signer made only when used.
MESSAGE_STORAGE = "cms.message_storage.MessageStorage"

# --- Background tasks (docs/background-tasks.md) -------------------------------------------
# Django's task framework (django-tasks), as Wagtail uses it. The database queue by default
# (`make run` and one server: `manage.py tasks_worker`); Celery with CELERY_BROKER_URL (Redis or
# RabbitMQ) for workers on several machines.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
TADRIB_TASK_BACKEND = os.environ.get("TADRIB_TASK_BACKEND") or (
    "celery" if CELERY_BROKER_URL else "database"
)
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "celery": {
        "BACKEND": "tasks.celery_backend.CeleryBackend",
        # Several installations may share one broker: each gives its queues a prefix.
        "OPTIONS": {"QUEUE_PREFIX": os.environ.get("TADRIB_CELERY_QUEUE_PREFIX", "")},
    },
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
if TADRIB_TASK_BACKEND not in _TASK_BACKENDS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"TADRIB_TASK_BACKEND: use one of {', '.join(_TASK_BACKENDS)}, not {TADRIB_TASK_BACKEND!r}."
    )
TASKS = {"default": _TASK_BACKENDS[TADRIB_TASK_BACKEND]}
# Acknowledged once run, so a task whose worker is killed goes to another worker; one at a
# time per worker process, so a long task does not hold others back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A job running longer than this is taken for dead (its worker killed) and run again.
TADRIB_TASK_LEASE_SECONDS = int(os.environ.get("TADRIB_TASK_LEASE_SECONDS", "300"))
# How often the periodic loop wakes up (reminders hourly, renewals daily, records each minute).
TADRIB_SCHEDULER_TICK_SECONDS = float(os.environ.get("TADRIB_SCHEDULER_TICK_SECONDS", "30"))

# --- Learning records (docs/xapi.md): off unless an LRS is named -----------------------------
TADRIB_XAPI_ENDPOINT = os.environ.get("TADRIB_XAPI_ENDPOINT", "")
TADRIB_XAPI_USERNAME = os.environ.get("TADRIB_XAPI_USERNAME", "")
TADRIB_XAPI_PASSWORD = os.environ.get("TADRIB_XAPI_PASSWORD", "")
TADRIB_XAPI_BATCH = int(os.environ.get("TADRIB_XAPI_BATCH", "100"))

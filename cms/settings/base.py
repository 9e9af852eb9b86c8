"""Settings shared by every environment. Environment-specific modules import from here."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

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
    "reports",
    # Security: audit trail, lockouts, second factor (issue 8).
    "security",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SessionTimeoutMiddleware",
    "security.middleware.TwoFactorMiddleware",
    "security.middleware.AuditMiddleware",
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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
TIME_ZONE = "UTC"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# A field missing in the reader's language falls back along this chain.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "fr": ("en",), "ar": ("fr", "en")}
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
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
# Sign-in lockout, counted in the shared cache: this many failures per account, and per
# address, within the window lock it until the window ends (security.lockout).
TADRIB_LOCKOUT_FAILURES = 10
TADRIB_LOCKOUT_ADDRESS_FAILURES = int(os.environ.get("TADRIB_LOCKOUT_ADDRESS_FAILURES", "10"))
TADRIB_LOCKOUT_WINDOW = 15 * 60
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
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
# serves its own precompressed static files. Django's GZipMiddleware pads each response at
# random against BREACH, and CSRF tokens are masked per response.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "django.middleware.gzip.GZipMiddleware",
)
if REDIS_URL:
    # Sessions are read on every signed-in request. Only a cache shared by every worker may
    # hold them: a per-process cache would keep a signed-out session alive in other workers.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

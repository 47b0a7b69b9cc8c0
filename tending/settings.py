"""Tending's only settings file: everything an operator may change is an
environment variable, documented in docs/configuration.md, with defaults that
let a fresh checkout run with no configuration at all."""

from __future__ import annotations

import contextlib
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from tending.lib.env import (
    PROBLEMS,
    default_data_dir,
    envbool,
    envint,
    envlist,
    envsecret,
    envstr,
    new_vapid_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent
# The folder that holds the package: the checkout, or site-packages when installed.
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(envstr("TENDING_DATA_DIR") or default_data_dir(PACKAGE_DIR)).resolve()

DEBUG = envbool("DEBUG", "false")
# Production mode: `tending serve --prod` sets it; stricter checks apply.
PRODUCTION = envbool("TENDING_PRODUCTION", "false")

SECRET_KEY, SECRET_KEY_GENERATED = envsecret("SECRET_KEY", DATA_DIR / "secret_key")

SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = envstr("SITE_NAME", "Tending")
_site = urlsplit(SITE_URL)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", f"{_site.hostname or 'localhost'},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = (
    [f"{_site.scheme}://{_site.netloc}"] if _site.scheme in ("http", "https") else []
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "tending.accounts",
    "tending.safety",
    "tending.bonds",
    "tending.ops",
    "tending.notify",
    "tending.feelings",
    "tending.checkup",
    "tending.prompts",
    "tending.rituals",
    "tending.notes",
    "tending.repair",
    "tending.solo",
    "tending.coach",
    "tending.insights",
    "tending.garden",
]

MIDDLEWARE = [
    "tending.lib.middleware.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tending.lib.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tending.lib.middleware.SecurityHeadersMiddleware",
    "tending.lib.middleware.PrivateCacheMiddleware",
    "tending.accounts.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "tending.urls"
WSGI_APPLICATION = "tending.wsgi.application"

# Templates are compiled once per process and kept: with no "loaders" option
# and APP_DIRS on, Django wraps its loaders in the cached loader, in production
# and in development alike (in development it forgets them when a template
# file changes). tests/test_rendering.py checks this stays so.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tending.lib.context.site",
                "tending.notify.context.unread",
            ],
        },
    },
]

DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tending.sqlite3'}")
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except Exception:  # reported by check tending.E001; fall back so the check can run
    PROBLEMS.append("DATABASE_URL is not a database URL (expected sqlite:///… or postgres://…).")
    DATABASES = {"default": dj_database_url.parse(f"sqlite:///{DATA_DIR / 'tending.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web and workers) share the file: wait for locks rather
    # than failing, and take the write lock up front so claims never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # PostgreSQL: each web process (each thread, with --threads) keeps its
    # connection for CONN_MAX_AGE seconds instead of opening one per request,
    # and checks it before reusing it after an idle spell, so a restarted
    # database costs no failed request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "bonds:home"
LOGOUT_REDIRECT_URL = "landing"
# Failed log-ins: after this many in a row, each further attempt waits longer,
# and at LOGIN_LOCK_AFTER the address is locked for LOGIN_LOCK_MINUTES.
LOGIN_SLOW_AFTER = 5
LOGIN_LOCK_AFTER = envint("LOGIN_LOCK_AFTER", "10")
LOGIN_LOCK_MINUTES = envint("LOGIN_LOCK_MINUTES", "15")
# The same per client address, across every account tried from it: generous,
# since many people may share one address (a household, an office).
LOGIN_IP_SLOW_AFTER = 20
LOGIN_IP_LOCK_AFTER = envint("LOGIN_IP_LOCK_AFTER", "50")
if LOGIN_IP_LOCK_AFTER <= LOGIN_IP_SLOW_AFTER:
    PROBLEMS.append(f"LOGIN_IP_LOCK_AFTER must be above {LOGIN_IP_SLOW_AFTER}.")
    LOGIN_IP_LOCK_AFTER = 50
# The reverse proxies whose X-Forwarded-For (and X-Forwarded-Proto, in gunicorn)
# are believed; requests from anywhere else are known by their own address.
FORWARDED_ALLOW_IPS = envlist("FORWARDED_ALLOW_IPS", "127.0.0.1")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# whitenoise looks here at start-up; make sure it exists even before collectstatic.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Voice messages and chat exports waiting to be read: a private folder under the
# data directory (the default), or private objects in an S3-compatible bucket,
# which every web and worker machine shares (docs/deployment.md).
FILE_STORAGE = envstr("FILE_STORAGE", "folder").strip().lower()
S3_BUCKET = envstr("S3_BUCKET").strip()
S3_PREFIX = envstr("S3_PREFIX").strip().strip("/")
S3_ENDPOINT_URL = envstr("S3_ENDPOINT_URL").strip()
S3_REGION = envstr("S3_REGION").strip()
S3_ACCESS_KEY_ID = envstr("S3_ACCESS_KEY_ID").strip()
S3_SECRET_ACCESS_KEY = envstr("S3_SECRET_ACCESS_KEY").strip()
S3_ADDRESSING_STYLE = envstr("S3_ADDRESSING_STYLE", "auto").strip().lower()
if FILE_STORAGE not in ("folder", "s3"):
    PROBLEMS.append(f"FILE_STORAGE must be folder or s3, not {FILE_STORAGE!r}.")
    FILE_STORAGE = "folder"
if FILE_STORAGE == "s3":
    if not S3_BUCKET:
        PROBLEMS.append("FILE_STORAGE is s3, so S3_BUCKET must name the bucket.")
    if S3_ENDPOINT_URL and not (
        urlsplit(S3_ENDPOINT_URL).scheme in ("http", "https") and urlsplit(S3_ENDPOINT_URL).netloc
    ):
        PROBLEMS.append(
            f"S3_ENDPOINT_URL must look like https://s3.example.org, not {S3_ENDPOINT_URL!r}."
        )
    if S3_ADDRESSING_STYLE not in ("auto", "path", "virtual"):
        PROBLEMS.append(
            f"S3_ADDRESSING_STYLE must be auto, path or virtual, not {S3_ADDRESSING_STYLE!r}."
        )
        S3_ADDRESSING_STYLE = "auto"
    if bool(S3_ACCESS_KEY_ID) != bool(S3_SECRET_ACCESS_KEY):
        PROBLEMS.append("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together, or neither.")
elif S3_BUCKET:
    PROBLEMS.append(
        "S3_BUCKET is set but FILE_STORAGE is not s3: set FILE_STORAGE=s3 to keep files "
        "in the bucket, or remove S3_BUCKET."
    )


def private_storage(folder: str) -> dict[str, object]:
    """The STORAGES entry for one kind of private file (tending.lib.files)."""
    if FILE_STORAGE != "s3" or not S3_BUCKET:
        return {"BACKEND": "tending.lib.files.PrivateFileStorage", "OPTIONS": {"folder": folder}}
    options: dict[str, object] = {
        "bucket_name": S3_BUCKET,
        "location": f"{S3_PREFIX}/{folder}" if S3_PREFIX else folder,
        "addressing_style": None if S3_ADDRESSING_STYLE == "auto" else S3_ADDRESSING_STYLE,
    }
    if S3_ENDPOINT_URL:
        options["endpoint_url"] = S3_ENDPOINT_URL
    if S3_REGION:
        options["region_name"] = S3_REGION
    if S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY:
        options["access_key"] = S3_ACCESS_KEY_ID
        options["secret_key"] = S3_SECRET_ACCESS_KEY
    return {"BACKEND": "tending.lib.s3.PrivateS3Storage", "OPTIONS": options}


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    "voice": private_storage("voice"),
    "imports": private_storage("imports"),
}

# The cache: each process's own memory by default; Redis, shared by every web
# and worker process on every machine, when CACHE_URL is set.
CACHE_URL = envstr("CACHE_URL").strip()
CACHE_KEY_PREFIX = envstr("CACHE_KEY_PREFIX", "tending").strip()
if CACHE_URL and not (
    urlsplit(CACHE_URL).scheme in ("redis", "rediss", "unix")
    and (urlsplit(CACHE_URL).netloc or urlsplit(CACHE_URL).path)
):
    PROBLEMS.append(
        f"CACHE_URL must be a Redis URL like redis://127.0.0.1:6379/0, not {CACHE_URL!r}."
    )
    CACHE_URL = ""
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    }
}

# Large uploads (voice messages, chat exports) wait here, not in the system's
# shared temporary folder, while a request reads them.
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
with contextlib.suppress(OSError):
    Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True, mode=0o700)

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "15")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "Tending <tending@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

# Django's database sessions; their per-request read is built once per process.
SESSION_ENGINE = "tending.accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _site.scheme == "https":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxy redirects to https and decides on HSTS for subdomains and
# preloading (docs/deployment.md), so Django's reminders about them are silenced.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W008", "security.W021"]

# Web Push (docs/notifications.md): the VAPID key pair that signs every push,
# kept in the data folder unless given, and who the push services may contact.
VAPID_PRIVATE_KEY, VAPID_KEY_GENERATED = envsecret(
    "VAPID_PRIVATE_KEY", DATA_DIR / "vapid_private_key", new_vapid_key
)
VAPID_SUBJECT = envstr("VAPID_SUBJECT") or "mailto:" + (
    parseaddr(DEFAULT_FROM_EMAIL)[1] or "tending@localhost"
)
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    PROBLEMS.append("VAPID_SUBJECT must start with mailto: or https://.")
# Push services are reached over https only; hosts listed here may be reached
# over plain http (for a push service on the same machine in tests).
PUSH_HTTP_HOSTS = envlist("PUSH_HTTP_HOSTS", "")

# The quick-exit button on support pages leaves Tending for this neutral page.
QUICK_EXIT_URL = envstr("QUICK_EXIT_URL", "https://en.wikipedia.org/wiki/Special:Random")

# Chat imports: the most a zip may unpack to, and the most messages read from one
# export (an upload itself is at most 60 MB; these bound what is inside it).
INSIGHTS_MAX_UNPACKED_MB = envint("INSIGHTS_MAX_UNPACKED_MB", "600")
INSIGHTS_MAX_MESSAGES = envint("INSIGHTS_MAX_MESSAGES", "5000000")
for _name in ("INSIGHTS_MAX_UNPACKED_MB", "INSIGHTS_MAX_MESSAGES"):
    if globals()[_name] < 1:
        PROBLEMS.append(f"{_name} must be a whole number above 0.")

# Workers: how long the worker sleeps between rounds when nothing is due.
WORKER_IDLE_SECONDS = envint("WORKER_IDLE_SECONDS", "5")
# /healthz answers 503 once no worker has been seen for this long (seconds).
WORKER_SILENT_AFTER = 5 * 60

LOG_LEVEL = envstr("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    PROBLEMS.append(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
    LOG_LEVEL = "INFO"

# Logging: ids and event names only; request bodies and entry text are never logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger includes the request in the record; keep it at
        # warnings and without POST data (Django never logs bodies by default).
        "django.request": {"level": "WARNING"},
        # boto3's debug lines carry request URLs (object keys): keep them out even at DEBUG.
        "boto3": {"level": "WARNING"},
        "botocore": {"level": "WARNING"},
        "s3transfer": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}
# Error reports by email would carry request data: not configured on purpose.
ADMINS: list[tuple[str, str]] = []
DEFAULT_EXCEPTION_REPORTER_FILTER = "tending.lib.reporting.NoIntimateTextFilter"

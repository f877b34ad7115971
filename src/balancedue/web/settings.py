"""Django settings of balancedue (module ``balancedue.web.settings``).

This is the only place where the case store reads its environment:

* ``BALANCEDUE_DATA_DIR`` - the folder of the database and the stored documents; by default the
  user's data directory (``platformdirs``), for example ``~/.local/share/balancedue``.
* ``DATABASE_URL`` - a PostgreSQL URL (``postgresql://user:password@host:5432/name``) to keep the
  cases in PostgreSQL instead of the SQLite file ``balancedue.sqlite3`` in the data folder.
* ``BALANCEDUE_TEST_PAUSE_AT`` - for the crash tests only: a comma-separated list of points at
  which the document store stops and waits to be killed (see ``balancedue.cases.blobs``).
  Never set it in normal use.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import platformdirs

DATA_DIR = Path(os.environ.get("BALANCEDUE_DATA_DIR") or platformdirs.user_data_dir("balancedue", appauthor=False))
DOCUMENTS_DIR = DATA_DIR / "documents"

SQLITE_OPTIONS = {
    # WAL keeps readers going while a writer commits; FULL makes every commit durable on disk.
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL",
    # Take the write lock when a transaction starts, so two writers queue instead of failing.
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dict(dj_database_url.parse(_database_url, conn_max_age=0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "balancedue.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

INSTALLED_APPS = ["balancedue.cases", "django_tasks", "django_tasks_db"]

# Batch intake runs as tasks (Django's Tasks interface, ``django-tasks``) kept in the same
# database as the cases; ``balancedue worker`` (or ``balancedue batch`` itself) runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["intake"]}}
BATCH_LEASE_SECONDS = float(os.environ.get("BALANCEDUE_LEASE_SECONDS") or 60)
"""A worker that has not shown a sign of life for this long is taken for dead; its task is run again."""
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

# No views yet, so no SECRET_KEY: the web app will read its own from the environment.
ALLOWED_HOSTS: list[str] = []
DEBUG = False

# The command line configures logging itself; Django must not add handlers of its own.
LOGGING_CONFIG = None

BALANCEDUE_TEST_PAUSE_AT = tuple(
    point.strip() for point in os.environ.get("BALANCEDUE_TEST_PAUSE_AT", "").split(",") if point.strip()
)

# --- the web app (``balancedue serve``) ----------------------------------------------------------
# Everything below is read by the web app only; the command line never serves a request.
# ``balancedue serve`` sets these variables before Django starts:
#
# * ``BALANCEDUE_SECRET_KEY`` - the key that signs sessions and CSRF tokens (kept in the data
#   folder, created on first start); a random one per process when unset.
# * ``BALANCEDUE_WEB_PRACTICE`` - "1" for practice mode (accounts and client grants).
# * ``BALANCEDUE_ALLOWED_HOSTS`` - comma-separated host names the server answers to.
import secrets  # noqa: E402

PRACTICE_MODE = os.environ.get("BALANCEDUE_WEB_PRACTICE", "") == "1"


def _secret_key() -> str:
    """Practice mode keeps its key in the data folder so logins survive a restart; single-user
    mode needs none that lasts (each start prints a new login link)."""
    given = os.environ.get("BALANCEDUE_SECRET_KEY", "").strip()
    if given:
        return given
    if not PRACTICE_MODE:
        return secrets.token_urlsafe(50)
    path = DATA_DIR / "web-secret-key"
    if not path.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("BALANCEDUE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "balancedue.web",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a logged-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "balancedue.web.urls"
WSGI_APPLICATION = "balancedue.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "balancedue.web.pages.site",
            ]
        },
    }
]
STATIC_URL = "/static/"
STATIC_ROOT = Path(__file__).resolve().parent / "static"  # served as is by WhiteNoise
WHITENOISE_USE_FINDERS = True  # serve the app's static folder directly: no collectstatic step
WHITENOISE_AUTOREFRESH = False
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Security headers and cookies: all from Django and django-csp.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_USE_SESSIONS = True
# Served on loopback over plain HTTP; behind a TLS proxy set BALANCEDUE_SECURE_COOKIES=1.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("BALANCEDUE_SECURE_COOKIES", "") == "1"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Nothing from any other origin: scripts, styles and images come from this server only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
"""The largest notice, photo or transcript the web app accepts."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
UPLOADS_DIR = DATA_DIR / "uploads"
WEB_TODAY = os.environ.get("BALANCEDUE_WEB_TODAY", "")
"""A fixed "today" (YYYY-MM-DD) for demonstrations and tests; empty means the real date."""

# Failed logins (password form and login link), see ``balancedue.web.login_throttle``: after
# LOGIN_FAILURE_LIMIT failures from one address or for one user name within the window, further
# attempts are answered 429 until the window ends.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

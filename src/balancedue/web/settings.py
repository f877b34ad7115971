"""Django settings of the whole application (module ``balancedue.web.settings``): the case
store's (``balancedue.cases.settings``), then the web app's.

No environment variable is read here: every value comes from the declared settings
(:mod:`balancedue.settings`; ``balancedue rules``-style help for each is in that table).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from balancedue.cases.settings import *  # noqa: F403 - the case store's settings, then the web app's
from balancedue.cases.settings import DATA_DIR, DATABASES, INSTALLED_APPS
from balancedue.settings import active

_values = active()

# --- the web app (``balancedue serve``) ----------------------------------------------------------
# Everything below is read by the web app only; the command line never serves a request.
# The values come from the declared settings (``balancedue.settings``), which ``balancedue serve``
# installs through the application context before Django starts: ``secret_key`` (signs sessions
# and CSRF tokens; kept in the data folder in practice mode), ``practice`` (accounts and client
# grants), ``allowed_hosts``, ``secure_cookies`` and ``today``.

PRACTICE_MODE = _values.flag("practice")
READ_IN_WORKER = _values.flag("read_in_worker")


def _secret_key() -> str:
    """Practice mode keeps its key in the data folder so logins survive a restart; single-user
    mode needs none that lasts (each start prints a new login link)."""
    given = _values["secret_key"]
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

# Each of the server's threads keeps its database connection from one request to the next:
# opening one (and SQLite reading the schema again) costs about a millisecond, most of a page's
# time.  Checked before reuse, so a restarted PostgreSQL server is reconnected to; a SQLite file
# replaced by a restore is opened again (balancedue.cases.bootstrap.close_replaced_databases).
# Only requests are concerned: a command keeps its one connection until it ends anyway.
for _database in DATABASES.values():
    _database["CONN_MAX_AGE"] = None
    _database["CONN_HEALTH_CHECKS"] = True
ALLOWED_HOSTS = list(_values.items("allowed_hosts"))

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
    # Cache-Control: no-store on every page and download (balancedue.web.middleware).
    "balancedue.web.middleware.NoStoreMiddleware",
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
# Sessions are written to the database and read from the server's memory (Django's cached_db
# engine): a page does not query its session.  Their own cache, so that many sessions (the login
# page makes one for its CSRF token) cannot push the failed-login counts out of the default one;
# a session pushed out is read from the database again.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "balancedue-default"},
    "sessions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "balancedue-sessions",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
# Served on loopback over plain HTTP; behind a TLS proxy set BALANCEDUE_SECURE_COOKIES=1.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _values.flag("secure_cookies")
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
MAX_REQUEST_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
"""The largest request waitress accepts (an upload and its form); larger ones are refused unread."""
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
UPLOADS_DIR = DATA_DIR / "uploads"
WEB_TODAY = _values["today"]
"""A fixed "today" (YYYY-MM-DD) for demonstrations and tests; empty means the real date."""

# Failed logins (password form and login link), see ``balancedue.web.login_throttle``: after
# LOGIN_FAILURE_LIMIT failures from one address or for one user name within the window, further
# attempts are answered 429 until the window ends.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

"""Django settings of the case store (module ``balancedue.cases.settings``).

The values come from the declared settings (:mod:`balancedue.settings`): ``data_dir``
(``BALANCEDUE_DATA_DIR``), ``database_url`` (``DATABASE_URL``) and, for the crash tests only,
``test_pause_at`` (``BALANCEDUE_TEST_PAUSE_AT``).  The web app's settings
(``balancedue.web.settings``) start from these.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import platformdirs

from balancedue.settings import active

_values = active()

DATA_DIR = Path(_values["data_dir"] or platformdirs.user_data_dir("balancedue", appauthor=False))
DOCUMENTS_DIR = DATA_DIR / "documents"

SQLITE_OPTIONS = {
    # WAL keeps readers going while a writer commits; FULL makes every commit durable on disk.
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL",
    # Take the write lock when a transaction starts, so two writers queue instead of failing.
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}

if _values["database_url"]:
    DATABASES = {"default": dict(dj_database_url.parse(_values["database_url"], conn_max_age=0))}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "balancedue.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

INSTALLED_APPS = ["balancedue.cases"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
USE_I18N = False

# The store serves no pages, so it needs no SECRET_KEY of its own (the web app has one).
ALLOWED_HOSTS: list[str] = []
DEBUG = False

# The command line configures logging itself; Django must not add handlers of its own.
LOGGING_CONFIG = None

BALANCEDUE_TEST_PAUSE_AT = _values.items("test_pause_at")

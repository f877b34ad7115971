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

INSTALLED_APPS = ["balancedue.cases"]
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

"""Every setting of balancedue, declared once: its name, default, help and environment variable.

The environment is read here and nowhere else.  The application context
(:mod:`balancedue.context`) reads the settings once when the command line or the web app
starts, may override some (``balancedue serve --practice`` or ``--today``), and installs them;
the case store's and the web app's Django settings take their values from :func:`active`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting: where it comes from and what it means."""

    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("data_dir", "BALANCEDUE_DATA_DIR", "",
            "Folder of the case database and stored documents; empty means the user's data folder "
            "(for example ~/.local/share/balancedue)."),
    Setting("database_url", "DATABASE_URL", "",
            "A postgresql:// URL to keep the cases in PostgreSQL; empty means the SQLite file in the data folder."),
    Setting("today", "BALANCEDUE_WEB_TODAY", "",
            "A fixed 'today' (YYYY-MM-DD) for the web app, for demonstrations and tests; empty means the real date."),
    Setting("practice", "BALANCEDUE_WEB_PRACTICE", "",
            "\"1\" runs the web app in practice mode (accounts and client grants)."),
    Setting("allowed_hosts", "BALANCEDUE_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]",
            "Comma-separated host names the web app answers to."),
    Setting("secret_key", "BALANCEDUE_SECRET_KEY", "",
            "The key that signs the web app's sessions; empty means one kept in the data folder "
            "(practice mode) or a new one per start."),
    Setting("secure_cookies", "BALANCEDUE_SECURE_COOKIES", "",
            "\"1\" marks the web app's cookies secure (behind a TLS proxy)."),
    Setting("read_in_worker", "BALANCEDUE_READ_IN_WORKER", "1",
            "\"1\" reads uploaded notices in a separate process, started afresh every 20 documents, so the web "
            "server's memory stays where it started; \"0\" reads them in the server's own process."),
    Setting("debug", "BALANCEDUE_DEBUG", "",
            "Non-empty shows the traceback of an unexpected error instead of one line."),
    Setting("lease_seconds", "BALANCEDUE_LEASE_SECONDS", "60",
            "Seconds a silent batch worker keeps its task before another worker takes it up."),
    Setting("test_pause_at", "BALANCEDUE_TEST_PAUSE_AT", "",
            "For the crash tests only: comma-separated points at which the document store stops and "
            "waits to be killed. Never set it in normal use."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True, slots=True)
class Values:
    """The value of every setting, as text (empty when not set)."""

    values: Mapping[str, str]

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def flag(self, name: str) -> bool:
        return self.values[name] == "1"

    def items(self, name: str) -> tuple[str, ...]:
        """A comma-separated setting as its items."""
        return tuple(item.strip() for item in self.values[name].split(",") if item.strip())


def read(environ: Mapping[str, str] | None = None, overrides: Mapping[str, str] | None = None) -> Values:
    """The settings from ``environ`` (the process environment by default), then ``overrides``."""
    environ = os.environ if environ is None else environ
    overrides = overrides or {}
    unknown = set(overrides) - set(_BY_NAME)
    if unknown:
        raise KeyError(f"unknown settings: {sorted(unknown)}")
    values = {s.name: (environ.get(s.env) or s.default).strip() for s in SETTINGS}
    values.update({name: value.strip() for name, value in overrides.items()})
    return Values(values)


_active: Values | None = None


def install(values: Values) -> None:
    """Make ``values`` the settings of this process (done by the application context)."""
    global _active
    _active = values


def active() -> Values:
    """The installed settings, or those of the environment when none were installed."""
    return _active if _active is not None else read()

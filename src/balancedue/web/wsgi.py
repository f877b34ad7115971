"""The WSGI application that ``balancedue serve`` runs under waitress.

``balancedue serve`` builds the application context first (with its --practice, --today and
host settings) and installs it; imported on its own, this module builds one from the
installed settings or the environment.
"""

from __future__ import annotations

from balancedue.cases import bootstrap
from balancedue.context import build_context
from balancedue.settings import active

_context = build_context(overrides=active().values)
bootstrap.configure()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from balancedue.web import access  # noqa: E402 - the web app's modules load once Django is set up

if not access.installed():
    access.install(_context)

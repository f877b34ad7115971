"""The WSGI application that ``balancedue serve`` runs under waitress."""

from __future__ import annotations

from balancedue.cases.bootstrap import configure

configure()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

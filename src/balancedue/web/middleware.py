"""Two server-wide rules of the web app: nothing is cached, and client errors are not logged as failures.

* Every page and download but the static files is sent with ``Cache-Control: no-store`` (and
  ``private``, ``no-cache``): case pages and documents hold a taxpayer's data, which a shared
  browser or a proxy must not keep.
* A request the client got wrong (404, 403, 400, a host name not allowed, a bad CSRF token) is the
  client's problem, not the server's: Django's loggers would print it on the console, some with
  a traceback.  :class:`ClientErrorFilter` drops those records; server errors (5xx) still show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response except the static files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(str(settings.STATIC_URL)):
            add_never_cache_headers(response)
        return response


class ClientErrorFilter(logging.Filter):
    """Let through only what is the server's fault: records of 5xx answers and real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return not (isinstance(status, int) and status < 500)


def quiet_client_errors() -> None:
    """Install :class:`ClientErrorFilter` on Django's request loggers, and end the security
    loggers' records (all of them about what a client sent) at ``django.security`` (idempotent)."""
    for name in ("django.request", "django.server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ClientErrorFilter) for f in logger.filters):
            logger.addFilter(ClientErrorFilter())
    security = logging.getLogger("django.security")
    security.propagate = False
    if not security.handlers:
        security.addHandler(logging.NullHandler())

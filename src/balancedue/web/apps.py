"""The web app's Django configuration."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pages, logins and client grants of ``balancedue serve``."""

    name = "balancedue.web"
    label = "web"
    verbose_name = "balancedue web app"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from balancedue.cases.bootstrap import close_replaced_databases, note_database_file
        from balancedue.web.middleware import quiet_client_errors

        quiet_client_errors()  # a client's 4xx is not printed on the server's console
        # Connections are kept between requests (CONN_MAX_AGE); one to a database file that a
        # restore has replaced is closed before the request uses it.
        connection_created.connect(note_database_file, dispatch_uid="balancedue-note-database-file")
        request_started.connect(close_replaced_databases, dispatch_uid="balancedue-close-replaced-databases")

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
        from balancedue.web.middleware import quiet_client_errors

        quiet_client_errors()  # a client's 4xx is not printed on the server's console

"""The web app's Django configuration."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Pages, logins and client grants of ``balancedue serve``."""

    name = "balancedue.web"
    label = "web"
    verbose_name = "balancedue web app"
    default_auto_field = "django.db.models.BigAutoField"

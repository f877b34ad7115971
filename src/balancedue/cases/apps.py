"""Django application config of the case store."""

from __future__ import annotations

from django.apps import AppConfig


class CasesConfig(AppConfig):  # type: ignore[misc]
    """The ``cases`` app."""

    name = "balancedue.cases"
    label = "cases"
    verbose_name = "Cases"
    default_auto_field = "django.db.models.BigAutoField"

"""The one table of the web app: which user may see which client (practice mode)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from balancedue.cases.models import Client


class ClientGrant(models.Model):
    """A user may see and work on a client's cases.  Staff add and remove grants in the admin."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_grants")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [  # noqa: RUF012 - Django reads a list
            models.UniqueConstraint(fields=["user", "client"], name="grant_once_per_user_client")
        ]

    def __str__(self) -> str:
        return f"{self.user} may see {self.client}"

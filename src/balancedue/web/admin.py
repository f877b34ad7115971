"""The Django admin for practice mode: staff manage users (Django's own) and client grants."""

from __future__ import annotations

from django.contrib import admin

from balancedue.web.models import ClientGrant


@admin.register(ClientGrant)
class ClientGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "client", "granted_at")
    list_filter = ("user",)
    search_fields = ("client__name", "user__username")

"""Who is asking, and what they may see: a logged-in user turned into the application context.

The single user of single-user mode and practice staff with full rights see every client;
any other practice user sees the clients granted to them (:class:`ClientGrant`).  The services
below receive that scope as data, a set of client ids or ``None`` for every client.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest

from balancedue.context import AppContext, build_context
from balancedue.web.forms import today
from balancedue.web.models import ClientGrant

_base: AppContext | None = None


def install(context: AppContext) -> None:
    """The application context the web app serves from (built by ``balancedue serve``)."""
    global _base
    _base = context


def installed() -> bool:
    """True once an application context was installed."""
    return _base is not None


def base_context() -> AppContext:
    """The installed application context (one is built from the settings when none was)."""
    global _base
    if _base is None:
        _base = build_context()
    return _base


def sees_everything(user: Any) -> bool:
    """The single user of single-user mode and practice staff with full rights see every client."""
    return bool(getattr(user, "is_superuser", False))


def scope_of(user: Any) -> frozenset[int] | None:
    """The ids of the clients ``user`` may see; ``None`` means every client."""
    if sees_everything(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(ClientGrant.objects.filter(user=user).values_list("client_id", flat=True))


def grant_client(user: Any, client_id: int) -> None:
    """Let ``user`` see a client (done when the user opens a case for a new client)."""
    if sees_everything(user):
        return
    ClientGrant.objects.get_or_create(user=user, client_id=client_id)


def request_context(request: HttpRequest) -> AppContext:
    """The application context narrowed to the request's user and the date the pages work with."""
    user = request.user
    context = base_context().acting_for(getattr(user, "username", None) or None, scope_of(user))
    return dataclasses.replace(context, fixed_today=today())

"""A limit on failed logins, kept in Django's cache.

Each failed password login counts against the client's address and against the user name typed;
each refused login link counts against the client's address.  Once a key reaches
``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW_SECONDS`` seconds, further attempts
from it are answered 429 until the window (counted from the first failure) runs out.  A
successful login clears the address's and the user name's counts.  The counts live in the
process's cache (local memory unless ``CACHES`` says otherwise), so a restart forgets them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest, username: str | None) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    keys = [f"login-fail:addr:{address}"]
    if username:
        # Hash the name so the cache never holds what a stranger typed.
        digest = hashlib.sha256(username.strip().casefold().encode("utf-8", "surrogatepass")).hexdigest()
        keys.append(f"login-fail:user:{digest}")
    return keys


def is_blocked(request: HttpRequest, username: str | None = None) -> bool:
    """Whether the client's address or the user name has used up its failed attempts."""
    limit = settings.LOGIN_FAILURE_LIMIT
    return any(int(cache.get(key, 0)) >= limit for key in _keys(request, username))


def record_failure(request: HttpRequest, username: str | None = None) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(request, username):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def clear(request: HttpRequest, username: str | None = None) -> None:
    cache.delete_many(_keys(request, username))

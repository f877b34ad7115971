"""A limit on failed logins, kept in Django's cache, for every way of logging in.

Each failed password login - on the app's login page or the admin site's (``/admin/login/``),
both go through :func:`guarded_login` - counts against the client's address and against the user
name typed; each refused login link counts against the client's address.  Once a key reaches
``LOGIN_FAILURE_LIMIT`` failures within ``LOGIN_FAILURE_WINDOW_SECONDS`` seconds, further attempts
from it are answered 429 until the window (counted from the first failure) runs out.

A user name is counted as Django compares it, and stricter: NFKC-normalised and case-folded, so
``ＡＬＩＣＥ`` and ``Alice`` use up the same attempts as ``alice``.  A successful login clears
only the count of the name that logged in: the address's count stays, so logging in to one's own
account does not buy more guesses at another's.  The counts live in the process's cache (local
memory unless ``CACHES`` says otherwise), so a restart forgets them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def normalized_name(username: str) -> str:
    """The user name as it is counted: NFKC, case-folded, trimmed."""
    folded = unicodedata.normalize("NFKC", username).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def _address_key(request: HttpRequest) -> str:
    return f"login-fail:addr:{request.META.get('REMOTE_ADDR', '') or 'unknown'}"


def _user_key(username: str) -> str:
    # Hash the name so the cache never holds what a stranger typed.
    digest = hashlib.sha256(normalized_name(username).encode("utf-8", "surrogatepass")).hexdigest()
    return f"login-fail:user:{digest}"


def _keys(request: HttpRequest, username: str | None) -> list[str]:
    keys = [_address_key(request)]
    if username and normalized_name(username):
        keys.append(_user_key(username))
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


def clear(username: str) -> None:
    """Forget the failed attempts of the user name that just logged in (not the address's)."""
    if normalized_name(username):
        cache.delete(_user_key(username))


def guarded_login(
    request: HttpRequest, username: str, login: Callable[[], HttpResponse], refuse: Callable[[], HttpResponse]
) -> HttpResponse:
    """Run a password login (``login``) unless the address or the name is blocked (``refuse``).

    The attempt succeeded when the request ends with that very user logged in; anything else -
    a wrong password, an unknown name, an account the page does not admit - is a failure.
    """
    if is_blocked(request, username):
        return refuse()
    response = login()
    user = getattr(request, "user", None)
    succeeded = (
        user is not None
        and user.is_authenticated
        and response.status_code in (301, 302, 303)
        and normalized_name(user.get_username()) == normalized_name(username)
    )
    if succeeded:
        clear(username)
    else:
        record_failure(request, username)
    return response

"""Failed logins are limited per client address and per user name (balancedue.web.login_throttle)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web_harness import make_user


@pytest.fixture
def throttle(web: Any) -> Iterator[Any]:
    from django.core.cache import cache

    cache.clear()
    web.LOGIN_FAILURE_LIMIT = 3
    yield web
    cache.clear()


def _post_login(client: Any, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_password_login_is_refused_with_429_after_the_limit(throttle: Any) -> None:
    from django.test import Client

    make_user("alice")
    client = Client()
    for _ in range(throttle.LOGIN_FAILURE_LIMIT):
        assert _post_login(client, "alice", "wrong-password").status_code == 200  # form with error
    response = _post_login(client, "alice", "alice-long-password-1")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session


def test_the_user_name_is_limited_across_addresses(throttle: Any) -> None:
    from django.test import Client

    make_user("alice")
    client = Client()
    for attempt in range(throttle.LOGIN_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong-password", address=f"10.0.0.{attempt + 1}")
    assert _post_login(client, "alice", "wrong-password", address="10.9.9.9").status_code == 429
    # Another user name from a fresh address is not affected.
    make_user("bob")
    assert _post_login(client, "bob", "bob-long-password-1", address="10.8.8.8").status_code == 302


def test_a_login_after_the_window_works(throttle: Any) -> None:
    from django.core.cache import cache
    from django.test import Client

    make_user("alice")
    client = Client()
    for _ in range(throttle.LOGIN_FAILURE_LIMIT + 1):
        _post_login(client, "alice", "wrong-password")
    assert _post_login(client, "alice", "alice-long-password-1").status_code == 429
    cache.clear()  # what the cache does when LOGIN_FAILURE_WINDOW_SECONDS have passed
    response = _post_login(client, "alice", "alice-long-password-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_window_expires_the_counts(throttle: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The counts live LOGIN_FAILURE_WINDOW_SECONDS (15 minutes) in the cache; the cache's clock is
    a fake one here, so the test does not depend on how fast the machine hashes passwords."""
    from types import SimpleNamespace

    from django.core.cache.backends import base, locmem
    from django.test import Client

    now = [1_000_000.0]
    clock = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(base, "time", clock)
    monkeypatch.setattr(locmem, "time", clock)
    window = throttle.LOGIN_FAILURE_WINDOW_SECONDS
    make_user("alice")
    client = Client()
    for _ in range(throttle.LOGIN_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong-password")
    now[0] += window - 1  # one second before the window ends: still refused
    assert _post_login(client, "alice", "alice-long-password-1").status_code == 429
    now[0] += 2  # the first failures' window has ended
    assert _post_login(client, "alice", "alice-long-password-1").status_code == 302


def test_refused_login_links_are_limited_per_address(throttle: Any) -> None:
    from django.test import Client

    from balancedue.web import login_token

    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(throttle.LOGIN_FAILURE_LIMIT):
        assert client.get("/login/not-the-token").status_code == 403
    good = login_token.issue()
    response = client.get(f"/login/{good}")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    # Another address may still use the (unspent) link.
    assert Client(REMOTE_ADDR="10.0.0.8").get(f"/login/{good}").status_code == 302

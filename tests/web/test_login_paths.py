"""Every login path is limited; accounts see only what they are granted; the login link stays private.

Findings reproduced: ``/admin/login/`` took 20 wrong passwords and then the right one; the limit on
a user name was bypassed by a full-width spelling of it and reset by the attacker's own successful
login; ``serve --add-staff`` made superusers, so one staff member opened another's ungranted case;
``serve --open`` put the one-time token on the browser's command line.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_harness import make_user, open_sample_case


@pytest.fixture
def throttle(web: Any) -> Iterator[Any]:
    from django.core.cache import cache

    cache.clear()
    web.LOGIN_FAILURE_LIMIT = 5
    yield web
    cache.clear()


def _post(client: Any, url: str, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_admin_login_is_limited_like_the_app_login(throttle: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    get_user_model().objects.create_superuser("boss", password="boss-long-password-1")
    client = Client()
    answers = [_post(client, "/admin/login/", "boss", f"wrong-{n}").status_code for n in range(20)]
    assert answers[:5] == [200] * 5  # the admin's form with an error
    assert set(answers[5:]) == {429}
    response = _post(client, "/admin/login/", "boss", "boss-long-password-1")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The admin's login page itself still shows (GET is not an attempt).
    assert Client().get("/admin/login/").status_code == 200


def test_failures_on_one_page_count_on_the_other(throttle: Any) -> None:
    from django.test import Client

    make_user("alice")
    client = Client()
    for n in range(3):
        _post(client, "/admin/login/", "alice", f"wrong-{n}", address=f"10.1.0.{n}")
    for n in range(2):
        _post(client, "/accounts/login/", "alice", f"wrong-{n}", address=f"10.2.0.{n}")
    assert _post(client, "/accounts/login/", "alice", "alice-long-password-1", address="10.3.0.1").status_code == 429


@pytest.mark.parametrize("spelling", ["ALICE", "\uff41\uff4c\uff49\uff43\uff45", "Alice ", "\uff21lice"])
def test_look_alike_user_names_share_one_count(throttle: Any, spelling: str) -> None:
    from django.test import Client

    make_user("alice")
    client = Client()
    for n in range(5):
        # A fresh address each time: only the name's count can stop the last attempt.
        _post(client, "/accounts/login/", spelling if n % 2 else "alice", "wrong", address=f"10.4.0.{n}")
    assert _post(client, "/accounts/login/", spelling, "alice-long-password-1", address="10.4.1.1").status_code == 429


def test_the_attackers_own_login_does_not_reset_the_count(throttle: Any) -> None:
    from django.test import Client

    make_user("mallory")
    # Guessing at several names from one address (4 each, under the per-name limit), and logging in
    # to one's own account between rounds to clear the address's count, as the attack did.
    for victim in ("victim0", "victim1", "victim2"):
        make_user(victim)
        for n in range(4):
            _post(Client(), "/accounts/login/", victim, f"guess-{n}", address="10.5.0.1")
        _post(Client(), "/accounts/login/", "mallory", "mallory-long-password-1", address="10.5.0.1")
    make_user("victim9")
    assert _post(Client(), "/accounts/login/", "victim9", "victim9-long-password-1", address="10.5.0.1").status_code == 429


def test_a_successful_login_clears_that_name_only(throttle: Any) -> None:
    from django.test import Client

    make_user("alice")
    for n in range(4):
        _post(Client(), "/accounts/login/", "alice", "wrong", address=f"10.6.0.{n}")
    assert _post(Client(), "/accounts/login/", "alice", "alice-long-password-1", address="10.6.1.1").status_code == 302
    for n in range(4):
        _post(Client(), "/accounts/login/", "alice", "wrong", address=f"10.6.2.{n}")
    assert _post(Client(), "/accounts/login/", "alice", "alice-long-password-1", address="10.6.3.1").status_code == 302


def test_add_staff_makes_a_staff_member_who_sees_only_granted_clients(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer
    from django.contrib.auth import get_user_model
    from django.test import Client

    from balancedue.cli import serve_cmd

    monkeypatch.setattr(typer, "prompt", lambda *args, **kwargs: "a-long-staff-password-1")
    serve_cmd._add_staff("ana", False)
    serve_cmd._add_staff("ben", False)
    serve_cmd._add_staff("boss", True)
    users = get_user_model().objects
    assert not users.get(username="ana").is_superuser
    assert users.get(username="ana").is_staff
    assert users.get(username="boss").is_superuser

    ana, ben, boss = Client(), Client(), Client()
    for client, name in ((ana, "ana"), (ben, "ben"), (boss, "boss")):
        client.force_login(users.get(username=name))
    number = open_sample_case(ana)
    assert ana.get(f"/cases/{number}").status_code == 200
    for url in (f"/cases/{number}", f"/cases/{number}/documents/1", f"/cases/{number}/calendar.ics"):
        assert ben.get(url).status_code == 404, url
    assert boss.get(f"/cases/{number}").status_code == 200


def test_superuser_needs_add_staff() -> None:
    from typer.testing import CliRunner

    from balancedue.cli import app

    result = CliRunner().invoke(app, ["serve", "--superuser"])
    assert result.exit_code == 2
    assert "--superuser goes with --add-staff" in result.output


def test_open_starts_the_browser_with_a_private_page_not_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from balancedue.cli import serve_cmd

    opened: list[str] = []

    class Now:
        def __init__(self, seconds: float, function: Any, args: tuple[Any, ...] = ()) -> None:
            self.function, self.args, self.seconds = function, args, seconds
            self.daemon = False

        def start(self) -> None:
            if self.seconds < serve_cmd.REDIRECT_PAGE_SECONDS:
                self.function(*self.args)

    monkeypatch.setattr(serve_cmd.threading, "Timer", Now)
    monkeypatch.setattr(serve_cmd.webbrowser, "open", opened.append)
    token = "secret-token-abc"
    serve_cmd._open_privately(f"http://127.0.0.1:8765/login/{token}")
    (uri,) = opened
    assert token not in uri
    assert uri.startswith("file://")
    page = Path(uri.removeprefix("file://"))
    assert token in page.read_text(encoding="utf-8")
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert stat.S_IMODE(page.parent.stat().st_mode) == 0o700
    assert page.parent.stat().st_uid == os.getuid()
    serve_cmd._remove_page(page)
    assert not page.parent.exists()

"""The server keeps its database connections between requests; a database file put in place by a
restore (one rename over the live file) is read from the next request on, never the replaced one."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from django.test import Client
from web_harness import make_user, open_sample_case


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API, as ``backup`` uses)."""
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)
    live.close()
    copy.close()


def test_a_connection_is_kept_from_one_request_to_the_next(web: Any) -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    assert client.get("/").status_code == 200
    opened: list[Any] = []
    connection_created.connect(lambda **kwargs: opened.append(kwargs), weak=False, dispatch_uid="test-opened")
    try:
        for _ in range(3):
            assert client.get("/").status_code == 200
    finally:
        connection_created.disconnect(dispatch_uid="test-opened")
    assert opened == []
    assert connection.connection is not None


def test_a_database_replaced_by_rename_is_read_at_the_next_request(web: Any, tmp_path: Path) -> None:
    from django.db import connection

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    live = Path(str(connection.settings_dict["NAME"]))
    before = tmp_path / "before.sqlite3"
    _copy(live, before)  # logged in, no case yet
    open_sample_case(client)
    assert b"CP14" in client.get("/").content
    assert connection.connection is not None  # kept, open on the file with the case

    staged = live.with_name("staged.sqlite3")
    _copy(before, staged)
    for suffix in ("-wal", "-shm"):  # what restore does: the live file's WAL files go, then one rename
        Path(f"{live}{suffix}").unlink(missing_ok=True)
    os.replace(staged, live)

    page = client.get("/")
    assert page.status_code == 200
    assert b"CP14" not in page.content
    assert b"No open cases yet" in page.content


def test_a_session_read_from_memory_ends_at_logout(web: Any) -> None:
    """Sessions are read from the server's memory (cached_db): logging out still ends them, and a
    copy of the cookie is refused afterwards."""
    from django.conf import settings

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    assert client.get("/").status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/").status_code == 200  # the same session, from another browser
    assert client.post("/accounts/logout/").status_code == 302
    after = replay.get("/")
    assert after.status_code == 302
    assert "/accounts/login/" in after["Location"]


def test_failed_logins_are_counted_however_many_sessions_there_are(web: Any) -> None:
    """Sessions have their own cache: making many (each visit to the login page makes one for its
    CSRF token) does not push the failed-login counts out."""
    from django.conf import settings
    from django.core.cache import caches

    assert settings.SESSION_CACHE_ALIAS != "default"
    sessions, default = caches[settings.SESSION_CACHE_ALIAS], caches["default"]
    default.set("balancedue-test-count", 3, timeout=60)
    for number in range(400):  # more than the default cache's 300 entries
        sessions.set(f"balancedue-test-session-{number}", {"n": number}, timeout=60)
    assert default.get("balancedue-test-count") == 3

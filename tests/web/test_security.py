"""Security from the framework: headers, cookies, CSP without outside origins, vendored files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from django.test import Client
from web_harness import ROOT, make_user

ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def _csp(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_pages_carry_the_security_headers(web: Any) -> None:
    client = Client()
    client.force_login(make_user("owner", superuser=True))
    for url in ("/", "/cases/new", "/tools/calculator", "/accounts/login/"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        directives = _csp(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"], "no inline or outside script"
        assert directives["frame-ancestors"] == ["'none'"]
        for name, sources in directives.items():
            assert set(sources) <= ALLOWED_SOURCES, (url, name, sources)


def test_the_chart_keeps_a_policy_without_outside_origins(web: Any) -> None:
    # The chart may use its own style attributes, nothing from elsewhere.
    from web_harness import open_sample_case

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    number = open_sample_case(client)
    directives = _csp(client.get(f"/cases/{number}/chart.svg"))
    assert directives["script-src"] == ["'self'"]
    for sources in directives.values():
        assert set(sources) <= ALLOWED_SOURCES | {"'unsafe-inline'"}


def test_session_cookie_is_httponly_and_samesite(web: Any) -> None:
    from balancedue.web import login_token

    client = Client()
    response = client.get(f"/login/{login_token.issue()}")
    cookie = response.cookies[web.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"


def test_passwords_are_hashed_and_validated(web: Any) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = make_user("clerk")
    assert user.password.startswith(("pbkdf2_sha256$", "scrypt$"))
    try:
        validate_password("12345678")
    except ValidationError:
        pass
    else:
        raise AssertionError("a short, common, numeric password was accepted")


def test_templates_load_nothing_from_outside(web: Any) -> None:
    folder = ROOT / "src" / "balancedue" / "web" / "templates"
    for path in folder.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", text), path
        assert "<script>" not in text, path
        assert "style=" not in text, path


def test_vendored_htmx_matches_its_recorded_hash() -> None:
    table = (ROOT / "VENDORED.md").read_text(encoding="utf-8")
    rows = re.findall(r"\| `([^`]+)` \|[^\n]*\| `([0-9a-f]{64})` \|", table)
    assert rows, "VENDORED.md lists no file"
    for name, digest in rows:
        assert hashlib.sha256((ROOT / Path(name)).read_bytes()).hexdigest() == digest, name

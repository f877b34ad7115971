"""The dashboard and the case page are kept per state of the cases they show (balancedue.web.kept_pages):
shown again, they read one version row per case and work out nothing; any change to a case or a
new day shows at once; nothing of one user, session or request is kept in them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from web_harness import make_user, open_sample_case

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _without_tokens(body: bytes) -> bytes:
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', body)


def _fresh(client: Client, url: str) -> bytes:
    """The page worked out from nothing: nothing kept, no analysis kept."""
    from balancedue.services import casework
    from balancedue.web import kept_pages

    kept_pages.forget()
    casework.forget_reports()
    response = client.get(url)
    assert response.status_code == 200
    return _without_tokens(response.content)


def _shown(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return _without_tokens(response.content)


@pytest.fixture
def logged_in(web: Any) -> Client:
    client = Client()
    client.force_login(make_user("owner", superuser=True))
    return client


def test_a_page_shown_again_reads_and_works_out_nothing(logged_in: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from balancedue.services import analyze, casework
    from balancedue.services import cases as case_service

    number = open_sample_case(logged_in)
    first = {url: _shown(logged_in, url) for url in ("/", f"/cases/{number}")}
    worked: list[str] = []
    for module, name in ((case_service, "show_case"), (case_service, "list_cases"), (casework, "case_view"),
                         (casework, "dashboard"), (analyze, "analyze_notice"), (analyze, "pay_in_full_today")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: worked.append(_name) or _real(*a, **k))
    for url, body in first.items():
        with CaptureQueriesContext(connection) as queries:
            assert _shown(logged_in, url) == body
        # The user, and the version row of the cases shown: nothing else of the case store.
        tables = sorted({re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in queries.captured_queries})  # type: ignore[union-attr]
        assert tables == ["auth_user", "cases_case"], (url, tables)
    assert worked == []


def test_every_change_to_a_case_shows_at_once(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    case_url = f"/cases/{number}"
    changes = [
        (f"{case_url}/notes/new", {"text": "Called the bank for the statement"}, b"Called the bank for the statement"),
        (f"{case_url}/payments/new", {"paid_on": "2025-06-12", "amount": "1000.00", "channel": "IRS Direct Pay",
                                      "confirmation": "A1B2C3"}, b"A1B2C3"),
        (f"{case_url}/deadlines/1", {"due": "2025-07-15", "reason": "Agreed by phone with the IRS"}, b"July 15, 2025"),
        (f"{case_url}/notice", {"field": "notice_date", "value": "2025-06-03", "reason": "Dated a day later"},
         b"Dated a day later"),
        (f"{case_url}/status", {"status": "waiting", "reason": "Dispute mailed"}, " · waiting".encode()),
        (f"{case_url}/status", {"status": "resolved", "reason": "Paid in full"}, " · resolved".encode()),
    ]
    for url, data, shows in changes:
        before = {page: _shown(logged_in, page) for page in ("/", case_url)}  # kept now
        assert shows not in before[case_url], url
        response = logged_in.post(url, data)
        assert response.status_code == 302, (url, response.content[:2000])
        case_page, dashboard = _shown(logged_in, case_url), _shown(logged_in, "/")
        assert shows in case_page, url
        assert case_page != before[case_url]
        # What is shown is what would be worked out from nothing.
        assert case_page == _fresh(logged_in, case_url), url
        assert dashboard == _fresh(logged_in, "/"), url
    # Resolved: the dashboard no longer lists the case as open.
    assert b"1 resolved or closed" in _shown(logged_in, "/")


def test_a_new_day_shows_at_once(logged_in: Client, web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    number = open_sample_case(logged_in)
    pages = ("/", f"/cases/{number}")
    before = {page: _shown(logged_in, page) for page in pages}
    monkeypatch.setattr(web, "WEB_TODAY", "2025-06-11")
    for page in pages:
        after = _shown(logged_in, page)
        assert after != before[page], page
        assert after == _fresh(logged_in, page), page
    # The sample notice's pay-by date is June 23, 2025 (its date, June 2, plus 21 days):
    # 13 days from June 10, 12 from June 11.
    assert b"in 12 days" in _shown(logged_in, "/")
    assert b"in 13 days" not in _shown(logged_in, "/")


def test_a_kept_page_is_never_shown_to_a_user_who_may_not_see_it(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "PRACTICE_MODE", True)
    alice, bob, boss = Client(), Client(), Client()
    alice.force_login(make_user("alice"))
    bob.force_login(make_user("bob"))
    boss.force_login(make_user("boss", superuser=True))
    number = open_sample_case(alice)
    shown = alice.get(f"/cases/{number}")
    assert shown.status_code == 200
    assert b"alice" in shown.content  # the header names who is logged in
    assert b"CP14" in alice.get("/").content  # both pages kept now
    assert bob.get(f"/cases/{number}").status_code == 404
    board = bob.get("/")
    assert b"CP14" not in board.content
    assert b"No open cases yet" in board.content
    assert b"alice" not in board.content
    # Someone who sees every client gets the kept page, with their own name and no one else's.
    page = boss.get(f"/cases/{number}")
    assert page.status_code == 200
    assert b"boss" in page.content
    assert b"alice" not in page.content
    assert _without_tokens(page.content).replace(b"boss", b"alice") == _without_tokens(shown.content)


def test_the_forms_of_a_kept_page_carry_this_sessions_token(web: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("owner", superuser=True))
    number = open_sample_case_with_tokens(client)
    first = client.get(f"/cases/{number}").content
    second = client.get(f"/cases/{number}").content  # from the kept page
    tokens = TOKEN.findall(second)
    assert len(tokens) == 2  # the logout form and the letter form
    assert set(tokens).isdisjoint(TOKEN.findall(first))  # masked afresh for every response
    note = {"text": "Posted with the token of a kept page", "csrfmiddlewaretoken": tokens[1].decode()}
    assert client.post(f"/cases/{number}/notes/new", note).status_code == 302
    assert b"Posted with the token of a kept page" in client.get(f"/cases/{number}").content
    # Another session's token is refused, kept page or not.
    other = Client(enforce_csrf_checks=True)
    other.force_login(make_user("other", superuser=True))
    assert other.post(f"/cases/{number}/notes/new", note).status_code == 403


def test_no_kept_body_holds_a_token_or_a_user(logged_in: Client) -> None:
    from balancedue.web import kept_pages

    number = open_sample_case(logged_in)
    assert logged_in.get("/").status_code == logged_in.get(f"/cases/{number}").status_code == 200
    bodies = [body for kept in kept_pages._kept.values() for body in kept.bodies]
    assert len(bodies) == 3  # the dashboard's body, and the case page's two parts
    for body in bodies:
        assert "csrfmiddlewaretoken" not in body
        assert "owner" not in body
        assert "Log out" not in body


def open_sample_case_with_tokens(client: Client) -> int:
    """Open the sample case through a client that checks CSRF tokens."""
    from web_harness import SAMPLE_NOTICE

    def token(url: str) -> str:
        found = TOKEN.search(client.get(url).content)
        assert found is not None
        return found.group(1).decode()

    with SAMPLE_NOTICE.open("rb") as stream:
        response = client.post("/cases/new", {"notice": stream, "csrfmiddlewaretoken": token("/cases/new")})
    assert response.status_code == 200, response.content[:2000]
    form = response.context["page"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["client_address"] = "1 Main St\nSpringfield IL 62701"
    data["csrfmiddlewaretoken"] = TOKEN.search(response.content).group(1).decode()  # type: ignore[union-attr]
    response = client.post("/cases/new/review", data)
    assert response.status_code == 302, response.content[:3000]
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_the_least_recently_shown_pages_go_first_when_the_store_is_full(monkeypatch: pytest.MonkeyPatch) -> None:
    from cachetools import LRUCache
    from django.utils.safestring import SafeString

    from balancedue.web import kept_pages

    # Room for 250 characters; each page below renders one body of 100: two fit, a third
    # pushes out the one shown longest ago, and a page larger than the room is not kept.
    monkeypatch.setattr(kept_pages, "_kept", LRUCache(maxsize=250, getsizeof=kept_pages._size))
    monkeypatch.setattr(kept_pages, "render_body", lambda template, page: SafeString(template * 100))
    rules = object()
    made: list[str] = []

    def show(key: str, template: str = "x") -> None:
        kept_pages.kept_page(key, rules, (template,), lambda: made.append(key) or key)

    show("a")
    show("b")
    show("a")  # kept: shown again, now the most recent
    show("c")  # "b" goes
    show("a")
    show("b")  # worked out again; "c", shown longest ago, goes
    assert made == ["a", "b", "c", "b"]
    show("big", "xxx")  # 300 characters: worked out, not kept, nothing pushed out
    show("big", "xxx")
    assert made[-2:] == ["big", "big"]
    assert sorted(key for key, _ in kept_pages._kept) == ["a", "b"]  # "b" in, so "c" went

"""The deadline desk and its calendar: order, filters, and what each practice user may see."""

from __future__ import annotations

import re
from typing import Any

from desk_seed import PASSWORDS, seed
from django.test import Client


def _login(name: str) -> Client:
    from django.contrib.auth import get_user_model

    browser = Client()
    browser.force_login(get_user_model().objects.get(username=name))
    return browser


def _order(content: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb'data-case="(\d+)"', content)]


def _seeded() -> dict[str, int]:
    from balancedue.services.cases import store

    return seed(store())


def test_the_desk_lists_open_cases_overdue_first_then_by_next_deadline(web: Any) -> None:
    numbers = _seeded()
    page = _login("owner").get("/desk")
    assert page.status_code == 200
    expected = [numbers[n] for n in ("Avery Tester", "Blake Example", "Devon Fiction", "Casey Sample")]
    assert _order(page.content) == expected
    text = page.content.decode()
    assert "overdue" in text
    assert "this week" in text
    assert "$400.00" in text
    assert "June 20, 2025" in text  # Devon's next deadline, not the passed one
    assert "Emery" not in text.split("<tbody>")[1]  # closed


def test_a_staff_member_sees_only_their_clients(web: Any) -> None:
    numbers = _seeded()
    pat = _login("pat")
    page = pat.get("/desk")
    assert _order(page.content) == [numbers["Avery Tester"], numbers["Devon Fiction"], numbers["Casey Sample"]]
    assert b"Blake Example" not in page.content
    # Choosing a client pat may not see shows nothing, not that client's cases.
    assert _order(pat.get(f"/desk?client={numbers['Blake Example']}").content) == []
    calendar = pat.get("/desk/calendar.ics")
    assert calendar["Content-Type"] == "text/calendar"
    body = calendar.content.decode()
    assert body.count("BEGIN:VEVENT") == 5  # Avery 2 + Casey 1 + Devon 2 deadlines
    assert "Blake" not in body
    assert "Emery" not in body


def test_the_desk_filters_by_client_and_by_who_is_assigned(web: Any) -> None:
    numbers = _seeded()
    owner = _login("owner")
    devon = numbers["Devon Fiction"]
    from balancedue.cases.models import Case

    client_id = Case.objects.get(pk=devon).client_id
    assert _order(owner.get(f"/desk?client={client_id}").content) == [devon]
    assert _order(owner.get("/desk?assignee=sam").content) == [numbers["Blake Example"]]
    page = owner.get("/desk").content.decode()
    assert "pat" in page
    assert "sam" in page  # the assigned column
    assert len(PASSWORDS) == 3


def test_the_practice_calendar_has_every_open_deadline(web: Any) -> None:
    _seeded()
    body = _login("owner").get("/desk/calendar.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == 6  # 2 + 1 + 1 + 2; the closed case's deadline is left out


def test_case_list_due_within_for_a_practice_account(web: Any) -> None:
    from typer.testing import CliRunner

    from balancedue.cli import app

    numbers = _seeded()
    runner = CliRunner()
    result = runner.invoke(app, ["case", "list", "--due-within", "7", "--user", "pat", "--csv", "--today", "2025-06-10"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    # pat's cases due by June 17: only Avery's (overdue); Devon (June 20) and Casey (July 15) are later.
    assert [int(line.split(",")[0]) for line in lines[1:]] == [numbers["Avery Tester"]]
    everyone = runner.invoke(app, ["case", "list", "--due-within", "7", "--csv", "--today", "2025-06-10"])
    assert [int(line.split(",")[0]) for line in everyone.output.strip().splitlines()[1:]] == [
        numbers["Avery Tester"], numbers["Blake Example"]
    ]
    unknown = runner.invoke(app, ["case", "list", "--due-within", "7", "--user", "nobody", "--today", "2025-06-10"])
    assert unknown.exit_code == 2
    assert "no account named 'nobody'" in unknown.output


def test_with_many_clients_the_desk_filter_is_a_name_search(web: Any, monkeypatch: Any) -> None:
    from balancedue.web import desk

    numbers = _seeded()
    monkeypatch.setattr(desk, "CLIENT_CHOICES", 2)  # four clients with open cases: more than two
    owner = _login("owner")
    page = owner.get("/desk").content.decode()
    assert 'id="id_client_name"' in page
    assert 'id="id_client"' not in page
    assert _order(owner.get("/desk?client_name=devon").content) == [numbers["Devon Fiction"]]

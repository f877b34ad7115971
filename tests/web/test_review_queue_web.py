"""The review queue on the web: each user checks only the fields of their own clients."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from desk_seed import seed
from django.test import Client


def _login(name: str) -> Client:
    from django.contrib.auth import get_user_model

    browser = Client()
    browser.force_login(get_user_model().objects.get(username=name))
    return browser


def _field(case: int, field: str, value: str, sha: str) -> int:
    from balancedue.cases.models import IntakeItem, ReviewField

    item = IntakeItem.objects.create(
        sha256=sha * 64, name="scan.jpg", status="done", today=date(2025, 6, 10), case_id=case, document_number=None,
        updated_at=datetime(2025, 6, 10, tzinfo=UTC),
    )
    return int(ReviewField.objects.create(item=item, case_id=case, field=field, value=value, confidence=0.7).pk)


def test_a_staff_member_checks_only_their_clients_fields(web: Any) -> None:
    from balancedue.services.cases import show_case, store

    numbers = seed(store())
    avery = _field(numbers["Avery Tester"], "amount_due", "100.00", "a")
    blake = _field(numbers["Blake Example"], "tax_year", "2023", "b")
    pat = _login("pat")
    page = pat.get("/review").content.decode()
    assert re.findall(r'data-field="(\d+)"', page) == [str(avery)]
    assert pat.post(f"/review/{blake}", {"action": "confirm"}).status_code == 404
    assert pat.post("/review/999", {"action": "confirm"}).status_code == 404
    bad = pat.post(f"/review/{avery}", {"action": "correct", "value": "a hundred", "reason": "x"})
    assert bad.status_code == 400
    assert b"amount" in bad.content
    done = pat.post(f"/review/{avery}", {"action": "correct", "value": "110.00", "reason": "printed amount"})
    assert done.status_code == 302
    journal = show_case(str(numbers["Avery Tester"])).journal
    assert journal[-1].payload["notice_fields"] == {"amount_due": "110.00"}
    assert re.findall(r'data-field="(\d+)"', pat.get("/review").content.decode()) == []
    # Blake's field is still waiting, for sam.
    assert re.findall(r'data-field="(\d+)"', _login("sam").get("/review").content.decode()) == [str(blake)]

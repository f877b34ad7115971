"""The practice's deadline desk: every open case the user may see, by next deadline.

Overdue first, then this week, then later; filterable by client and by who is assigned (the
users granted the client); one calendar feed (ICS) of every deadline the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from balancedue.presentation import day as when
from balancedue.presentation import days_from_today as days_text
from balancedue.presentation import money
from balancedue.services import desk as desk_service
from balancedue.web.access import request_context, scope_of
from balancedue.web.forms import today
from balancedue.web.pages import pay_today_cell

PAGE_SIZE = 100
CLIENT_CHOICES = 200
"""Up to this many clients the filter is a list to choose from; beyond it, a name to search."""
BAND_CLASS = {"overdue": "overdue", "this week": "urgent", "later": "later", "no deadline": "none"}


@dataclass(frozen=True)
class DeskLine:
    number: int
    client: str
    title: str
    stage: str
    amount_due: str
    what: str
    due: str
    days_left: str
    band: str
    urgency: str
    assigned: str
    pay_today: str = ""
    pay_note: str = ""


def _visible(request: HttpRequest) -> set[int] | None:
    scope = scope_of(request.user)
    return set(scope) if scope is not None else None


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    visible = set(scope) if scope is not None else None
    chosen = _number(request.GET.get("client"))
    assignee = (request.GET.get("assignee") or "").strip()[:150] or None
    name = (request.GET.get("client_name") or "").strip()[:200] or None
    number = _number(request.GET.get("page")) or 1
    as_of = today()
    found = desk_service.desk(
        as_of, client_ids=visible, client_id=chosen, client=name, assignee=assignee, offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE, rules=request_context(request).rules, pay_today=True,
    )
    pages = max(1, -(-found.total // PAGE_SIZE))
    if number > pages:  # past the end: the last page
        number = pages
        found = desk_service.desk(
            as_of, client_ids=visible, client_id=chosen, client=name, assignee=assignee,
            offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE, rules=request_context(request).rules, pay_today=True,
        )
    lines = [
        DeskLine(
            number=e.case_number, client=e.client, title=e.title, stage=e.stage, amount_due=money(e.amount_due),
            what=e.what or "No deadline", due=when(e.due), days_left=days_text(e.days_left), band=e.band,
            urgency=BAND_CLASS[e.band], assigned=", ".join(e.assigned),
            pay_today=pay_today_cell(e.pay_today, e.amount_due, as_of)[0],
            pay_note=pay_today_cell(e.pay_today, e.amount_due, as_of)[1],
        )
        for e in found.entries
    ]
    clients, assignees = desk_service.desk_filters(visible, most=CLIENT_CHOICES)
    context: dict[str, Any] = {
        "lines": lines, "clients": clients, "assignees": assignees, "chosen": chosen, "assignee": assignee or "",
        "client_name": name or "", "many_clients": len(clients) > CLIENT_CHOICES,
        "today": when(as_of), "total": found.total, "number": number, "pages": pages,
        "previous": number - 1 if number > 1 else None, "next": number + 1 if number < pages else None,
    }
    return render(request, "web/desk.html", context)


@require_GET
def desk_calendar(request: HttpRequest) -> HttpResponse:
    data = desk_service.practice_calendar(_visible(request), stamp=datetime.now(UTC))
    response = HttpResponse(data, content_type="text/calendar")
    response["Content-Disposition"] = 'attachment; filename="balancedue-practice.ics"'
    return response

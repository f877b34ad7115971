"""The deadline desk: every open case of the practice by its next deadline, across clients.

Overdue cases come first (every deadline passed), then the rest by their next deadline; each
with the notice stage (from the notice catalog: the furthest notice of the case), the amount
due and who is assigned (the practice users granted the client).  ``client_ids`` limits the desk
to the clients a practice user may see; ``None`` is everyone's desk.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import ModuleType

from balancedue.rules import RuleSet
from balancedue.services import cases

TYPE_CHECKING = False
if TYPE_CHECKING:
    from balancedue.advice.report import PayInFull


@dataclass(frozen=True, slots=True)
class DeskEntry:
    """One open case on the desk."""

    case_number: int
    client: str
    client_id: int
    title: str
    stage: str
    notice_codes: tuple[str, ...]
    amount_due: Decimal | None
    due: date | None
    what: str
    days_left: int | None
    band: str  # "overdue", "this week", "later", "no deadline"
    assigned: tuple[str, ...]
    pay_today: PayInFull | None = None


WEEK_DAYS = 7  # not law: the desk's "this week" band


def _band(days: int | None) -> str:
    if days is None:
        return "no deadline"
    if days < 0:
        return "overdue"
    if days <= WEEK_DAYS:
        return "this week"
    return "later"


def _stage(codes: tuple[str, ...], rules: RuleSet) -> str:
    entries = [e for e in (rules.notices.find(code) for code in codes) if e is not None]
    if not entries:
        return ""
    furthest = max(entries, key=lambda e: e.sequence or 0)
    return str(furthest.stage.value).replace("_", " ")


@dataclass(frozen=True, slots=True)
class Desk:
    """One page of the desk and how many cases it has in all."""

    total: int
    entries: list[DeskEntry]


def desk(
    today: date,
    *,
    client_ids: set[int] | None = None,
    client: str | None = None,
    client_id: int | None = None,
    assignee: str | None = None,
    due_within: int | None = None,
    offset: int = 0,
    limit: int | None = None,
    rules: RuleSet,
    pay_today: bool = False,
) -> Desk:
    """The open cases by next deadline (overdue first), filtered by who may see them
    (``client_ids``), client name or id, assignee and horizon (``due_within`` days); with
    ``pay_today``, the amount to pay in full today of each (see :func:`casework.pay_today`)."""
    store = cases.store()
    from balancedue.cases.intake import client_ids_named, desk_rows, grants_by_client

    wanted = client_ids
    if client:
        named = client_ids_named(store.using, client)
        wanted = named if wanted is None else wanted & named
    if client_id is not None:
        wanted = {client_id} if wanted is None else wanted & {client_id}
    grants = grants_by_client()
    if assignee:
        theirs = {cid for cid, users in grants.items() if assignee in users}
        wanted = theirs if wanted is None else wanted & theirs
    horizon = today + timedelta(days=due_within) if due_within is not None else None
    total, rows = desk_rows(store.using, today, wanted, horizon=horizon, offset=offset, limit=limit)
    stages: dict[tuple[str, ...], str] = {}
    entries = []
    for r in rows:
        days = (r.due - today).days if r.due is not None else None
        if r.notice_codes not in stages:
            stages[r.notice_codes] = _stage(r.notice_codes, rules)
        entries.append(
            DeskEntry(
                case_number=r.case_number, client=r.client_name, client_id=r.client_id, title=r.title,
                stage=stages[r.notice_codes], notice_codes=r.notice_codes, amount_due=r.amount_due,
                due=r.due, what=r.what, days_left=days, band=_band(days), assigned=tuple(sorted(grants.get(r.client_id, []))),
                pay_today=_casework().pay_today_of(r.case_number, r.journal_head, today, rules) if pay_today else None,
            )
        )
    return Desk(total, entries)


def desk_filters(client_ids: set[int] | None = None, most: int | None = None) -> tuple[list[tuple[int, str]], list[str]]:
    """The clients with open cases (at most ``most`` + 1 of them) and the people assigned to them."""
    store = cases.store()
    from balancedue.cases.intake import clients_with_open_cases, grants_by_client

    clients = clients_with_open_cases(store.using, client_ids, most=most)
    grants = grants_by_client(client_ids)
    return clients, sorted({user for users in grants.values() for user in users})


def visible_to(username: str | None) -> set[int] | None:
    """The clients the practice account ``username`` may see; ``None`` for everyone (no name, or a superuser)."""
    if not username:
        return None
    cases.store()
    from balancedue.cases.intake import clients_visible_to

    return clients_visible_to(username)


def desk_csv(entries: list[DeskEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["case", "client", "title", "stage", "notices", "amount_due", "next_deadline", "what", "days_left", "band", "assigned"])
    for e in entries:
        writer.writerow([
            e.case_number, e.client, e.title, e.stage, " ".join(e.notice_codes),
            format(e.amount_due, "f") if e.amount_due is not None else "", e.due.isoformat() if e.due else "",
            e.what, "" if e.days_left is None else e.days_left, e.band, " ".join(e.assigned),
        ])
    return out.getvalue()


def practice_calendar(client_ids: set[int] | None = None, *, stamp: datetime | None = None) -> bytes:
    """One calendar (ICS) of every deadline of every open case the user may see."""
    store = cases.store()
    from balancedue.cases.intake import case_numbers_of_clients
    from balancedue.cases.records import REMINDER_DAYS
    from balancedue.letters.calendar import build_calendar
    from balancedue.services.deadline_events import deadline_event

    allowed = case_numbers_of_clients(store.using, client_ids) if client_ids is not None else None
    events = [
        deadline_event(case, deadline, practice=True)
        for case, deadline in store.deadlines()
        if allowed is None or case.number in allowed
    ]
    return build_calendar(events, reminder_days=REMINDER_DAYS, name="balancedue practice deadlines",
                          stamp=stamp or datetime.now(UTC))


def _casework() -> ModuleType:
    """The case-work use cases load the analysis: imported only when a row shows today's figure."""
    from balancedue.services import casework

    return casework

"""A small practice for the desk tests: five clients, two staff members with grants.

Today is 2025-06-10.  By hand, the desk of someone who sees everything, overdue first, then by
next deadline:

    case 1  Avery Tester    last deadline 2025-06-01 passed      -> overdue
    case 2  Blake Example   2025-06-12                           -> this week
    case 4  Devon Fiction   2025-06-05 passed, next 2025-06-20   -> later (June 20)
    case 3  Casey Sample    2025-07-15                           -> later
    (case 5 Emery Placeholder is closed: not on the desk)

``pat`` is granted Avery, Casey and Devon (cases 1, 4, 3); ``sam`` is granted Blake (case 2).
Run as a script (with BALANCEDUE_DATA_DIR set) to seed a data folder for a live server.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

PASSWORDS = {"owner": "owner-long-password-1", "pat": "pat-long-password-1", "sam": "sam-long-password-1"}
CASES = (
    ("Avery Tester", "100.00", (date(2025, 5, 20), date(2025, 6, 1)), "open"),
    ("Blake Example", "200.00", (date(2025, 6, 12),), "open"),
    ("Casey Sample", "300.00", (date(2025, 7, 15),), "open"),
    ("Devon Fiction", "400.00", (date(2025, 6, 5), date(2025, 6, 20)), "waiting"),
    ("Emery Placeholder", "500.00", (date(2025, 6, 11),), "closed"),
)
GRANTS = {"pat": ("Avery Tester", "Casey Sample", "Devon Fiction"), "sam": ("Blake Example",)}


def seed(store: Any) -> dict[str, int]:
    """Open the five cases in ``store`` and make the accounts; the case number of each client."""
    from django.contrib.auth import get_user_model

    from balancedue.cases.models import Client
    from balancedue.cases.records import CaseStatus, ClientRecord, NewCase, NewDeadline
    from balancedue.web.models import ClientGrant

    numbers = {}
    for name, amount, dues, status in CASES:
        deadlines = tuple(
            NewDeadline(what=f"Deadline {index} of {name}", due=due, tag="soft", basis="printed on the notice", notice_code="CP14")
            for index, due in enumerate(dues, start=1)
        )
        case = store.open_case(
            NewCase(client=ClientRecord(name=name), title="CP14, tax year 2023", date_received=date(2025, 5, 1),
                    tax_year=2023, notice_codes=("CP14",), amount_due=Decimal(amount), deadlines=deadlines)
        )
        if status != "open":
            store.set_status(case.number, CaseStatus(status), "seeded")
        numbers[name] = case.number
    users = get_user_model()
    users.objects.create_user("owner", password=PASSWORDS["owner"], is_superuser=True, is_staff=True)
    for staff, clients in GRANTS.items():
        user = users.objects.create_user(staff, password=PASSWORDS[staff])
        for client in clients:
            ClientGrant.objects.create(user=user, client=Client.objects.get(name=client))
    return numbers


if __name__ == "__main__":
    from balancedue.context import build_context

    print(seed(build_context().store))

"""Fill a case store with many cases quickly (for the case-list benchmarks).

Used in-process by ``test_bench_cases.py`` and as a script by ``whole_process.py``::

    BALANCEDUE_DATA_DIR=/tmp/x python benchmarks/case_fill.py 1000
"""

from __future__ import annotations

import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

TODAY = date(2025, 6, 10)


def fill(count: int) -> None:
    """``count`` cases with three deadlines and a sealed 'opened' entry each, in one transaction."""
    from django.db import transaction

    from balancedue.cases.chain import GENESIS, entry_hash
    from balancedue.cases.models import Case, Client, Deadline, JournalEntry

    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    with transaction.atomic():
        clients = Client.objects.bulk_create(
            [Client(name=f"Taxpayer {n:05d}", address="", id_last4=f"{n % 10000:04d}", created_at=now)
             for n in range(count)]
        )
        cases = []
        for n, client in enumerate(clients):
            uid = uuid.UUID(int=n + 1).hex
            payload = {"title": f"CP14 {n}"}
            sealed = entry_hash(uid, 1, "opened", payload, now, GENESIS)
            cases.append(Case(uid=uid, client=client, title=f"CP14, tax year 2024 ({n})", tax_year=2024,
                              notice_codes=["CP14"], date_received=TODAY, status="open",
                              amount_due=Decimal("1523.40"), created_at=now, journal_length=1,
                              journal_head=sealed))
        cases = Case.objects.bulk_create(cases)
        Deadline.objects.bulk_create(
            [Deadline(case=case, number=k + 1, what=f"Deadline {k + 1}", due=TODAY + timedelta(days=(i % 60) + 20 * k),
                      computed_due=TODAY + timedelta(days=(i % 60) + 20 * k), tag="soft", basis="bench")
             for i, case in enumerate(cases) for k in range(3)],
            batch_size=5000,
        )
        JournalEntry.objects.bulk_create(
            [JournalEntry(case=case, sequence=1, created_at=now, kind="opened", payload={"title": f"CP14 {i}"},
                          prev_hash=GENESIS, hash=case.journal_head) for i, case in enumerate(cases)],
            batch_size=5000,
        )


def main(argv: list[str]) -> int:
    """Migrate the store named by ``BALANCEDUE_DATA_DIR`` and add ``argv[1]`` cases."""
    from balancedue.cases.bootstrap import ensure_database

    ensure_database()
    fill(int(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

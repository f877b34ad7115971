"""Random but realistic account scenarios for the engine benchmarks (deterministic by seed)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any


def random_scenario(rng: random.Random, last_day: date) -> dict[str, Any]:
    """One account: withholding, a return filed on time or late, payments, notices, agreements."""
    year = rng.randint(2012, 2023)
    due = date(year + 1, 4, 15)
    cents = rng.randint(10_000, 50_000_000)
    events: list[dict[str, Any]] = [
        {"date": date(year, 12, 31).isoformat(), "type": "withholding", "amount": _money(rng.randint(0, cents))}
    ]
    filed = due + timedelta(days=rng.randint(-20, 240))
    events.append({"date": filed.isoformat(), "type": "return_filed", "tax": _money(cents)})
    day = filed
    for _ in range(rng.randint(0, 4)):
        day += timedelta(days=rng.randint(10, 150))
        if day > last_day:
            break
        kind = rng.choice(["payment", "payment", "notice_and_demand", "installment_agreement", "levy_notice"])
        event: dict[str, Any] = {"date": day.isoformat(), "type": kind}
        if kind == "payment":
            event["amount"] = _money(rng.randint(100, cents))
        events.append(event)
    return {"form": "1040", "tax_year": year, "events": events}


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"

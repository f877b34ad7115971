"""Statement lines made by the engine's fast constructor are ordinary frozen lines."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import date
from decimal import Decimal

import pytest

from balancedue.engine.statement import Line, LineKind, new_line


def test_new_line_equals_the_dataclass_constructor() -> None:
    args = (LineKind.INTEREST, date(2025, 4, 16), date(2025, 6, 30), Decimal("12.34"), "IRC 6601(a)", "rate table",
            Decimal("1000.00"), Decimal("0.07"), 76, None, "compounded daily, rate/365")
    made, plain = new_line(*args), Line(*args)
    assert type(made) is Line
    assert made == plain
    assert hash(made) == hash(plain)
    assert repr(made) == repr(plain)
    assert pickle.loads(pickle.dumps(made)) == plain
    assert dataclasses.asdict(made) == dataclasses.asdict(plain)


def test_new_line_defaults_and_keywords_match() -> None:
    made = new_line(LineKind.PAYMENT, date(2025, 5, 1), date(2025, 5, 1), Decimal("-10.00"), "rule", "scenario",
                    note="applied to tax $10.00")
    assert made == Line(LineKind.PAYMENT, date(2025, 5, 1), date(2025, 5, 1), Decimal("-10.00"), "rule", "scenario",
                        note="applied to tax $10.00")
    assert (made.base, made.rate, made.days, made.months) == (None, None, None, None)


def test_a_new_line_is_frozen() -> None:
    made = new_line(LineKind.TAX, None, None, Decimal("1.00"), "rule", "source")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.amount = Decimal("2.00")  # type: ignore[misc]

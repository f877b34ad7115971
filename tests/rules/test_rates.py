"""The underpayment rate table: look-ups against stated figures, and load-time validation."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.errors import DateOutsideRulesError, RulesDataError
from balancedue.rules import Source, Verification, load_rules
from balancedue.rules.rates import parse_rate_table

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "pi_examples.json"
SOURCE = Source(citation="test source", verification=Verification.PRIMARY)


def _spot_checks() -> list[tuple[str, int]]:
    """Stated rates from the worked examples (ex-rate-spot-checks), when the file is present."""
    examples = json.loads(EXAMPLES.read_text())["examples"]
    spot = next(e for e in examples if e["id"] == "ex-rate-spot-checks")
    return sorted(spot["expected"]["underpayment_rate_percent"].items())


# Stated in the acceptance list: 2024-03-15 -> 8, 2023-01-01 -> 7, 2021-06-30 -> 3.
@pytest.mark.parametrize(
    ("day", "percent"),
    [
        ("2024-03-15", 8),
        ("2023-01-01", 7),
        ("2021-06-30", 3),
        ("1983-01-01", 16),
        ("2026-04-01", 6),
    ],
)
def test_rate_on_known_dates(day: str, percent: int) -> None:
    assert load_rules().rates.period_on(date.fromisoformat(day)).rate_percent == Decimal(percent)


def test_rate_spot_checks_from_worked_examples() -> None:
    rates = load_rules().rates
    for day, percent in _spot_checks():
        assert rates.period_on(date.fromisoformat(day)).rate_percent == Decimal(percent), day


def test_table_is_quarterly_and_contiguous() -> None:
    rates = load_rules().rates
    assert rates.first_day == date(1983, 1, 1)
    previous_end = None
    for period in rates:
        assert period.start.day == 1
        assert period.start.month in (1, 4, 7, 10)
        if previous_end is not None:
            assert (period.start - previous_end).days == 1
        previous_end = period.end


def test_table_reaches_the_current_quarter() -> None:
    """Fails when nobody added the newest quarter: see docs/updating-rules.md."""
    today = date.today()  # noqa: DTZ011 - this test is about the calendar today
    assert load_rules().rates.last_day >= today, (
        f"the underpayment rate table ends {load_rules().rates.last_day}; add the quarter that holds {today}"
    )


def test_every_quarter_has_a_source_and_a_verification() -> None:
    for period in load_rules().rates:
        assert period.sources, period.quarter
        assert all(s.citation for s in period.sources)
        assert period.verification in Verification


def test_secondary_only_quarters_stay_marked() -> None:
    # 2026Q2-Q4 rest on secondary sources and rulings not seen: they must not read as primary.
    rates = load_rules().rates
    assert rates.period_on(date(2026, 5, 1)).verification in (
        Verification.SECONDARY,
        Verification.UNVERIFIED,
    )
    assert rates.period_on(date(2020, 8, 1)).verification is Verification.PRIMARY  # IR-2020-113


def test_2025q2_rests_on_the_customs_notice() -> None:
    # The CBP Federal Register notice for the quarter (summary read through a verbatim copy):
    # "For the calendar quarter beginning April 1, 2025, the interest rates for underpayments
    # will be 7 percent for both corporations and non-corporations."
    period = load_rules().rates.period_on(date(2025, 4, 1))
    assert (period.start, period.end, period.rate_percent) == (date(2025, 4, 1), date(2025, 6, 30), Decimal(7))
    assert period.verification is Verification.MIRROR


@pytest.mark.parametrize("day", [date(1982, 12, 31), date(2099, 1, 1)])
def test_lookup_outside_table_is_an_error(day: date) -> None:
    with pytest.raises(DateOutsideRulesError, match="no underpayment interest rate in force"):
        load_rules().rates.period_on(day)


def test_rate_changes_merge_equal_quarters() -> None:
    runs = load_rules().rates.rate_changes_between(date(2023, 1, 1), date(2024, 12, 31))
    assert runs == [
        (date(2023, 1, 1), date(2023, 9, 30), Decimal("0.07")),
        (date(2023, 10, 1), date(2024, 12, 31), Decimal("0.08")),
    ]


def _csv(*rows: str) -> str:
    return "start_date,end_date,rate_percent,source\n" + "\n".join(rows) + "\n"


def test_gap_is_rejected() -> None:
    text = _csv("2020-01-01,2020-03-31,5,K", "2020-07-01,2020-09-30,3,K")
    with pytest.raises(RulesDataError, match="gap"):
        parse_rate_table(text, {"K": SOURCE})


def test_overlap_is_rejected() -> None:
    text = _csv("2020-01-01,2020-03-31,5,K", "2020-01-01,2020-03-31,3,K")
    with pytest.raises(RulesDataError, match="overlap"):
        parse_rate_table(text, {"K": SOURCE})


def test_partial_quarter_is_rejected() -> None:
    with pytest.raises(RulesDataError, match="expected 2020-03-31"):
        parse_rate_table(_csv("2020-01-01,2020-02-28,5,K"), {"K": SOURCE})


def test_unknown_source_key_is_rejected() -> None:
    with pytest.raises(RulesDataError, match="unknown source key"):
        parse_rate_table(_csv("2020-01-01,2020-03-31,5,NOPE"), {"K": SOURCE})


def test_bad_number_is_rejected_with_row() -> None:
    with pytest.raises(RulesDataError, match="row 2"):
        parse_rate_table(_csv("2020-01-01,2020-03-31,five,K"), {"K": SOURCE})

"""Collection statute expiration dates, hand-worked, one case per kind of suspension.

Convention checked here: a suspension counts every day from its first through its last day, and
its add-on starts the day after it ends; overlapping suspensions count once (IRM 5.1.19.3.7.4(4)(b)).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.engine.csed import (
    Assessment,
    TollingEvent,
    add_years,
    collection_statute,
    transcript_csed,
)
from balancedue.intake.transcripts import parse_transcripts
from balancedue.rules import load_rules
from balancedue.rules.transaction_codes import TollingKind as K

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))
import make_transcripts

RULES = load_rules()
TAX = Assessment("150", date(2020, 6, 1), Decimal("1000.00"))
AS_OF = date(2026, 3, 30)


def csed(*events: TollingEvent, assessment: Assessment = TAX) -> date:
    return collection_statute([assessment], list(events), RULES, AS_OF).lines[0].csed


def test_ten_years_from_assessment() -> None:
    # IRC 6502(a)(1): 2020-06-01 + 10 years.
    assert csed() == date(2030, 6, 1)
    assert add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)


def test_offer_rejected_adds_thirty_days() -> None:
    # IRC 6331(k)(1)(B), (k)(3): pending 2022-01-10..2022-03-10 (60 days) + 30 days after rejection = 90 days.
    event = TollingEvent(K.OFFER, date(2022, 1, 10), date(2022, 3, 10), "collection.csed.tolling.offer_rejected_days")
    assert csed(event) == date(2030, 6, 1) + timedelta(days=90)


def test_offer_withdrawn_adds_nothing_after() -> None:
    # Withdrawn (TC 482): only the 60 pending days.
    assert csed(TollingEvent(K.OFFER, date(2022, 1, 10), date(2022, 3, 10))) == date(2030, 6, 1) + timedelta(days=60)


def test_installment_request_pending_then_agreement() -> None:
    # IRC 6331(k)(2)(A): pending 2021-03-01..2021-03-31 = 31 days; none while the agreement is in effect.
    assert csed(TollingEvent(K.INSTALLMENT_AGREEMENT, date(2021, 3, 1), date(2021, 3, 31))) == date(2030, 7, 2)


def test_installment_agreement_terminated_adds_thirty_days() -> None:
    # IRC 6331(k)(2)(D): the termination day and the 30 days after it: 31 days.
    event = TollingEvent(K.INSTALLMENT_AGREEMENT, date(2023, 5, 1), date(2023, 5, 1), "collection.csed.tolling.installment_rejected_days")
    assert csed(event) == date(2030, 6, 1) + timedelta(days=31)


def test_cdp_hearing_days_and_ninety_day_floor() -> None:
    # IRC 6330(e)(1): hearing pending 2022-02-01..2022-04-01 = 28 + 31 + 1 = 60 days.
    event = TollingEvent(K.CDP, date(2022, 2, 1), date(2022, 4, 1))
    assert csed(event) == date(2030, 6, 1) + timedelta(days=60)
    # Near the end: assessed 2016-01-04 (CSED 2026-01-04); hearing 2025-12-01..2025-12-02 adds 2 days to
    # 2026-01-06, but the period never ends before the 90th day after the determination: 2026-03-02.
    old = Assessment("150", date(2016, 1, 4), Decimal("500.00"))
    late = TollingEvent(K.CDP, date(2025, 12, 1), date(2025, 12, 2))
    assert csed(late, assessment=old) == date(2025, 12, 2) + timedelta(days=90) == date(2026, 3, 2)


def test_bankruptcy_adds_six_months_after_the_stay() -> None:
    # IRC 6503(h)(2): stay 2021-03-01..2021-07-06, plus 6 months to 2022-01-06: 312 days.
    event = TollingEvent(K.BANKRUPTCY, date(2021, 3, 1), date(2021, 7, 6))
    assert csed(event) == date(2030, 6, 1) + timedelta(days=312)


def test_innocent_spouse_adds_sixty_days() -> None:
    # IRC 6015(e)(2): claim 2022-05-02..2022-11-01 (184 days) + 60 days = 244 days.
    event = TollingEvent(K.INNOCENT_SPOUSE, date(2022, 5, 2), date(2022, 11, 1))
    assert csed(event) == date(2030, 6, 1) + timedelta(days=244)


def test_outside_the_united_states() -> None:
    # IRC 6503(c): away 2021-01-01..2021-12-31 (365 days, at least 6 months): suspended.
    assert csed(TollingEvent(K.OUTSIDE_US, date(2021, 1, 1), date(2021, 12, 31))) == date(2030, 6, 1) + timedelta(days=365)
    # Shorter than 6 months: no suspension.
    assert csed(TollingEvent(K.OUTSIDE_US, date(2021, 1, 1), date(2021, 5, 31))) == date(2030, 6, 1)


def test_outside_the_united_states_six_month_floor_after_return() -> None:
    # IRC 6503(c) second sentence: assessed 2015-04-01 (CSED 2025-04-01); away 2024-06-01..2024-12-01
    # (184 days) -> 2025-10-02; not before 6 months after the return (2025-06-01): 2025-10-02 stands.
    old = Assessment("150", date(2015, 4, 1), Decimal("500.00"))
    event = TollingEvent(K.OUTSIDE_US, date(2024, 6, 1), date(2024, 12, 1))
    assert csed(event, assessment=old) == date(2025, 4, 1) + timedelta(days=184)


def test_combat_zone_adds_180_days() -> None:
    # IRC 7508(a): service 2022-01-01..2022-06-30 (181 days) + 180 days = 361 days.
    event = TollingEvent(K.COMBAT_ZONE, date(2022, 1, 1), date(2022, 6, 30))
    assert csed(event) == date(2030, 6, 1) + timedelta(days=361)


def test_military_deferment_adds_270_days() -> None:
    # 50 U.S.C. 4000(c) (SCRA sec. 510): service 2022-01-01..2022-01-31 (31 days) + 270 days = 301 days.
    event = TollingEvent(K.MILITARY_DEFERMENT, date(2022, 1, 1), date(2022, 1, 31))
    assert csed(event) == date(2030, 6, 1) + timedelta(days=301)


def test_overlapping_suspensions_run_concurrently() -> None:
    # IRM 5.1.19.3.7.4(4)(b): offer 2022-01-01..2022-01-31 and IA request 2022-01-15..2022-02-14 overlap:
    # the union 2022-01-01..2022-02-14 is 45 days, not 31 + 31.
    offer = TollingEvent(K.OFFER, date(2022, 1, 1), date(2022, 1, 31))
    request = TollingEvent(K.INSTALLMENT_AGREEMENT, date(2022, 1, 15), date(2022, 2, 14))
    assert csed(offer, request) == date(2030, 6, 1) + timedelta(days=45)


def test_suspension_before_the_assessment_or_after_expiry_does_not_count() -> None:
    before = TollingEvent(K.OFFER, date(2019, 1, 1), date(2019, 12, 31))
    after = TollingEvent(K.OFFER, date(2030, 7, 1), date(2030, 8, 1))
    assert csed(before, after) == date(2030, 6, 1)


def test_open_suspension_is_counted_to_the_as_of_date_and_flagged() -> None:
    report = collection_statute([TAX], [TollingEvent(K.BANKRUPTCY, date(2026, 3, 1), None)], RULES, AS_OF)
    assert report.periods[0].open
    assert report.periods[0].days == 30
    assert report.lines[0].csed == date(2030, 6, 1) + timedelta(days=30)


FIXTURE_CASES = [
    pytest.param(f, i, id=f"{f.name}-{p.tax_year}")
    for f in make_transcripts.fixtures()
    for i, p in enumerate(f.periods)
    if f.expect[i].csed_days_added is not None
]


@pytest.mark.parametrize(("fixture", "index"), FIXTURE_CASES)
def test_generated_transcripts_csed(fixture: make_transcripts.Fixture, index: int) -> None:
    # Expected figures are worked out in the fixture comments (make_transcripts.py).
    transcript = parse_transcripts(fixture.text()).accounts[index]
    report = transcript_csed(transcript.transactions, RULES, AS_OF)
    first = report.lines[0]
    assert first.assessment.code == "150"
    assert first.days_added == fixture.expect[index].csed_days_added
    if fixture.expect[index].csed_first is not None:
        assert first.csed == fixture.expect[index].csed_first
    assert len(report.lines) == sum(1 for t in transcript.transactions if t.code in ("150", "166", "196", "276", "290", "300", "336") and t.amount > 0)


def test_tc_483_cancels_an_offer_posted_in_error() -> None:
    from transcript_layout import Tx, render_account

    base = make_transcripts.balance_due().periods[0]
    extra = (Tx("480", "Offer in compromise pending", date(2025, 1, 6), Decimal("0.00")),
             Tx("483", "Offer in compromise posted in error", date(2025, 1, 20), Decimal("0.00")))
    from dataclasses import replace

    transcript = parse_transcripts(render_account(replace(base, transactions=(*base.transactions, *extra)))).accounts[0]
    report = transcript_csed(transcript.transactions, RULES, AS_OF)
    assert report.periods == ()
    assert any("posted in error" in n for n in report.notes)

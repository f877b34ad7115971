"""Which notices carry the interest-free period after notice and demand (IRC 6601(e)(3)).

The statute ties the period to "notice and demand"; IRC 6303(a) places the notice and demand
after the assessment, and TIGTA (report 2011-30-112) says the statutory notice "is met with the
Master File notice", the later ones being reminders.  Whether a reminder (CP501, CP503), a notice
of intent to levy (CP504) or a final notice (LT11, Letter 1058, CP90) restarts the period is not
settled by the sources read, and the IRS does not publish whether the amount a reminder prints
already carries interest to its pay-by date.  The catalog says so (``interest_free_periods`` in
``notices.yaml``); the report keeps the printed amount as the figure to pay inside the period,
says that it assumes it, and gives the figure if the IRS charges interest after the notice date.

Every expected figure is worked out by hand in the comments, never taken from the engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from balancedue.advice.authority import anchor_to_notice, pay_in_full_today
from balancedue.advice.plan import account_with_notice, minimal_scenario, printed_pay
from balancedue.engine import Scenario
from balancedue.rules import NoticeEntry, RuleSet

# A notice dated Monday 2025-03-03 billing $10,000.00.  The account holds no known tax (the
# return is taken as showing none), so the whole printed amount is carried from the notice
# date: it bears interest and never failure-to-pay.  The rate for 2025 is 7% (Rev. Rul. 2024-25,
# 2025-7), compounded daily over 365 days (IRC 6622).
NOTICE = date(2025, 3, 3)
PRINTED = Decimal("10000.00")
# IRC 6601(e)(3): 21 calendar days after 2025-03-03 is Monday 2025-03-24, a business day.
WINDOW_END = date(2025, 3, 24)


def _account(rules: RuleSet, code: str) -> tuple[NoticeEntry, Scenario]:
    entry = rules.notices.get(code)
    base = account_with_notice(minimal_scenario(2023, NOTICE, rules), entry, NOTICE)
    return entry, anchor_to_notice(base, PRINTED, NOTICE, rules).scenario


def test_a_reminder_keeps_the_printed_amount_and_says_it_is_assumed_with_the_other_figure(rules: RuleSet) -> None:
    entry, scenario = _account(rules, "CP501")
    pay = pay_in_full_today(scenario, date(2025, 3, 5), rules, notice_date=NOTICE, is_bill=True,
                            printed=PRINTED, interest_free=rules.notices.interest_free(entry))
    assert pay.amount == PRINTED
    assert pay.holds_until == WINDOW_END
    assert "assumed for a notice that follows an earlier notice and demand" in pay.basis
    (note,) = pay.notes
    # Without the period, 21 days of interest from the notice date to 2025-03-24:
    # 10,000.00 x ((1 + 0.07/365)^21 - 1) = 10,000.00 x 0.0040351304 = 40.35, so 10,040.35.
    assert "paying on 2025-03-24 takes $10,040.35 ($40.35 of interest and penalty since 2025-03-03)" in note
    assert "TIGTA Report 2011-30-112" in note
    assert "GL-704026-97" in note


def test_the_first_bill_is_the_notice_and_demand_and_needs_no_assumption(rules: RuleSet) -> None:
    entry, scenario = _account(rules, "CP14")
    pay = pay_in_full_today(scenario, date(2025, 3, 5), rules, notice_date=NOTICE, is_bill=True,
                            printed=PRINTED, interest_free=rules.notices.interest_free(entry))
    # IRC 6601(e)(3): paid by 2025-03-24, the $10,000.00 billed draws no interest after 2025-03-03.
    assert (pay.amount, pay.holds_until) == (PRINTED, WINDOW_END)
    assert "assumed" not in pay.basis
    assert pay.notes == ()


def test_the_catalog_decides_the_window_a_later_notice_without_it_pays_todays_balance(rules: RuleSet) -> None:
    # If the catalog held that a later notice carries no interest-free period, the figure to pay
    # would be the balance today: two days of interest, 2025-03-03 to 2025-03-05,
    # 10,000.00 x ((1 + 0.07/365)^2 - 1) = 10,000.00 x 0.00038360 = 3.84, so 10,003.84.
    entry, scenario = _account(rules, "CP504")
    basis = rules.notices.interest_free(entry)
    assert basis is not None
    without = basis.model_copy(update={"applies": False})
    pay = pay_in_full_today(scenario, date(2025, 3, 5), rules, notice_date=NOTICE, is_bill=True,
                            printed=PRINTED, interest_free=without)
    assert pay.amount == Decimal("10003.84")
    assert pay.holds_until == date(2025, 3, 5)
    assert pay.notes == (basis.assumption,)


def test_a_later_notice_that_cannot_be_recomputed_says_what_it_assumes(rules: RuleSet) -> None:
    # LT11 for $10,000.00 dated 2025-03-03, read on 2025-03-05: the printed amount, held to
    # 2025-03-24 (21 days, IRC 6601(e)(3)), with the assumption said; nothing after the notice
    # date is recomputed on this path.
    pay = printed_pay(NOTICE, date(2025, 3, 5), rules, PRINTED, "for this notice", rules.notices.get("LT11"))
    assert pay is not None
    assert (Decimal(pay.amount.amount), pay.holds_until) == (PRINTED, WINDOW_END)
    (note,) = pay.notes
    assert "not recomputed for this notice" in note
    first = printed_pay(NOTICE, date(2025, 3, 5), rules, PRINTED, "for this notice", rules.notices.get("CP14"))
    assert first is not None
    assert first.notes == []

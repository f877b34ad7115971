"""Options for a business's payroll (trust fund) tax notice (Forms 941, 943, 944, 945).

The engine recomputes individual income tax accounts only, so a payroll notice is worked from
the printed amount: pay in full (inside the interest-free period after notice and demand, IRC
6601(e)(3): 21 calendar days, or 10 business days at $100,000 or more), the In-Business Trust Fund
Express agreement (IRM 5.14.5.4), a regular business agreement, and the dispute routes.  Every
payroll notice carries the trust fund recovery penalty warning (IRC 6672): the withheld income
tax and the employees' share of social security and Medicare can be assessed personally against
each responsible person.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal

from balancedue.advice.report import Figure, OptionItem, OptionsSection
from balancedue.engine.accrual import grace_period_end
from balancedue.engine.money import format_money
from balancedue.rules import RuleSet

PAYROLL_FORMS = ("941", "943", "944", "945")
TFRP_WARNING = (
    "Trust fund recovery penalty (IRC 6672): the income tax withheld from employees and their share of social "
    "security and Medicare can be assessed personally, at 100%, against every person responsible for paying them "
    "who willfully did not. Paying the trust fund part first and designating the payment to it in writing protects "
    "the responsible people (Rev. Proc. 2002-26)."
)


def is_payroll(forms: list[str | None]) -> bool:
    """True when the notice concerns an employment-tax return."""
    return any(form is not None and any(form.strip().upper().startswith(p) for p in PAYROLL_FORMS) for form in forms)


def payroll_options(printed: Decimal | None, notice_date: date | None, today: date, rules: RuleSet) -> OptionsSection:
    """The options for a payroll balance, from the printed amount."""
    if printed is None:
        return OptionsSection(options=[], notes=[
            "The amount due was not read from the notice: give it by eye (the 'Amount due' line) to see the options.",
            TFRP_WARNING,
        ])
    options: list[OptionItem] = []
    until = grace_period_end(rules, notice_date, printed) if notice_date is not None else None
    inside = until is not None and today <= until
    options.append(OptionItem(
        id="pay_in_full", title="Pay in full", kind="pay", eligible="yes",
        reasons=["stops interest and penalties; designate the payment to the trust fund part first"],
        total_cost=Figure.of(printed, rule="IRC 6601(e)(3)" if inside else "the notice", source="the amount printed on the notice",
                             note=f"holds until {until.isoformat()}" if inside and until else "plus interest and penalties since the notice date"),
        next_step=(f"Pay {format_money(printed)}" + (f" by {until.isoformat()}" if inside and until else "")
                   + " through EFTPS or IRS Direct Pay (business), designating the trust fund taxes first."),
        sources=["IRC 6601(e)(3)", "IRC 7503"],
    ))
    limit = rules.parameters.decimal("plans.ibtf_express.max_balance", today)
    months = rules.parameters.integer("plans.ibtf_express.max_months", today)
    fits = printed <= limit
    monthly = (printed / months).quantize(Decimal(1), rounding=ROUND_CEILING)
    options.append(OptionItem(
        id="ibtf_express_agreement", title="In-Business Trust Fund Express installment agreement", kind="plan",
        eligible="maybe" if fits else "no",
        reasons=[f"balance {format_money(printed)} {'within' if fits else 'above'} {format_money(limit)}",
                 f"paid within {months} months and before the collection statute ends",
                 "the business is still operating, has filed every return and is making its current deposits"],
        monthly_payment=Figure.of(monthly, rule="plans.ibtf_express.max_months",
                                  source=rules.parameters.source("plans.ibtf_express.max_months", today).short(),
                                  note=f"the printed balance over {months} months, before interest and penalties") if fits else None,
        months=months if fits else None,
        next_step=("Call the number on the notice and ask for an In-Business Trust Fund Express agreement; no financial "
                   "statement is needed at this balance." if fits else "Not available above the limit: see the business agreement."),
        sources=["plans.ibtf_express.max_balance", "plans.ibtf_express.max_months"],
        tradeoffs=["the collection statute is suspended while the request is pending and after a rejection "
                   "(IRC 6331(k)(2), (k)(3)); new deposits must stay current or the agreement defaults"],
    ))
    options.append(OptionItem(
        id="business_agreement", title="Business installment agreement", kind="plan", eligible="maybe",
        reasons=["above the express limit, or the express conditions are not met: the IRS asks for a financial "
                 "statement (Form 433-B) and may make a trust fund recovery penalty determination"],
        next_step="Call the number on the notice; have Form 433-B and the business's bank statements ready.",
        sources=["IRM 5.14.7"],
        tradeoffs=["a notice of federal tax lien may be filed; the responsible people may be assessed the trust fund "
                   "recovery penalty (IRC 6672)"],
    ))
    options.append(OptionItem(
        id="dispute", title="Dispute the balance or the collection action", kind="dispute", eligible="maybe",
        reasons=["only if the balance is wrong (a deposit not credited, a wrong period) or the action is wrong"],
        next_step="Call the number on the notice with the EFTPS confirmation of each deposit.",
        sources=["IRS Publication 1660"],
    ))
    return OptionsSection(options=options, notes=[TFRP_WARNING])

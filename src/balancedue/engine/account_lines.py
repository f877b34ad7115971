"""The statement lines and reasons for the penalties of an account (engine/account.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from balancedue.engine.money import ZERO, format_money
from balancedue.engine.penalties import FailureToFile, MonthCharge
from balancedue.engine.statement import Line, LineKind


def ftf_lines(result: FailureToFile, final: Decimal) -> list[Line]:
    """The failure-to-file addition, its (c)(1) reduction, the minimum and any abatement."""
    rule = "IRC 6651(a)(1), (b)(1)"
    lines = [
        Line(
            LineKind.FAILURE_TO_FILE,
            result.first_month_starts,
            result.last_month_ends,
            result.gross,
            rule,
            result.source,
            base=result.base,
            rate=result.rate,
            months=result.months,
        )
    ]
    if result.reduction:
        lines.append(
            Line(
                LineKind.FAILURE_TO_FILE_REDUCTION,
                result.first_month_starts,
                result.last_month_ends,
                -result.reduction,
                "IRC 6651(c)(1)",
                "reduced by the failure-to-pay charged for the same months",
            )
        )
    adjustment = result.amount - (result.gross - result.reduction)
    if adjustment:
        lines.append(
            Line(
                LineKind.FAILURE_TO_FILE_MINIMUM,
                result.first_month_starts,
                result.last_month_ends,
                adjustment,
                "IRC 6651(a) (minimum for a return more than 60 days late); 6651(c)(1) second sentence",
                result.minimum_source,
                base=result.minimum,
            )
        )
    if final != result.amount:
        lines.append(
            Line(
                LineKind.ABATEMENT,
                result.last_month_ends,
                result.last_month_ends,
                final - result.amount,
                "IRC 6651(a) reasonable cause / administrative waiver",
                "abatement of failure to file",
                note="the interest it drew is removed from the start",
            )
        )
    return lines


def ftp_lines(charges: Sequence[MonthCharge]) -> list[Line]:
    """One line per run of failure-to-pay months at one rate on one base."""
    return [
        Line(
            LineKind.FAILURE_TO_PAY,
            run.start,
            run.end,
            run.amount,
            run.rule,
            run.source,
            base=run.base,
            rate=run.rate,
            months=run.months,
            note=f"months {run.first_month}-{run.last_month}" if run.months > 1 else f"month {run.first_month}",
        )
        for run in charges
    ]


def why_texts(
    ftf: FailureToFile | None,
    ftf_amount: Decimal,
    charges: Sequence[MonthCharge],
    interest: Decimal,
    due: date,
    filing_due: date,
) -> dict[str, str]:
    """Each figure's reason in one sentence, keyed by the figure."""
    why: dict[str, str] = {}
    if ftf is not None:
        text = ftf.why
        if ftf_amount != ftf.amount:
            text += f" Abated to {format_money(ftf_amount)}."
        why["failure_to_file"] = text
    if charges:
        rates = sorted({c.rate for c in charges})
        total = sum((c.amount for c in charges), ZERO)
        why["failure_to_pay"] = (
            f"{sum(c.months for c in charges)} month(s) or part-months with tax unpaid at the month's start, "
            f"at {', '.join(str(r * 100).rstrip('0').rstrip('.') + '%' for r in rates)} a month of the "
            f"unpaid tax = {format_money(total)} (IRC 6651(a)(2)/(a)(3), (b), (d), (h); at most 25% in all)."
        )
    if interest:
        why["interest"] = (
            f"Underpayment interest compounded daily from {due.isoformat()} on unpaid tax, "
            f"from {filing_due.isoformat()} on the failure-to-file addition, and from notice and "
            f"demand on failure-to-pay, at the rate of each quarter = {format_money(interest)} "
            "(IRC 6601, 6621(a)(2), 6622)."
        )
    return why

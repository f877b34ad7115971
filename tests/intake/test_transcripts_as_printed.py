"""Transcripts as printed copies show them: layouts the parser must read without losing a line.

Built from the generated balance-due transcript (tests/fixtures/make_transcripts.py, TY2023:
tax 9,400.00, withholding 6,400.00, TC 150 on 05-20-2024) by changing how it is printed: the
two-column balance block, the wrapped "ACCOUNT BALANCE PLUS ACCRUALS" label, two transactions on
one line, an unreadable TC 150, a copy without its FORM NUMBER line, and a wage and income line
printed with a double colon.  Every line that is not understood must be named with its number.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from balancedue.intake.transcripts import UNKNOWN_FORM, parse_transcripts
from balancedue.rules import load_rules
from balancedue.services.transcripts import analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_transcripts
from transcript_layout import render_account

D = Decimal
RULES = load_rules()
BASE = make_transcripts.balance_due()
PERIOD = BASE.periods[0]


def _row_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\d{3}\s", line)]


def test_two_column_balance_block_with_the_wrapped_label() -> None:
    period = replace(PERIOD, two_column_header=True, accrued_penalty=D("48.00"))
    text = render_account(period)
    assert "ACCOUNT BALANCE PLUS\n" in text  # the label is wrapped over three lines
    parsed = parse_transcripts(text).accounts[0]
    assert parsed.accrued_penalty == D("48.00")
    assert parsed.accrued_interest == PERIOD.accrued_interest
    assert parsed.balance_plus_accruals == period.balance_plus_accruals
    assert parsed.account_balance == PERIOD.account_balance
    assert not [w for w in parsed.warnings if "could not be read" in w]


def test_an_accrual_printed_but_not_readable_is_reported_with_its_line() -> None:
    text = render_account(PERIOD).replace("ACCRUED PENALTY:", "ACCRUED PENALTY: see page 2 ", 1)
    parsed = parse_transcripts(text).accounts[0]
    assert parsed.accrued_penalty is None
    number = next(n for n, line in enumerate(text.splitlines(), start=1) if "ACCRUED PENALTY" in line)
    assert any(w.startswith(f"line {number}: ACCRUED PENALTY is printed") for w in parsed.warnings)


def test_two_transactions_on_one_line_become_two_rows() -> None:
    text = render_account(PERIOD)
    rows = _row_lines(text)
    tc150, tc806 = rows[0], rows[1]
    flattened = text.replace(tc150 + "\n", "").replace(tc806, tc150.rstrip() + "   " + tc806.strip())
    parsed = parse_transcripts(flattened).accounts[0]
    codes = [t.code for t in parsed.transactions]
    assert codes[:2] == ["150", "806"]
    assert parsed.transactions[0].amount == D("9400.00")
    assert parsed.transactions[1].amount == D("-6400.00")
    assert len(parsed.transactions) == len(PERIOD.transactions)


def test_a_tc150_with_an_o_for_a_zero_is_read() -> None:
    text = render_account(PERIOD)
    tc150 = _row_lines(text)[0]
    parsed = parse_transcripts(text.replace(tc150, tc150.replace("05-20-2024", "O5-2O-2024"))).accounts[0]
    assert parsed.transactions[0].code == "150"
    assert parsed.transactions[0].amount == D("9400.00")


def test_an_unreadable_tc150_is_listed_with_its_line_number() -> None:
    text = render_account(PERIOD)
    tc150 = _row_lines(text)[0]
    spoiled = text.replace(tc150, tc150.replace("$9,400.00", "$9,4#0.00"))
    number = spoiled.splitlines().index(tc150.replace("$9,400.00", "$9,4#0.00")) + 1
    parsed = parse_transcripts(spoiled).accounts[0]
    assert "150" not in [t.code for t in parsed.transactions]
    assert [(u.code, u.line) for u in parsed.unread_rows] == [("150", number)]
    assert any(w.startswith(f"line {number}:") for w in parsed.warnings)


def test_a_copy_without_its_form_number_line_is_read_as_a_fragment() -> None:
    text = re.sub(r"FORM NUMBER: 1040\s+", "", render_account(PERIOD))
    parsed = parse_transcripts(text).accounts[0]
    assert parsed.form == UNKNOWN_FORM
    assert parsed.tax_year == 2023
    assert any("no 'FORM NUMBER:' line" in w for w in parsed.warnings)
    assert next(t.code for t in parsed.transactions) == "150"


def test_a_double_colon_wage_and_income_line_is_read() -> None:
    text = BASE.wage_and_income.replace("Interest:", "Non-Employee Compensation::", 1)
    assert "Compensation::" in text
    income = parse_transcripts(text).income[0]
    bank = next(d for d in income.documents if d.form == "1099-INT")
    assert bank.amount("Non-Employee Compensation") == D("480.00")


def test_a_transcript_not_recomputed_is_not_said_to_reconcile() -> None:
    # Form 941 is outside the computation: only the postings are listed, nothing is recomputed.
    text = render_account(replace(PERIOD, form="941"))
    report = analyze([("941.txt", text)], rules=RULES)
    assert report.periods[0].reconciliation is None
    assert any("not recomputed" in w for w in report.warnings)
    # The 1040 of the same figures is recomputed and reconciles.
    report = analyze([("1040.txt", render_account(PERIOD))], rules=RULES)
    reconciliation = report.periods[0].reconciliation
    assert reconciliation is not None
    assert reconciliation.statement is not None

"""Payments applied to an account (Rev. Proc. 2002-26): tax oldest first, then penalties, then
interest, unless a payment is designated.  Each split worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from balancedue.engine.allocation import AppliedPayment, TaxPiece, allocate
from balancedue.engine.scenario import Component, EventType

D = Decimal
DUE = date(2025, 4, 15)


def _pay(index: int, day: date, amount: str, designation: Component | None = None) -> AppliedPayment:
    return AppliedPayment(index, EventType.PAYMENT, day, day, D(amount), designation)


def test_tax_first_then_failure_to_file_then_the_rest() -> None:
    pieces = [TaxPiece(0, DUE, D("1000.00"), None)]
    pay = _pay(0, date(2025, 6, 1), "1500.00")
    allocate([pay], pieces, D("100.00"), DUE, [])
    # 1,500.00 = 1,000.00 tax + 100.00 failure to file + 400.00 to interest or credit.
    assert (pay.to_tax, pay.to_ftf, pay.to_ftp, pay.rest) == ([(0, D("1000.00"))], D("100.00"), D("0"), D("400.00"))


def test_the_oldest_assessment_is_paid_first_and_payments_go_in_date_order() -> None:
    pieces = [TaxPiece(0, DUE, D("300.00"), None), TaxPiece(1, date(2025, 8, 1), D("200.00"), date(2025, 8, 1))]
    later, earlier = _pay(1, date(2025, 9, 1), "250.00"), _pay(0, date(2025, 8, 15), "400.00")
    allocate([later, earlier], pieces, D("0"), DUE, [])
    # The 08-15 payment: 300.00 to the return's tax, 100.00 to the later assessment.
    assert earlier.to_tax == [(0, D("300.00")), (1, D("100.00"))]
    # The 09-01 payment: the other 100.00 of the later assessment; 150.00 left over.
    assert (later.to_tax, later.rest) == ([(1, D("100.00"))], D("150.00"))


def test_a_payment_designated_to_penalties_pays_them_before_tax() -> None:
    pieces = [TaxPiece(0, DUE, D("1000.00"), None)]
    pay = _pay(0, date(2025, 6, 1), "150.00", Component.PENALTY)
    allocate([pay], pieces, D("100.00"), DUE, [])
    assert (pay.to_ftf, pay.to_tax, pay.rest) == (D("100.00"), [(0, D("50.00"))], D("0"))


def test_a_payment_designated_to_interest_is_left_for_the_interest_pass() -> None:
    pieces = [TaxPiece(0, DUE, D("1000.00"), None)]
    pay = _pay(0, date(2025, 6, 1), "80.00", Component.INTEREST)
    allocate([pay], pieces, D("100.00"), DUE, [])
    assert (pay.to_tax, pay.to_ftf, pay.rest) == ([], D("0"), D("80.00"))


def test_failure_to_file_is_owed_only_after_the_filing_due_date() -> None:
    pieces = [TaxPiece(0, DUE, D("100.00"), None)]
    pay = _pay(0, date(2025, 4, 10), "150.00")
    allocate([pay], pieces, D("25.00"), DUE, [])
    assert (pay.to_tax, pay.to_ftf, pay.rest) == ([(0, D("100.00"))], D("0"), D("50.00"))

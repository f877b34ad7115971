"""The transcript parser on generated transcripts (tests/fixtures/make_transcripts.py) and edge cases.

Each generated transcript must parse back exactly: every header field, every transaction's code,
explanation, cycle, date, amount, continuation lines and document locator as printed.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.intake.transcripts import (
    NotATranscriptError,
    TranscriptFormatError,
    TranscriptKind,
    last_four,
    mask_ssns,
    parse_amount,
    parse_date,
    parse_transcripts,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_transcripts
import sample_ids
from transcript_layout import Period, Tx, render_account

FIXTURES = make_transcripts.fixtures()
D = Decimal


def test_at_least_twelve_distinct_generated_transcripts() -> None:
    periods = {(p.tin_last4, p.tax_year, p.transactions) for f in FIXTURES for p in f.periods}
    assert len(periods) >= 12


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_generated_transcripts_parse_exactly(fixture: make_transcripts.Fixture) -> None:
    bundle = parse_transcripts(fixture.text())
    assert len(bundle.accounts) == len(fixture.periods)
    assert bundle.warnings == ()
    for parsed, spec in zip(bundle.accounts, fixture.periods, strict=True):
        assert parsed.kind is (TranscriptKind.RECORD_OF_ACCOUNT if spec.record_of_account else TranscriptKind.ACCOUNT)
        assert (parsed.form, parsed.tax_period, parsed.taxpayer_id) == (spec.form, date(spec.tax_year, 12, 31), spec.tin_last4)
        assert parsed.spouse_id == spec.spouse_last4
        assert (parsed.request_date, parsed.response_date, parsed.tracking_number) == (spec.request, spec.request, spec.tracking)
        assert parsed.account_balance == spec.account_balance
        assert (parsed.accrued_interest, parsed.accrued_interest_as_of) == (spec.accrued_interest, spec.as_of)
        assert (parsed.accrued_penalty, parsed.accrued_penalty_as_of) == (spec.accrued_penalty, spec.as_of)
        assert parsed.balance_plus_accruals == spec.balance_plus_accruals
        assert parsed.return_present is spec.return_present
        assert parsed.return_received_date == spec.received
        assert parsed.warnings == ()
        assert len(parsed.transactions) == len(spec.transactions)
        for got, want in zip(parsed.transactions, spec.transactions, strict=True):
            assert (got.code, got.explanation, got.date, got.amount) == (want.code, want.explanation, want.day, want.amount)
            assert (got.cycle, got.reference, got.detail) == (want.cycle, want.reference, want.detail)


def test_return_information_lines() -> None:
    parsed = parse_transcripts(make_transcripts.balance_due().text()).accounts[0]
    assert parsed.filing_status == "Single"
    assert parsed.tax_per_return == D("9400.00")
    assert parsed.processing_date == date(2024, 5, 20)
    agi = parsed.return_value("adjusted gross income")
    assert agi is not None
    assert agi.amount == D("62480.00")


def test_record_of_account_keeps_its_return_lines() -> None:
    parsed = parse_transcripts(make_transcripts.late_filer().text()).accounts[0]
    assert parsed.kind is TranscriptKind.RECORD_OF_ACCOUNT
    line = parsed.return_value("total tax liability")
    assert line is not None
    assert line.amount == D("10000.00")
    assert parsed.return_received_date == date(2024, 9, 3)


def test_notices_are_read_from_the_continuation_line() -> None:
    parsed = parse_transcripts(make_transcripts.balance_due().text()).accounts[0]
    assert [t.notice for t in parsed.transactions if t.code == "971"] == ["CP14", "CP501", "CP503"]


def test_wage_and_income_documents() -> None:
    bundle = parse_transcripts(make_transcripts.balance_due().text())
    (wi,) = bundle.income
    assert (wi.tax_year, wi.taxpayer_id) == (2023, "4821")
    w2, bank = wi.documents
    assert (w2.form, w2.payer, w2.payer_id, w2.withholding) == ("W-2", "NORTHWIND SAMPLE WIDGETS INC", "7781", D("6400.00"))
    assert w2.amount("Wages, Tips") == D("62000.00")
    assert w2.amount("Social Security Tax Withheld") == D("3844.00")  # kept, but not federal income tax withheld
    assert (bank.form, bank.payer, bank.amount("Interest"), bank.withholding) == ("1099-INT", "EXAMPLE SAVINGS BANK", D("480.00"), D("0.00"))
    assert wi.federal_withholding == D("6400.00")


def test_several_transcripts_in_one_text_keep_their_order() -> None:
    fixture = make_transcripts.fta_files()[0]
    years = [a.tax_year for a in parse_transcripts(fixture.text()).accounts]
    assert years == [2024, 2023, 2022, 2021]


def test_not_a_transcript() -> None:
    with pytest.raises(NotATranscriptError, match="no IRS transcript found"):
        parse_transcripts(make_transcripts.NOT_A_TRANSCRIPT)


def test_a_transcript_without_tax_period_is_refused_with_the_field_named() -> None:
    text = make_transcripts.balance_due().text().replace("TAX PERIOD: Dec. 31, 2023", "")
    with pytest.raises(TranscriptFormatError, match="TAX PERIOD"):
        parse_transcripts(text)


def _one(period: Period) -> str:
    return render_account(period)


def test_unknown_codes_are_kept_and_unreadable_rows_reported() -> None:
    base = make_transcripts.balance_due().periods[0]
    odd = Tx("999", "Something new", date(2025, 1, 2), D("12.34"))
    text = _one(replace(base, transactions=(*base.transactions, odd)))
    text += "\n670   Payment   13-45-2025   $1.00\n670   Payment   without a date\n"
    parsed = parse_transcripts(text).accounts[0]
    assert parsed.transactions[-1].code == "999"
    assert parsed.transactions[-1].amount == D("12.34")
    assert any("unreadable date" in w for w in parsed.warnings)
    assert any("looks like a transaction but could not be read" in w for w in parsed.warnings)
    assert parsed.transactions[-1].detail[-1] == "670 Payment without a date"  # kept, not dropped


def test_full_ssns_are_masked_and_ids_cut_to_four_digits() -> None:
    base = make_transcripts.balance_due().periods[0]
    noisy = Tx("971", "Notice issued", date(2024, 5, 20), D("0.00"), detail=(f"copy sent re {sample_ids.OTHER_SSN}",))
    text = _one(replace(base, transactions=(*base.transactions, noisy))).replace("XXX-XX-4821", sample_ids.PRINTED_IN_HEADER)
    parsed = parse_transcripts(text).accounts[0]
    assert parsed.taxpayer_id == "4821"
    assert sample_ids.OTHER_SSN not in parsed.transactions[-1].text
    assert "XXX-XX-6789" in parsed.transactions[-1].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$4,682.00", D("4682.00")),
        ("-$3,000.00", D("-3000.00")),
        ("3,000.00-", D("-3000.00")),
        ("(12.50)", D("-12.50")),
        ("0.00", D("0.00")),
        ("12", None),
    ],
)
def test_amounts_as_printed(text: str, expected: Decimal | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-30-2026", date(2026, 3, 30)),
        ("Mar. 30, 2026", date(2026, 3, 30)),
        ("May 05, 2024", date(2024, 5, 5)),
        ("Sept. 16, 2024", date(2024, 9, 16)),
        ("December, 2023", date(2023, 12, 31)),
        ("February, 2024", date(2024, 2, 29)),
        ("02-30-2024", None),
    ],
)
def test_dates_as_printed(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_identifier_helpers() -> None:
    assert last_four("XXX-XX-1234") == "1234"
    assert last_four("XXXXX7781") == "7781"
    assert last_four("X1") is None
    assert mask_ssns(f"ssn {sample_ids.THIRD_SSN} here") == "ssn XXX-XX-4321 here"

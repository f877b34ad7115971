"""The scam check's detectors on their own: phone classes, agencies, look-alike names, notice
layout and quoting.  Each expectation follows from rules/data/contacts.yaml and scam_signals.yaml."""

from __future__ import annotations

from datetime import date

from balancedue.advice.scam_checker import (
    agency_names_found,
    describe_phone,
    first_of,
    lookalike_name,
    phone_class,
)
from balancedue.advice.scam_text import PreparedText
from balancedue.rules import RuleSet


def test_phone_classes(rules: RuleSet) -> None:
    contacts = rules.contacts
    # The individual line is on the IRS list.
    assert phone_class(contacts, "800-829-1040", date(2025, 6, 1)) == "official"
    # ConServe has no contract end: a collection agency working for the IRS.
    assert phone_class(contacts, "844-853-4875", date(2025, 6, 1)) == "agency"
    # Performant's contract ended 2021-09-22: a former agency after, an agency before.
    assert phone_class(contacts, "844-807-9367", date(2025, 6, 1)) == "former_agency"
    assert phone_class(contacts, "844-807-9367", date(2021, 9, 1)) == "agency"
    assert phone_class(contacts, "202-555-0147", date(2025, 6, 1)) == "unofficial"


def test_a_phone_is_described_with_whose_it_is(rules: RuleSet) -> None:
    assert describe_phone(rules.contacts, "800-829-1040") == "800-829-1040 (IRS individual taxpayer line)"
    assert describe_phone(rules.contacts, "844-853-4875") == "844-853-4875 (ConServe)"
    assert describe_phone(rules.contacts, "202-555-0147") == "202-555-0147"


def test_agencies_named_in_a_text(rules: RuleSet) -> None:
    text = PreparedText("Your account was assigned to Continental Service Group for collection.")
    assert agency_names_found(rules, text, date(2025, 6, 1)) == ["ConServe"]
    assert agency_names_found(rules, PreparedText("Pay the agency today."), date(2025, 6, 1)) == []


def test_a_name_one_letter_off_is_a_lookalike(rules: RuleSet) -> None:
    limit = rules.scam_signals.scoring.snippet_chars
    found = lookalike_name(PreparedText("Notice from the Internal Revenue Servlce, pay now"), rules.scam_signals, limit)
    assert found is not None
    assert "Servlce" in found
    assert lookalike_name(PreparedText("Notice from the Internal Revenue Service"), rules.scam_signals, limit) is None


def test_first_of() -> None:
    assert first_of(["a", "b"]) == "a"
    assert first_of([]) is None

"""The transaction-code catalog: the codes the transcript reader relies on, sources and rules."""

from __future__ import annotations

import pytest

from balancedue.errors import RulesDataError
from balancedue.rules import load_rules
from balancedue.rules.transaction_codes import CsedRole, Effect, parse_transaction_codes

CATALOG = load_rules().transaction_codes
PARAMETERS = load_rules().parameters

# Codes named in the issue that touch the balance, penalties, interest, payments, notices,
# collection holds and the CSED.
REQUIRED = ["150", "160", "161", "166", "167", "170", "171", "176", "177", "186", "187", "196", "197", "234", "235", "240", "241", "270", "271", "276", "277", "280", "281", "290", "291", "300", "301", "336", "337", "340", "341", "360", "361", "420", "421", "424", "460", "461", "470", "471", "480", "481", "482", "494", "495", "500", "520", "521", "522", "530", "531", "550", "570", "571", "582", "583", "604", "606", "607", "610", "611", "640", "650", "660", "670", "671", "700", "706", "710", "716", "766", "767", "768", "806", "807", "826", "846", "971", "972"]


@pytest.mark.parametrize("code", REQUIRED)
def test_required_codes_are_in_the_catalog(code: str) -> None:
    assert code in CATALOG


def test_every_entry_has_a_source_and_plain_meaning() -> None:
    for entry in CATALOG:
        assert entry.sources, entry.key
        assert len(entry.meaning) >= 10, entry.key


def test_csed_parameters_exist() -> None:
    for entry in CATALOG:
        if entry.csed is not None:
            for rule in (entry.csed.add, entry.csed.floor):
                if rule is not None:
                    assert rule in PARAMETERS, (entry.key, rule)


def test_matching_by_action_code_closing_code_and_wording() -> None:
    assert CATALOG.match("971", "Installment agreement established").key == "971/063"  # type: ignore[union-attr]
    assert CATALOG.match("971", "", action_code="043").key == "971/043"  # type: ignore[union-attr]
    assert CATALOG.match("520", "Bankruptcy or other legal action filed").csed.kind.value == "bankruptcy"  # type: ignore[union-attr]
    assert CATALOG.match("520", "x", closing_code="76").csed.kind.value == "cdp"  # type: ignore[union-attr]
    assert CATALOG.match("971", "Notice issued CP 0014").effect is Effect.NOTICE  # type: ignore[union-attr]
    assert CATALOG.match("123") is None


def test_assessments_carry_their_own_csed() -> None:
    for code in ("150", "290", "300", "166", "276", "196"):
        entry = CATALOG.match(code)
        assert entry is not None
        assert entry.csed is not None
        assert entry.csed.role is CsedRole.NEW_ASSESSMENT


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"schema_version": 1, "codes": [{"code": "15", "title": "x" * 5, "meaning": "y" * 12, "effect": "informational", "sign": "none", "sources": [{"citation": "abc"}]}]}, "code"),
        ({"schema_version": 1, "codes": [{"code": "166", "title": "x" * 5, "meaning": "y" * 12, "effect": "penalty", "sign": "debit", "sources": [{"citation": "abc"}]}]}, "penalty"),
        ({"schema_version": 1, "codes": [{"code": "671", "title": "x" * 5, "meaning": "y" * 12, "effect": "reversal", "sign": "debit", "reverses": ["670"], "sources": [{"citation": "abc"}]}]}, "unknown TC"),
    ],
)
def test_malformed_catalogs_are_refused(raw: dict[str, object], problem: str) -> None:
    with pytest.raises(RulesDataError, match=problem):
        parse_transaction_codes(raw)

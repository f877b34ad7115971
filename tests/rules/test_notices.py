"""The notice catalog: complete, sourced, consistent with the parameters, and strict at load."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from balancedue.errors import RulesDataError, UnknownNoticeError
from balancedue.rules import NoticeCode, NoticeEntry, load_rules
from balancedue.rules.notices import DeadlineTag, Stage, normalize_code, parse_notice_catalog
from balancedue.rules.parameters import Unit

CATALOG = load_rules().notices
PARAMETERS = load_rules().parameters
ALL_CODES = [entry.code.value for entry in CATALOG]

# The individual balance-due stream, in order (shared/domain/notices.md, "The balance-due
# notice stream"; TIGTA 2011-30-112): CP14 -> CP501 -> CP503 -> CP504 -> LT11.
STREAM = ["CP14", "CP501", "CP503", "CP504", "LT11"]


def _entry(code: str) -> NoticeEntry:
    return CATALOG.get(code)


# --- The catalog and the enum ----------------------------------------------------------------


def test_enum_and_catalog_list_the_same_codes_in_the_same_order() -> None:
    assert [code.value for code in NoticeCode] == ALL_CODES


def test_catalog_covers_at_least_thirty_notices() -> None:
    assert len(CATALOG) >= 30


@pytest.mark.parametrize(
    "code",
    # Named in the product brief as notices every user of the tool may hold.
    [
        "CP14", "CP14H", "CP161", "CP501", "CP503", "CP504", "CP504B", "LT16", "LT11",
        "LTR1058", "CP90", "CP297", "CP2000", "CP3219A", "CP11", "CP12", "CP22A", "CP23",
        "CP71A", "CP71C", "CP71D", "CP521", "CP523", "CP508C", "LTR3172",
    ],
)
def test_core_notices_are_in_the_catalog(code: str) -> None:
    assert code in CATALOG.codes


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_notice_is_sourced(code: str) -> None:
    entry = _entry(code)
    assert entry.sources
    for source in entry.sources:
        assert source.citation.strip()
        assert source.url, source
        assert source.url.startswith(("http://", "https://")), source
        assert source.retrieved is not None, source


# --- Deadlines and rights against parameters.yaml ---------------------------------------------


@pytest.mark.parametrize("code", ALL_CODES)
def test_deadline_rules_exist_and_agree_with_their_day_counts(code: str) -> None:
    for deadline in _entry(code).deadlines:
        counted = deadline.days_from_notice_date or deadline.business_days_from_notice_date
        if counted is not None:
            assert deadline.rule, f"{code}: a day count needs the rule behind it ({deadline.what})"
        if deadline.rule is None:
            continue
        assert deadline.rule in PARAMETERS, f"{code}: unknown rule {deadline.rule}"
        parameter = PARAMETERS.get(deadline.rule)
        newest = int(parameter.values[-1].decimal)
        if deadline.days_from_notice_date is not None:
            assert parameter.unit is Unit.DAYS, (code, deadline.rule)
            assert newest == deadline.days_from_notice_date, (code, deadline.rule)
        if deadline.business_days_from_notice_date is not None:
            assert parameter.unit is Unit.BUSINESS_DAYS, (code, deadline.rule)
            assert newest == deadline.business_days_from_notice_date, (code, deadline.rule)


@pytest.mark.parametrize("code", ALL_CODES)
def test_right_rules_exist(code: str) -> None:
    for right in _entry(code).rights:
        if right.rule is not None:
            assert right.rule in PARAMETERS, f"{code}: unknown rule {right.rule}"


@pytest.mark.parametrize("code", ALL_CODES)
def test_bills_have_a_deadline(code: str) -> None:
    entry = _entry(code)
    if entry.is_bill:
        assert entry.deadlines


@pytest.mark.parametrize("code", ["LT11", "LTR1058"])
def test_final_notices_carry_a_cdp_right_with_a_hard_30_day_deadline(code: str) -> None:
    entry = _entry(code)
    assert entry.stage is Stage.FINAL_NOTICE_CDP
    cdp = [d for d in entry.deadlines if d.rule == "rights.cdp.request_days"]
    assert len(cdp) == 1
    assert cdp[0].tag is DeadlineTag.HARD
    assert cdp[0].days_from_notice_date == 30  # IRC 6330(a)(3)(B): 30 days from the notice
    assert any(
        r.rule == "rights.cdp.request_days" and r.form == "Form 12153" for r in entry.rights
    )


def test_deficiency_notice_gives_90_days_and_150_abroad() -> None:
    entry = _entry("CP3219A")
    hard = {d.rule: d.days_from_notice_date for d in entry.deadlines if d.tag is DeadlineTag.HARD}
    # IRC 6213(a): 90 days, 150 if the notice is addressed outside the United States.
    assert hard == {
        "rights.tax_court.deficiency_petition_days": 90,
        "rights.tax_court.deficiency_petition_days_abroad": 150,
    }
    assert not entry.is_bill


@pytest.mark.parametrize("code", ["CP11", "CP12", "CP13", "CP23", "CP24"])
def test_math_error_notices_carry_the_60_day_abatement_right(code: str) -> None:
    entry = _entry(code)
    # IRC 6213(b)(2)(A): abatement on request within 60 days after the notice is sent.
    assert any(
        d.tag is DeadlineTag.HARD
        and d.rule == "rights.math_error.abatement_request_days"
        and d.days_from_notice_date == 60
        for d in entry.deadlines
    )


def test_cp2000_is_a_proposal_not_a_bill() -> None:
    entry = _entry("CP2000")
    assert entry.is_bill is False
    assert entry.stage is Stage.PROPOSED_CHANGE
    assert any(d.printed_date for d in entry.deadlines)
    # IRS CP2000 script: reply within 30 days of the letter date.
    assert any(d.days_from_notice_date == 30 for d in entry.deadlines)
    assert all(d.tag is not DeadlineTag.HARD for d in entry.deadlines)
    assert NoticeCode.CP3219A in entry.next_notices


# --- The notice stream -----------------------------------------------------------------------


def test_stream_runs_cp14_to_lt11_in_order() -> None:
    entries = [_entry(code) for code in STREAM]
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    for before, after in itertools.pairwise(entries):
        assert after.code in before.next_notices, (before.code, after.code)


@pytest.mark.parametrize("code", ALL_CODES)
def test_next_notices_resolve_and_never_go_back_in_the_stream(code: str) -> None:
    entry = _entry(code)
    for follower_code in entry.next_notices:
        assert follower_code != entry.code
        follower = CATALOG.find(follower_code.value)
        assert follower is not None, (code, follower_code)
        if entry.sequence is not None and follower.sequence is not None:
            assert follower.sequence > entry.sequence, (code, follower_code)


# --- Look-up ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Letter 1058", "LTR1058"),
        ("L1058", "LTR1058"),
        ("lt 11", "LT11"),
        ("cp-504", "CP504"),
        ("Notice CP14", "CP14"),
        ("cp504b", "CP504B"),
        ("Letter 3172", "LTR3172"),
        ("CP298", "CP91"),  # IRS CP 91/298 FAQ: one notice, two codes
        ("cp 523c", "CP523"),  # IRS: CP523C is a newer layout of CP523
        ("CP621", "CP521"),
    ],
)
def test_codes_and_aliases_are_found_as_typed(typed: str, expected: str) -> None:
    assert CATALOG.get(typed).code.value == expected


def test_normalize_code_spellings() -> None:
    assert normalize_code(" letter-1058 ") == "LTR1058"
    assert normalize_code("lt_11") == "LT11"
    assert normalize_code("Notice CP 2000") == "CP2000"


def test_unknown_code_names_the_closest_codes() -> None:
    assert CATALOG.find("CP5O4") is None
    with pytest.raises(UnknownNoticeError) as caught:
        CATALOG.get("CP5O4")
    assert caught.value.suggestions[0] == "CP504"
    assert 1 <= len(caught.value.suggestions) <= 3
    assert "closest known codes" in str(caught.value)
    assert caught.value.exit_code == 2


# --- A malformed catalog is refused ------------------------------------------------------------

_SOURCE = {"citation": "IRC 0000", "url": "https://example.invalid", "verification": "primary"}
_GOOD: dict[str, Any] = {
    "schema_version": 1,
    "interest_free_periods": [
        {"kind": "notice_and_demand", "applies": True, "settled": True,
         "assumption": "The first bill is the notice and demand.", "sources": [_SOURCE]},
    ],
    "notices": [
        {
            "code": "CP14",
            "aliases": ["first bill"],
            "title": "Test bill",
            "recipient": "Testers",
            "meaning": "A bill used only by the tests.",
            "stage": "first_bill",
            "sequence": 1,
            "severity": "medium",
            "is_bill": True,
            "interest_free_period": "notice_and_demand",
            "deadlines": [{"what": "Pay by the printed date", "tag": "soft", "printed_date": True}],
            "if_ignored": "A reminder follows.",
            "next_notices": ["CP501"],
            "sources": [_SOURCE],
        },
        {
            "code": "CP501",
            "title": "Test reminder",
            "recipient": "Testers",
            "meaning": "A reminder used only by the tests.",
            "stage": "reminder",
            "sequence": 2,
            "severity": "medium",
            "is_bill": False,
            "if_ignored": "Nothing in this test.",
            "sources": [_SOURCE],
        },
    ],
}


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_GOOD)
    change(data)
    return data


def test_the_test_catalog_itself_is_valid() -> None:
    catalog = parse_notice_catalog(_GOOD)
    assert catalog.codes == ["CP14", "CP501"]
    assert catalog.get("First Bill").code is NoticeCode.CP14


def _problem(data: dict[str, Any]) -> str:
    with pytest.raises(RulesDataError) as caught:
        parse_notice_catalog(data)
    assert caught.value.where == "notices.yaml"
    return caught.value.problem


def test_duplicate_code_is_refused() -> None:
    data = _broken(lambda d: d["notices"].append(copy.deepcopy(d["notices"][0])))
    assert "CP14 is listed twice" in _problem(data)


def test_deadline_with_two_bases_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][0]["deadlines"][0]["days_from_notice_date"] = 21

    problem = _problem(_broken(change))
    assert "notices.0.deadlines.0" in problem
    assert "exactly one of" in problem


def test_deadline_without_a_basis_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        del d["notices"][0]["deadlines"][0]["printed_date"]

    assert "exactly one of" in _problem(_broken(change))


def test_unknown_next_notice_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][0]["next_notices"] = ["CP503"]

    assert "CP14 is followed by unknown CP503" in _problem(_broken(change))


def test_code_outside_the_enum_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][1]["code"] = "CP9999"

    assert "notices.1.code" in _problem(_broken(change))


def test_alias_naming_two_notices_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][1]["aliases"] = ["first bill"]

    assert "names two notices" in _problem(_broken(change))


def test_bill_without_a_deadline_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][0]["deadlines"] = []

    assert "has no deadline" in _problem(_broken(change))


def test_unknown_field_is_refused() -> None:
    def change(d: dict[str, Any]) -> None:
        d["notices"][0]["deadline"] = "soon"

    assert "notices.0.deadline" in _problem(_broken(change))


def test_a_bill_must_say_whether_it_is_the_notice_and_demand() -> None:
    data = _broken(lambda d: d["notices"][0].pop("interest_free_period"))
    assert "interest_free_period" in _problem(data)


def test_a_kind_of_bill_without_its_sources_is_refused() -> None:
    # CP501 made a bill of the kind "later_notice", which the test catalog does not define.
    def change(d: dict[str, Any]) -> None:
        d["notices"][1].update(is_bill=True, interest_free_period="later_notice",
                               deadlines=[{"what": "Pay by the printed date", "tag": "soft", "printed_date": True}])
    assert "no interest_free_periods entry for later_notice" in _problem(_broken(change))


def test_only_first_bills_are_the_notice_and_demand_in_the_real_catalog() -> None:
    """IRC 6303(a): notice and demand follows the assessment; a reminder, a notice of intent to
    levy (IRC 6331(d)) or a final notice (IRC 6330) repeats a demand already made (TIGTA
    2011-30-112: the statutory notice "is met with the Master File notice")."""
    from balancedue.rules import load_rules
    from balancedue.rules.notices import InterestFreePeriod

    notices = load_rules().notices
    first = {"CP14", "CP14C", "CP14H", "CP161", "CP11", "CP22A", "CP23", "CP21A"}
    later = {"CP501", "CP503", "CP504", "CP504B", "LT11", "LTR1058", "CP90", "CP91", "CP297", "CP501H", "CP503H"}
    for code in first:
        assert notices.get(code).interest_free_period is InterestFreePeriod.NOTICE_AND_DEMAND, code
    for code in later:
        assert notices.get(code).interest_free_period is InterestFreePeriod.LATER_NOTICE, code
    for entry in notices:
        assert (entry.interest_free_period is not None) == entry.is_bill, entry.code
    # The notice and demand's period is settled by the statute; a later notice's is not, and the
    # report says what it assumes.
    assert notices.interest_free(notices.get("CP14")).settled  # type: ignore[union-attr]
    later_basis = notices.interest_free(notices.get("CP501"))
    assert later_basis is not None
    assert not later_basis.settled
    assert "IRC 6601(e)(3)" in [s.citation for s in later_basis.sources]
    assert notices.interest_free(notices.get("CP2000")) is None  # a proposal is not a bill

"""`balancedue analyze` as a tax professional would sign it: the printed notice is the
authority, stages say what they are, every right is shown, old notices say where things stand.

Fixtures: tests/fixtures/analyze (README.md there works out their figures by hand).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from analyze_harness import analyze_json, option, runner

from balancedue.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyze"


def analyze(notice: str, *extra: str, today: str) -> dict[str, Any]:
    return analyze_json(FIXTURES / notice, *extra, today=today)


def route(report: dict[str, Any], route_id: str) -> dict[str, Any]:
    return next(r for r in report["rights_and_routes"] if r["id"] == route_id)


# --- Items 1, 7, 16: the printed amount is the authority; one figure to pay ------------------


def test_cp14_for_a_late_filed_return_without_records_offers_the_printed_amount() -> None:
    # IRC 6303 notice and demand; IRC 6601(e)(3). The notice (README: late filing, $2,255.00 of
    # penalties, $368.54 interest) bills $13,623.54 on 2025-09-08; 21 days later is Monday
    # 2025-09-29. Without records the tool assumes an on-time return and recomputes less, but on
    # 2025-09-15 the amount to pay is the printed $13,623.54, holding until 2025-09-29.
    report = analyze("cp14-late-filed.txt", today="2025-09-15")
    pay = report["pay_in_full_today"]
    assert pay["amount"]["amount"] == "13623.54"
    assert pay["holds_until"] == "2025-09-29"
    assert option(report, "pay_in_full")["total_cost"]["amount"] == "13623.54"
    assert "$13,623.54" in option(report, "pay_in_full")["next_step"]
    penalties = next(c for c in report["verification"]["comparisons"] if c["item"] == "penalties")
    assert penalties["verdict"].startswith("cannot be verified without")
    assert "differs" not in report["verification"]["summary"]


def test_inside_the_interest_free_window_the_printed_amount_exactly() -> None:
    # IRC 6601(e)(3): CP14 of 2025-06-02 for $4,076.99; on 2025-06-10 that amount pays in full
    # until 2025-06-23 (21 days, a Monday) - not the $4,083.25 with interest to today.
    report = analyze("cp14-match.txt", today="2025-06-10")
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("4076.99", "2025-06-23")


def test_the_terminal_report_opens_with_the_amount_and_its_date() -> None:
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp14-match.txt"), "--today", "2025-06-10"])
    assert result.exit_code == 0, result.output
    first = result.output.strip().splitlines()[0]
    assert first.startswith("To pay in full today: $4,076.99")
    assert "2025-06-23" in first


def test_a_correct_lt11_is_not_answered_with_less_than_it_bills() -> None:
    # The LT11 (2025-09-15) bills $8,250.00; on 2025-09-20 that is the amount to pay (IRC 6601(e)(3)),
    # and a recomputation that assumes no earlier notices cannot lower it.
    report = analyze("lt11.txt", today="2025-09-20")
    assert report["pay_in_full_today"]["amount"]["amount"] == "8250.00"
    assumptions = " ".join(report["verification"]["assumptions"])
    assert "notice of intent to levy" in assumptions  # stage implies history: CP504 and later, 1% (IRC 6651(d))


# --- Items 5, 6, 8, 9: stages that say what they are ------------------------------------------


def test_cp49_is_an_offset_not_a_levy() -> None:
    # IRC 6402(a): a refund applied to a debt; no levy notice, no CDP right, no 1% rate.
    report = analyze("cp49.txt", today="2025-05-25")
    assert report["what_this_is"]["stage"] == "offset"
    risks = " ".join(report["if_you_do_nothing"]["risks"])
    assert "offset is not a levy" in risks
    assert "levy has started" not in risks
    assert "cdp_hearing" not in {r["id"] for r in report["rights_and_routes"]}


def test_cp49_remaining_balance_is_the_figure_to_pay_for_the_year_it_is_owed_for() -> None:
    # IRC 6402(a): the 2024 refund ($1,150.00) paid part of a 2022 debt; the notice prints the
    # rest, "Remaining balance for 2022 $2,318.44" on 2025-04-14, the day before the 2024 return
    # is due.  The balance is 2022's, long due, so on the notice date it is the printed amount
    # itself, and six days later it has drawn interest only (carried as printed, IRC 6601):
    # 2,318.44 x ((1 + 0.07/365)^6 - 1) = 2.669 -> $2.67 (7% for 2025 Q2, the underpayment rate
    # of IRC 6621(a)(2)), so $2,321.11.
    on_notice_date = analyze("cp49-remaining.txt", today="2025-04-14")
    assert on_notice_date["pay_in_full_today"]["amount"]["amount"] == "2318.44"
    later = analyze("cp49-remaining.txt", today="2025-04-20")
    assert later["pay_in_full_today"]["amount"]["amount"] == "2321.11"
    assert later["what_this_is"]["stage"] == "offset"
    assert "cdp_hearing" not in {r["id"] for r in later["rights_and_routes"]}


def test_a_notice_that_is_not_a_bill_says_when_a_balance_is_still_owed(tmp_path: Path) -> None:
    # A CP49 is not a bill (IRC 6402(a) offset), but when the refund did not cover the debt the
    # rest is owed ($2,318.44 above): the report must not leave "not a bill" standing alone.
    # A CP2000 is a proposal (IRC 6212): nothing is owed unless the taxpayer agrees.
    offset = runner.invoke(app, ["analyze", str(FIXTURES / "cp49-remaining.txt"), "--today", "2025-04-20"])
    assert offset.exit_code == 0, offset.output
    assert "not a bill itself, but a balance is still owed" in " ".join(offset.output.split())
    html = tmp_path / "offset.html"
    made = runner.invoke(app, ["analyze", str(FIXTURES / "cp49-remaining.txt"), "--today", "2025-04-20",
                               "--html", str(html)])
    assert made.exit_code == 0, made.output
    assert "No - it is not a bill itself, but a balance is still owed" in html.read_text(encoding="utf-8")
    proposal = runner.invoke(app, ["analyze", str(FIXTURES / "cp2000.txt"), "--today", "2025-09-20"])
    assert proposal.exit_code == 0, proposal.output
    words = " ".join(proposal.output.split())
    assert "; not a bill" in words
    assert "balance is still owed" not in words


def test_cp504_states_its_stage_and_the_computed_rate_cut_off() -> None:
    # IRC 6331(d) notice of intent; IRC 6651(d) 1% from the month starting 2025-10-16.
    report = analyze("cp504.txt", today="2025-09-20")
    assert report["what_this_is"]["stage"] == "intent to levy"
    cut = next(d for d in report["deadlines"] if "1% a month" in d["what"])
    assert (cut["tag"], cut["date"]) == ("computed", "2025-10-15")
    assert not any(d["tag"] == "hard" and "10 days" in d["what"] for d in report["deadlines"])
    assert "collection_appeals" in {r["id"] for r in report["rights_and_routes"]}


def test_lt11_and_cp90_are_notices_of_intent_with_hearing_rights() -> None:
    # IRC 6330(a): 30 days from 2025-09-15 is Wednesday 2025-10-15; equivalent hearing one year
    # from the notice (Treas. Reg. 301.6330-1(i)): 2026-09-15 (a Tuesday).
    for fixture in ("lt11.txt", "cp90.txt"):
        report = analyze(fixture, today="2025-09-20")
        assert "no levy has been made yet" in report["what_this_is"]["meaning"]
        # The stage is said in words, a notice of intent (not the catalog's "final notice cdp").
        assert report["what_this_is"]["stage"] == "final notice of intent to levy, with hearing rights (no levy yet)"
        assert route(report, "cdp_hearing")["deadline_date"] == "2025-10-15"
        assert route(report, "equivalent_hearing")["deadline_date"] == "2026-09-15"
        assert "tax_court_cdp" in {r["id"] for r in report["rights_and_routes"]}
        findings = {f["id"] for f in report["professional"]["findings"]}
        assert "triage.enforcement_started" not in findings  # a notice of intent is not a levy
        assert "has started" not in " ".join(report["if_you_do_nothing"]["risks"])


def test_cp91_follows_the_cdp_notice_cap_and_equivalent_hearing_only() -> None:
    # IRC 6331(h) levy on Social Security after the CDP notice: no new CDP right (IRC 6330(a)
    # gives one per tax period); the Collection Appeals Program and the equivalent hearing remain.
    report = analyze("cp91.txt", today="2025-09-20")
    ids = {r["id"] for r in report["rights_and_routes"]}
    assert "cdp_hearing" not in ids
    assert {"collection_appeals", "equivalent_hearing", "taxpayer_advocate"} <= ids
    assert report["what_this_is"]["stage"] == "notice of intent to levy after the hearing notice (no levy yet)"
    assert "Collection Due Process" not in " ".join(d["what"] for d in report["deadlines"])
    assert report["if_you_do_nothing"]["risks"][1].startswith("high if you receive Social Security benefits")


# --- Items 10, 11, 12: agreements and advice for whom it applies ------------------------------


def test_120000_non_streamlined_without_a_financial_statement_and_the_pay_down() -> None:
    # IRM 5.14.1.4: $50,000-$250,000 without a financial statement; paying down to $50,000
    # opens a streamlined agreement (IRM 5.14.5).
    report = analyze("cp14-120000.txt", today="2026-11-27")
    agreement = option(report, "non_streamlined_agreement")
    assert agreement["eligible"] in ("yes", "maybe")
    assert any("without a financial statement" in r for r in agreement["reasons"])
    assert any("6331(k)" in t for t in agreement["tradeoffs"])


def test_social_security_levy_only_conditionally_and_no_offer_triage_without_finances() -> None:
    # CP91 goes only to benefit recipients; IRC 7122 offers need finances to be considered.
    report = analyze("cp14-8000.txt", today="2027-06-01")
    follow = " ".join(report["if_you_do_nothing"]["notices_that_follow"])
    assert "only if you receive Social Security benefits" in follow
    assert "triage.offer_in_compromise" not in {f["id"] for f in report["professional"]["findings"]}


# --- Item 13: payroll ------------------------------------------------------------------------


def test_payroll_notice_trust_fund_warning_express_agreement_and_ten_business_days() -> None:
    # IRC 6601(e)(3): $120,450.00 is at least $100,000, so 10 business days from 2025-06-09:
    # 06-10, 11, 12, 13, 16, 17, 18, (19 is Juneteenth), 20, 23, 24 -> 2025-06-24.
    report = analyze("cp161-941-large.txt", today="2025-06-12")
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("120450.00", "2025-06-24")
    assert any("10 business days" in d["what"] and d["date"] == "2025-06-24" for d in report["deadlines"])
    assert "triage.trust_fund_taxes" in {f["id"] for f in report["professional"]["findings"]}
    assert report["professional"]["advised"]
    ids = {o["id"] for o in report["options"]["options"]}
    assert {"pay_in_full", "ibtf_express_agreement", "business_agreement"} <= ids
    assert any("6672" in note for note in report["options"]["notes"])
    assert not any("not read" in note for note in report["options"]["notes"])


# --- Item 14: every right and route, with trade-offs ------------------------------------------


def test_every_route_reaches_the_report_with_its_source() -> None:
    report = analyze("lt11.txt", today="2025-09-20")
    for item in report["rights_and_routes"]:
        assert item["source"]
        assert item["deadline"]
    assert any("6330(e)" in t for t in route(report, "cdp_hearing")["tradeoffs"])
    assert "7811" in route(report, "taxpayer_advocate")["when"]


# --- Item 15: an old notice -------------------------------------------------------------------


def test_a_notice_eighteen_months_old_opens_with_where_you_stand() -> None:
    # CP14 of 2026-10-19 read on 2028-04-19: its pay-by date passed; with about 35 days between
    # notices a CP501 most likely came around 2026-11-23 (10-19 + 35 days).
    report = analyze("cp14-8000.txt", today="2028-04-19")
    stand = report["where_you_stand"]
    assert stand is not None
    assert stand["notice_age_days"] == 548
    assert stand["passed"]
    assert any(line.startswith("CP501") and "2026-11-23" in line for line in stand["likely_since"])
    assert any("transcript" in line for line in stand["check_first"])
    assert report["next_steps"][0]["what"].startswith("Check where the account stands")
    assert not any("write today's date" in s["what"].lower() for s in report["next_steps"])
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp14-8000.txt"), "--today", "2028-04-19"])
    assert "Where you stand today" in result.output.split("CP14")[0]


# --- Item 18: letters go to the correspondence address ---------------------------------------


def test_the_reply_address_is_the_correspondence_address_not_the_lockbox() -> None:
    result = runner.invoke(app, ["read", str(FIXTURES / "cp14-match.txt"), "--json"])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.stdout)["reply_address"]["value"]
    assert reply == "INTERNAL REVENUE SERVICE, KANSAS CITY, MO 64999"  # not the Louisville payment box


# --- Item 19: what stays secondary is listed on the terminal ----------------------------------


def test_rules_check_lists_weak_sources_on_the_terminal() -> None:
    result = runner.invoke(app, ["rules", "check", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    assert "plans.non_streamlined.no_financial_statement_max_balance" in result.output
    assert "postponement helene-2024 [secondary]" in result.output
    # Each weak figure is one line that names its level, so a reader sees what stays secondary.
    listed = [line for line in result.output.splitlines() if line.startswith("  - ")]
    assert listed
    assert all(line.endswith(("[mirror]", "[secondary]", "[unverified]")) for line in listed)


def test_the_streamlined_reason_says_which_figure_it_starts_from() -> None:
    # IRM 5.14.5.2: a streamlined agreement for an assessed balance up to $50,000.  The reason
    # quotes the same figure as the report's first line and where it comes from: inside the
    # 21-day window (IRC 6601(e)(3); 2026-10-19 + 21 days = Monday 2026-11-09) the $45,000.00
    # printed; after it, today's balance = the printed amount plus what accrued since.
    inside = analyze("cp14-45000.txt", today="2026-10-25")
    reason = option(inside, "streamlined_agreement")["reasons"][0]
    assert reason.startswith("balance $45,000.00 (the amount printed on 2026-10-19, the figure to pay until 2026-11-09)")
    later = analyze("cp14-45000.txt", today="2026-12-01")
    reason = option(later, "streamlined_agreement")["reasons"][0]
    today_amount = later["pay_in_full_today"]["amount"]["amount"]
    added = Decimal(today_amount) - Decimal("45000.00")
    assert added > 0
    assert reason.startswith(f"balance today ${Decimal(today_amount):,} (the $45,000.00 printed on 2026-10-19 plus ${added:,}")

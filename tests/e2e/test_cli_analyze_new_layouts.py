"""`balancedue analyze` on notices laid out and dated unlike the bundled samples.

Every notice here is fictional and written inline.  The figures each test expects are worked
out by hand in its comments, from the statute and the rules it names, not by the tool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analyze_harness import analyze_json, option, runner

from balancedue.cli import app


def analyze(tmp_path: Path, text: str, *extra: str, today: str, name: str = "notice.txt") -> dict[str, Any]:
    notice = tmp_path / name
    notice.write_text(text, encoding="utf-8")
    return analyze_json(notice, "--no-input", *extra, today=today)


CP14_TY2019 = """\
Department of the Treasury
Internal Revenue Service
Fresno, CA 93888-0025

Notice CP14
Tax year: 2019
Notice date: August 17, 2020
Social Security number: XXX-XX-3306
To contact us: Phone 800-829-0922

You have unpaid taxes for 2019
Amount due by September 7, 2020: $2,025.42
Billing Summary
Tax you owed $5,000.00
Payments and credits -$3,000.00
Failure-to-pay penalty $20.00
Interest charges $5.42
Amount due by September 7, 2020 $2,025.42
"""


def test_a_2019_notice_analyzed_in_2020_is_not_refused_for_a_plan_figure_from_later(tmp_path: Path) -> None:
    # Tax year 2019, due 2020-07-15 (IRC 7508A, Notice 2020-23), filed 2020-07-10: no failure to
    # file.  Tax $5,000.00 - withholding $3,000.00 = $2,000.00 unpaid from 2020-07-15.
    # Failure to pay (IRC 6651(a)(2)): months beginning 2020-07-16 and 2020-08-16 by the notice
    # date: 2 x 0.5% x $2,000.00 = $20.00.  Interest at 3% (2020Q3), 33 days in a leap year:
    # $2,000.00 x ((1 + 0.03/366)^33 - 1) = $2,000.00 x 0.0027085 = $5.42.  Total $2,025.42.
    # 21 days after 2020-08-17 is Monday 2020-09-07, Labor Day: IRC 7503 moves it to 2020-09-08.
    # The short-term plan's terms of that time are not in the rules data (it starts 2020-11-02):
    # that option says so instead of the whole report being refused.
    records = tmp_path / "records.json"
    records.write_text(json.dumps({
        "tax_year": 2019, "tax_on_return": "5000.00", "return_filed": "2020-07-10",
        "withholding": [{"source": "W-2 Larkspur Mills", "amount": "3000.00"}],
    }), encoding="utf-8")
    report = analyze(tmp_path, CP14_TY2019, "--records", str(records), today="2020-08-25")
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("2025.42", "2020-09-08")
    penalties = next(c for c in report["verification"]["comparisons"] if c["item"] == "penalties")
    assert penalties["recomputed"]["amount"] == "20.00"
    short_term = option(report, "short_term_plan")
    assert short_term["eligible"] == "maybe"
    assert any("not in the rules data" in r for r in short_term["reasons"])
    assert option(report, "pay_in_full")["eligible"] == "yes"


CP14_120000 = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2025
Notice date November 9, 2026
Social Security number XXX-XX-7208
To contact us Phone 800-829-0922

Amount due by November 30, 2026: $120,000.00
Tax you owed $114,500.00
Failure-to-pay penalty $2,862.50
Interest charges $2,637.50
"""


def test_a_120000_balance_is_told_to_pay_down_to_the_streamlined_limit_in_every_format(tmp_path: Path) -> None:
    # IRM 5.14.5.2: a streamlined agreement for an assessed balance up to $50,000; between $50,000
    # and $250,000 a non-streamlined agreement without a financial statement (IRM 5.14.1.4).
    # Paying the excess first opens the streamlined agreement: at least $120,000.00 - $50,000.00
    # = $70,000.00 (the balance on 2026-12-03 is the printed amount plus what accrued since).
    report = analyze(tmp_path, CP14_120000, today="2026-12-03")
    agreement = option(report, "non_streamlined_agreement")
    pay_down = [n for n in agreement["notes"] if "brings the balance down to $50,000.00" in n]
    assert pay_down, agreement["notes"]
    amount = pay_down[0].split("Paying $", 1)[1].split(" ", 1)[0].replace(",", "")
    assert float(amount) >= 70000.00
    notice = tmp_path / "notice.txt"
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", str(notice), "--no-input", "--today", "2026-12-03", "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "brings the balance down to $50,000.00" in " ".join(result.output.split())
    assert "brings the balance down to $50,000.00" in html.read_text(encoding="utf-8")


CP14_PAY_THIS_AMOUNT = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2024
Notice date January 26, 2026
Social Security number XXX-XX-4453
To contact us Phone 800-829-0922

Pay this amount: $1,744.90
Amount due by February 16, 2026
Tax you owed $1,650.00
Failure-to-pay penalty $74.25
Interest charges $20.65
"""


def test_the_printed_pay_this_amount_is_the_figure_to_pay_and_a_holiday_moves_its_date(tmp_path: Path) -> None:
    # IRC 6601(e)(3): 21 days after Monday 2026-01-26 is Monday 2026-02-16, Washington's
    # Birthday (5 U.S.C. 6103), so IRC 7503 moves the last day to Tuesday 2026-02-17.  Without
    # records the printed $1,744.90 is the amount ($1,650.00 + $74.25 + $20.65), not a
    # recomputation.
    report = analyze(tmp_path, CP14_PAY_THIS_AMOUNT, today="2026-02-02")
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("1744.90", "2026-02-17")


CP14_TY2020 = """\
Department of the Treasury
Internal Revenue Service
Ogden, UT 84201-0030

Notice   CP14
Tax year   2020
Notice date   June 14, 2021
Social Security number   XXX-XX-9914
To contact us   Phone 800-829-0922

Amount due by July 5, 2021: $2,518.26
Our records show you have unpaid taxes on your Form 1040 for 2020.
Tax you owed   $8,000.00
Payments and credits   -$5,500.00
Failure-to-pay penalty   $12.50
Interest charges   $5.76
Pay this amount   $2,518.26
"""


def _records_2020(tmp_path: Path) -> str:
    records = tmp_path / "records.json"
    records.write_text(json.dumps({
        "tax_year": 2020, "tax_on_return": "8000.00", "return_filed": "2021-05-14",
        "withholding": [{"source": "W-2 Oriel Freight", "amount": "5500.00"}],
    }), encoding="utf-8")
    return str(records)


def test_a_2020_return_filed_by_may_17_2021_and_the_failure_to_pay_month_that_paying_sooner_avoids(
        tmp_path: Path) -> None:
    # Tax year 2020 due 2021-05-17 (IRC 7508A, Notice 2021-21), filed 2021-05-14: no failure to
    # file.  $8,000.00 - $5,500.00 = $2,500.00 unpaid.  Failure-to-pay months run from the day
    # after the due date (Treas. Reg. 301.6651-1): 05-18 to 06-17, then from 06-18.  By the notice
    # date one month: 0.5% x $2,500.00 = $12.50.  Interest at 3% (2021Q2) for 28 days:
    # $2,500.00 x ((1 + 0.03/365)^28 - 1) = $5.76.  Total $2,518.26.  21 days after 2021-06-14 is
    # Monday 2021-07-05, the observed Independence Day (5 U.S.C. 6103): IRC 7503 gives 2021-07-06.
    # IRC 6601(e)(3) forgives the interest only: paid after 06-17 the amount billed leaves a
    # second month's 0.5% x $2,500.00 = $12.50.
    report = analyze(tmp_path, CP14_TY2020, "--records", _records_2020(tmp_path), today="2021-06-15")
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("2518.26", "2021-07-06")
    penalties = next(c for c in report["verification"]["comparisons"] if c["item"] == "penalties")
    assert penalties["recomputed"]["amount"] == "12.50"
    assert any("$12.50" in n and "Paying by 2021-06-17 avoids it" in n for n in pay["notes"])


def test_once_the_next_month_has_begun_paying_sooner_is_not_offered_as_a_way_out(tmp_path: Path) -> None:
    # On 2021-06-20 the month that began 2021-06-18 has started: paying today still leaves its
    # 0.5% x $2,500.00 = $12.50 (IRC 6651(a)(2)); nothing sooner can avoid it.
    report = analyze(tmp_path, CP14_TY2020, "--records", _records_2020(tmp_path), today="2021-06-20")
    notes = " ".join(report["pay_in_full_today"]["notes"])
    assert "Paid today" in notes
    assert "$12.50" in notes
    assert "sooner" not in notes
    assert "avoids it" not in notes


CP14_WITHOUT_AMOUNT = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2024
Notice date September 8, 2025
Social Security number XXX-XX-1234
To contact us Phone 800-829-0922

You have unpaid taxes for 2024. Please pay the balance shown on the enclosed statement.
"""


def test_a_bill_without_a_readable_amount_says_so_first_and_names_the_flag(tmp_path: Path) -> None:
    # The code, date and year are printed; no amount is.  The report cannot state a figure to
    # pay: its first line says the figure is not known, which field is missing and how to give it.
    notice = tmp_path / "notice.txt"
    notice.write_text(CP14_WITHOUT_AMOUNT, encoding="utf-8")
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["analyze", str(notice), "--no-input", "--today", "2025-09-20", "--html", str(html)])
    assert result.exit_code == 0, result.output
    first_lines = " ".join(result.output.split("CP14")[0].split())
    assert first_lines.startswith("To pay in full today: not known")
    assert "--set amount_due=" in first_lines
    assert "--set amount_due=" in html.read_text(encoding="utf-8").split("<h2")[0]
    report = analyze(tmp_path, CP14_WITHOUT_AMOUNT, today="2025-09-20")
    assert report["pay_in_full_today"] is None
    assert any("amount due was not read" in n for n in report["options"]["notes"])


CP161_FORM_941_HEADING = """\
Department of the Treasury
Internal Revenue Service
Cincinnati, OH 45999-0039

Notice CP161
Tax period March 31, 2026
Notice date June 15, 2026
Employer ID number XX-XXX2090
To contact us Phone 800-829-0115

You have unpaid taxes for March 31, 2026
Amount due: $131,640.00
Form 941
Tax you owed $125,000.00
Failure-to-deposit penalty $5,000.00
Failure-to-pay penalty $625.00
Interest charges $1,015.00
Amount due by June 26, 2026 $131,640.00
"""


def test_a_form_941_named_only_as_a_summary_heading_is_a_payroll_notice(tmp_path: Path) -> None:
    # "Form 941" alone on a line heads the billing summary: an employment-tax notice, so the
    # trust fund recovery penalty (IRC 6672) is named and a professional is advised.  $131,640.00
    # is $100,000 or more: IRC 6601(e)(3) gives 10 business days from Monday 2026-06-15:
    # 06-16, 17, 18, (19 is Juneteenth, 5 U.S.C. 6103), 22, 23, 24, 25, 26, 29, 30 -> 2026-06-30.
    report = analyze(tmp_path, CP161_FORM_941_HEADING, today="2026-06-17")
    fields = {f["name"]: f for f in report["notice"]["fields"]}
    assert fields["tax_form"]["value"] == "941"
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("131640.00", "2026-06-30")
    assert "triage.trust_fund_taxes" in {f["id"] for f in report["professional"]["findings"]}
    assert any("6672" in note for note in report["options"]["notes"])


LETTER_1058_TWO_YEARS = """\
Internal Revenue Service                                Department of the Treasury
Small Business/Self-Employed                            Letter 1058
1100 Commerce Street, MC 5026 DAL                       Letter date: November 10, 2025
Dallas, TX 75242                                        Taxpayer identification number: XXX-XX-6043

Final Notice
Notice of Intent to Levy and Notice of Your Right to a Hearing

Type of tax   Tax period   Assessed balance   Statutory additions   Total
1040          12/31/2021   $18,400.00         $4,210.77             $22,610.77
1040          12/31/2022   $ 9,950.00         $1,803.12             $11,753.12
Total Amount Due                                                    $34,363.89

We intend to levy unless you pay in full or request a hearing by December 10, 2025.
"""


def test_a_letter_for_two_years_states_its_total_as_the_figure_to_pay(tmp_path: Path) -> None:
    # $22,610.77 + $11,753.12 = $34,363.89 for 2021 and 2022.  Without one tax year the account is
    # not rebuilt, but the printed total is the figure to pay: 21 days after Monday 2025-11-10 is
    # Monday 2025-12-01 (IRC 6601(e)(3)).  The report does not ask for "the" tax year as if one
    # were missing: it says the letter covers two periods.
    report = analyze(tmp_path, LETTER_1058_TWO_YEARS, today="2025-11-14")
    periods = report["notice"]["tax_periods"]
    assert len(periods) == 2
    assert "tax year 2021" in periods[0]
    assert "$22,610.77" in periods[0]
    assert "tax year 2022" in periods[1]
    assert "$11,753.12" in periods[1]
    pay = report["pay_in_full_today"]
    assert (pay["amount"]["amount"], pay["holds_until"]) == ("34363.89", "2025-12-01")
    notes = " ".join(report["options"]["notes"])
    assert "covers 2 tax periods" in notes
    assert "The tax year was not read" not in notes


CP91_TEXT = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999-0149

Notice CP91
Tax year 2022
Notice date 10/06/2025
Social Security number XXX-XX-8402
To contact us Phone 800-829-7650

Final notice before levy on Social Security benefits
Amount due: $2,994.70
Tax you owed $2,400.00
Failure-to-pay penalty $288.00
Interest charges $306.70
"""


def test_cp91_routes_cite_its_own_notice_and_no_new_cdp_right(tmp_path: Path) -> None:
    # CP91 follows the IRC 6330 notice (LT11, Letter 1058 or CP90): the Collection Appeals
    # Program and the equivalent hearing (Treas. Reg. 301.6330-1(i)) remain, no new CDP hearing.
    # The route to dispute the balance cites the CP91's own IRS page, not another notice's.
    report = analyze(tmp_path, CP91_TEXT, today="2025-10-10")
    routes = {r["id"]: r for r in report["rights_and_routes"]}
    assert "cdp_hearing" not in routes
    assert {"collection_appeals", "equivalent_hearing", "taxpayer_advocate"} <= set(routes)
    assert "CP91" in routes["call_or_write"]["source"]
    assert "CP14" not in routes["call_or_write"]["source"]


CP14_OLD = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2023
Notice date June 9, 2025
Social Security number XXX-XX-2640
To contact us Phone 800-829-0922

Amount due by June 30, 2025: $5,391.12
Tax you owed $5,200.00
Failure-to-pay penalty $26.00
Interest charges $165.12
"""


def test_a_notice_eighteen_months_old_shows_passed_dates_as_passed_in_every_format(tmp_path: Path) -> None:
    # Notice 2025-06-09 read on 2026-12-09: 548 days (365 to 2026-06-09, then 183 to 12-09).
    # Its pay-by date 2025-06-30 passed 527 days before (365 + 162).  The report opens with where
    # the account stands; no table shows "-527", and no format says to write today's date on it.
    notice = tmp_path / "notice.txt"
    notice.write_text(CP14_OLD, encoding="utf-8")
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    result = runner.invoke(app, ["analyze", str(notice), "--no-input", "--today", "2026-12-09",
                                 "--html", str(html), "--pdf", str(pdf)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Where you stand today (the notice is 548 days old)" in text
    assert "passed 527 days ago" in text
    assert "-527" not in text
    page = html.read_text(encoding="utf-8")
    assert "passed 527 days ago" in page
    assert "write today's date" not in page.lower()
    report = analyze(tmp_path, CP14_OLD, today="2026-12-09")
    assert report["where_you_stand"]["notice_age_days"] == 548
    pay = report["pay_in_full_today"]
    assert pay["holds_until"] == "2026-12-09"
    assert float(pay["amount"]["amount"]) > 5391.12  # the printed amount plus 18 months of accruals


CP2000_TEXT = """\
Department of the Treasury
Internal Revenue Service
Atlanta, GA 39901-0010

Notice CP2000
Tax year 2023
Notice date May 12, 2025
Social Security number XXX-XX-3158
To contact us Phone 800-829-3009

Changes to your 2023 Form 1040
Proposed amount due: $1,947.00
Proposed changes
Increase in tax $1,520.00
Accuracy-related penalty (IRC 6662) $304.00
Interest $123.00
Amount due $1,947.00
Respond by June 11, 2025.
"""


def test_a_proposed_increase_draws_no_failure_to_pay_before_its_notice_and_demand(tmp_path: Path) -> None:
    # The CP2000's $1,520.00 is tax not shown on the return: IRC 6651(a)(3) charges failure to pay
    # only from 21 days after a notice and demand for it, never from the return's due date as
    # 6651(a)(2) does for tax shown.  On 2025-05-16 the proposed $1,947.00 plus 4 days of interest
    # at 7% (2025Q2, IRC 6621): $1,947.00 x ((1 + 0.07/365)^4 - 1) = $1.49 -> $1,948.49.  (Read as
    # tax shown, a failure-to-pay month beginning 2025-05-16 would add 0.5% x $1,520.00 = $7.60.)
    # The $304.00 is 20% of $1,520.00 (IRC 6662(a)), which section 3 names as an explanation.
    report = analyze(tmp_path, CP2000_TEXT, today="2025-05-16")
    pay = report["pay_in_full_today"]
    assert pay["amount"]["amount"] == "1948.49"
    assert pay["basis"].startswith("not a bill: only if you agree")
    penalties = next(c for c in report["verification"]["comparisons"] if c["item"] == "penalties")
    assert any("6662" in reason for reason in penalties["likely_reasons"])


def test_after_its_window_a_printed_total_that_cannot_be_recomputed_is_a_floor(tmp_path: Path) -> None:
    # On 2025-12-14 the letter of 2025-11-10 is past its 21 days (2025-12-01): interest (IRC 6601)
    # and the failure-to-pay penalty have run since, and without a tax year they are not
    # recomputed.  $34,363.89 is then the least the balance can be, never "holds today".
    notice = tmp_path / "notice.txt"
    notice.write_text(LETTER_1058_TWO_YEARS, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(notice), "--no-input", "--today", "2025-12-14"])
    assert result.exit_code == 0, result.output
    first = " ".join(result.output.split("LTR1058")[0].split())
    assert first.startswith("To pay in full today: $34,363.89 (at least this much")
    assert "holds today only" not in first

"""`balancedue analyze` on notices laid out and dated unlike the bundled samples.

Every notice here is fictional and written inline.  The figures each test expects are worked
out by hand in its comments, from the statute and the rules it names, not by the tool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from balancedue.advice.report import Report
from balancedue.cli import app

runner = CliRunner()


def analyze(tmp_path: Path, text: str, *extra: str, today: str, name: str = "notice.txt") -> dict[str, Any]:
    notice = tmp_path / name
    notice.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(notice), "--json", "--no-input", "--today", today, *extra])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    Report.model_validate(data)
    return data


def option(report: dict[str, Any], option_id: str) -> dict[str, Any]:
    return next(o for o in report["options"]["options"] if o["id"] == option_id)


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

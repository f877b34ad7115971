"""A statement's explanation: written out on first read, once, and the same in any order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from balancedue.engine import LineKind, compute, parse_scenario
from balancedue.engine.statement import Explanation, Line
from balancedue.rules import load_rules

RULES = load_rules()
LATE = parse_scenario({"form": "1040", "tax_year": 2024, "events": [
    {"date": "2025-06-20", "type": "return_filed", "tax": "10000.00"},
]})
AS_OF = date(2025, 6, 20)


def test_reasons_read_first_are_those_of_the_lines() -> None:
    # Due 2025-04-15, filed 2025-06-20: months from 04-16, 05-16, 06-16 -> 3.  Failure to file
    # 10,000 x 5% x 3 = 1,500.00, less the failure to pay of the same 3 months (10,000 x 0.5% =
    # 50.00 each, 150.00) = 1,350.00; 66 days late, but the minimum is below that.
    reasons_first = compute(LATE, AS_OF, rules=RULES)
    why = dict(reasons_first.why)
    assert why["failure_to_file"] == (
        "Return due 2025-04-15 was filed 2025-06-20: 3 month(s) or part-months late. 5% a month for 3 month(s) "
        "of the $10,000.00 not paid by the due date = $1,500.00, less the failure-to-pay charged for the same "
        "months $150.00; failure to file = $1,350.00 (IRC 6651(a)(1), (b)(1), (c)(1))."
    )
    lines_first = compute(LATE, AS_OF, rules=RULES)
    kinds = [line.kind for line in lines_first.lines]
    assert kinds.count(LineKind.FAILURE_TO_FILE) == 1
    assert [line.amount for line in lines_first.lines if line.kind is LineKind.FAILURE_TO_FILE_REDUCTION] == [
        Decimal("-150.00")
    ]
    assert lines_first.why == why
    assert reasons_first.lines == lines_first.lines
    assert reasons_first == lines_first


def test_an_explanation_is_written_once() -> None:
    calls: list[int] = []
    line = Line(LineKind.TAX, None, None, Decimal("1.00"), "rule", "source")

    def build() -> tuple[tuple[Line, ...], dict[str, str]]:
        calls.append(1)
        return (line,), {"interest": "reason"}

    explanation = Explanation(build)
    assert (explanation.why, explanation.lines, explanation.lines) == ({"interest": "reason"}, (line,), (line,))
    assert calls == [1]
    assert explanation == Explanation.of((line,), {"interest": "reason"})
    assert explanation != Explanation.of()

"""Make examples/sample-cp14.pdf: a fictional CP14 with hand-worked figures (see
tests/fixtures/analyze/README.md, "cp14-match").  Run from the repository root with the dev
dependencies installed: `python examples/make_sample_notice.py`."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

from notices.render import render_pdf  # noqa: E402
from notices.spec import Period, make_spec  # noqa: E402


def main() -> None:
    spec = make_spec(random.Random(2025), "sample-cp14", "CP14", "Balance due, no math error", "first_bill", True, "Individuals")
    spec = replace(
        spec,
        key="sample-cp14",
        taxpayer=("JORDAN QUILLFEATHER", "1208 ELDERBERRY LANE", "SPRINGFIELD IL 62704"),
        notice_date=date(2025, 6, 2),
        periods=[Period("1040", date(2024, 12, 31), Decimal("4076.99"))],
        tax_year_printed=True,
        tax=Decimal("10000.00"),
        payments=Decimal("6000.00"),
        penalty_lines=[("Late payment penalty", Decimal("40.00"))],
        interest=Decimal("36.99"),
        amount_due=Decimal("4076.99"),
        pay_by=date(2025, 6, 23),
        last4="4821",
        taxpayer_id_printed="XXX-XX-4821",
        phone="800-829-0922",
        notice_id="CP14-20250602-00417",
    )
    out = ROOT / "examples" / "sample-cp14.pdf"
    out.write_bytes(render_pdf(spec))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()

"""Letters go to the correspondence address printed on the notice, not the payment lockbox.

IRM 21.3.3 and the notices themselves: the tear-off payment coupon carries the address of the
lockbox bank that processes checks ("Make your check payable to ... Amount you owe ... Internal
Revenue Service, P.O. Box ..."); replies, disputes and documents go to the address the notice gives
for correspondence (the issuing center under the letterhead, or a block introduced as the address
to write to).  Every layout below is fictional and typed for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from balancedue.intake import read_text
from balancedue.rules import load_rules

RULES = load_rules()
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_notices"

# A coupon printed on its own lines: payment wording above the unlabelled lockbox address.
COUPON_BELOW_PAYMENT_WORDING = """\
Department of the Treasury
Internal Revenue Service
Ogden, UT 84201-0030
Notice CP14
Notice date March 3, 2025
Amount due by March 24, 2025: $512.40
Our records show you owe tax on your Form 1040 for 2023.

Detach and return this part with your payment.
Make your check or money order payable to the United States Treasury.
Amount you owe $512.40
Internal Revenue Service
P.O. Box 931000
Louisville, KY 40293-1000
"""

# The two window-envelope addresses side by side, nothing else around them.
COUPON_BESIDE_TAXPAYER = """\
Department of the Treasury                     Notice      CP501
Internal Revenue Service                       Notice date May 5, 2025
Fresno, CA 93888-0010                          Amount due  $2,204.17
Our records show you still owe tax for 2022.
This is a reminder of the balance on your account.
The balance grows each month until it is paid.
We may file a notice of federal tax lien if you do not pay.
You can set up a payment plan online.
If you already paid, disregard this notice.
Thank you for your prompt attention.
Please keep this notice for your records.
NOLAN BRIGHTWATER                              INTERNAL REVENUE SERVICE
44 ASPEN COURT                                 PO BOX 802501
MILLBROOK VT 05999                             CINCINNATI OH 45280-2501
"""

# A correspondence block introduced as the place to write, plus a coupon with the scan line.
WRITE_TO_US_AND_COUPON = """\
Department of the Treasury
Internal Revenue Service
Austin, TX 73301-0025
Letter 1058
Letter date June 2, 2025
If you disagree, write to us at:
Internal Revenue Service
Stop 5050
Austin, TX 73301-0025
Please include a copy of this letter.

1234 5678901 2345678901 2345678 9012
Internal Revenue Service
PO Box 145566
Cincinnati OH 45250-5566
Amount enclosed $________
"""

# Only the coupon prints an IRS address (no letterhead city): it is all the notice gives.
COUPON_ONLY = """\
Department of the Treasury
Internal Revenue Service
Notice CP14
Notice date March 3, 2025
Amount due by March 24, 2025: $80.00
Make your check or money order payable to the United States Treasury.
Internal Revenue Service
PO Box 931000
Louisville KY 40293-1000
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (COUPON_BELOW_PAYMENT_WORDING, "INTERNAL REVENUE SERVICE, OGDEN, UT 84201-0030"),
        (COUPON_BESIDE_TAXPAYER, "INTERNAL REVENUE SERVICE, FRESNO, CA 93888-0010"),
        (WRITE_TO_US_AND_COUPON, "INTERNAL REVENUE SERVICE, STOP 5050, AUSTIN, TX 73301-0025"),
    ],
    ids=["coupon-below-payment-wording", "coupon-beside-taxpayer", "write-to-us"],
)
def test_unlabelled_coupon_address_is_not_the_reply_address(text: str, expected: str) -> None:
    notice = read_text(text, rules=RULES)
    assert notice.fields["reply_address"].value == expected


def test_the_coupon_address_is_used_only_when_nothing_else_is_printed() -> None:
    notice = read_text(COUPON_ONLY, rules=RULES)
    assert notice.fields["reply_address"].value == "INTERNAL REVENUE SERVICE, PO BOX 931000, LOUISVILLE KY 40293-1000"


# The real IRS samples (tests/fixtures/real_notices, see PROVENANCE.md): the address under the
# letterhead, never the one in the payment stub (CP161's stub: Cincinnati 45999-0150; CP71C's
# stub: Ogden 84201-0114).  CP13 is a blank template with no city under its IRS lines.
REAL_REPLY = {
    "cp05_plainly-irs-sample-2019-textlayer.txt": "INTERNAL REVENUE SERVICE, 4800 BUFORD HWY, STOP 46B – ATSC, CHAMBLEE, GA 30341",
    "cp13_plainly-irs-sample-2011-textlayer-blank-template.txt": None,
    "cp161_plainly-irs-sample-2018-textlayer.txt": "INTERNAL REVENUE SERVICE, PO BOX 249, CINCINNATI, OH 45999-0039",
    "cp21a_plainly-irs-sample-2019-textlayer.txt": "INTERNAL REVENUE SERVICE, KANSAS CITY, MO 64999-0010",
    "cp49_plainly-irs-sample-2017-textlayer.txt": "INTERNAL REVENUE SERVICE, STOP 6525 (SP CIS), KANSAS CITY, MO 64999-0025",
    "cp71c_plainly-irs-sample-2019-textlayer.txt": "INTERNAL REVENUE SERVICE, P.O. BOX 9010, HOLTSVILLE, NY 11742-9019",
    "cp75_plainly-irs-sample-2019-textlayer.txt": "INTERNAL REVENUE SERVICE, EXAMINATION OPERATIONS STOP 22B, PO BOX 47-421, DORAVILLE, GA 30362-0421",
}


@pytest.mark.parametrize("name", sorted(REAL_REPLY))
def test_real_samples_reply_to_the_correspondence_address(name: str) -> None:
    notice = read_text((REAL / name).read_text(encoding="utf-8"), rules=RULES)
    assert notice.fields["reply_address"].value == REAL_REPLY[name]

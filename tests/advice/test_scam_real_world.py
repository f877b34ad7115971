"""Shapes of real scam messages and genuine notices that the message collection lacked.

The texts are written for the test (fictional names, amounts and sites) in the shapes seen in
published real messages: a payment lure that never says "refund" ("a deposit is waiting, accept
this payment"), a stimulus-credit lure, and a genuine notice whose text layer broke its irs.gov
link at a line end.
"""

from __future__ import annotations

from datetime import date

import pytest

from balancedue.advice.scam import check_message
from balancedue.rules import RuleSet, load_rules
from balancedue.rules.scam_signals import Channel, InputKind, Verdict

AS_OF = date(2026, 1, 15)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


@pytest.mark.parametrize(
    "text",
    [
        "A direct deposit of $850 from the TREASURY RELIEF FUND is waiting. "
        "Further action is required to accept this payment into your account. Continue here.",
        "You may be eligible for an additional $900 stimulus credit. Claim before the deadline: tap here.",
        "Your stimulus check of $1,100 is ready. Accept the payment today at relief-deposit.example.top",
    ],
)
def test_a_payment_lure_by_text_is_flagged(rules: RuleSet, text: str) -> None:
    verdict = check_message(text, rules, channel=Channel.TEXT, as_of=AS_OF)
    assert "credential.refund_bait" in {s.id for s in verdict.signals}
    assert verdict.verdict in (Verdict.LIKELY_SCAM, Verdict.SUSPICIOUS)


GENUINE = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999
Notice CP14
Tax year 2024
Notice date June 9, 2025
To contact us Phone 800-829-1040
Amount due by June 30, 2025 $1,204.50
Make your check or money order payable to the United States Treasury.
Pay online or mail a check or money order with the attached payment
stub. You can pay online now at www.ir
s.gov/payments.
"""


def test_a_link_broken_at_a_line_end_in_a_genuine_notice_is_the_official_site(rules: RuleSet) -> None:
    verdict = check_message(GENUINE, rules, kind=InputKind.LETTER, channel=Channel.LETTER, as_of=AS_OF)
    fired = {s.id: s for s in verdict.signals}
    assert "link.unofficial" not in fired
    assert "link.official" in fired
    assert "irs.gov/payments" in fired["link.official"].snippet
    assert verdict.verdict is Verdict.CONSISTENT


def test_a_fragment_is_not_joined_into_an_official_site_it_is_not(rules: RuleSet) -> None:
    # The next word ends in .gov only inside a longer, other site: the joined link is not irs.gov.
    text = "IRS: your refund is on hold. Verify at www.irs-refund\ns.gov.refund-claim.top/now"
    verdict = check_message(text, rules, channel=Channel.TEXT, as_of=AS_OF)
    ids = {s.id for s in verdict.signals}
    assert "link.official" not in ids
    assert verdict.verdict is Verdict.LIKELY_SCAM


def test_a_path_link_is_not_joined_with_the_next_word(rules: RuleSet) -> None:
    # "www.example-pay.com/irs" already has its path: the following word is a word, not a tail.
    text = "IRS: settle now at www.example-pay.com/irs s.gov is not needed"
    verdict = check_message(text, rules, channel=Channel.TEXT, as_of=AS_OF)
    assert "link.official" not in {s.id for s in verdict.signals}


@pytest.mark.parametrize(
    "text",
    [
        "IRS: Your account has now been put on hold. Unusual Activity Report. Solutions: [link]",
        "IRS notice: your return is under review. Restore access at <URL removed>",
    ],
)
def test_a_published_copy_with_its_link_redacted_still_asks_for_a_click(rules: RuleSet, text: str) -> None:
    # Warnings and news stories print scam texts with the link taken out; the ask is still there.
    verdict = check_message(text, rules, channel=Channel.TEXT, as_of=AS_OF)
    assert "channel.electronic_demand" in {s.id for s in verdict.signals}
    assert verdict.verdict is Verdict.LIKELY_SCAM


def test_a_bracketed_word_that_is_not_a_link_is_not_a_click(rules: RuleSet) -> None:
    verdict = check_message("IRS: a message about your taxes [linked accounts]", rules, channel=Channel.TEXT, as_of=AS_OF)
    assert "channel.electronic_demand" not in {s.id for s in verdict.signals}

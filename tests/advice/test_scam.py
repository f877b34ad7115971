"""The scam check: the message collections, each signal, numbers, links, limits.

The verdicts on the tuning split, the held-out test split and the real messages are measured
in ``test_scam_evidence.py``; here every message only has to respect the two hard rules.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scam_corpus import Message, load_real, load_split

from balancedue.advice.scam import (
    ScamVerdict,
    check_message,
    check_phone,
    check_url,
    infer_channel,
)
from balancedue.errors import InputError
from balancedue.rules import RuleSet, load_rules
from balancedue.rules.scam_signals import Channel, InputKind, Verdict

TUNING = load_split("tuning")
HELD_OUT = load_split("test")
MESSAGES = TUNING + HELD_OUT
REAL = load_real()


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


# -- the test set --------------------------------------------------------------------------------


def test_the_collection_is_large_and_varied() -> None:
    assert len(MESSAGES) >= 90
    assert len({m.id for m in MESSAGES + REAL}) == len(MESSAGES) + len(REAL)
    truths = Counter(m.truth for m in MESSAGES)
    assert set(truths) == {"genuine", "scam"}
    assert truths["genuine"] >= 30
    assert truths["scam"] >= 50
    kinds = Counter((m.truth, m.channel.kind) for m in MESSAGES)
    for truth in ("genuine", "scam"):
        for kind in (InputKind.LETTER, InputKind.MESSAGE, InputKind.CALL):
            assert kinds[(truth, kind)] >= 1, (truth, kind)
    for m in MESSAGES:
        assert m.id.startswith(f"{m.truth}-"), m.id
        # the expected verdict must itself respect the two hard rules of the issue
        assert not (m.truth == "scam" and m.expected is Verdict.CONSISTENT), m.id
        assert not (m.truth == "genuine" and m.expected is Verdict.LIKELY_SCAM), m.id
    assert len(REAL) == 19
    assert all(m.source and m.source.startswith("http") for m in REAL)


@pytest.mark.parametrize("message", MESSAGES + REAL, ids=[m.id for m in MESSAGES + REAL])
def test_hard_rules_hold_for_every_message(rules: RuleSet, message: Message) -> None:
    """No scam judged consistent; no genuine message judged likely scam (with its channel)."""
    verdict = check_message(message.text, rules, channel=message.channel, as_of=date(2025, 6, 1))
    if message.truth == "scam":
        assert verdict.verdict is not Verdict.CONSISTENT, _explain(verdict)
    else:
        assert verdict.verdict is not Verdict.LIKELY_SCAM, _explain(verdict)


def _explain(verdict: ScamVerdict) -> str:
    return f"{verdict.verdict.value} {verdict.score}: " + ", ".join(
        f"{s.id} {s.weight}" for s in verdict.signals
    )


# -- each signal ---------------------------------------------------------------------------------

# (signal id, kind, a text that must fire it).  Every shown text signal needs an example here.
FIRES: list[tuple[str, InputKind, str]] = [
    ("payment.gift_card", InputKind.CALL, "He told me to buy iTunes cards and read him the codes."),
    ("payment.prepaid_debit", InputKind.CALL, "Pay the IRS with a Green Dot card today."),
    ("payment.crypto", InputKind.MESSAGE, "IRS: settle your balance in Bitcoin now."),
    ("payment.money_transfer", InputKind.CALL, "Send the tax payment by MoneyGram to our agent."),
    ("payment.wire", InputKind.LETTER, "Wire the balance to the account below."),
    ("payment.apps", InputKind.MESSAGE, "IRS balance due: pay with Venmo to settle."),
    (
        "payment.payee_not_treasury",
        InputKind.LETTER,
        "Make your check payable to Federal Tax Services LLC.",
    ),
    ("threat.arrest", InputKind.CALL, "The IRS will have you arrested tonight."),
    ("threat.legal_action", InputKind.CALL, "You are being sued by the IRS."),
    ("threat.deportation", InputKind.CALL, "Pay or you will be deported."),
    ("threat.license", InputKind.MESSAGE, "Your drivers license will be revoked."),
    ("threat.passport", InputKind.CALL, "Your passport will be cancelled by the IRS."),
    (
        "threat.seizure_now",
        InputKind.LETTER,
        "We will seize your house and car today unless you pay.",
    ),
    ("urgency.deadline_hours", InputKind.MESSAGE, "Pay the IRS within 2 hours."),
    ("urgency.no_appeal_stated", InputKind.LETTER, "This tax bill cannot be appealed."),
    ("urgency.without_appeal_rights", InputKind.MESSAGE, "Pay the IRS within 2 hours."),
    ("urgency.secrecy", InputKind.CALL, "Stay on the line and do not tell anyone."),
    ("channel.electronic_first_contact", InputKind.MESSAGE, "IRS: a message about your taxes."),
    ("channel.electronic_demand", InputKind.MESSAGE, "IRS: tap the link to settle your account."),
    ("channel.threat_by_phone_or_message", InputKind.CALL, "The IRS is filing a lawsuit."),
    ("payment.release_fee", InputKind.MESSAGE, "Pay a $50 fee to release your refund."),
    ("payment.direct_demand", InputKind.LETTER, "Overdue. Pay the balance in Bitcoin today."),
    (
        "genuine.notice_layout",
        InputKind.LETTER,
        "Internal Revenue Service. Notice date May 1, 2025. Tax year 2023. Amount due: $10.",
    ),
    (
        "quoting.warning_or_report",
        InputKind.MESSAGE,
        "Scammers call victims and threaten arrest; the IRS will never do that, TIGTA warns.",
    ),
    ("channel.social_media", InputKind.MESSAGE, "IRS agent here, contact me on Telegram."),
    ("channel.robocall", InputKind.CALL, "Automated message about your taxes. Press 1 now."),
    ("credential.card_numbers", InputKind.CALL, "Read me your credit card number for the IRS."),
    ("credential.secrets", InputKind.MESSAGE, "IRS: reply with your password to continue."),
    ("credential.identity_details", InputKind.MESSAGE, "IRS: confirm your SSN by reply."),
    ("credential.attachment_or_app", InputKind.MESSAGE, "IRS notice: open the attached file."),
    ("credential.refund_bait", InputKind.MESSAGE, "IRS: claim your refund today."),
    ("link.lookalike", InputKind.MESSAGE, "IRS: pay at irs-gov.com"),
    ("link.unofficial", InputKind.MESSAGE, "IRS: pay at https://example.com/pay"),
    ("link.shortened", InputKind.MESSAGE, "IRS: see https://bit.ly/3abc"),
    ("link.unofficial_sender", InputKind.MESSAGE, "From: refunds@tax-help.example.com\nIRS news."),
    ("link.ip_address", InputKind.MESSAGE, "IRS: see http://203.0.113.7/pay"),
    ("link.retired_processor", InputKind.LETTER, "Pay by card at www.payusatax.com."),
    ("link.official", InputKind.LETTER, "Pay at www.irs.gov/payments."),
    ("link.government", InputKind.LETTER, "Report identity theft at www.identitytheft.gov."),
    ("phone.unofficial", InputKind.CALL, "Call us at (202) 555-0147."),
    ("phone.unlisted_in_letter", InputKind.LETTER, "Call us at (202) 555-0147."),
    ("phone.foreign", InputKind.CALL, "Call the IRS officer on +91 22 5555 0199."),
    ("phone.official", InputKind.LETTER, "Call us at 800-829-1040."),
    ("phone.agency", InputKind.LETTER, "Call CBE at 800-910-5837."),
    ("phone.former_agency", InputKind.LETTER, "Call Pioneer at 800-448-3531."),
    ("spoofing.caller_id", InputKind.CALL, "The caller ID said Internal Revenue Service."),
    ("notice.known_code", InputKind.LETTER, "Notice CP504, tax year 2023."),
    ("notice.unknown_code", InputKind.LETTER, "Notice CP9999X, tax year 2023."),
    (
        "pca.agency_not_listed",
        InputKind.CALL,
        "This is Acme Recovery, a private collection agency for the IRS.",
    ),
    (
        "pca.agency_named",
        InputKind.LETTER,
        "ConServe is a private collection agency working with the IRS.",
    ),
    ("pca.authentication", InputKind.CALL, "Please read me your taxpayer authentication number."),
    ("pca.pay_the_agency", InputKind.CALL, "You can pay us directly for your IRS debt."),
    ("lookalike.agency_name", InputKind.LETTER, "Bureau of Tax Enforcement, Lien Division."),
    ("lookalike.misspelled_name", InputKind.LETTER, "lnternal Revenue, Austin, TX."),
    ("lookalike.name_spelling", InputKind.LETTER, "Internal Revenue Servise, Austin, TX."),
    ("lookalike.mixed_script", InputKind.MESSAGE, "Message from the IRЅ about your taxes."),
    (
        "private_letter.public_records",
        InputKind.LETTER,
        "Public records indicate a federal tax lien.",
    ),
    ("private_letter.disclaimer", InputKind.LETTER, "We are not affiliated with the IRS."),
    ("private_letter.settlement_pitch", InputKind.LETTER, "Settle for pennies on the dollar."),
    ("private_letter.advance_fee", InputKind.LETTER, "A $495 retainer is required."),
    (
        "genuine.treasury_payee",
        InputKind.LETTER,
        "Make your check payable to the United States Treasury.",
    ),
    ("genuine.appeal_rights", InputKind.LETTER, "If you disagree, see Publication 1660."),
    ("genuine.tax_period", InputKind.LETTER, "Tax period ending December 31, 2022."),
    ("genuine.masked_id", InputKind.LETTER, "Social Security number XXX-XX-1234."),
    ("genuine.statutory_language", InputKind.LETTER, "Failure-to-pay penalty: $12.00."),
    ("genuine.scam_warning", InputKind.LETTER, "We will never ask you to pay with gift cards."),
    ("structure.no_official_markers", InputKind.LETTER, "Hello. Please call us back."),
]

# (signal id, kind, a text that must not fire it): guidance wording, genuine phrasing, near misses.
DOES_NOT_FIRE: list[tuple[str, InputKind, str]] = [
    ("payment.gift_card", InputKind.LETTER, "The IRS will never ask for payment by gift card."),
    ("payment.gift_card", InputKind.LETTER, "We do not accept gift cards."),
    ("threat.arrest", InputKind.LETTER, "The IRS will never threaten to have you arrested."),
    ("payment.wire", InputKind.LETTER, "We will never ask you to wire money."),
    (
        "payment.payee_not_treasury",
        InputKind.LETTER,
        "Make checks payable to the U.S. Treasury.",
    ),
    (
        "payment.payee_not_treasury",
        InputKind.LETTER,
        "Do not make checks payable to ConServe.",
    ),
    ("threat.passport", InputKind.LETTER, "The State Department may revoke your passport."),
    (
        "threat.seizure_now",
        InputKind.LETTER,
        "We may seize (levy) your property. Pay the amount due immediately.",
    ),
    ("credential.card_numbers", InputKind.CALL, "She did not ask for any card numbers."),
    (
        "credential.card_numbers",
        InputKind.LETTER,
        "The collection statute expiration date is March 3.",
    ),
    (
        "lookalike.name_spelling",
        InputKind.LETTER,
        "Department of the Treasury, Internal Revenue Service.",
    ),
    ("link.unofficial", InputKind.LETTER, "Pay at www.irs.gov/payments or directpay.irs.gov."),
    ("link.lookalike", InputKind.LETTER, "Visit firstbank.com for your statement."),
    ("phone.unlisted_in_letter", InputKind.LETTER, "Call 800-829-1040 or TTY 800-829-4059."),
    ("notice.unknown_code", InputKind.LETTER, "Form 1040, Publication 594."),
    ("pca.agency_not_listed", InputKind.LETTER, "ConServe, a private collection agency."),
    (
        "urgency.without_appeal_rights",
        InputKind.LETTER,
        "Pay within 2 hours. If you disagree, call us.",
    ),
    ("channel.electronic_first_contact", InputKind.LETTER, "IRS: a letter about your taxes."),
    ("structure.no_official_markers", InputKind.LETTER, "Call 800-829-1040."),
    ("urgency.deadline_hours", InputKind.LETTER, "If you can't pay, call us immediately."),
    ("genuine.appeal_rights", InputKind.CALL, "This is the Taxpayer Advocate Service calling."),
    (
        "pca.agency_not_listed",
        InputKind.LETTER,
        "We have assigned your account to a private collection agency; see notice CP40.",
    ),
    ("payment.gift_card", InputKind.LETTER, "Pay by debit or credit card at irs.gov/payments."),
    ("link.unofficial", InputKind.LETTER, "Report identity theft at www.identitytheft.gov."),
    ("threat.license", InputKind.LETTER, "Bring a photo ID such as your driver's license."),
    ("payment.prepaid_debit", InputKind.LETTER, "Your payment was sent on a prepaid debit card."),
    ("payment.crypto", InputKind.LETTER, "Did you receive or sell virtual currency (crypto)?"),
    ("credential.secrets", InputKind.LETTER, "Sign in with your Online Account password."),
    ("channel.social_media", InputKind.MESSAGE, "IRS news. Follow us on Facebook and Instagram."),
    ("link.unofficial", InputKind.MESSAGE, "From: refunds@tax-help.example.com\nIRS news."),
    ("threat.arrest", InputKind.LETTER, "The revenue officer sent you Letter 1058 by mail."),
    ("payment.direct_demand", InputKind.LETTER, '"Pay with gift cards," the caller said.'),
    ("payment.direct_demand", InputKind.LETTER, "Do not pay with gift cards."),
]


@pytest.mark.parametrize(("signal_id", "kind", "text"), FIRES, ids=[f[0] for f in FIRES])
def test_signal_fires(rules: RuleSet, signal_id: str, kind: InputKind, text: str) -> None:
    verdict = check_message(text, rules, kind=kind)
    fired = {s.id: s for s in verdict.signals}
    assert signal_id in fired, _explain(verdict)
    assert fired[signal_id].weight == rules.scam_signals.get(signal_id).spec.weight
    spec = rules.scam_signals.get(signal_id).spec
    fires_on_absence = not (spec.phrases or spec.patterns or spec.detector or spec.requires_any)
    assert bool(fired[signal_id].snippet) is not fires_on_absence


@pytest.mark.parametrize(
    ("signal_id", "kind", "text"), DOES_NOT_FIRE, ids=[f"{d[0]}:{d[2][:30]}" for d in DOES_NOT_FIRE]
)
def test_signal_does_not_fire(rules: RuleSet, signal_id: str, kind: InputKind, text: str) -> None:
    verdict = check_message(text, rules, kind=kind)
    assert signal_id not in {s.id for s in verdict.signals}, _explain(verdict)


def test_every_shown_text_signal_has_an_example(rules: RuleSet) -> None:
    text_kinds = {InputKind.LETTER, InputKind.MESSAGE, InputKind.CALL}
    needed = {
        s.id for s in rules.scam_signals if s.spec.shown and text_kinds & set(s.spec.applies_to)
    }
    assert needed <= {f[0] for f in FIRES}


def test_signals_carry_explanation_and_source(rules: RuleSet) -> None:
    verdict = check_message("IRS: pay with gift cards at irs-gov.com now", rules)
    for signal in verdict.signals:
        assert signal.explanation
        assert signal.what_to_do
        assert signal.source.citation
        assert "{" not in signal.explanation + signal.what_to_do  # placeholders filled
        assert len(signal.snippet) <= rules.scam_signals.scoring.snippet_chars + 2


# -- scoring -------------------------------------------------------------------------------------


def test_score_is_red_flags_plus_capped_credit(rules: RuleSet) -> None:
    for message in MESSAGES[::7]:
        verdict = check_message(message.text, rules, channel=message.channel)
        red = sum((s.weight for s in verdict.signals if s.weight > 0), Decimal(0))
        credit = sum((s.weight for s in verdict.signals if s.weight < 0), Decimal(0))
        cap = rules.scam_signals.scoring.genuine_credit_cap
        assert verdict.score == red + max(credit, cap), message.id


def test_a_floor_beats_genuine_marks(rules: RuleSet) -> None:
    """A letter that copies every genuine mark but asks for gift cards is still a likely scam."""
    genuine = next(m for m in TUNING if m.id == "genuine-cp14-online-account")
    baseline = check_message(genuine.text, rules, kind=InputKind.LETTER)
    assert baseline.verdict is Verdict.CONSISTENT
    doctored = genuine.text + "\nFor faster processing, pay with Target gift cards.\n"
    assert check_message(doctored, rules, kind=InputKind.LETTER).verdict is Verdict.LIKELY_SCAM


@pytest.mark.parametrize(
    "message", [m for m in MESSAGES if m.truth == "genuine"][::3], ids=lambda m: m.id
)
def test_adding_a_red_flag_to_a_genuine_notice_is_caught(rules: RuleSet, message: Message) -> None:
    doctored = message.text + "\nPay the balance today by Bitcoin to avoid arrest.\n"
    verdict = check_message(doctored, rules, channel=message.channel)
    assert verdict.verdict is Verdict.LIKELY_SCAM, _explain(verdict)


def test_scanned_text_does_not_use_spelling_signals(rules: RuleSet) -> None:
    """Character recognition turns I into l: a scanned genuine notice is not a look-alike."""
    genuine = next(m for m in TUNING if m.id == "genuine-cp14-online-account")
    scanned = genuine.text.replace("Internal Revenue Service", "lnternal Revenue Servlce")
    typed = check_message(scanned, rules, kind=InputKind.LETTER)
    assert typed.verdict is Verdict.LIKELY_SCAM
    read = check_message(scanned, rules, kind=InputKind.LETTER, from_ocr=True)
    assert read.verdict is Verdict.CONSISTENT
    assert not {s.id for s in read.signals} & rules.scam_signals.ocr_unreliable
    # the other signals still work on scanned text
    fake = scanned + "\nPay with Apple gift cards.\n"
    assert check_message(fake, rules, kind=InputKind.LETTER, from_ocr=True).verdict is (
        Verdict.LIKELY_SCAM
    )


def test_a_private_advertisement_is_suspicious_not_likely(rules: RuleSet) -> None:
    text = (
        "FINAL NOTICE. Public records indicate a federal tax lien. Call 1-888-555-0117. "
        "This is an advertisement; we are not affiliated with the IRS."
    )
    assert check_message(text, rules, kind=InputKind.LETTER).verdict is Verdict.SUSPICIOUS
    with_gift_cards = text + " Pay our fee with gift cards."
    verdict = check_message(with_gift_cards, rules, kind=InputKind.LETTER)
    assert verdict.verdict is Verdict.LIKELY_SCAM


def test_the_verdict_is_never_safe_and_advice_is_complete(rules: RuleSet) -> None:
    for message in MESSAGES:
        verdict = check_message(message.text, rules, channel=message.channel)
        assert "safe" not in verdict.label.lower().split()
        assert verdict.next_steps
        assert verdict.how_to_verify
        assert verdict.summary
        if verdict.verdict is Verdict.CONSISTENT:
            assert not verdict.where_to_report
        else:
            assert verdict.where_to_report


def test_reports_depend_on_the_kind(rules: RuleSet) -> None:
    text = "IRS: pay with gift cards now"
    message = check_message(text, rules, kind=InputKind.MESSAGE)
    call = check_message(text, rules, kind=InputKind.CALL)
    assert "phishing@irs.gov" in {r.email for r in message.where_to_report}
    assert "800-366-4484" in {r.phone for r in call.where_to_report}


def test_report_section_data(rules: RuleSet) -> None:
    verdict = check_message("IRS: pay with gift cards at irs-gov.com now", rules)
    section = verdict.as_report_section()
    assert section["verdict"] == verdict.label
    assert [s["id"] for s in section["signals"]] == [s.id for s in verdict.signals]
    assert all(isinstance(s["weight"], str) for s in section["signals"])
    assert section["where_to_report"][0].startswith(verdict.where_to_report[0].name + ": ")
    assert section["how_to_verify"] == list(verdict.how_to_verify)


def test_same_input_same_verdict(rules: RuleSet) -> None:
    text = MESSAGES[0].text
    assert check_message(text, rules) == check_message(text, rules)


def test_signals_are_ordered_by_weight(rules: RuleSet) -> None:
    verdict = check_message(MESSAGES[-1].text, rules, channel=MESSAGES[-1].channel)
    weights = [s.weight for s in verdict.signals]
    assert weights == sorted(weights, reverse=True)


# -- phone numbers and links on their own -------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "expected", "signal"),
    [
        ("800-829-1040", Verdict.CONSISTENT, "phone.official"),
        ("1 (800) 829-4933", Verdict.CONSISTENT, "phone.official"),
        ("800-TAX-FORM", Verdict.CONSISTENT, "phone.official"),
        ("+1 267 941 1000", Verdict.CONSISTENT, "phone.official"),
        ("888-928-0510", Verdict.CONSISTENT, "phone.agency"),
        ("(202) 555-0147", Verdict.SUSPICIOUS, "phone.unofficial"),
        ("+44 20 7946 0958", Verdict.SUSPICIOUS, "phone.foreign"),
        ("800-448-3531", Verdict.SUSPICIOUS, "phone.former_agency"),
    ],
)
def test_phone_alone(rules: RuleSet, number: str, expected: Verdict, signal: str) -> None:
    verdict = check_phone(number, rules, as_of=date(2025, 6, 1))
    assert verdict.verdict is expected
    assert verdict.kind is InputKind.PHONE
    assert signal in {s.id for s in verdict.signals}
    assert all(s.explanation and s.source.citation for s in verdict.signals)


def test_an_official_number_still_warns_about_caller_id(rules: RuleSet) -> None:
    verdict = check_phone("800-829-1040", rules)
    assert "spoofing.caller_id_caution" in {s.id for s in verdict.signals}
    assert verdict.label == "consistent with an official number"


def test_a_former_agency_depends_on_the_date(rules: RuleSet) -> None:
    # Pioneer was under contract before September 23, 2021 (IRS PDC page archived January 2021)
    assert check_phone("800-448-3531", rules, as_of=date(2020, 6, 1)).verdict is Verdict.CONSISTENT
    assert check_phone("800-448-3531", rules, as_of=date(2024, 6, 1)).verdict is Verdict.SUSPICIOUS


@pytest.mark.parametrize("number", ["", "   ", "12345", "call me", "800-829-10400"])
def test_phone_not_a_number(rules: RuleSet, number: str) -> None:
    with pytest.raises(InputError) as caught:
        check_phone(number, rules)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("url", "expected", "signal"),
    [
        ("https://www.irs.gov/payments", Verdict.CONSISTENT, "link.official"),
        ("directpay.irs.gov", Verdict.CONSISTENT, "link.official"),
        ("https://www.eftps.gov/eftps/", Verdict.CONSISTENT, "link.official"),
        ("https://fed.acipayonline.com", Verdict.CONSISTENT, "link.official"),
        ("irs-gov.com", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("http://1rs.gov/pay", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://irs.gov.pay-now.com/x", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://www.irs.gov.alphacapitalone.com/payments", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("http://xn--rs-gka.com", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://irs.gov@evil.example.com/", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://myirs-refunds.net", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://eftps-payments.com", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://lrs-online.info", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://tigta-report.org", Verdict.LIKELY_SCAM, "link.lookalike"),
        ("https://bit.ly/3xYz", Verdict.SUSPICIOUS, "link.shortened"),
        ("http://192.0.2.44/irs", Verdict.LIKELY_SCAM, "link.ip_address"),
        ("https://www.payusatax.com", Verdict.SUSPICIOUS, "link.retired_processor"),
        ("https://example.org/taxes", Verdict.SUSPICIOUS, "link.unofficial"),
    ],
)
def test_url_alone(rules: RuleSet, url: str, expected: Verdict, signal: str) -> None:
    verdict = check_url(url, rules)
    assert verdict.verdict is expected, _explain(verdict)
    assert signal in {s.id for s in verdict.signals}
    assert verdict.kind is InputKind.URL


@pytest.mark.parametrize("url", ["", "  ", "http://", "not a link", "https:///path"])
def test_url_not_a_link(rules: RuleSet, url: str) -> None:
    with pytest.raises(InputError):
        check_url(url, rules)


# -- bad and large input --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text(rules: RuleSet, text: str) -> None:
    with pytest.raises(InputError, match="empty") as caught:
        check_message(text, rules)
    assert caught.value.exit_code == 2


def test_binary_text(rules: RuleSet) -> None:
    with pytest.raises(InputError, match="binary"):
        check_message("%PDF-1.7\x00\x00\x01stream", rules)


def test_phone_or_url_kind_is_not_for_text(rules: RuleSet) -> None:
    with pytest.raises(InputError, match="--phone or --url"):
        check_message("hello", rules, kind=InputKind.PHONE)


def _one_megabyte() -> str:
    parts = [m.text for m in MESSAGES] + ["lorem ipsum dolor sit amet, " * 40]
    block = "\n\n".join(parts)
    return (block * (1_000_000 // len(block) + 1))[:1_000_000]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_one_megabyte(), id="test-set-repeated"),
        pytest.param("a." * 500_000, id="dotted"),
        pytest.param("9" * 1_000_000, id="digits"),
        pytest.param("x" * 1_000_000, id="one-long-word"),
        pytest.param(("never gift card " * 62_500), id="negated-repeats"),
    ],
)
def test_one_megabyte_gets_a_verdict(rules: RuleSet, text: str) -> None:
    """A megabyte of hostile text is read to the end (its speed is in ``make bench``)."""
    verdict = check_message(text, rules, kind=InputKind.LETTER)
    assert verdict.verdict in set(Verdict)
    assert verdict.channel is Channel.LETTER


@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip() and "\x00" not in t))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_gets_a_verdict(rules: RuleSet, text: str) -> None:
    verdict = check_message(text, rules)
    assert verdict.verdict in set(Verdict)
    limit = rules.scam_signals.scoring.snippet_chars + 2
    assert all(len(s.snippet) <= limit for s in verdict.signals)


# -- channel inference -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("From: someone@example.com\nSubject: Tax\n\nHello", Channel.EMAIL),
        ("Voicemail: this is the IRS calling.", Channel.VOICEMAIL),
        ("The caller said he was from the IRS.", Channel.CALL),
        ("Caller: this is the IRS.\nMe: who?\nCaller: pay now.", Channel.CALL),
        ("IRS: your refund is ready.", Channel.TEXT),
        ("IRS agent here, message me on WhatsApp about your refund.", Channel.SOCIAL),
        ("Understanding your CP14 notice. What this notice is about: you owe.", Channel.WEB),
        ("Department of the Treasury\nInternal Revenue Service\nNotice CP14", Channel.LETTER),
        ("Dear Taxpayer,\n" + "We have a question about your return. " * 30, Channel.LETTER),
    ],
)
def test_infer_channel(rules: RuleSet, text: str, channel: Channel) -> None:
    guess = infer_channel(text, rules.scam_signals)
    assert guess.channel is channel
    assert guess.reason


def test_an_inferred_channel_is_said_and_a_given_one_is_not(rules: RuleSet) -> None:
    inferred = check_message("IRS: your refund is ready.", rules)
    assert inferred.channel is Channel.TEXT
    assert inferred.channel_inferred_from
    assert inferred.channel_line is not None
    assert "inferred from" in inferred.channel_line
    given = check_message("IRS: your refund is ready.", rules, channel=Channel.LETTER)
    assert given.channel is Channel.LETTER
    assert given.channel_inferred_from is None
    assert given.channel_line == "Checked as: letter (as given)"


def test_a_channel_outside_the_kind_is_an_error(rules: RuleSet) -> None:
    with pytest.raises(InputError, match="not a letter"):
        check_message("hello", rules, kind=InputKind.LETTER, channel=Channel.TEXT)

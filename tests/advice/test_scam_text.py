"""Reading text for the scam check: word forms, snippets, phrases, links, numbers and codes."""

from __future__ import annotations

import pytest

from balancedue.advice.scam_text import (
    Link,
    PreparedText,
    classify_link,
    edit_distance,
    find_foreign_phones,
    find_links,
    find_notice_codes,
    find_us_phones,
    keypad_digits,
    parse_link,
)
from balancedue.rules import RuleSet, load_rules
from balancedue.rules.scam_signals import normalize_phrase


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def test_word_form_drops_punctuation_and_case() -> None:
    prepared = PreparedText("Your Driver’s-License,\n  will be REVOKED!")
    assert prepared.words == "your driver s license will be revoked"
    assert prepared.text == "your driver's-license, will be revoked!"


def test_word_positions_map_back_to_the_original() -> None:
    original = "Hello   --  World: pay (gift) cards"
    prepared = PreparedText(original)
    start = prepared.words.index("gift cards")
    begin, end = prepared.original_span(start, start + len("gift cards"))
    assert original[begin:end] == "gift) cards"


def test_snippet_is_bounded_and_shows_the_match() -> None:
    text = "filler " * 200 + "PAY WITH ITUNES CARDS" + " more" * 200
    prepared = PreparedText(text)
    start = prepared.words.index("itunes")
    snippet = prepared.snippet(start, start + len("itunes cards"), 80)
    assert "ITUNES CARDS" in snippet
    assert len(snippet) <= 82
    assert snippet.startswith("…")
    assert snippet.endswith("…")


@pytest.mark.parametrize(
    ("text", "phrase", "found"),
    [
        ("buy gift cards now", "gift card", False),
        ("buy gift cards now", "gift card*", True),
        ("a giftcard", "gift card", False),
        ("the firstirs note", "irs", False),
        ("IRS.gov", "irs", True),
        ("you were arrested", "arrest*", True),
        ("prearrest", "arrest*", False),
    ],
)
def test_find_phrase_whole_words(text: str, phrase: str, found: bool) -> None:
    prepared = PreparedText(text)
    assert (next(prepared.find_phrase(normalize_phrase(phrase)), None) is not None) is found


def test_normalize_phrase_keeps_the_prefix_star() -> None:
    assert normalize_phrase("Gift-Card*") == "gift card*"
    assert normalize_phrase("Gift-Card") == "gift card"


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("The IRS will never ask you to pay with gift cards.", True),
        ("We do not accept gift cards.", True),
        ("The IRS will never call. Pay with gift cards.", False),  # a new sentence
        ("If you do not pay, buy gift cards.", False),
        ("Pay with gift cards.", False),
    ],
)
def test_negation_cues(rules: RuleSet, text: str, negated: bool) -> None:
    prepared = PreparedText(text)
    start = prepared.words.index("gift")
    cues = rules.scam_signals.negation.cues
    assert prepared.is_negated(start, cues, rules.scam_signals.negation.window) is negated


def test_links_in_every_form(rules: RuleSet) -> None:
    text = (
        "Go to https://www.irs.gov/payments, or www.eftps.gov; write to phishing@irs.gov; "
        "not irs-gov.com or hxxp://evil.example.net/x. U.S. Treasury, 1.75% fee, p.m."
    )
    hosts = [link.host for link in find_links(PreparedText(text), rules.scam_signals.links)]
    assert hosts == ["www.irs.gov", "www.eftps.gov", "irs.gov", "irs-gov.com", "evil.example.net"]


@pytest.mark.parametrize(
    ("raw", "host", "userinfo"),
    [
        ("https://www.irs.gov/payments", "www.irs.gov", ""),
        ("irs.gov.", "irs.gov", ""),
        ("https://irs.gov@evil.example.com/x", "evil.example.com", "irs.gov"),
        ("HTTPS://IRS.GOV/PAY", "irs.gov", ""),
    ],
)
def test_parse_link(raw: str, host: str, userinfo: str) -> None:
    link = parse_link(raw)
    assert link is not None
    assert (link.host, link.userinfo) == (host, userinfo)


@pytest.mark.parametrize("raw", ["http://", "localhost", "https://exa mple.com", "http://[::1"])
def test_parse_link_rejects(raw: str) -> None:
    assert parse_link(raw) is None


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.irs.gov", "official"),
        ("payusatax.com", "retired"),
        ("irs.gov.alphacapitalone.com", "lookalike"),
        ("irs-gov.com", "lookalike"),
        ("1rs.gov", "lookalike"),
        ("eftpss.gov", "lookalike"),
        ("xn--rs-gka.com", "lookalike"),
        ("bit.ly", "shortened"),
        ("203.0.113.9", "ip"),
        ("firstbank.com", "unofficial"),
        ("example.org", "unofficial"),
    ],
)
def test_classify_link(rules: RuleSet, host: str, expected: str) -> None:
    link = Link(shown=host, host=host, userinfo="")
    assert classify_link(link, rules.contacts, rules.scam_signals.links) == expected


def test_us_phone_numbers() -> None:
    text = (
        "Call 1-800-829-1040, (202) 555-0147 or +1 267 941 1000. EIN 12-3456789, acct 1234567890."
    )
    found = [f.value for f in find_us_phones(PreparedText(text))]
    assert found == ["800-829-1040", "202-555-0147", "267-941-1000"]


def test_foreign_phone_numbers() -> None:
    found = [
        f.value
        for f in find_foreign_phones(PreparedText("Call +44 20 7946 0958 or +1 800 829 1040"))
    ]
    assert found == ["+44 20 7946 0958"]


def test_notice_codes() -> None:
    text = "Notice CP504; LT 11; Letter 1058; cp-2000; Form 1040; Publication 594"
    found = [f.value for f in find_notice_codes(PreparedText(text))]
    assert found == ["CP504", "LT11", "LTR1058", "CP2000"]


@pytest.mark.parametrize(
    ("a", "b", "limit", "distance"),
    [
        ("revenue", "revenue", 2, 0),
        ("revenu", "revenue", 2, 1),
        ("servise", "service", 2, 1),
        ("lnternal", "internal", 2, 1),
        ("abc", "xyzxyz", 2, 3),  # gives up past the limit
    ],
)
def test_edit_distance(a: str, b: str, limit: int, distance: int) -> None:
    assert edit_distance(a, b, limit) == distance


def test_keypad_digits() -> None:
    assert keypad_digits("800-TAX-FORM") == "800-829-3676"


def test_mixed_script_words() -> None:
    assert PreparedText("Message from the IRS").mixed_script_words() == []
    assert PreparedText("Café, señor, Tesorería").mixed_script_words() == []
    found = PreparedText("Message from the IRЅ today").mixed_script_words()
    assert [f.value for f in found] == ["IRЅ"]
    assert [f.value for f in PreparedText("I\u200bRS refund").mixed_script_words()] == ["I\u200bRS"]

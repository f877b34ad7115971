"""The scam-signal catalog (``rules/data/scam_signals.yaml``): strict loading and meta-checks."""

from __future__ import annotations

import copy
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from balancedue.errors import RulesDataError
from balancedue.rules import RuleSet, load_rules, load_rules_from
from balancedue.rules.loader import FILES
from balancedue.rules.scam_signals import (
    Detector,
    InputKind,
    ScamSignals,
    Verdict,
    check_bounded,
    normalize_phrase,
    parse_scam_signals,
)

DATA = resources.files("balancedue.rules") / "data"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    loaded = yaml.safe_load((DATA / "scam_signals.yaml").read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="module")
def signals(rules: RuleSet) -> ScamSignals:
    return rules.scam_signals


def test_loaded_into_the_rule_set(rules: RuleSet) -> None:
    assert "scam_signals.yaml" in FILES
    assert len(rules.scam_signals) >= 40


def test_thresholds_are_ordered(signals: ScamSignals) -> None:
    scoring = signals.scoring
    assert scoring.genuine_credit_cap <= 0 < scoring.suspicious_from < scoring.likely_scam_from


def test_every_signal_explains_itself_with_a_source(signals: ScamSignals) -> None:
    for signal in signals:
        spec = signal.spec
        assert spec.source.citation, spec.id
        assert spec.source.retrieved is not None, spec.id
        assert len(spec.explanation) >= 10, spec.id
        assert spec.what_to_do, spec.id


def test_every_detector_is_used(signals: ScamSignals) -> None:
    used = {s.spec.detector for s in signals if s.spec.detector is not None}
    assert used == set(Detector)


def test_every_input_kind_has_signals(signals: ScamSignals) -> None:
    for kind in InputKind:
        assert any(kind in s.spec.applies_to for s in signals), kind


def test_genuine_marks_and_red_flags_both_exist(signals: ScamSignals) -> None:
    weights = [s.spec.weight for s in signals]
    assert any(w < 0 for w in weights)
    assert any(w > 0 for w in weights)


def test_never_says_safe(signals: ScamSignals) -> None:
    """The issue: the verdict is never "safe"."""
    for advice in signals.advice.verdicts.values():
        texts = [advice.label, *advice.labels_by_kind.values(), advice.summary]
        assert not any("safe" in t.lower().split() for t in texts), texts


def test_placeholders_resolve(rules: RuleSet) -> None:
    for what, key in rules.scam_signals.placeholders():
        if what == "phone":
            assert key is not None
            rules.contacts.phone_by_id(key)
        elif what == "reporting":
            assert key is not None
            rules.contacts.reporting_channel(key)
        else:
            assert what == "pcas"
            assert key is None


def test_reporting_ids_exist(rules: RuleSet) -> None:
    for advice in rules.scam_signals.advice.verdicts.values():
        for ids in advice.report_by_kind.values():
            for report_id in ids:
                rules.contacts.reporting_channel(report_id)


def test_consistent_verdict_reports_nowhere(signals: ScamSignals) -> None:
    assert not signals.advice.verdicts[Verdict.CONSISTENT].report_by_kind


def test_phrases_are_stored_normalized(signals: ScamSignals) -> None:
    spec = signals.get("credential.identity_details").spec
    assert "driver s license number" in spec.phrases
    assert normalize_phrase("Driver’s-License!") == "driver s license"


def test_unknown_signal_is_a_rules_error(signals: ScamSignals) -> None:
    with pytest.raises(RulesDataError, match="no signal 'nope'"):
        signals.get("nope")


@pytest.mark.parametrize(
    "pattern",
    [r"within (?:\d{1,2}|one) hours?", r"x\*", r"[*+]x", r"(?:ab){0,4}", r"a{2}", r"a?b"],
)
def test_bounded_patterns_are_accepted(pattern: str) -> None:
    check_bounded(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"a+", r"\* or \+"),
        (r"(?:ab)*", r"\* or \+"),
        (r"a{2,}", "open-ended"),
        (r"\d{1,200}", "up to 200"),
        (r"(?:ab){1,9}", "up to 9"),
        (r"(a)\1", "back-reference"),
    ],
)
def test_unbounded_patterns_are_rejected(pattern: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_bounded(pattern)


# -- strict loading -----------------------------------------------------------------------------


def _signal(data: dict[str, Any], signal_id: str) -> dict[str, Any]:
    return next(s for s in data["signals"] if s["id"] == signal_id)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(weight=8.0),
            "never a float",
            id="float-weight",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(weight="7.5"),
            "whole number",
            id="fractional-weight",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(patterns=["gift.+card"]),
            "bounded",
            id="unbounded-regex",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(patterns=["gift (card"]),
            "not a valid regular expression",
            id="invalid-regex",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(patterns=["(?:x)?"]),
            "matches the empty string",
            id="empty-match",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(phrases=["gift card", "Gift-Card"]),
            "listed twice",
            id="duplicate-phrase",
        ),
        pytest.param(
            lambda d: d["scoring"].update(consistent_from="0"),
            "absence of red flags is not evidence",
            id="consistent-from-nothing",
        ),
        pytest.param(
            lambda d: d["scoring"].update(consistent_needs_any=["payment.gift_card"]),
            "is not a genuine mark",
            id="consistent-needs-a-red-flag",
        ),
        pytest.param(
            lambda d: _signal(d, "channel.electronic_demand").update(channels=["fax"]),
            "channels",
            id="unknown-channel",
        ),
        pytest.param(
            lambda d: d["channel_inference"]["cues"][0].update(patterns=["(?:a|b)+"]),
            "bounded",
            id="unbounded-channel-cue",
        ),
        pytest.param(
            lambda d: _signal(d, "genuine.tax_period").update(floor="suspicious"),
            "cannot set a floor",
            id="genuine-mark-with-floor",
        ),
        pytest.param(
            lambda d: _signal(d, "private_letter.disclaimer").update(floor="likely_scam"),
            "ceiling is below its floor",
            id="ceiling-below-floor",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(phrases=[], patterns=[]),
            "needs phrases, patterns, a detector or a condition",
            id="nothing-to-match",
        ),
        pytest.param(
            lambda d: _signal(d, "urgency.without_appeal_rights").update(requires_any=["no.such"]),
            "refers to unknown 'no.such'",
            id="dangling-reference",
        ),
        pytest.param(
            lambda d: _signal(d, "channel.social_media").update(
                requires_any=["urgency.without_appeal_rights"]
            ),
            "which depends on other signals",
            id="chained-reference",
        ),
        pytest.param(
            lambda d: d["signals"].append(copy.deepcopy(d["signals"][1])),
            "listed twice",
            id="duplicate-id",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(detector="telepathy"),
            "detector",
            id="unknown-detector",
        ),
        pytest.param(
            lambda d: d["advice"]["verdicts"].pop("suspicious"),
            "suspicious is missing",
            id="missing-verdict-advice",
        ),
        pytest.param(
            lambda d: d["scoring"].update(suspicious_from="9"),
            "below likely_scam_from",
            id="thresholds-reversed",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.payee_not_treasury").update(patterns=["payable to x"]),
            "payee",
            id="payee-detector-without-group",
        ),
        pytest.param(
            lambda d: d.update(ocr_unreliable=["lookalike.nope"]),
            "ocr_unreliable names unknown 'lookalike.nope'",
            id="ocr-list-unknown-signal",
        ),
        pytest.param(
            lambda d: _signal(d, "payment.gift_card").update(source="nope"),
            "unknown source key 'nope'",
            id="unknown-source",
        ),
    ],
)
def test_strict_validation(raw: dict[str, Any], edit: Any, message: str) -> None:
    data = copy.deepcopy(raw)
    edit(data)
    with pytest.raises(RulesDataError, match=message):
        parse_scam_signals(data)


def test_an_edited_copy_is_checked_by_the_loader(tmp_path: Path) -> None:
    for name in FILES:
        shutil.copyfile(str(DATA / name), tmp_path / name)
    load_rules_from(tmp_path)  # the copy loads
    target = tmp_path / "scam_signals.yaml"
    target.write_text(
        target.read_text("utf-8").replace('weight: "8"', "weight: 8.5", 1), encoding="utf-8"
    )
    with pytest.raises(RulesDataError, match=r"scam_signals\.yaml"):
        load_rules_from(tmp_path)

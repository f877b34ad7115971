"""First-time abatement verdicts (IRM 20.1.1.3.3.2.1) on generated histories and direct cases."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.advice.fta import (
    AbatementReason,
    FtaOutcome,
    PenaltyRecord,
    PeriodHistory,
    abatement_reason,
    check_first_time_abatement,
)
from balancedue.rules import RuleSet
from balancedue.rules.transaction_codes import PenaltyKind
from balancedue.services.transcripts import analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_transcripts

D = Decimal
FTP = PenaltyRecord(PenaltyKind.FTP, D("45.00"))


@pytest.mark.parametrize("fixture", make_transcripts.fta_files(), ids=lambda f: f.name)
def test_generated_histories(fixture: make_transcripts.Fixture, rules: RuleSet) -> None:
    report = analyze([(fixture.name, fixture.text())], rules=rules)
    verdicts = {p.transcript.tax_year: p.fta for p in report.periods}
    expected = {"qualifies": FtaOutcome.QUALIFIES, "prior_fta": FtaOutcome.PRIOR_FTA, "unfiled": FtaOutcome.UNFILED}
    for period, expect in zip(fixture.periods, fixture.expect, strict=True):
        if expect.fta is not None:
            result = verdicts[period.tax_year]
            assert result is not None
            assert result.verdict is expected[expect.fta], result


def _clean(year: int) -> PeriodHistory:
    return PeriodHistory(year, True)


def test_clean_history_qualifies() -> None:
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(y) for y in (2021, 2022, 2023)], 3)
    assert result.qualifies
    assert result.penalties == D("45.00")


def test_prior_penalty_abated_for_reasonable_cause_is_still_clean() -> None:
    prior = PeriodHistory(2023, True, (PenaltyRecord(PenaltyKind.FTF, D("540.00"), D("540.00"), AbatementReason.REASONABLE_CAUSE),))
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(2021), _clean(2022), prior], 3)
    assert result.verdict is FtaOutcome.QUALIFIES


def test_prior_first_time_abatement_counts() -> None:
    prior = PeriodHistory(2022, True, (PenaltyRecord(PenaltyKind.FTF, D("90.00"), D("90.00"), AbatementReason.FIRST_TIME),))
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(2021), prior, _clean(2023)], 3)
    assert result.verdict is FtaOutcome.PRIOR_FTA


def test_unfiled_prior_return() -> None:
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(2021), PeriodHistory(2022, False), _clean(2023)], 3)
    assert result.verdict is FtaOutcome.UNFILED


def test_estimated_tax_penalty_does_not_count_and_older_years_are_not_read() -> None:
    es = PeriodHistory(2023, True, (PenaltyRecord(PenaltyKind.ESTIMATED_TAX, D("96.00")),))
    old = PeriodHistory(2019, True, (PenaltyRecord(PenaltyKind.FTP, D("200.00")),))
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [old, _clean(2021), _clean(2022), es], 3)
    assert result.verdict is FtaOutcome.QUALIFIES


def test_unpaid_tax_without_agreement_and_with_one() -> None:
    history = [_clean(y) for y in (2021, 2022, 2023)]
    unpaid = PeriodHistory(2024, True, (FTP,), tax_unpaid=D("500.00"))
    assert check_first_time_abatement(unpaid, history, 3).verdict is FtaOutcome.NOT_PAID
    arranged = PeriodHistory(2024, True, (FTP,), tax_unpaid=D("500.00"), agreement_in_effect=True)
    assert check_first_time_abatement(arranged, history, 3).verdict is FtaOutcome.QUALIFIES


def test_missing_year_and_unknown_abatement_reason() -> None:
    assert check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(2022), _clean(2023)], 3).verdict is FtaOutcome.INCOMPLETE
    unknown = PeriodHistory(2023, True, (PenaltyRecord(PenaltyKind.FTP, D("20.00"), D("20.00"), AbatementReason.UNKNOWN),))
    result = check_first_time_abatement(PeriodHistory(2024, True, (FTP,)), [_clean(2021), _clean(2022), unknown], 3)
    assert result.verdict is FtaOutcome.UNCERTAIN


def test_no_penalty_to_abate() -> None:
    assert check_first_time_abatement(PeriodHistory(2024, True), [], 3).verdict is FtaOutcome.NO_PENALTY


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Reduced or removed penalty First time abate", AbatementReason.FIRST_TIME),
        ("Removed penalty PRC 062", AbatementReason.FIRST_TIME),
        ("Reduced or removed penalty Reasonable cause", AbatementReason.REASONABLE_CAUSE),
        ("Reduced or removed penalty for late payment of tax", AbatementReason.UNKNOWN),
    ],
)
def test_abatement_reason_from_the_printed_words(text: str, reason: AbatementReason) -> None:
    assert abatement_reason(text) is reason

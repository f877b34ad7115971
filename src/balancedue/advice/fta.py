"""First-time abatement (FTA): does a period's failure-to-file or failure-to-pay penalty qualify?

The IRS's administrative waiver (IRM 20.1.1.3.3.2.1) removes the failure-to-file and
failure-to-pay penalties of one period when the taxpayer:

1. had no penalties in the preceding three tax years (the look-back is rules data,
   ``relief.fta.lookback_years``) - except an estimated-tax penalty; a penalty abated for
   reasonable cause, a statutory exception or an IRS error does not count, but one removed by an
   earlier first-time abatement does;
2. has filed every return currently required (or a valid extension);
3. has paid, or arranged to pay (an installment agreement in effect), the tax due.

When several periods qualify, the IRS applies FTA to the earliest one.  Account transcripts do
not print why a penalty was abated; an abatement is read as first-time abatement or reasonable
cause only when the transcript copy says so (for example a note "First time abate"), otherwise
the verdict says the reason must be confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from balancedue.rules import RuleSet
from balancedue.rules.transaction_codes import Effect, PenaltyKind

if TYPE_CHECKING:  # the transcript reader is loaded only where transcripts are read
    from balancedue.intake.transcripts import AccountTranscript

FTA_CITATION = "IRM 20.1.1.3.3.2.1 (First Time Abate)"
ZERO = Decimal(0)
_FTA_MARK = re.compile(r"first[\s-]*time\s+abate|\bFTA\b|\bPRC\s*062\b", re.I)
_CAUSE_MARK = re.compile(r"reasonable\s+cause", re.I)
_STATUTORY_MARK = re.compile(r"statutory\s+exception|irs\s+error|correction", re.I)


class AbatementReason(StrEnum):
    """Why a penalty was abated, as far as the transcript copy tells."""

    FIRST_TIME = "first_time_abatement"
    REASONABLE_CAUSE = "reasonable_cause"
    STATUTORY_OR_ERROR = "statutory_exception_or_irs_error"
    UNKNOWN = "unknown"


class FtaOutcome(StrEnum):
    """The outcome of the first-time abatement check."""

    QUALIFIES = "qualifies"
    UNCERTAIN = "uncertain"
    NO_PENALTY = "no_penalty"
    INCOMPLETE = "incomplete_history"
    UNFILED = "unfiled"
    PRIOR_FTA = "prior_fta"
    PRIOR_PENALTY = "prior_penalty"
    NOT_PAID = "not_paid_or_arranged"


@dataclass(frozen=True, slots=True)
class PenaltyRecord:
    """A penalty of one kind on one period: assessed, abated, and why it was abated."""

    kind: PenaltyKind
    assessed: Decimal
    abated: Decimal = ZERO
    reason: AbatementReason | None = None

    @property
    def remaining(self) -> Decimal:
        """What is still charged."""
        return self.assessed - self.abated


@dataclass(frozen=True, slots=True)
class PeriodHistory:
    """What the check needs to know about one tax period."""

    tax_year: int
    return_filed: bool
    penalties: tuple[PenaltyRecord, ...] = ()
    tax_unpaid: Decimal = ZERO
    agreement_in_effect: bool = False


@dataclass(frozen=True, slots=True)
class FtaResult:
    """The verdict for one period, with every reason that led to it."""

    tax_year: int
    verdict: FtaOutcome
    reasons: tuple[str, ...]
    penalties: Decimal
    citation: str = FTA_CITATION

    @property
    def qualifies(self) -> bool:
        """True when every criterion is met."""
        return self.verdict is FtaOutcome.QUALIFIES


_COVERED = (PenaltyKind.FTF, PenaltyKind.FTP)
_ORDER = (
    FtaOutcome.NO_PENALTY,
    FtaOutcome.UNFILED,
    FtaOutcome.PRIOR_FTA,
    FtaOutcome.PRIOR_PENALTY,
    FtaOutcome.NOT_PAID,
    FtaOutcome.INCOMPLETE,
    FtaOutcome.UNCERTAIN,
)


def check_first_time_abatement(period: PeriodHistory, history: Sequence[PeriodHistory], lookback_years: int) -> FtaResult:
    """Whether ``period``'s failure-to-file and failure-to-pay penalties qualify for FTA.

    ``history`` holds the other periods known (any order); only the ``lookback_years`` tax years
    before ``period`` are read for the clean-history test, every one for filing compliance.
    """
    failed: dict[FtaOutcome, list[str]] = {}

    def fail(verdict: FtaOutcome, reason: str) -> None:
        failed.setdefault(verdict, []).append(reason)

    covered = sum((p.remaining for p in period.penalties if p.kind in _COVERED), ZERO)
    if covered <= ZERO:
        used = [p for p in period.penalties if p.kind in _COVERED and p.reason is AbatementReason.FIRST_TIME]
        fail(FtaOutcome.NO_PENALTY, "first-time abatement already removed this period's penalties" if used
             else "no failure-to-file or failure-to-pay penalty on this period")
    if not period.return_filed:
        fail(FtaOutcome.UNFILED, f"the {period.tax_year} return itself is not on file")
    by_year = {h.tax_year: h for h in history if h.tax_year != period.tax_year}
    for year in range(period.tax_year - lookback_years, period.tax_year):
        prior = by_year.get(year)
        if prior is None:
            fail(FtaOutcome.INCOMPLETE, f"no transcript for {year}: the three prior years must be checked")
            continue
        if not prior.return_filed:
            fail(FtaOutcome.UNFILED, f"no {year} return on file (unless none was required): file it first")
        for record in prior.penalties:
            if record.kind is PenaltyKind.ESTIMATED_TAX or record.assessed <= ZERO:
                continue
            name = record.kind.value.replace("_", " ").upper() if record.kind is not PenaltyKind.OTHER else "penalty"
            if record.abated > ZERO and record.reason is AbatementReason.FIRST_TIME:
                fail(FtaOutcome.PRIOR_FTA, f"{year}: {name} was removed by first-time abatement, which counts against a clean history")
            if record.remaining > ZERO:
                fail(FtaOutcome.PRIOR_PENALTY, f"{year}: {name} of ${record.remaining:,.2f} assessed and not abated")
            elif record.abated > ZERO and record.reason is AbatementReason.UNKNOWN:
                fail(
                    FtaOutcome.UNCERTAIN,
                    f"{year}: {name} was abated but the transcript does not say why; if it was first-time "
                    "abatement the history is not clean (check the IRS letter or IDRS penalty reason code)",
                )
    for other in history:
        if other.tax_year > period.tax_year and not other.return_filed:
            fail(FtaOutcome.UNFILED, f"no {other.tax_year} return on file: every required return must be filed")
    for other in (period, *history):
        if other.tax_unpaid > ZERO and not other.agreement_in_effect:
            fail(
                FtaOutcome.NOT_PAID,
                f"{other.tax_year}: ${other.tax_unpaid:,.2f} of tax unpaid and no installment agreement: pay it or "
                "arrange to pay, then ask",
            )
    verdict = next((v for v in _ORDER if v in failed), FtaOutcome.QUALIFIES)
    reasons = [reason for v in _ORDER for reason in failed.get(v, [])]
    if verdict is FtaOutcome.QUALIFIES:
        reasons.append(
            f"clean {lookback_years}-year history, returns filed, tax paid or arranged: ask for first-time abatement "
            f"of ${covered:,.2f} (and the interest on it); it is applied to the earliest qualifying period"
        )
    return FtaResult(period.tax_year, verdict, tuple(reasons), covered)


def abatement_reason(text: str) -> AbatementReason:
    """The reason printed beside an abatement, when there is one."""
    if _FTA_MARK.search(text):
        return AbatementReason.FIRST_TIME
    if _CAUSE_MARK.search(text):
        return AbatementReason.REASONABLE_CAUSE
    if _STATUTORY_MARK.search(text):
        return AbatementReason.STATUTORY_OR_ERROR
    return AbatementReason.UNKNOWN


def history_from_transcript(
    transcript: AccountTranscript,
    rules: RuleSet,
    *,
    tax_unpaid: Decimal = ZERO,
    agreement_in_effect: bool = False,
    include_accrued: bool = False,
) -> PeriodHistory:
    """The penalties, abatements and filing status of one account transcript."""
    catalog = rules.transaction_codes
    assessed: dict[PenaltyKind, Decimal] = {}
    abated: dict[PenaltyKind, Decimal] = {}
    reasons: dict[PenaltyKind, AbatementReason] = {}
    filed = transcript.return_present and any(t.code == "150" for t in transcript.transactions)
    for posting in transcript.transactions:
        entry = catalog.match(posting.code, posting.text, action_code=posting.action_code, closing_code=posting.closing_code)
        if entry is None or entry.penalty is None:
            continue
        if entry.effect is Effect.PENALTY:
            assessed[entry.penalty] = assessed.get(entry.penalty, ZERO) + posting.amount
        elif entry.effect is Effect.ABATEMENT:
            abated[entry.penalty] = abated.get(entry.penalty, ZERO) - posting.amount
            reason = abatement_reason(posting.text)
            if reasons.get(entry.penalty) is not AbatementReason.FIRST_TIME:
                reasons[entry.penalty] = reason
    if include_accrued and transcript.accrued_penalty:
        assessed[PenaltyKind.FTP] = assessed.get(PenaltyKind.FTP, ZERO) + transcript.accrued_penalty
    records = tuple(
        PenaltyRecord(kind, assessed.get(kind, ZERO), abated.get(kind, ZERO), reasons.get(kind))
        for kind in PenaltyKind
        if kind in assessed or kind in abated
    )
    return PeriodHistory(transcript.tax_year, filed, records, tax_unpaid, agreement_in_effect)


def lookback_years(rules: RuleSet, on: date) -> int:
    """The clean-history look-back in force on ``on`` (rules data)."""
    return rules.parameters.integer("relief.fta.lookback_years", on)

"""The catalog of IRS notices and letters that concern a balance due.

Each entry says what the notice is, where it stands in the collection sequence, how long the
taxpayer has to respond and under which rule, the rights it carries and what follows if it is
ignored.  :class:`NoticeCode` lists every code in the catalog; a test keeps the two identical.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, model_validator

from balancedue.errors import RulesDataError, UnknownNoticeError
from balancedue.rules.parameters import RULE_ID_PATTERN
from balancedue.rules.sources import FrozenModel, Source


class NoticeCode(StrEnum):
    """Canonical codes of the notices in the catalog (``data/notices.yaml``)."""

    CP14 = "CP14"
    CP14C = "CP14C"
    CP501 = "CP501"
    CP503 = "CP503"
    CP504 = "CP504"
    LT16 = "LT16"
    LT11 = "LT11"
    LTR1058 = "LTR1058"
    CP90 = "CP90"
    CP91 = "CP91"
    LTR3172 = "LTR3172"
    CP508C = "CP508C"
    CP161 = "CP161"
    CP504B = "CP504B"
    CP297 = "CP297"
    CP297A = "CP297A"
    CP297C = "CP297C"
    CP14H = "CP14H"
    CP501H = "CP501H"
    CP503H = "CP503H"
    CP71H = "CP71H"
    CP11 = "CP11"
    CP12 = "CP12"
    CP13 = "CP13"
    CP23 = "CP23"
    CP24 = "CP24"
    CP22A = "CP22A"
    CP49 = "CP49"
    CP2000 = "CP2000"
    CP3219A = "CP3219A"
    CP3219N = "CP3219N"
    CP521 = "CP521"
    CP522 = "CP522"
    CP523 = "CP523"
    CP89 = "CP89"
    CP71 = "CP71"
    CP71A = "CP71A"
    CP71C = "CP71C"
    CP71D = "CP71D"
    CP40 = "CP40"
    CP21A = "CP21A"
    CP05 = "CP05"
    CP75 = "CP75"
    CP2501 = "CP2501"
    LTR5071C = "LTR5071C"
    LTR4883C = "LTR4883C"
    LTR525 = "LTR525"
    LTR950 = "LTR950"
    CP09 = "CP09"
    CP01A = "CP01A"


class Stage(StrEnum):
    """Where a notice stands in the life of a balance due."""

    PROPOSED_CHANGE = "proposed_change"      # CP2000, CP3219A: not yet a bill
    ADJUSTMENT = "adjustment"                # CP11, CP12, CP21, CP22A: the return was changed
    FIRST_BILL = "first_bill"                # CP14, CP161: notice and demand
    REMINDER = "reminder"                    # CP501, CP503
    INTENT_TO_LEVY = "intent_to_levy"        # CP504: IRC 6331(d)
    COLLECTION_CONTACT = "collection_contact"  # LT16, LT26, LT39
    FINAL_NOTICE_CDP = "final_notice_cdp"    # LT11, Letter 1058, CP90: IRC 6330
    LIEN = "lien"                            # Letter 3172: IRC 6320
    LEVY_OR_OFFSET = "levy_or_offset"        # a levy already made (CP297A, CP297C)
    OFFSET = "offset"                        # CP49: a refund applied to a debt (IRC 6402), not a levy
    AFTER_HEARING_RIGHTS = "after_hearing_rights"  # CP91/CP298: levy notice after the CDP notice
    AGREEMENT = "agreement"                  # CP521, CP523: installment agreements
    PASSPORT = "passport"                    # CP508C
    INFORMATION = "information"              # other related notices


class Severity(StrEnum):
    """How urgent the notice is for the taxpayer."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class DeadlineTag(StrEnum):
    """Hard deadlines are set by law; soft ones by the IRS; estimated ones are typical dates."""

    HARD = "hard"
    SOFT = "soft"
    ESTIMATED = "estimated"
    COMPUTED = "computed"  # a consequence the law attaches to a date computed from the account


class InterestFreePeriod(StrEnum):
    """How a bill stands to the interest-free period after notice and demand (IRC 6601(e)(3))."""

    NOTICE_AND_DEMAND = "notice_and_demand"  # the first bill for the amount (IRC 6303(a))
    LATER_NOTICE = "later_notice"            # a reminder or later notice for an amount billed before


class InterestFreeBasis(FrozenModel):
    """What the catalog holds for one kind of bill, and on what sources.

    ``applies``: whether the printed amount is taken to hold through the interest-free period.
    ``settled``: whether the sources settle it; when they do not, ``assumption`` is what the
    report says it assumes, and why.
    """

    kind: InterestFreePeriod
    applies: bool
    settled: bool
    assumption: str = Field(min_length=10)
    sources: tuple[Source, ...] = Field(min_length=1)


class DeadlineRule(FrozenModel):
    """A machine-readable response deadline.

    Exactly one basis: ``days_from_notice_date``, ``business_days_from_notice_date`` or
    ``printed_date`` (the date printed on the notice, such as a pay-by date).  ``rule`` names a
    parameter in ``parameters.yaml`` that supplies the day count and its citation.
    """

    what: str = Field(min_length=3)
    tag: DeadlineTag
    days_from_notice_date: int | None = Field(default=None, ge=1, le=400)
    business_days_from_notice_date: int | None = Field(default=None, ge=1, le=60)
    printed_date: bool = False
    rule: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    consequence: str | None = None

    @model_validator(mode="after")
    def _one_basis(self) -> DeadlineRule:
        bases = [
            self.days_from_notice_date is not None,
            self.business_days_from_notice_date is not None,
            self.printed_date,
        ]
        if sum(bases) != 1:
            raise ValueError(
                "a deadline needs exactly one of days_from_notice_date, "
                "business_days_from_notice_date or printed_date"
            )
        return self


class Right(FrozenModel):
    """A right attached to the notice (CDP hearing, Tax Court petition, appeal...)."""

    name: str = Field(min_length=3)
    description: str = Field(min_length=3)
    rule: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    form: str | None = None


class NoticeEntry(FrozenModel):
    """One notice or letter in the catalog."""

    code: NoticeCode
    aliases: tuple[str, ...] = ()
    title: str = Field(min_length=3)
    recipient: str = Field(min_length=3)
    meaning: str = Field(min_length=10)
    stage: Stage
    sequence: int | None = Field(default=None, ge=1, le=20, description="order in the balance-due stream")
    severity: Severity
    is_bill: bool
    interest_free_period: InterestFreePeriod | None = None
    deadlines: tuple[DeadlineRule, ...] = ()
    rights: tuple[Right, ...] = ()
    if_ignored: str = Field(min_length=5)
    next_notices: tuple[NoticeCode, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _bills_have_deadlines(self) -> NoticeEntry:
        # Informational notices (annual statements, CP89 "this is not a bill") have no deadline;
        # a bill always has at least its pay-by date.
        if self.is_bill and not self.deadlines:
            raise ValueError(f"{self.code} is a bill but has no deadline; add its pay-by date")
        if self.is_bill and self.interest_free_period is None:
            raise ValueError(f"{self.code} is a bill: say whether it is the notice and demand (interest_free_period)")
        return self


class NoticeCatalogFile(FrozenModel):
    """The parsed ``notices.yaml``."""

    schema_version: int
    interest_free_periods: tuple[InterestFreeBasis, ...] = Field(min_length=1)
    notices: tuple[NoticeEntry, ...]


def normalize_code(text: str) -> str:
    """Canonical spelling of a notice code as typed or printed.

    ``"cp 504"`` -> ``"CP504"``, ``"Letter 1058"`` -> ``"LTR1058"``, ``"lt-11"`` -> ``"LT11"``.
    """
    cleaned = re.sub(r"[\s\-_.]+", "", text.strip().upper())
    cleaned = re.sub(r"^(NOTICE)", "", cleaned)
    cleaned = re.sub(r"^(LETTER|LTR|L)(?=\d)", "LTR", cleaned)
    return cleaned


class NoticeCatalog:
    """Notices by code, with alias and near-miss look-up."""

    def __init__(self, data: NoticeCatalogFile) -> None:
        by_code: dict[str, NoticeEntry] = {}
        lookup: dict[str, NoticeEntry] = {}
        for entry in data.notices:
            if entry.code.value in by_code:
                raise RulesDataError("notices.yaml", f"notice {entry.code} is listed twice")
            by_code[entry.code.value] = entry
            for spelling in (entry.code.value, *entry.aliases):
                key = normalize_code(spelling)
                if key in lookup and lookup[key] is not entry:
                    raise RulesDataError("notices.yaml", f"alias {spelling!r} names two notices")
                lookup[key] = entry
        for entry in data.notices:
            for follower in entry.next_notices:
                if follower.value not in by_code:
                    raise RulesDataError("notices.yaml", f"{entry.code} is followed by unknown {follower}")
        bases = {basis.kind: basis for basis in data.interest_free_periods}
        for entry in data.notices:
            if entry.interest_free_period is not None and entry.interest_free_period not in bases:
                raise RulesDataError("notices.yaml", f"{entry.code}: no interest_free_periods entry "
                                     f"for {entry.interest_free_period.value}")
        self._by_code = by_code
        self._lookup = lookup
        self._interest_free = bases

    def __iter__(self) -> Iterator[NoticeEntry]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    @property
    def codes(self) -> list[str]:
        """Every canonical code."""
        return list(self._by_code)

    def interest_free(self, entry: NoticeEntry | None) -> InterestFreeBasis | None:
        """Whether the amount billed on ``entry`` holds through the interest-free period after
        notice and demand (IRC 6601(e)(3)), with the sources; None for a notice that is not a bill."""
        if entry is None or entry.interest_free_period is None:
            return None
        return self._interest_free[entry.interest_free_period]

    def find(self, text: str) -> NoticeEntry | None:
        """The notice for a code or alias as typed; ``None`` when unknown."""
        return self._lookup.get(normalize_code(text))

    def get(self, text: str) -> NoticeEntry:
        """The notice for a code or alias; an error naming the closest codes when unknown."""
        entry = self.find(text)
        if entry is None:
            raise UnknownNoticeError(text, self.suggest(text))
        return entry

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Known codes closest to ``text``."""
        key = normalize_code(text)
        ranked = sorted(
            self._lookup,
            key=lambda known: (-difflib.SequenceMatcher(None, key, known).ratio(), known),
        )
        seen: list[str] = []
        for match in ranked:
            code = self._lookup[match].code.value
            if code not in seen:
                seen.append(code)
            if len(seen) == limit:
                break
        return seen[:limit]


def parse_notice_catalog(raw: Mapping[str, Any]) -> NoticeCatalog:
    """Validate the mapping loaded from ``notices.yaml``."""
    try:
        data = NoticeCatalogFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("notices.yaml", f"{where}: {first['msg']}") from exc
    return NoticeCatalog(data)

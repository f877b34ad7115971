"""The catalog of IRS transaction codes (TC) that appear on account transcripts.

Each entry says what a code means in plain words, what it does to the account (``effect``), how
its amount prints (``sign``), which penalty it concerns, and what it does to the collection
statute (``csed``).  TC 971/972 carry an action code and TC 500/520 a closing code; account
transcripts print words rather than those codes, so an entry may list ``phrases`` that select it
from the printed explanation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, model_validator

from balancedue.errors import RulesDataError
from balancedue.rules.parameters import RULE_ID_PATTERN
from balancedue.rules.sources import FrozenModel, Source

_CODE_PATTERN = r"^\d{3}$"


class Effect(StrEnum):
    """What a posting does to the account."""

    ASSESSMENT_TAX = "assessment_tax"
    ABATEMENT_TAX = "abatement_tax"
    PENALTY = "penalty"
    ABATEMENT = "abatement"
    INTEREST = "interest"
    ABATEMENT_INTEREST = "abatement_interest"
    FEE = "fee"
    ABATEMENT_FEE = "abatement_fee"
    PAYMENT = "payment"
    ESTIMATED_PAYMENT = "estimated_payment"
    WITHHOLDING = "withholding"
    CREDIT = "credit"
    REVERSAL = "reversal"
    REFUND = "refund"
    OFFSET_OUT = "offset_out"
    WRITE_OFF = "write_off"
    EXTENSION = "extension"
    NOTICE = "notice"
    INSTALLMENT_AGREEMENT = "installment_agreement"
    COLLECTION_HOLD = "collection_hold"
    LIEN = "lien"
    LEVY = "levy"
    EXAMINATION = "examination"
    STATUTE = "statute"
    INFORMATIONAL = "informational"


class Sign(StrEnum):
    """How the amount prints on a transcript: debits positive, credits negative."""

    DEBIT = "debit"
    CREDIT = "credit"
    NONE = "none"
    EITHER = "either"


class PenaltyKind(StrEnum):
    """The penalty an assessment or abatement concerns."""

    FTF = "ftf"
    FTP = "ftp"
    ESTIMATED_TAX = "estimated_tax"
    OTHER = "other"


class CsedRole(StrEnum):
    """What a posting does to the collection statute expiration date."""

    NEW_ASSESSMENT = "new_assessment"
    TOLLING_START = "tolling_start"
    TOLLING_END = "tolling_end"
    TOLLING_CANCEL = "tolling_cancel"
    TOLLING_POINT = "tolling_point"
    EXTENSION = "extension"
    WRITE_OFF = "write_off"


class TollingKind(StrEnum):
    """Events that suspend the collection period, and families an end code may close."""

    OFFER = "offer"
    INSTALLMENT_AGREEMENT = "installment_agreement"
    CDP = "cdp"
    BANKRUPTCY = "bankruptcy"
    INNOCENT_SPOUSE = "innocent_spouse"
    OUTSIDE_US = "outside_us"
    COMBAT_ZONE = "combat_zone"
    MILITARY_DEFERMENT = "military_deferment"
    LEGAL_ACTION = "legal_action"  # family: cdp or bankruptcy (TC 521, 522)
    MILITARY = "military"  # family: combat_zone or military_deferment (TC 502)

    def closes(self, other: TollingKind) -> bool:
        """True when an end of kind ``self`` can close an open event of kind ``other``."""
        return self is other or other in _FAMILIES.get(self, ())


_FAMILIES: dict[TollingKind, tuple[TollingKind, ...]] = {
    TollingKind.LEGAL_ACTION: (TollingKind.CDP, TollingKind.BANKRUPTCY),
    TollingKind.MILITARY: (TollingKind.COMBAT_ZONE, TollingKind.MILITARY_DEFERMENT),
}
_ROLES_WITH_KIND = {
    CsedRole.TOLLING_START,
    CsedRole.TOLLING_END,
    CsedRole.TOLLING_CANCEL,
    CsedRole.TOLLING_POINT,
}


class CsedEffect(FrozenModel):
    """A code's role for the collection statute, and the parameters that extend it."""

    role: CsedRole
    kind: TollingKind | None = None
    add: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    floor: str | None = Field(default=None, pattern=RULE_ID_PATTERN)

    @model_validator(mode="after")
    def _kind_when_tolling(self) -> CsedEffect:
        if (self.role in _ROLES_WITH_KIND) != (self.kind is not None):
            raise ValueError(f"csed role {self.role} {'needs' if self.role in _ROLES_WITH_KIND else 'takes no'} kind")
        return self


class TransactionCodeEntry(FrozenModel):
    """One transaction code (or one action code / closing code of it)."""

    code: str = Field(pattern=_CODE_PATTERN)
    action_code: str | None = Field(default=None, pattern=_CODE_PATTERN)
    closing_codes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    title: str = Field(min_length=3)
    meaning: str = Field(min_length=10)
    effect: Effect
    sign: Sign
    penalty: PenaltyKind | None = None
    csed: CsedEffect | None = None
    reverses: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TransactionCodeEntry:
        for closing in self.closing_codes:
            if len(closing) != 2 or not closing.isdigit():
                raise ValueError(f"TC {self.code}: closing code {closing!r} is not two digits")
        for phrase in self.phrases:
            if phrase != phrase.lower():
                raise ValueError(f"TC {self.code}: phrase {phrase!r} must be lower case")
        if (self.effect in (Effect.PENALTY, Effect.ABATEMENT)) != (self.penalty is not None):
            raise ValueError(f"TC {self.code}: 'penalty' is required exactly for penalties and their abatements")
        if self.effect is Effect.REVERSAL and not self.reverses:
            raise ValueError(f"TC {self.code}: a reversal names the codes it reverses")
        return self

    @property
    def key(self) -> str:
        """``"971/063"`` for an action code, ``"520 cc 76"`` for closing codes, else the code."""
        if self.action_code:
            return f"{self.code}/{self.action_code}"
        if self.closing_codes:
            return f"{self.code} cc {','.join(self.closing_codes)}"
        return self.code

    @property
    def is_default(self) -> bool:
        """True for the entry that applies when no action code or wording selects another.

        A default may list closing codes: TC 520's default is the bankruptcy entry.
        """
        return not (self.action_code or self.phrases)


class TransactionCodeFile(FrozenModel):
    """The parsed ``transaction_codes.yaml``."""

    schema_version: int
    sources: dict[str, Source] = Field(default_factory=dict)
    codes: tuple[TransactionCodeEntry, ...]


class TransactionCodeCatalog:
    """Transaction codes by number, with the action code, closing code or wording that selects one."""

    def __init__(self, data: TransactionCodeFile) -> None:
        by_code: dict[str, list[TransactionCodeEntry]] = {}
        seen: set[tuple[str, str | None, tuple[str, ...], tuple[str, ...]]] = set()
        for entry in data.codes:
            identity = (entry.code, entry.action_code, entry.closing_codes, entry.phrases)
            if identity in seen:
                raise RulesDataError("transaction_codes.yaml", f"TC {entry.key} is listed twice")
            seen.add(identity)
            by_code.setdefault(entry.code, []).append(entry)
        for code, entries in by_code.items():
            if sum(1 for e in entries if e.is_default) > 1:
                raise RulesDataError("transaction_codes.yaml", f"TC {code} has more than one default entry")
        for entry in data.codes:
            for target in entry.reverses:
                if target not in by_code:
                    raise RulesDataError("transaction_codes.yaml", f"TC {entry.code} reverses unknown TC {target}")
        self._by_code = by_code
        self._entries = data.codes

    def __iter__(self) -> Iterator[TransactionCodeEntry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def codes(self) -> list[str]:
        """Every transaction code number in the catalog."""
        return sorted(self._by_code)

    def match(
        self,
        code: str,
        explanation: str = "",
        *,
        action_code: str | None = None,
        closing_code: str | None = None,
    ) -> TransactionCodeEntry | None:
        """The entry for a posting; ``None`` when the code is not in the catalog.

        An explicit action code or closing code decides first, then the printed wording, then
        the code's default entry.
        """
        entries = self._by_code.get(code)
        if not entries:
            return None
        if action_code is not None:
            for entry in entries:
                if entry.action_code == action_code:
                    return entry
        if closing_code is not None:
            for entry in entries:
                if closing_code in entry.closing_codes:
                    return entry
        text = explanation.lower()
        if text:
            for entry in entries:
                if any(phrase in text for phrase in entry.phrases):
                    return entry
        for entry in entries:
            if entry.is_default:
                return entry
        return None


def parse_transaction_codes(raw: Mapping[str, Any]) -> TransactionCodeCatalog:
    """Validate the mapping loaded from ``transaction_codes.yaml``."""
    try:
        data = TransactionCodeFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("transaction_codes.yaml", f"{where}: {first['msg']}") from exc
    return TransactionCodeCatalog(data)

"""Official IRS phone numbers, payment channels, web domains and places to report fraud.

The scam check compares what a letter, call or message says against these lists, and the
reports point people to them.  Each entry carries its source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator

from balancedue.errors import RulesDataError
from balancedue.rules.sources import FrozenModel, Source

_PHONE = re.compile(r"^\d{3}-\d{3}-\d{4}$")


def normalize_phone(text: str) -> str | None:
    """``"(800) 829.1040"`` or ``"+1 800 829 1040"`` -> ``"800-829-1040"``; ``None`` when not a US number."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


class PaymentKind(StrEnum):
    """How a payment channel moves money."""

    BANK_ACCOUNT = "bank_account"
    CARD = "card"
    CHECK_OR_MONEY_ORDER = "check_or_money_order"
    CASH = "cash"
    WIRE = "wire"
    PAYROLL_OR_BUSINESS = "payroll_or_business"


class OfficialPhone(FrozenModel):
    """An official IRS or Treasury telephone number."""

    number: str
    name: str = Field(min_length=3)
    purpose: str = Field(min_length=3)
    source: Source

    @field_validator("number")
    @classmethod
    def _formatted(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError(f"phone {value!r} must be written NNN-NNN-NNNN")
        return value


class PaymentChannel(FrozenModel):
    """An official way to pay the IRS."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=3)
    kind: PaymentKind
    url: str | None = None
    payee: str = Field(min_length=3, description="who the money is paid to")
    fee: str = Field(min_length=1, description="plain-language fee, or 'none'")
    source: Source


class ReportingChannel(FrozenModel):
    """Where to report a scam or impersonation."""

    name: str = Field(min_length=3)
    what: str = Field(min_length=3)
    phone: str | None = None
    url: str | None = None
    email: str | None = None
    source: Source


class OfficialDomain(FrozenModel):
    """A web domain the IRS or Treasury uses (sub-domains included)."""

    domain: str = Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")
    purpose: str = Field(min_length=3)
    source: Source


class ContactsFile(FrozenModel):
    """The parsed ``contacts.yaml``."""

    schema_version: int
    phones: tuple[OfficialPhone, ...] = Field(min_length=1)
    payment_channels: tuple[PaymentChannel, ...] = Field(min_length=1)
    domains: tuple[OfficialDomain, ...] = Field(min_length=1)
    reporting: tuple[ReportingChannel, ...] = Field(min_length=1)


class Contacts:
    """Official contacts with look-up helpers."""

    def __init__(self, data: ContactsFile) -> None:
        self.data = data
        self._phones = {p.number: p for p in data.phones}

    @property
    def phones(self) -> tuple[OfficialPhone, ...]:
        """Every official number."""
        return self.data.phones

    @property
    def payment_channels(self) -> tuple[PaymentChannel, ...]:
        """Every official payment channel."""
        return self.data.payment_channels

    @property
    def domains(self) -> tuple[OfficialDomain, ...]:
        """Every official domain."""
        return self.data.domains

    @property
    def reporting(self) -> tuple[ReportingChannel, ...]:
        """Where to report fraud."""
        return self.data.reporting

    def phone(self, text: str) -> OfficialPhone | None:
        """The official entry for a number as written, or ``None``."""
        number = normalize_phone(text)
        return self._phones.get(number) if number else None

    def is_official_domain(self, host: str) -> bool:
        """True for an official domain or one of its sub-domains (``www.irs.gov``)."""
        host = host.lower().rstrip(".")
        return any(host == d.domain or host.endswith("." + d.domain) for d in self.data.domains)


def parse_contacts(raw: Mapping[str, Any]) -> Contacts:
    """Validate the mapping loaded from ``contacts.yaml``."""
    try:
        data = ContactsFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("contacts.yaml", f"{where}: {first['msg']}") from exc
    return Contacts(data)

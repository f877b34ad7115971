"""Official IRS phone numbers, payment channels, web domains and places to report fraud.

The scam check compares what a letter, call or message says against these lists, and the
reports point people to them.  Each entry names its source by key; the keys are defined once
under ``sources`` in ``contacts.yaml`` and resolved (and checked) at load time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from balancedue.errors import RulesDataError
from balancedue.rules.sources import FrozenModel, Source

_PHONE = re.compile(r"^\d{3}-\d{3}-\d{4}$")
_VANITY = re.compile(r"^\d{3}-[0-9A-Z]{3,4}-?[0-9A-Z]{3,4}$")
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$")
_ID = r"^[a-z][a-z0-9_]*$"
_HOST = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]{2,}$"


def normalize_phone(text: str) -> str | None:
    """``"(800) 829.1040"`` or ``"+1 800 829 1040"`` -> ``"800-829-1040"``; ``None`` if not US."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def resolve_source_keys(
    raw: Mapping[str, Any], file: str, sections: tuple[str, ...]
) -> dict[str, Any]:
    """Replace ``source: <key>`` in ``sections`` by the source defined under ``sources``.

    A section is a list of entries or a single mapping.  An entry may also give its source in
    full (a mapping).  An unknown key, or a key that nothing uses, is an error: the file must
    not carry dangling or dead citations.
    """
    data = dict(raw)
    sources = data.pop("sources", None) or {}
    if not isinstance(sources, Mapping):
        raise RulesDataError(file, "sources: must be a mapping of key -> source")
    used: set[str] = set()

    def resolve(entry: Any, where: str) -> Any:
        if isinstance(entry, Mapping) and isinstance(entry.get("source"), str):
            key = entry["source"]
            if key not in sources:
                raise RulesDataError(file, f"{where}.source: unknown source key {key!r}")
            used.add(key)
            return {**entry, "source": sources[key]}
        return entry

    for section in sections:
        value = data.get(section)
        if isinstance(value, list):
            data[section] = [resolve(entry, f"{section}.{i}") for i, entry in enumerate(value)]
        elif isinstance(value, Mapping):
            data[section] = resolve(value, section)
    unused = sorted(set(sources) - used)
    if unused:
        raise RulesDataError(file, f"sources: defined but never used: {', '.join(unused)}")
    return data


class PhoneKind(StrEnum):
    """Who answers an official number."""

    IRS = "irs"
    TAXPAYER_ADVOCATE = "taxpayer_advocate"
    OVERSIGHT = "oversight"
    PAYMENT_PROCESSOR = "payment_processor"
    CONSUMER_PROTECTION = "consumer_protection"


class PaymentKind(StrEnum):
    """How a payment channel moves money."""

    BANK_ACCOUNT = "bank_account"
    CARD = "card"
    CHECK_OR_MONEY_ORDER = "check_or_money_order"
    CASH = "cash"
    WIRE = "wire"
    PAYROLL_OR_BUSINESS = "payroll_or_business"


class DomainKind(StrEnum):
    """What an official domain is for."""

    IRS = "irs"
    TREASURY = "treasury"
    PAYMENT = "payment"
    PAYMENT_PROCESSOR = "payment_processor"
    OVERSIGHT = "oversight"
    CONSUMER_PROTECTION = "consumer_protection"


class OfficialPhone(FrozenModel):
    """An official IRS, Treasury or related telephone number."""

    id: str = Field(pattern=_ID)
    number: str
    aliases: tuple[str, ...] = Field(default=(), description="vanity spellings: 800-TAX-FORM")
    kind: PhoneKind
    tty: bool = False
    name: str = Field(min_length=3)
    purpose: str = Field(min_length=3)
    caution: str | None = Field(default=None, description="why the number may be out of date")
    source: Source

    @field_validator("number")
    @classmethod
    def _formatted(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError(f"phone {value!r} must be written NNN-NNN-NNNN")
        return value

    @field_validator("aliases")
    @classmethod
    def _vanity(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for alias in value:
            if not _VANITY.match(alias):
                raise ValueError(f"alias {alias!r} must look like 800-TAX-FORM")
        return value


class PrivateCollectionAgency(FrozenModel):
    """A private collection agency under contract with the IRS (IRC 6306)."""

    name: str = Field(min_length=2)
    aliases: tuple[str, ...] = ()
    address: str = Field(min_length=5)
    phone: str
    contracted_from: date | None = None
    contracted_to: date | None = None
    source: Source

    @field_validator("phone")
    @classmethod
    def _formatted(cls, value: str) -> str:
        if not _PHONE.match(value):
            raise ValueError(f"phone {value!r} must be written NNN-NNN-NNNN")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> PrivateCollectionAgency:
        start, end = self.contracted_from, self.contracted_to
        if start and end and end < start:
            raise ValueError(f"{self.name}: contracted_to is before contracted_from")
        return self

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)

    def is_contracted_on(self, day: date | None) -> bool:
        """True if the contract covers ``day``; with no day, whether it is still under contract."""
        if day is None:
            return self.contracted_to is None
        starts = self.contracted_from is None or self.contracted_from <= day
        ends = self.contracted_to is None or day <= self.contracted_to
        return starts and ends


class PaymentChannel(FrozenModel):
    """An official way to pay the IRS."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=3)
    kind: PaymentKind
    url: str | None = Field(default=None, pattern=r"^https://")
    hosts: tuple[str, ...] = ()
    payee: str = Field(min_length=3, description="who the money is paid to")
    fee: str = Field(min_length=1, description="plain-language fee, or 'none'")
    note: str | None = None
    source: Source


class ReportingChannel(FrozenModel):
    """Where to report a scam or impersonation."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=3)
    what: str = Field(min_length=3)
    phone: str | None = None
    url: str | None = Field(default=None, pattern=r"^https://")
    email: str | None = None
    sms: str | None = Field(default=None, pattern=r"^\d{3,6}$")
    note: str | None = None
    source: Source

    @field_validator("phone")
    @classmethod
    def _formatted(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise ValueError(f"phone {value!r} must be written NNN-NNN-NNNN")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError(f"e-mail address {value!r} is not valid")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> ReportingChannel:
        if not (self.phone or self.url or self.email or self.sms):
            raise ValueError(f"reporting channel {self.id!r} needs a phone, url, email or sms")
        return self


class OfficialDomain(FrozenModel):
    """A web domain the IRS, Treasury or a related agency uses (sub-domains included)."""

    domain: str = Field(pattern=_HOST)
    kind: DomainKind
    purpose: str = Field(min_length=3)
    retired_on: date | None = Field(default=None, description="no longer official from this date")
    source: Source


class ContactsFile(FrozenModel):
    """The parsed ``contacts.yaml``."""

    schema_version: int = Field(ge=2)
    phones: tuple[OfficialPhone, ...] = Field(min_length=1)
    private_collection_agencies: tuple[PrivateCollectionAgency, ...] = ()
    payment_channels: tuple[PaymentChannel, ...] = Field(min_length=1)
    domains: tuple[OfficialDomain, ...] = Field(min_length=1)
    reporting: tuple[ReportingChannel, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_and_consistent(self) -> ContactsFile:
        _unique("phones.id", [p.id for p in self.phones])
        agencies = self.private_collection_agencies
        _unique("phones.number", [p.number for p in self.phones] + [a.phone for a in agencies])
        _unique("payment_channels.id", [c.id for c in self.payment_channels])
        _unique("domains.domain", [d.domain for d in self.domains])
        _unique("reporting.id", [r.id for r in self.reporting])
        _unique(
            "private_collection_agencies name or alias",
            [name.casefold() for a in self.private_collection_agencies for name in a.names],
        )
        domains = [d.domain for d in self.domains]
        for channel in self.payment_channels:
            for host in channel.hosts:
                if not _covered(host, domains):
                    raise ValueError(
                        f"payment channel {channel.id!r}: host {host!r} is not an official domain"
                    )
        return self


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} is listed twice")
        seen.add(value)


def _covered(host: str, domains: list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


class Contacts:
    """Official contacts with look-up helpers."""

    def __init__(self, data: ContactsFile) -> None:
        self.data = data
        self._phones = {p.number: p for p in data.phones}
        self._phone_ids = {p.id: p for p in data.phones}
        self._agencies = {a.phone: a for a in data.private_collection_agencies}
        self._reporting = {r.id: r for r in data.reporting}
        self._channels = {c.id: c for c in data.payment_channels}
        # longest first, so that fed.acipayonline.com wins over a shorter parent
        self._domains = sorted(data.domains, key=lambda d: -len(d.domain))

    @property
    def phones(self) -> tuple[OfficialPhone, ...]:
        """Every official number."""
        return self.data.phones

    @property
    def private_collection_agencies(self) -> tuple[PrivateCollectionAgency, ...]:
        """Every private collection agency, current and former."""
        return self.data.private_collection_agencies

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

    @property
    def official_payees(self) -> tuple[str, ...]:
        """Every payee the official channels name (``United States Treasury``)."""
        return tuple(sorted({c.payee for c in self.data.payment_channels}))

    def phone(self, text: str) -> OfficialPhone | None:
        """The official entry for a number as written, or ``None``."""
        number = normalize_phone(text)
        return self._phones.get(number) if number else None

    def phone_by_id(self, phone_id: str) -> OfficialPhone:
        """The official number with this id; a rules-data error when unknown."""
        try:
            return self._phone_ids[phone_id]
        except KeyError:
            raise RulesDataError("contacts.yaml", f"no phone with id {phone_id!r}") from None

    def agency_for_phone(self, text: str) -> PrivateCollectionAgency | None:
        """The private collection agency that uses this number, or ``None``."""
        number = normalize_phone(text)
        return self._agencies.get(number) if number else None

    def agencies_on(self, day: date | None) -> tuple[PrivateCollectionAgency, ...]:
        """Agencies under contract on ``day`` (with no day: those still under contract)."""
        return tuple(a for a in self.data.private_collection_agencies if a.is_contracted_on(day))

    def reporting_channel(self, channel_id: str) -> ReportingChannel:
        """The reporting channel with this id; a rules-data error when unknown."""
        try:
            return self._reporting[channel_id]
        except KeyError:
            problem = f"no reporting channel with id {channel_id!r}"
            raise RulesDataError("contacts.yaml", problem) from None

    def payment_channel(self, channel_id: str) -> PaymentChannel:
        """The payment channel with this id; a rules-data error when unknown."""
        try:
            return self._channels[channel_id]
        except KeyError:
            problem = f"no payment channel with id {channel_id!r}"
            raise RulesDataError("contacts.yaml", problem) from None

    def domain_for(self, host: str) -> OfficialDomain | None:
        """The official domain a host belongs to (``www.irs.gov`` -> ``irs.gov``), or ``None``."""
        host = host.lower().rstrip(".")
        for entry in self._domains:
            if host == entry.domain or host.endswith("." + entry.domain):
                return entry
        return None

    def is_official_domain(self, host: str) -> bool:
        """True for an official domain still in use, or one of its sub-domains (``www.irs.gov``)."""
        entry = self.domain_for(host)
        return entry is not None and entry.retired_on is None


def parse_contacts(raw: Mapping[str, Any]) -> Contacts:
    """Validate the mapping loaded from ``contacts.yaml``."""
    resolved = resolve_source_keys(
        raw,
        "contacts.yaml",
        ("phones", "private_collection_agencies", "payment_channels", "domains", "reporting"),
    )
    try:
        data = ContactsFile.model_validate(resolved)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("contacts.yaml", f"{where}: {first['msg']}") from exc
    return Contacts(data)

"""Plain records of the case store: what :mod:`balancedue.cases.store` hands out.

Frozen dataclasses without Django, so that services, reports and tests use them freely; the
database rows never leave the app.  Money is :class:`~decimal.Decimal`, days are
:class:`~datetime.date`, moments are timezone-aware :class:`~datetime.datetime` in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

REMINDER_DAYS = (7, 2)
"""Reminders start this many days before each deadline."""


class CaseStatus(StrEnum):
    """Where a case stands."""

    OPEN = "open"
    WAITING = "waiting"      # waiting for the IRS to answer
    RESOLVED = "resolved"    # settled: paid, abated, agreed
    CLOSED = "closed"        # nothing more to do or keep track of


class DocumentKind(StrEnum):
    """What a stored document is."""

    NOTICE = "notice"
    RETURN = "return"
    WAGE_STATEMENT = "w2-1099"
    PROOF_OF_PAYMENT = "proof-of-payment"
    CORRESPONDENCE = "correspondence"
    MAIL_RECEIPT = "mail-receipt"
    TRANSCRIPT = "transcript"


class JournalKind(StrEnum):
    """What a journal entry records."""

    OPENED = "opened"            # the case was opened from a notice
    DOCUMENT = "document"        # a document was added
    CALL = "call"                # a telephone call with the IRS
    MAIL = "mail"                # something was mailed (certified tracking number, enclosures)
    PAYMENT = "payment"          # a payment was made
    NOTE = "note"                # a free note
    LETTER = "letter"            # a letter was written from the case
    DEADLINE = "deadline"        # a deadline's date was changed by hand
    STATUS = "status"            # the case's status changed
    CORRECTION = "correction"    # corrects an earlier entry (which stays as it was)


CORRECTABLE_CASE_FIELDS = frozenset({"notice_date", "amount_due", "tax_year"})
"""Fields of a case that a correction of its opening entry may change."""


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """The taxpayer: a name, a mailing address and only the last four digits of the id."""

    name: str
    address: tuple[str, ...] = ()
    id_last4: str | None = None


@dataclass(frozen=True, slots=True)
class TaxPeriodRecord:
    """One tax period a case is about."""

    tax_form: str | None
    period_end: date | None
    tax_year: int | None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class DeadlineRecord:
    """A dated thing to do, computed from a notice by a rule; its date can be changed by hand."""

    number: int
    what: str
    due: date
    tag: str
    basis: str
    consequence: str | None
    rule: str | None
    source: str
    computed_due: date
    notice_code: str | None = None
    changed_reason: str | None = None

    @property
    def changed(self) -> bool:
        """True when the date was changed by hand."""
        return self.due != self.computed_due

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the date (negative once it has passed)."""
        return (self.due - today).days


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A stored document: its bytes live in the document folder under their SHA-256."""

    number: int
    sha256: str
    size: int
    kind: DocumentKind
    name: str
    media_type: str
    added_at: datetime
    text: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class JournalRecord:
    """One journal entry; ``hash`` seals it and every entry before it (see :mod:`.chain`)."""

    sequence: int
    created_at: datetime
    kind: JournalKind
    payload: dict[str, Any]
    prev_hash: str
    hash: str
    corrects: int | None = None


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case: one tax year and the notices about it."""

    number: int
    uid: str
    client: ClientRecord
    title: str
    tax_year: int | None
    tax_periods: tuple[TaxPeriodRecord, ...]
    notice_codes: tuple[str, ...]
    notice_id: str | None
    notice_date: date | None
    date_received: date
    status: CaseStatus
    amount_due: Decimal | None
    reply_address: tuple[str, ...]
    created_at: datetime
    journal_length: int
    journal_head: str


@dataclass(frozen=True, slots=True)
class CaseFile:
    """Everything kept for one case."""

    case: CaseRecord
    deadlines: tuple[DeadlineRecord, ...]
    documents: tuple[DocumentRecord, ...]
    journal: tuple[JournalRecord, ...]


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder that a deadline is near: shown from ``remind_on`` until the deadline."""

    case_number: int
    what: str
    due: date
    days_left: int
    lead_days: int

    @property
    def remind_on(self) -> date:
        """The day the reminder starts."""
        return date.fromordinal(self.due.toordinal() - self.lead_days)


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One line of the case list."""

    number: int
    uid: str
    client_name: str
    title: str
    tax_year: int | None
    notice_codes: tuple[str, ...]
    status: CaseStatus
    next_what: str | None
    next_due: date | None


@dataclass(frozen=True, slots=True)
class CaseVersion:
    """Which state of a case is stored: its client, the hash of its journal's last entry and the
    digest that seals its rows (see ``cases.integrity``).  Any write to the case changes the head,
    the digest or both, and a state once left never comes back (the journal only grows)."""

    client_id: int
    journal_head: str
    state_digest: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Something ``verify`` found wrong: what it is about and what is wrong with it."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass(frozen=True, slots=True)
class CaseVerification:
    """The result of checking a case: the journal chain and every document's bytes."""

    case_number: int
    case_uid: str
    entries_checked: int
    documents_checked: int
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return not self.problems


@dataclass(frozen=True, slots=True)
class NewDeadline:
    """A deadline to add to a case."""

    what: str
    due: date
    tag: str
    basis: str
    consequence: str | None = None
    rule: str | None = None
    source: str = ""
    notice_code: str | None = None


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document to add: a file (or bytes), what it is, and the text read from it."""

    source: Any  # pathlib.Path or bytes
    kind: DocumentKind
    name: str
    media_type: str = "application/octet-stream"
    text: str = ""


@dataclass(frozen=True, slots=True)
class NewCase:
    """What opening a case needs."""

    client: ClientRecord
    title: str
    date_received: date
    tax_year: int | None = None
    tax_periods: tuple[TaxPeriodRecord, ...] = ()
    notice_codes: tuple[str, ...] = ()
    notice_id: str | None = None
    notice_date: date | None = None
    amount_due: Decimal | None = None
    reply_address: tuple[str, ...] = ()
    deadlines: tuple[NewDeadline, ...] = ()
    reviewed_notice: Mapping[str, Any] | None = None  # the notice as read and reviewed, kept in the journal

"""How the product speaks to a person: one place for every interface.

The terminal, the PDF and HTML reports, the case report and the web pages all write money,
rates, dates, "in 3 days", confidence words, journal lines, section titles and field names
through these functions, so the same thing reads the same everywhere and no internal name
(``intent_to_levy``, ``taxpayer_id_last4``) reaches a person.  JSON keeps the data's own names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from balancedue.cases.records import JournalKind, JournalRecord
from balancedue.engine.money import format_money, format_rate
from balancedue.intake.confidence import band
from balancedue.letters import LetterKind

if TYPE_CHECKING:
    from balancedue.advice.report import Report

# --- figures, dates and days ---------------------------------------------------------------------


def money(value: Decimal | str | None) -> str:
    """``Decimal("-1234.5")`` or ``"-1234.50"`` -> ``"-$1,234.50"``; nothing -> ``""``."""
    if value is None or value == "":
        return ""
    return format_money(Decimal(value))


def rate(value: Decimal | None) -> str:
    """A fraction as a percentage: ``Decimal("0.005")`` -> ``"0.5%"``; nothing -> ``""``."""
    return format_rate(value) if value is not None else ""


def day(value: date | None) -> str:
    """A date written out: ``"June 2, 2025"``; nothing -> ``""``."""
    return value.strftime("%B %-d, %Y") if value else ""


def due_in(days: int) -> str:
    """Days to a deadline: ``-3`` -> ``"overdue by 3 days"``, ``0`` -> ``"today"``, ``2`` -> ``"in 2 days"``."""
    return f"overdue by {-days} day{'s' if days != -1 else ''}" if days < 0 else days_from_today(days)


def days_from_today(days: int | None) -> str:
    """``-3`` -> ``"3 days ago"``, ``0`` -> ``"today"``, ``1`` -> ``"in 1 day"``; nothing -> ``""``."""
    if days is None:
        return ""
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} ago"
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def days_left(days: int) -> str:
    """A deadline table's cell: ``13`` -> ``"13"``, ``0`` -> ``"today"``, ``-38`` -> ``"passed 38 days ago"``
    (a passed date is never shown as a negative count)."""
    if days < 0:
        return f"passed {days_from_today(days)}"
    return "today" if days == 0 else str(days)


def confidence_word(score: float, *, found: bool = True) -> str:
    """The word for a reading confidence (one set of bands: :func:`balancedue.intake.confidence.band`)."""
    return band(score, found=found).value


# --- names ---------------------------------------------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "notice_code": "Notice code",
    "notice_date": "Notice date",
    "tax_year": "Tax year",
    "tax_period_end": "End of the tax period",
    "tax_form": "Tax form",
    "amount_due": "Amount due",
    "pay_by_date": "Pay by",
    "respond_by_date": "Respond by",
    "tax": "Tax",
    "penalties": "Penalties",
    "interest": "Interest",
    "payments_and_credits": "Payments and credits",
    "taxpayer_id_last4": "Last four digits of the taxpayer ID",
    "phone": "Phone number",
    "reply_address": "Reply address",
    "notice_id": "Notice number",
}
"""Every field read from a notice, as a person calls it."""

ACRONYMS = {"cdp": "CDP", "irs": "IRS", "csed": "CSED", "fta": "FTA", "ein": "EIN", "ssn": "SSN", "itin": "ITIN",
            "id": "ID", "oic": "OIC", "tas": "TAS", "lit": "LIT", "ftf": "FTF", "ftp": "FTP"}


def words(name: str) -> str:
    """An internal name in plain words: ``"intent_to_levy"`` -> ``"Intent to levy"``,
    ``"cdp_hearing"`` -> ``"CDP hearing"``."""
    parts = [ACRONYMS.get(part, part) for part in str(name).split("_") if part]
    if not parts:
        return ""
    first = parts[0]
    return " ".join([first if first.isupper() else first.capitalize(), *parts[1:]])


def field_label(name: str) -> str:
    """The label of a notice field (or of a comparison item, which is one)."""
    return FIELD_LABELS.get(name) or words(name)


def letter_label(kind: str) -> str:
    """What a letter kind is called: ``"cdp_hearing"`` -> its subject line."""
    # The letters' views load the rules data: imported only where a letter is named.
    from balancedue.letters.template_data import SUBJECTS

    try:
        return SUBJECTS[LetterKind(kind)]
    except ValueError:
        return words(kind)


# --- the sections of the analysis report ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the analysis report: its key in the JSON report and its title."""

    key: str
    title: str
    number: int | str | None = None

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


SECTIONS: tuple[Section, ...] = (
    Section("pay_in_full_today", "To pay in full today"),
    Section("where_you_stand", "Where you stand today"),
    Section("what_this_is", "What this is", 1),
    Section("deadlines", "Deadlines", 2),
    Section("verification", "Is the amount right?", 3),
    Section("return_check", "The proposed changes, re-run on your return", "3a"),
    Section("options", "Your options", 4),
    Section("if_you_do_nothing", "If you do nothing", 5),
    Section("is_this_real", "Is this real?", 6),
    Section("professional", "When to call a professional", 7),
    Section("rights_and_routes", "Your rights and routes"),
    Section("next_steps", "Next steps", 8),
    Section("notice", "What was read from the notice"),
)
"""Every section of the report, in order; every renderer shows each under this heading (a
section the report leaves empty, such as the return check without a return, is left out)."""

SECTION = {section.key: section for section in SECTIONS}


PRINTED_ONLY_RULE = "the notice"
"""The rule of a figure to pay that is the printed amount alone, with nothing accrued since added."""


def pay_holds(rule: str | None, holds_until: date, today: date) -> str:
    """How far the figure to pay today can be relied on: ``holds until 2025-06-23`` or ``holds today
    only``; for the printed amount alone (nothing since the notice date could be added) it is a floor."""
    if rule == PRINTED_ONLY_RULE:
        return "at least this much: the printed amount, without what has accrued since the notice date"
    return "holds today only" if holds_until <= today else f"holds until {holds_until.isoformat()}"


def bill_words(report: Report) -> str:
    """Whether the notice is a bill, in words; a notice that is not one (a refund offset) but
    leaves a balance to pay says so, so that it is not read as owing nothing."""
    is_bill = report.what_this_is.is_bill
    if is_bill is None:
        return ""
    if is_bill:
        return "a bill"
    from balancedue.advice.plan import PROPOSAL_PAY_BASIS  # a proposal is owed only if agreed

    pay = report.pay_in_full_today
    if pay is not None and Decimal(pay.amount.amount) > 0 and pay.basis != PROPOSAL_PAY_BASIS:
        return "not a bill itself, but a balance is still owed (the figure to pay in full above)"
    return "not a bill"


UNREAD_FIELD_MARK = "Supply it with --set"
"""Every note about a key field the notice reader could not read ends by naming its flag."""


def unread_key_fields(notes: list[str]) -> list[str]:
    """The notes that say which key field was not read and how to give it (shown first when
    the report has no figure to pay)."""
    return [note for note in notes if UNREAD_FIELD_MARK in note]


def heading(key: str) -> str:
    """The heading of a report section: ``"deadlines"`` -> ``"2. Deadlines"``."""
    return SECTION[key].heading


# --- the case journal ----------------------------------------------------------------------------

PAYLOAD_LABELS = {
    "agent": "Agent", "badge": "Badge", "phone": "Phone", "started_at": "From", "ended_at": "To",
    "summary": "Summary", "outcome": "Outcome", "follow_up": "Follow-up", "tracking": "Tracking",
    "sent_on": "Sent", "enclosures": "Enclosures", "paid_on": "Paid", "amount": "Amount",
    "channel": "Channel", "confirmation": "Confirmation", "text": "Note", "reason": "Reason",
}
"""The fields of a journal entry, as a person calls them."""

_NOT_SHOWN = frozenset({"deadlines", "documents", "reviewed_notice"})

_TITLES = {
    JournalKind.NOTE: "Note",
    JournalKind.OPENED: "Case opened",
    JournalKind.DOCUMENT: "Document added",
    JournalKind.DEADLINE: "Deadline changed",
    JournalKind.CORRECTION: "Correction",
}


def journal_title(entry: JournalRecord) -> str:
    """A short title of a journal entry: "Call with A. Agent (badge 1000123)"."""
    p = entry.payload
    kind = JournalKind(entry.kind)
    if kind is JournalKind.CALL:
        return f"Call with {p.get('agent')} (badge {p.get('badge')})"
    if kind is JournalKind.MAIL:
        return f"Mailed, tracking {p.get('tracking')}"
    if kind is JournalKind.PAYMENT:
        return f"Payment of {money(p.get('amount'))} by {p.get('channel')}"
    if kind is JournalKind.LETTER:
        return f"Letter written: {letter_label(str(p.get('letter_kind', '')))}"
    if kind is JournalKind.STATUS:
        return f"Status: {p.get('new') or p.get('status', '')}"
    if kind is JournalKind.DOCUMENT and p.get("name"):
        return f"Document added: {p.get('name')} ({p.get('kind', '')})"
    if kind is JournalKind.DEADLINE and p.get("new_due"):
        return f"Date moved: {p.get('what', '')}, from {_iso_day(p.get('old_due'))} to {_iso_day(p.get('new_due'))}"
    if kind is JournalKind.CORRECTION and isinstance(p.get("replacement"), dict) and p["replacement"]:
        return "Corrected: " + "; ".join(f"{field_label(k)}, now {_field_value(k, v)}" for k, v in p["replacement"].items())
    return _TITLES.get(kind, str(entry.kind))


def _field_value(name: str, value: Any) -> str:
    """A corrected value as a person reads it: a date written out, an amount in dollars."""
    text = "" if value is None else str(value)
    if name.endswith("date") or name == "tax_period_end":
        return _iso_day(text)
    if name in ("amount", "amount_due", "tax", "penalties", "interest", "payments_and_credits"):
        try:
            return money(text)
        except ArithmeticError:
            return text
    return text or "(blank)"


def redated_lines(payload: dict[str, Any]) -> list[str]:
    """The deadlines a correction re-dated: "Date moved: Pay by, from June 23, 2025 to June 24, 2025"."""
    moved = payload.get("redated")
    if not isinstance(moved, list):
        return []
    return [f"Date moved: {m.get('what', '')}, from {_iso_day(m.get('old_due'))} to {_iso_day(m.get('new_due'))}"
            for m in moved if isinstance(m, dict)]


def _iso_day(text: Any) -> str:
    try:
        return day(date.fromisoformat(str(text)))
    except ValueError:
        return str(text or "")


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "" if value is None else str(value)


def journal_line(entry: JournalRecord) -> str:
    """One line of what a journal entry says, in the order a reader wants it."""
    payload = entry.payload
    if entry.kind == JournalKind.DOCUMENT:
        return f"Added document #{payload.get('number')}: {payload.get('name')} ({payload.get('kind')})"
    if entry.kind == JournalKind.CORRECTION:
        return f"Corrects entry #{payload.get('corrects')}: {payload.get('reason')} -> {_value(payload.get('replacement'))}"
    if entry.kind == JournalKind.OPENED:
        codes = ", ".join(payload.get("notice_codes") or [])
        return f"Case opened: {payload.get('title')} ({codes})"
    parts = []
    for key, label in PAYLOAD_LABELS.items():
        if key in payload and payload[key] not in (None, "", []):
            value = payload[key]
            if key == "amount" and isinstance(value, str):
                value = money(value)
            parts.append(f"{label}: {_value(value)}")
    if payload.get("deadlines"):
        parts.append("Deadline " + ", ".join(f"#{d.get('number')} on {d.get('due')}" for d in payload["deadlines"]))
    if payload.get("documents"):
        parts.append("Documents " + ", ".join(f"#{d.get('number')} {d.get('name')}" for d in payload["documents"]))
    for key in sorted(set(payload) - set(PAYLOAD_LABELS) - _NOT_SHOWN):
        if payload[key] not in (None, "", []):
            parts.append(f"{key.replace('_', ' ')}: {_value(payload[key])}")
    return ". ".join(parts)

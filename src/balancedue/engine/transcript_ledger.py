"""An account transcript turned into engine events, recomputed, and compared with what it states.

Each posting is read through the transaction-code catalog:

* the return (TC 150) becomes ``return_filed`` on the later of the due date and the received
  date printed in the return information (the TC 150 date is the assessment date); later tax
  (TC 290, 300) becomes ``additional_tax`` with the date of the bill that came with it;
* withholding (806), estimated payments (660, 710, 716), payments (610, 670 ...) and credits
  (706, 766, 768 ...) become payments and credits; reversals (611, 671, 807 ...) take back the
  credit they reverse; refunds and transfers out (846, 826, 898 ...) take back the most recent
  credit, since they move an overpayment off the account;
* abatements of tax and of the failure-to-file and failure-to-pay penalties become abatements;
  an interest abatement posted with another abatement is the interest that abatement removes (the
  engine removes it by itself), otherwise it is an interest abatement of its own;
* bills (TC 971 with a notice that is a bill in the notice catalog) are notices and demands;
  a notice of intent to levy (CP504, LT11, Letter 1058) is also a levy notice (IRC 6651(d));
  TC 971 action code 063 starts an installment agreement and 972/063 or 971/064 ends it;
* penalty and interest assessments (160/166, 270/276, 196/336) are not inputs: the engine
  computes them, and each is compared with the engine's figure on its own date;
* the estimated-tax penalty, other penalties, fees and unknown codes with an amount are carried
  as stated (the engine does not recompute them) and named in the notes.

Differences are reported with the posting or the rule that most likely explains them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from balancedue.engine.account import compute
from balancedue.engine.csed import CodedPosting
from balancedue.engine.dates import add_months
from balancedue.engine.money import CENT, ZERO, format_money
from balancedue.engine.scenario import SUPPORTED_FORMS, Component, Event, EventType, Scenario
from balancedue.engine.statement import Statement
from balancedue.rules import RuleSet
from balancedue.rules.notices import Stage
from balancedue.rules.transaction_codes import Effect, PenaltyKind, TransactionCodeEntry

ROUNDING_TOLERANCE = CENT * 2
_BILL_STAGES = {Stage.FIRST_BILL, Stage.REMINDER, Stage.INTENT_TO_LEVY, Stage.FINAL_NOTICE_CDP, Stage.ADJUSTMENT}
_LEVY_STAGES = {Stage.INTENT_TO_LEVY, Stage.FINAL_NOTICE_CDP}
_FTP_RATE_IDS = (
    "penalty.ftp.monthly_rate",
    "penalty.ftp.installment_agreement_monthly_rate",
    "penalty.ftp.levy_notice_monthly_rate",
)
_EXTENSION_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


class Posting(CodedPosting, Protocol):
    """What the ledger reads of a transaction line: what the CSED reads, and the notice code."""

    @property
    def notice(self) -> str | None: ...


class AccountRecord(Protocol):
    """What the ledger reads of an account transcript."""

    @property
    def form(self) -> str: ...
    @property
    def tax_period(self) -> date: ...
    @property
    def account_balance(self) -> Decimal | None: ...
    @property
    def accrued_interest(self) -> Decimal | None: ...
    @property
    def accrued_interest_as_of(self) -> date | None: ...
    @property
    def accrued_penalty(self) -> Decimal | None: ...
    @property
    def accrued_penalty_as_of(self) -> date | None: ...
    @property
    def balance_plus_accruals(self) -> Decimal | None: ...
    @property
    def response_date(self) -> date | None: ...
    @property
    def return_present(self) -> bool: ...
    @property
    def return_received_date(self) -> date | None: ...
    @property
    def transactions(self) -> Sequence[Posting]: ...


@dataclass(frozen=True, slots=True)
class ReadPosting:
    """A posting, the catalog entry that explains it, and what the ledger did with it."""

    posting: Posting
    entry: TransactionCodeEntry | None
    use: str


@dataclass(frozen=True, slots=True)
class Totals:
    """What the postings add up to, by part of the balance (abatements netted)."""

    tax: Decimal = ZERO
    failure_to_file: Decimal = ZERO
    failure_to_pay: Decimal = ZERO
    interest: Decimal = ZERO
    carried: Decimal = ZERO
    payments: Decimal = ZERO
    posted: Decimal = ZERO


@dataclass(frozen=True)
class Ledger:
    """The events the engine recomputes, and how every posting was read."""

    scenario: Scenario | None
    postings: tuple[ReadPosting, ...]
    totals: Totals
    unknown: tuple[Posting, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Difference:
    """One stated figure against the recomputed one (``difference`` = computed - stated)."""

    item: str
    stated: Decimal
    computed: Decimal
    explanation: str = ""

    @property
    def difference(self) -> Decimal:
        """Computed minus stated."""
        return self.computed - self.stated


@dataclass(frozen=True)
class Reconciliation:
    """The transcript's balance recomputed as of its accrual date, figure by figure."""

    as_of: date
    statement: Statement | None
    carried: Decimal
    checks: tuple[Difference, ...]
    assessments: tuple[Difference, ...]
    notes: tuple[str, ...]

    @property
    def reconciled(self) -> bool:
        """True when every figure agrees to the cent."""
        return all(d.difference == ZERO for d in (*self.checks, *self.assessments))

    @property
    def computed_balance(self) -> Decimal | None:
        """Recomputed balance plus accruals (with the amounts carried as stated)."""
        return self.statement.balance + self.carried if self.statement else None


@dataclass
class _PostedCredit:
    kind: EventType
    code: str
    day: date
    amount: Decimal


_CREDIT_KINDS = {
    Effect.PAYMENT: EventType.PAYMENT,
    Effect.ESTIMATED_PAYMENT: EventType.ESTIMATED_PAYMENT,
    Effect.WITHHOLDING: EventType.WITHHOLDING,
    Effect.CREDIT: EventType.CREDIT,
}


@dataclass
class _LedgerBuilder:
    """The scenario events, credits and totals gathered posting by posting."""

    rules: RuleSet
    transcript: AccountRecord
    first_return: Posting | None = None
    abatement_days: set[date] = field(default_factory=set)
    notice_days: list[date] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    credits: list[_PostedCredit] = field(default_factory=list)
    read: list[ReadPosting] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unknown: list[Posting] = field(default_factory=list)
    totals: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(("tax", "ftf", "ftp", "interest", "carried", "payments"), ZERO)
    )
    agreement_start: date | None = None
    extended: date | None = None
    takebacks: list[tuple[Posting, TransactionCodeEntry]] = field(default_factory=list)

    def add(self, day: date, kind: EventType, **values: object) -> None:
        self.events.append(Event(date=day, type=kind, **values))  # type: ignore[arg-type]

    def read_posting(self, posting: Posting, entry: TransactionCodeEntry | None) -> None:
        """Record what ``posting`` does to the account, and the use made of it."""
        amount = posting.amount
        if entry is None:
            self.unknown.append(posting)
            use = "unknown code"
            if amount:
                self.totals["carried"] += amount
                use = "unknown code: amount carried as stated"
        else:
            use = self._use(posting, entry)
            if use == "informational":
                use = entry.title
            if amount and entry.sign.value == "none":
                self.notes.append(
                    f"TC {posting.code} of {posting.date.isoformat()} carries an amount the catalog does not expect"
                )
        self.read.append(ReadPosting(posting, entry, use))

    def _use(self, posting: Posting, entry: TransactionCodeEntry) -> str:
        effect = entry.effect
        if effect in (Effect.ASSESSMENT_TAX, Effect.ABATEMENT_TAX):
            return self._tax(posting, effect)
        if effect in (Effect.PENALTY, Effect.ABATEMENT):
            return _penalty(self, entry, posting, self.totals)
        if effect in (Effect.INTEREST, Effect.ABATEMENT_INTEREST):
            return self._interest(posting, effect)
        if effect in (Effect.FEE, Effect.ABATEMENT_FEE, Effect.WRITE_OFF):
            self.totals["carried"] += posting.amount
            return "carried as stated"
        if effect in _CREDIT_KINDS or effect in (Effect.REVERSAL, Effect.REFUND, Effect.OFFSET_OUT):
            return self._credit(posting, entry)
        if effect is Effect.EXTENSION:
            self.extended = _extension_date(posting, self.transcript.tax_period, self.rules)
            return f"extension to {self.extended.isoformat()}"
        if effect in (Effect.NOTICE, Effect.LEVY):
            return self._notice(posting, effect)
        if effect is Effect.INSTALLMENT_AGREEMENT:
            return self._agreement(posting, entry.key)
        return "informational"

    def _tax(self, posting: Posting, effect: Effect) -> str:
        amount = posting.amount
        self.totals["tax"] += amount
        if effect is Effect.ABATEMENT_TAX:
            self.add(posting.date, EventType.ABATEMENT, amount=-amount, target=Component.TAX)
            return "abatement of tax"
        if posting.code == "150" and posting is self.first_return:
            filed = self.transcript.return_received_date or posting.date
            self.add(filed, EventType.RETURN_FILED, amount=amount)
            return f"return filed {filed.isoformat()}, tax {format_money(amount)}"
        if amount > ZERO:
            bill = next((d for d in self.notice_days if d >= posting.date), posting.date)
            self.add(posting.date, EventType.ADDITIONAL_TAX, amount=amount, notice_date=bill)
            return f"additional tax, billed {bill.isoformat()}"
        if amount < ZERO:
            self.add(posting.date, EventType.ABATEMENT, amount=-amount, target=Component.TAX)
            return "tax reduced"
        return "informational"

    def _interest(self, posting: Posting, effect: Effect) -> str:
        amount = posting.amount
        self.totals["interest"] += amount
        if effect is Effect.INTEREST:
            return "interest assessed: compared with the computation"
        if posting.date in self.abatement_days:
            return "interest on the abated amount (removed by the computation itself)"
        self.add(posting.date, EventType.ABATEMENT, amount=-amount, target=Component.INTEREST)
        return "abatement of interest"

    def _credit(self, posting: Posting, entry: TransactionCodeEntry) -> str:
        self.totals["payments"] -= posting.amount
        kind = _CREDIT_KINDS.get(entry.effect)
        if kind is not None:
            self.credits.append(_PostedCredit(kind, posting.code, posting.date, -posting.amount))
            return kind.value.replace("_", " ")
        self.takebacks.append((posting, entry))
        return "takes back a credit" if entry.effect is Effect.REVERSAL else "overpayment moved off the account"

    def _notice(self, posting: Posting, effect: Effect) -> str:
        is_bill, is_levy = _notice_is_bill(self.rules, posting)
        if effect is Effect.LEVY:
            is_bill = is_levy = True
        use = "informational"
        if is_bill:
            self.add(posting.date, EventType.NOTICE_AND_DEMAND)
            use = "notice and demand"
        if is_levy:
            self.add(posting.date, EventType.LEVY_NOTICE)
            use = "notice and demand; notice of intent to levy (IRC 6331(d))"
        return use

    def _agreement(self, posting: Posting, key: str) -> str:
        if key == "971/063":
            self.agreement_start = posting.date
            return "installment agreement starts"
        if key in ("972/063", "971/064") and self.agreement_start is not None:
            self.add(self.agreement_start, EventType.INSTALLMENT_AGREEMENT, end=posting.date)
            self.agreement_start = None
            return "installment agreement ends"
        return "informational"

    def finish(self) -> None:
        """Close an open agreement, apply the take-backs and add the credits left as events."""
        if self.agreement_start is not None:
            self.add(self.agreement_start, EventType.INSTALLMENT_AGREEMENT)
        for posting, entry in self.takebacks:  # after every credit is known: a refund may print before its credit
            codes = entry.reverses if entry.effect is Effect.REVERSAL else None
            left = _take_back(self, posting.amount, posting.date, codes)
            if left:
                self.notes.append(
                    f"TC {posting.code} of {posting.date.isoformat()} takes back {format_money(posting.amount)} but "
                    f"only {format_money(posting.amount - left)} of credits were found to take it from"
                )
        for credit in self.credits:
            if credit.amount > ZERO:
                self.add(credit.day, credit.kind, amount=credit.amount)


def _notice_is_bill(rules: RuleSet, posting: Posting) -> tuple[bool, bool]:
    """(notice and demand?, notice of intent to levy?) for a TC 971 notice."""
    if posting.notice is None:
        return False, False
    entry = rules.notices.find(posting.notice)
    if entry is None:
        return False, False
    return entry.is_bill and entry.stage in _BILL_STAGES, entry.stage in _LEVY_STAGES


def _take_back(builder: _LedgerBuilder, amount: Decimal, day: date, codes: Sequence[str] | None) -> Decimal:
    """Remove ``amount`` of credits: the matching reversed credit, or the latest ones first."""
    pool = [c for c in builder.credits if codes is None or c.code in codes]
    before = sorted((c for c in pool if c.day <= day), key=lambda c: c.day, reverse=True)
    after = sorted((c for c in pool if c.day > day), key=lambda c: c.day)
    exact = next((c for c in before + after if c.amount == amount), None)
    order = [exact] if exact is not None else before + after
    left = amount
    for credit in order:
        take = min(left, credit.amount)
        credit.amount -= take
        left -= take
        if left == ZERO:
            break
    return left


def build_ledger(transcript: AccountRecord, rules: RuleSet) -> Ledger:
    """Read every posting of ``transcript`` and build the engine scenario."""
    catalog = rules.transaction_codes
    postings = sorted(transcript.transactions, key=lambda p: p.date)
    entries = [
        catalog.match(p.code, p.text, action_code=p.action_code, closing_code=p.closing_code) for p in postings
    ]
    builder = _LedgerBuilder(
        rules,
        transcript,
        first_return=next((p for p in postings if p.code == "150"), None),
        abatement_days={
            p.date for p, e in zip(postings, entries, strict=True)
            if e is not None and e.effect in (Effect.ABATEMENT_TAX, Effect.ABATEMENT)
        },
        notice_days=sorted({p.date for p in postings if p.code == "971" and _notice_is_bill(rules, p)[0]}),
    )
    for posting, entry in zip(postings, entries, strict=True):
        builder.read_posting(posting, entry)
    builder.finish()
    totals = builder.totals
    result_totals = Totals(
        tax=totals["tax"],
        failure_to_file=totals["ftf"],
        failure_to_pay=totals["ftp"],
        interest=totals["interest"],
        carried=totals["carried"],
        payments=totals["payments"],
        posted=sum((p.amount for p in postings), ZERO),
    )
    scenario = _scenario(transcript, builder, builder.extended)
    return Ledger(scenario, tuple(builder.read), result_totals, tuple(builder.unknown), tuple(builder.notes))


def _penalty(builder: _LedgerBuilder, entry: TransactionCodeEntry, posting: Posting, totals: dict[str, Decimal]) -> str:
    amount = posting.amount
    kind = entry.penalty
    abatement = entry.effect is Effect.ABATEMENT
    if kind is PenaltyKind.FTF:
        totals["ftf"] += amount
        if abatement:
            builder.add(posting.date, EventType.ABATEMENT, amount=-amount, target=Component.FAILURE_TO_FILE)
            return "abatement of the failure-to-file penalty"
        return "failure-to-file penalty assessed: compared with the computation"
    if kind is PenaltyKind.FTP:
        totals["ftp"] += amount
        if abatement:
            builder.add(posting.date, EventType.ABATEMENT, amount=-amount, target=Component.FAILURE_TO_PAY)
            return "abatement of the failure-to-pay penalty"
        return "failure-to-pay penalty assessed: compared with the computation"
    totals["carried"] += amount
    what = "estimated-tax penalty" if kind is PenaltyKind.ESTIMATED_TAX else "penalty"
    builder.notes.append(
        f"TC {posting.code} ({what}) {format_money(amount)} of {posting.date.isoformat()} is taken as stated, "
        "not recomputed from the transcript"
    )
    return f"{what} carried as stated"


def _extension_date(posting: Posting, period: date, rules: RuleSet) -> date:
    match = _EXTENSION_DATE.search(posting.text)
    if match:
        return date(int(match[3]), int(match[1]), int(match[2]))
    year_after = date(period.year + 1, 1, 1)
    month, day = rules.parameters.month_day("filing.form_1040.due_month_day", year_after)
    months = rules.parameters.integer("filing.form_1040.extension_months", year_after)
    return add_months(date(period.year + 1, month, day), months)


def _scenario(transcript: AccountRecord, builder: _LedgerBuilder, extended: date | None) -> Scenario | None:
    if transcript.form not in SUPPORTED_FORMS:
        builder.notes.append(f"Form {transcript.form} is not supported by the computation yet; postings are listed only.")
        return None
    order = {kind: position for position, kind in enumerate(EventType)}
    ordered = sorted(builder.events, key=lambda e: (e.date, order[e.type]))
    events = tuple(
        Event(e.date, e.type, e.amount, e.designation, e.target, e.end, e.notice_date, index)
        for index, e in enumerate(ordered)
    )
    return Scenario(form=transcript.form, tax_year=transcript.tax_period.year, events=events, extended_due_date=extended)


def accrual_date(transcript: AccountRecord) -> date | None:
    """The date the transcript's accruals are figured to."""
    return transcript.accrued_interest_as_of or transcript.accrued_penalty_as_of or transcript.response_date


def reconcile(transcript: AccountRecord, rules: RuleSet, ledger: Ledger | None = None) -> Reconciliation | None:
    """Recompute the account as of its accrual date and compare each stated figure."""
    ledger = ledger or build_ledger(transcript, rules)
    as_of = accrual_date(transcript)
    if as_of is None:
        return None
    totals = ledger.totals
    notes = list(ledger.notes)
    checks: list[Difference] = []
    if transcript.account_balance is not None:
        explanation = ""
        if totals.posted != transcript.account_balance:
            explanation = (
                f"the transactions on this copy add up to {format_money(totals.posted)}: a transaction is missing "
                "from the copy (check every page) or an amount was misread"
            )
        checks.append(Difference("account balance = sum of postings", transcript.account_balance, totals.posted, explanation))
    if ledger.scenario is None:
        return Reconciliation(as_of, None, totals.carried, tuple(checks), (), tuple(notes))
    statement = compute(ledger.scenario, as_of, rules=rules)
    accrued_interest = transcript.accrued_interest or ZERO
    accrued_penalty = transcript.accrued_penalty or ZERO
    pairs = [
        ("tax", totals.tax, statement.tax),
        ("failure to file", totals.failure_to_file, statement.failure_to_file),
        ("failure to pay (assessed + accrued)", totals.failure_to_pay + accrued_penalty, statement.failure_to_pay),
        ("interest (assessed + accrued)", totals.interest + accrued_interest, statement.interest),
        ("payments and credits", totals.payments, statement.payments),
    ]
    for item, stated, computed in pairs:
        checks.append(Difference(item, stated, computed, _explain(item, computed - stated, ledger, rules)))
    if transcript.balance_plus_accruals is not None:
        computed = statement.balance + totals.carried
        diff = computed - transcript.balance_plus_accruals
        explanation = "" if not diff else "the sum of the differences above"
        checks.append(Difference("balance plus accruals", transcript.balance_plus_accruals, computed, explanation))
    assessments = _assessment_checks(ledger, rules)
    if any(c.difference for c in checks if c.item.startswith("interest")) and not any(a.difference for a in assessments):
        notes.append(
            "Each interest assessment matches on its own date: the difference is in the accrual after the last one."
        )
    notes.extend(statement.notes)
    return Reconciliation(as_of, statement, totals.carried, tuple(checks), tuple(assessments), tuple(notes))


def project(ledger: Ledger, day: date, rules: RuleSet) -> Statement | None:
    """The account recomputed as of ``day`` (a projection when ``day`` is later than the transcript)."""
    if ledger.scenario is None:
        return None
    return compute(ledger.scenario, day, rules=rules)


def _assessment_checks(ledger: Ledger, rules: RuleSet) -> list[Difference]:
    """Each penalty and interest assessment against the engine's figure on its date."""
    assert ledger.scenario is not None
    found: list[Difference] = []
    kinds: dict[date, set[str]] = {}
    for read in ledger.postings:
        entry = read.entry
        if entry is None or read.posting.amount <= ZERO:
            continue
        if entry.effect is Effect.INTEREST:
            kinds.setdefault(read.posting.date, set()).add("interest")
        elif entry.effect is Effect.PENALTY and entry.penalty in (PenaltyKind.FTF, PenaltyKind.FTP):
            kinds.setdefault(read.posting.date, set()).add(entry.penalty.value)
    for day in sorted(kinds):
        statement = compute(ledger.scenario, day, rules=rules)
        for kind in sorted(kinds[day]):
            stated = _cumulative(ledger, kind, day)
            computed = {"interest": statement.interest, "ftf": statement.failure_to_file, "ftp": statement.failure_to_pay}[kind]
            label = {"interest": "interest", "ftf": "failure to file", "ftp": "failure to pay"}[kind]
            item = f"{label} assessed through {day.isoformat()}"
            found.append(Difference(item, stated, computed, _explain(label, computed - stated, ledger, rules)))
    return found


def _cumulative(ledger: Ledger, kind: str, day: date) -> Decimal:
    total = ZERO
    for read in ledger.postings:
        entry = read.entry
        if entry is None or read.posting.date > day:
            continue
        is_interest = entry.effect in (Effect.INTEREST, Effect.ABATEMENT_INTEREST)
        is_penalty = entry.effect in (Effect.PENALTY, Effect.ABATEMENT) and entry.penalty is not None
        if (kind == "interest" and is_interest) or (is_penalty and entry.penalty is not None and entry.penalty.value == kind):
            total += read.posting.amount
    return total


def _explain(item: str, diff: Decimal, ledger: Ledger, rules: RuleSet) -> str:
    """The most likely reason for a difference of ``diff`` (computed - stated) in ``item``."""
    if not diff:
        return ""
    for read in ledger.postings:
        amount = read.posting.amount
        if amount and abs(amount) == abs(diff):
            return (
                f"equals TC {read.posting.code} of {read.posting.date.isoformat()} ({format_money(amount)}): "
                "check whether that posting was applied the same way"
            )
    if item.startswith("interest") and abs(diff) <= ROUNDING_TOLERANCE:
        return (
            "rounding: the IRS rounds interest to the cent each time it assesses it (TC 196/336), the "
            "computation rounds where the balance changes (IRM 20.2.14); a cent or two apart is expected"
        )
    if item.startswith("failure to pay"):
        hint = _ftp_payment_hint(diff, ledger, rules)
        if hint:
            return hint
    if ledger.totals.carried and item.startswith("interest"):
        return "interest on amounts carried as stated (estimated-tax penalty, fees) is not recomputed"
    return "not explained by a single posting: compare the computation line by line (--json)"


def _ftp_payment_hint(diff: Decimal, ledger: Ledger, rules: RuleSet) -> str:
    """Whether a failure-to-pay difference is a monthly charge on one payment (counted or not)."""
    for read in ledger.postings:
        entry = read.entry
        if entry is None or entry.effect not in (Effect.PAYMENT, Effect.CREDIT) or read.posting.amount >= ZERO:
            continue
        paid = -read.posting.amount
        for rule_id in _FTP_RATE_IDS:
            monthly = (paid * rules.parameters.decimal(rule_id, read.posting.date)).quantize(CENT)
            if monthly and (abs(diff) % monthly) == ZERO and abs(diff) // monthly <= 60:
                months = int(abs(diff) // monthly)
                return (
                    f"equals {months} month(s) of the penalty on the {format_money(paid)} paid "
                    f"{read.posting.date.isoformat()}: that payment was counted at a different date"
                )
    return ""

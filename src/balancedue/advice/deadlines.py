"""Deadlines of a notice, computed from its date with the legal-holiday rule (IRC 7503).

Each deadline says what to do, the date, how many days are left, what happens if it is missed,
and whether it is *hard* (set by law: Collection Due Process, Tax Court, refund claims),
*soft* (set by the IRS: pay-by dates) or *estimated* (a typical date, such as the next notice).
A date printed on the notice wins over a computed one for the same act; a computed date is
then shown only as a check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from balancedue.engine.accrual import grace_period_end
from balancedue.engine.dates import add_months, month_end, months_or_fraction
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import DeadlineRule, DeadlineTag, Stage
from balancedue.rules.parameters import Unit

# Rule ids whose deadline applies only below, or only at or above, the large-amount threshold
# of IRC 6601(e)(3).
GRACE_BELOW_LARGE = "interest.notice_demand.grace_days"
GRACE_AT_LEAST_LARGE = "interest.notice_demand.grace_business_days_large"
LARGE_AMOUNT = "interest.notice_demand.large_amount_threshold"
NEXT_NOTICE_INTERVAL = "collection.notice_interval_days"


@dataclass(frozen=True, slots=True)
class NoticeDeadline:
    """One dated thing to do."""

    what: str
    due: date
    tag: DeadlineTag
    days_left: int
    basis: str
    consequence: str | None
    rule: str | None
    source: str
    nominal: date | None = None  # the date before IRC 7503 moved it
    moved_because: str | None = None

    @property
    def passed(self) -> bool:
        """True when the date is behind us."""
        return self.days_left < 0


def _source(rules: RuleSet, rule_id: str | None, on: date, fallback: str) -> str:
    if rule_id and rule_id in rules.parameters:
        return rules.parameters.source(rule_id, on).short()
    return fallback


def _applies(deadline: DeadlineRule, amount_due: Decimal | None, rules: RuleSet, on: date) -> bool:
    if deadline.rule not in (GRACE_BELOW_LARGE, GRACE_AT_LEAST_LARGE) or amount_due is None:
        return True
    large = amount_due >= rules.parameters.decimal(LARGE_AMOUNT, on)
    return large if deadline.rule == GRACE_AT_LEAST_LARGE else not large


def notice_deadlines(
    entry: NoticeEntry,
    *,
    notice_date: date | None,
    pay_by: date | None,
    respond_by: date | None,
    amount_due: Decimal | None,
    today: date,
    rules: RuleSet,
    payment_due: date | None = None,
) -> tuple[list[NoticeDeadline], list[str]]:
    """The notice's deadlines, soonest first, and warnings about those that cannot be dated."""
    deadlines: list[NoticeDeadline] = []
    warnings: list[str] = []
    calendar = rules.calendar
    catalog_source = entry.sources[0].short()
    for rule in entry.deadlines:
        anchor = notice_date or today
        if notice_date is not None and not _applies(rule, amount_due, rules, notice_date):
            continue
        nominal: date | None = None
        if rule.printed_date:
            due = pay_by if "pay" in rule.what.lower() and pay_by else respond_by or pay_by
            if due is None:
                warnings.append(f"'{rule.what}': the date is printed on the notice but was not read; check it by eye.")
                continue
            basis = "the date printed on the notice"
        elif notice_date is None:
            warnings.append(f"'{rule.what}': the notice date was not read, so this deadline cannot be dated.")
            continue
        elif rule.rule in (GRACE_BELOW_LARGE, GRACE_AT_LEAST_LARGE) and amount_due is not None:
            # The same function the engine uses for its interest-free window (IRC 6601(e)(3), 7503).
            due = grace_period_end(rules, anchor, amount_due)
            nominal = anchor + timedelta(days=rule.days_from_notice_date) if rule.days_from_notice_date else None
            count = rule.days_from_notice_date or rule.business_days_from_notice_date
            unit = "days" if rule.days_from_notice_date else "business days"
            basis = f"{count} {unit} from the notice date {anchor.isoformat()} (IRC 6601(e)(3))"
        elif rule.days_from_notice_date is not None:
            nominal = anchor + timedelta(days=rule.days_from_notice_date)
            due = calendar.next_business_day(nominal)
            basis = f"{rule.days_from_notice_date} days from the notice date {anchor.isoformat()}"
        else:
            count = rule.business_days_from_notice_date or 0
            due = calendar.add_business_days(anchor, count)
            basis = f"{count} business days from the notice date {anchor.isoformat()}"
        moved = calendar.why_not_business_day(nominal) if nominal is not None and nominal != due else None
        deadlines.append(
            NoticeDeadline(
                what=rule.what,
                due=due,
                tag=rule.tag,
                days_left=(due - today).days,
                basis=basis + (f"; {nominal.isoformat()} falls on {_a(moved)}, so IRC 7503 moves it" if moved and nominal else ""),
                consequence=rule.consequence,
                rule=rule.rule,
                source=_source(rules, rule.rule, anchor, catalog_source),
                nominal=nominal if moved else None,
                moved_because=moved,
            )
        )
    if notice_date is not None and payment_due is not None and entry.stage is Stage.INTENT_TO_LEVY:
        deadlines.append(_levy_rate_cutoff(notice_date, payment_due, today, rules))
    if notice_date is not None:
        anchor_months: date | None = notice_date
        anchor_label = "the notice date"
        if entry.stage is Stage.LIEN:
            # Treas. Reg. 301.6320-1(i)(2): a year from the end of the five-business-day period after
            # the lien filing - the printed hearing date less the 30-day CDP period - not the letter date.
            printed = respond_by or pay_by
            if printed is not None:
                anchor_months = printed - timedelta(days=rules.parameters.integer("rights.cdp.request_days", printed))
                anchor_label = "the end of the five-business-day period after the lien filing (Treas. Reg. 301.6320-1(i)(2))"
            else:
                warnings.append("The equivalent-hearing year after a lien notice runs from the end of the "
                                "five-business-day period after the filing; the hearing date printed on the letter "
                                "was not read, so it is not dated here.")
                anchor_months = None
        if anchor_months is not None:
            deadlines.extend(_rights_in_months(entry, anchor_months, today, rules, anchor_label))
        deadlines.extend(_next_notice(entry, notice_date, today, rules))
    deadlines.sort(key=lambda d: (d.due, d.tag != DeadlineTag.HARD))
    return deadlines, warnings


def _levy_rate_cutoff(notice_date: date, payment_due: date, today: date, rules: RuleSet) -> NoticeDeadline:
    """IRC 6651(d): after a notice of intent to levy, failure-to-pay is 1% a month for each month
    that *begins* more than 10 days after the notice.  Failure-to-pay months run from the payment
    due date, so paying in full by the end of the month that contains day 10 avoids the higher rate."""
    wait = rules.parameters.integer("penalty.ftp.levy_notice_days", notice_date)
    day = notice_date + timedelta(days=wait)
    months = months_or_fraction(payment_due, day)
    cutoff = month_end(payment_due, months)
    rate = rules.parameters.decimal("penalty.ftp.levy_notice_monthly_rate", notice_date)
    return NoticeDeadline(
        what=f"Pay in full by this date so the failure-to-pay penalty does not rise to {rate * 100:.0f}% a month",
        due=cutoff,
        tag=DeadlineTag.COMPUTED,
        days_left=(cutoff - today).days,
        basis=(f"the first failure-to-pay month that begins more than {wait} days after the notice "
               f"({day.isoformat()}) starts {(cutoff + timedelta(days=1)).isoformat()}; months are counted from "
               f"{payment_due.isoformat()}"),
        consequence=f"From {(cutoff + timedelta(days=1)).isoformat()} the penalty is {rate * 100:.0f}% a month of the unpaid tax, not the usual rate.",
        rule="penalty.ftp.levy_notice_days",
        source=rules.parameters.source("penalty.ftp.levy_notice_days", notice_date).short(),
    )


def _a(reason: str) -> str:
    """``"a Sunday"`` but ``"New Year's Day"``."""
    return f"a {reason}" if reason in ("Saturday", "Sunday") else reason


def _rights_in_months(entry: NoticeEntry, notice_date: date, today: date, rules: RuleSet,
                      anchor_label: str = "the notice date") -> list[NoticeDeadline]:
    """Rights whose period is counted in months (the one-year equivalent hearing)."""
    dated = {d.rule for d in entry.deadlines}
    found = []
    for right in entry.rights:
        if not right.rule or right.rule in dated or right.rule not in rules.parameters:
            continue
        parameter = rules.parameters.get(right.rule)
        if parameter.unit is not Unit.MONTHS:
            continue
        months = rules.parameters.integer(right.rule, notice_date)
        nominal = add_months(notice_date, months)
        due = rules.calendar.next_business_day(nominal)
        moved = rules.calendar.why_not_business_day(nominal) if nominal != due else None
        found.append(
            NoticeDeadline(
                what=f"{right.name}: ask for it ({right.form or 'in writing'})",
                due=due,
                tag=DeadlineTag.HARD,
                days_left=(due - today).days,
                basis=f"{months} months from {anchor_label} {notice_date.isoformat()}",
                consequence=None,
                rule=right.rule,
                source=rules.parameters.source(right.rule, notice_date).short(),
                nominal=nominal if moved else None,
                moved_because=moved,
            )
        )
    return found


def _next_notice(entry: NoticeEntry, notice_date: date, today: date, rules: RuleSet) -> list[NoticeDeadline]:
    """When the next notice of the stream typically arrives (an estimate)."""
    if not entry.next_notices or not entry.is_bill:
        return []
    interval = rules.parameters.integer(NEXT_NOTICE_INTERVAL, notice_date)
    due = notice_date + timedelta(days=interval)
    names = ", ".join(code.value for code in entry.next_notices)
    return [
        NoticeDeadline(
            what=f"Next notice ({names}) if nothing is paid or arranged",
            due=due,
            tag=DeadlineTag.ESTIMATED,
            days_left=(due - today).days,
            basis=f"about {interval} days between notices",
            consequence=entry.if_ignored,
            rule=NEXT_NOTICE_INTERVAL,
            source=rules.parameters.source(NEXT_NOTICE_INTERVAL, notice_date).short(),
        )
    ]

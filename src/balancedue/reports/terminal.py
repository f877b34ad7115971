"""The report for a terminal (Rich)."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from balancedue.advice.report import Figure, Report
from balancedue.presentation import (
    bill_words,
    days_left,
    field_label,
    heading,
    money,
    pay_holds,
    unread_key_fields,
)
from balancedue.reports.return_check import print_return_check

TAG_STYLE = {"hard": "bold red", "soft": "yellow", "estimated": "cyan", "computed": "magenta"}


def _money(figure: Figure | None) -> str:
    return money(Decimal(figure.amount)) if figure is not None else ""


def _print_pay(report: Report, console: Console) -> None:
    """The first lines: the figure to pay in full today and how long it holds, or what is missing."""
    pay = report.pay_in_full_today
    if pay is not None:
        holds = pay_holds(pay.amount.rule, pay.holds_until, report.today)
        console.print(f"[bold]{heading('pay_in_full_today')}: {_money(pay.amount)}[/bold] ({holds})")
        console.print(f"[dim]{escape(pay.basis)}[/dim]")
        if pay.next_date is not None and pay.next_amount is not None:
            console.print(f"From {pay.next_date.isoformat()}: {_money(pay.next_amount)}")
        for note in pay.notes:
            console.print(f"[dim]{escape(note)}[/dim]")
    elif unread := unread_key_fields(report.options.notes):
        console.print(f"[bold]{heading('pay_in_full_today')}: not known[/bold]")
        for note in unread:
            console.print(escape(note))


def print_report(report: Report, console: Console) -> None:
    """Every section, in order."""
    w = report.what_this_is
    _print_pay(report, console)
    stand = report.where_you_stand
    if stand is not None:
        console.rule(f"{heading('where_you_stand')} (the notice is {stand.notice_age_days} days old)")
        for line in stand.passed:
            console.print(f"Passed: {escape(line)}")
        for line in stand.likely_since:
            console.print(f"Most likely since: {escape(line)}")
        for line in stand.check_first:
            console.print(f"[bold]Check first:[/bold] {escape(line)}")
        for line in stand.today_figures:
            console.print(escape(line))
    console.print(Panel(f"[bold]{w.title}[/bold]\n\n{w.meaning}", title=w.code or "Notice", expand=False))
    console.print(f"[dim]{report.disclaimer}[/dim]\n")

    console.rule(heading("what_this_is"))
    if w.stage:
        console.print(f"Stage: {w.stage}" + (f" (step {w.sequence} of the balance-due stream)" if w.sequence else ""))
    if w.severity:
        console.print(f"How serious: {w.severity}; {bill_words(report)}")
    if w.what_happens_next:
        console.print(f"If ignored: {w.what_happens_next}")
    for right in w.rights:
        console.print(f"Right: {right}")

    console.rule(heading("deadlines"))
    if stand is None:
        console.print("[bold]First step: write today's date on the notice, the day you received it.[/bold]")
    table = Table(show_lines=False)
    for column in ("Date", "Days left", "What", "Kind"):
        table.add_column(column)
    for d in report.deadlines:
        left = f"[red]{days_left(d.days_left)}[/red]" if d.passed else days_left(d.days_left)
        style = TAG_STYLE.get(d.tag, "")
        table.add_row(d.date.isoformat(), left, f"{d.what}\n[dim]{d.basis}[/dim]", f"[{style}]{d.tag}[/{style}]")
    console.print(table)

    v = report.verification
    console.rule(heading("verification"))
    console.print(v.summary)
    table = Table()
    for column in ("Item", "Notice", "Recomputed", "Difference", "Verdict"):
        table.add_column(column, justify="right" if column in ("Notice", "Recomputed", "Difference") else "left")
    for c in v.comparisons:
        verdict = ("[green]matches[/green]" if c.matches else
                   (f"[yellow]{escape(c.verdict)}[/yellow]" if c.verdict and c.verdict != "differs" else "[red]differs[/red]")
                   if c.matches is False else "-")
        table.add_row(field_label(c.item), _money(c.notice), _money(c.recomputed), _money(c.difference), verdict)
    console.print(table)
    for text in v.assumptions:
        console.print(f"[dim]Assumption: {text}[/dim]")
    for text in v.contradictions:
        console.print(f"[red]{text}[/red]")
    for c in v.comparisons:
        for why in c.likely_reasons:
            console.print(f"  - {field_label(c.item)}: {why}")
    if v.documents_to_gather:
        console.print("Documents to gather: " + "; ".join(v.documents_to_gather))
    if report.return_check is not None:
        print_return_check(report.return_check, console)

    console.rule(heading("options"))
    table = Table()
    for column in ("Option", "Eligible", "Fee", "Monthly", "Months", "Interest+penalty", "Total cost"):
        table.add_column(column, justify="left" if column in ("Option", "Eligible") else "right")
    for o in report.options.options:
        table.add_row(o.title, o.eligible, _money(o.setup_fee), _money(o.monthly_payment),
                      "" if o.months is None else str(o.months), _money(o.total_interest_and_penalty), _money(o.total_cost))
    console.print(table)
    for o in report.options.options:
        console.print(f"[bold]{o.title}[/bold] ({o.eligible}): {o.next_step}")
        for why in o.reasons:
            console.print(f"  - {why}")
        for note in o.notes:
            console.print(f"  note: {escape(note)}")
        for trade in o.tradeoffs:
            console.print(f"  [dim]trade-off: {escape(trade)}[/dim]")
    for note in report.options.notes:
        console.print(f"[dim]{note}[/dim]")

    n = report.if_you_do_nothing
    console.rule(heading("if_you_do_nothing"))
    for p in n.points:
        console.print(f"After {p.days} days ({p.date.isoformat()}): {_money(p.balance)}")
    for line in [*n.notices_that_follow, *n.risks]:
        console.print(f"- {line}")

    r = report.is_this_real
    console.rule(heading("is_this_real"))
    console.print(f"[bold]{r.verdict}[/bold]: {r.summary}")
    for s in r.signals:
        console.print(f"  - {s.title}: {s.explanation}")
    for line in r.how_to_verify:
        console.print(f"  * {line}")

    pro = report.professional
    console.rule(heading("professional"))
    console.print("[bold]Professional help is advised.[/bold]" if pro.advised else "Nothing here requires a professional.")
    for f in pro.findings:
        console.print(f"  - {f.reason}")
    for line in [*pro.taxpayer_advocate, *pro.low_income_clinic]:
        console.print(f"  {line}")

    if report.rights_and_routes:
        console.rule(heading("rights_and_routes"))
        for route in report.rights_and_routes:
            when = f" - by {route.deadline_date.isoformat()}" if route.deadline_date else ""
            passed = " [red](passed)[/red]" if route.passed else ""
            console.print(f"[bold]{escape(route.title)}[/bold]{when}{passed}: {escape(route.when)}")
            console.print(f"  How: {escape(route.how.rstrip('.'))}. Deadline: {escape(route.deadline)}. [dim]{escape(route.source)}[/dim]")
            for trade in route.tradeoffs:
                console.print(f"  [dim]trade-off: {escape(trade)}[/dim]")

    console.rule(heading("next_steps"))
    for number, step in enumerate(report.next_steps, start=1):
        when = f"[bold]by {step.by.isoformat()}[/bold] " if step.by else ""
        console.print(f"{number}. {when}{step.what}" + (f"\n   [dim]{step.detail}[/dim]" if step.detail else ""))
    console.rule(heading("notice"))
    table = Table()
    for column in ("Field", "Value", "Confidence"):
        table.add_column(column)
    for item in report.notice.fields:
        table.add_row(field_label(item.name), "-" if item.value is None else item.value, item.confidence_level)
    console.print(table)
    review = [item for item in report.notice.fields if item.needs_review]
    if review:
        console.rule("Please check")
        for item in review:
            console.print(
                f"[yellow]{field_label(item.name)}[/yellow] was read as {item.value!r} with "
                f"{item.confidence_level} confidence; check it on the notice."
            )

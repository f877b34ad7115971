"""``balancedue transcript``: read IRS transcripts, reconcile them, CSED and first-time abatement."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.presentation import money as format_money
from balancedue.services import transcripts as service


def _print_period(period: service.PeriodReport) -> None:
    t = period.transcript
    console.rule(
        f"[bold]Form {t.form}, tax period {t.tax_period.isoformat()}[/bold] "
        f"(taxpayer ...{t.taxpayer_id or '????'}, {t.kind.value.replace('_', ' ')}, {period.source})"
    )
    header = Table(show_header=False, box=None)
    for label, value in (
        ("Request / response date", f"{t.request_date or '-'} / {t.response_date or '-'}"),
        ("Account balance", format_money(t.account_balance) if t.account_balance is not None else "-"),
        ("Accrued interest", f"{format_money(t.accrued_interest or Decimal(0))} as of {t.accrued_interest_as_of or '-'}"),
        ("Accrued penalty", f"{format_money(t.accrued_penalty or Decimal(0))} as of {t.accrued_penalty_as_of or '-'}"),
        ("Balance plus accruals", format_money(t.balance_plus_accruals) if t.balance_plus_accruals is not None else "-"),
        ("Return", "not present" if not t.return_present else (t.filing_status or "present")),
    ):
        header.add_row(label, value)
    console.print(header)
    table = Table(title="Transactions")
    for column in ("Code", "Explanation", "Date", "Amount", "What it does"):
        table.add_column(column, justify="right" if column == "Amount" else "left")
    for read in period.ledger.postings:
        posting = read.posting
        table.add_row(posting.code, posting.text, posting.date.isoformat(), format_money(posting.amount), read.use)
    console.print(table)
    rec = period.reconciliation
    if rec is not None:
        status = "[green]reconciled to the cent[/green]" if rec.reconciled else "[yellow]differences found[/yellow]"
        checks = Table(title=f"Reconciliation as of {rec.as_of.isoformat()}: {status}")
        for column in ("Figure", "Stated", "Computed", "Difference", "Likely explanation"):
            checks.add_column(column, justify="left" if column in ("Figure", "Likely explanation") else "right")
        for diff in (*rec.checks, *rec.assessments):
            checks.add_row(
                diff.item,
                format_money(diff.stated),
                format_money(diff.computed),
                format_money(diff.difference) if diff.difference else "",
                diff.explanation,
            )
        console.print(checks)
        for note in rec.notes:
            console.print(f"[yellow]Note:[/yellow] {note}")
    if period.csed.lines:
        csed = Table(title="Collection statute expiration (IRC 6502; IRM 5.1.19)")
        for column in ("TC", "Assessed", "Amount", "10 years", "Days added", "CSED"):
            csed.add_column(column)
        for line in period.csed.lines:
            csed.add_row(
                line.assessment.code,
                line.assessment.date.isoformat(),
                format_money(line.assessment.amount),
                line.base.isoformat(),
                str(line.days_added),
                line.csed.isoformat(),
            )
        console.print(csed)
    if period.csed.periods:
        tolling = Table(title="Suspensions (overlaps counted once)")
        for column in ("Kind", "Start", "End", "Suspended through", "Days", "Citation"):
            tolling.add_column(column)
        for p in period.csed.periods:
            end = "open" if p.open else (p.end.isoformat() if p.end else "")
            tolling.add_row(p.kind.value.replace("_", " "), p.start.isoformat(), end, p.through.isoformat(), str(p.days), p.citation)
        console.print(tolling)
    for note in period.csed.notes:
        console.print(f"[yellow]CSED note:[/yellow] {note}")
    if period.fta is not None:
        colour = "green" if period.fta.qualifies else "yellow"
        console.print(f"[bold]First-time abatement:[/bold] [{colour}]{period.fta.verdict.value.replace('_', ' ')}[/{colour}] ({period.fta.citation})")
        for reason in period.fta.reasons:
            console.print(f"  - {reason}")
    if period.projection is not None and period.projection_date is not None:
        projected = period.projection.balance + period.ledger.totals.carried
        console.print(f"[bold]Projected balance on {period.projection_date.isoformat()}:[/bold] {format_money(projected)}")
    if period.unknown:
        console.print("[red]Unknown transaction codes (kept, not interpreted):[/red]")
        for posting in period.unknown:
            console.print(f"  TC {posting.code} {posting.date.isoformat()} {format_money(posting.amount)} {posting.text}")
    for warning in period.transcript.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")


@handle_errors
def transcript(
    files: Annotated[list[Path], typer.Argument(help="Transcript files: text saved or pasted from the IRS, or PDFs.", show_default=False)],
    as_of: Annotated[str | None, typer.Option("--as-of", help="Also project each balance to this date (YYYY-MM-DD).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Read IRS account transcripts: reconcile the balance, CSED per assessment, first-time abatement."""
    when = parse_date(as_of, "--as-of") if as_of else None
    report = service.analyze_files(files, as_of=when, rules=app_context().rules)
    if json_output:
        emit_json(service.report_to_json(report, app_context().rules))
        return
    for period in report.periods:
        _print_period(period)
    for check in report.withholding:
        if check.posted is None:
            console.print(f"Wage and income {check.tax_year}: withholding reported {format_money(check.reported)}; no account transcript for the year.")
        elif check.difference:
            console.print(
                f"[yellow]Wage and income {check.tax_year}:[/yellow] employers and payers reported {format_money(check.reported)} "
                f"withheld; the account shows {format_money(check.posted)} (TC 806): difference {format_money(check.difference)}"
            )
        else:
            console.print(f"Wage and income {check.tax_year}: withholding {format_money(check.reported)} matches TC 806.")
    for warning in report.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    console.print("[dim]Every posting, rule and source: run with --json.[/dim]")

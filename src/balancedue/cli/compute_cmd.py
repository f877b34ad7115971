"""``balancedue compute``: recompute an account's tax, penalties and interest to the cent."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.errors import InputError
from balancedue.presentation import money as format_money
from balancedue.presentation import rate as format_rate
from balancedue.presentation import words
from balancedue.services import compute as compute_service
from balancedue.services.compute import Statement
from balancedue.services.serialize import to_jsonable


def _print_statement(statement: Statement) -> None:
    title = f"Form {statement.form}, tax year {statement.tax_year}, as of {statement.as_of.isoformat()}"
    table = Table(title=title, show_lines=False)
    table.add_column("From", no_wrap=True)
    table.add_column("To", no_wrap=True)
    table.add_column("What")
    table.add_column("Base", justify="right", no_wrap=True)
    table.add_column("Rate", justify="right", no_wrap=True)
    table.add_column("Count", justify="right", no_wrap=True)
    table.add_column("Amount", justify="right", no_wrap=True)
    for line in statement.lines:
        count = f"{line.days} d" if line.days is not None else f"{line.months} mo" if line.months is not None else ""
        table.add_row(
            line.start.isoformat() if line.start else "",
            line.end.isoformat() if line.end and line.end != line.start else "",
            words(line.kind.value) + f" [dim]{line.rule}[/dim]",
            format_money(line.base) if line.base is not None else "",
            format_rate(line.rate) if line.rate is not None else "",
            count,
            format_money(line.amount),
        )
    console.print(table)
    totals = Table(show_header=False, box=None)
    for label, value in (
        ("Tax", statement.tax),
        ("Failure to file", statement.failure_to_file),
        ("Failure to pay", statement.failure_to_pay),
        ("Interest", statement.interest),
        ("Payments and credits", -statement.payments),
        ("Balance", statement.balance),
    ):
        totals.add_row(label, format_money(value))
    console.print(totals)
    for key, text in statement.why.items():
        console.print(f"[bold]Why {key.replace('_', ' ')}:[/bold] {text}")
    for note in statement.notes:
        console.print(f"[yellow]Note:[/yellow] {note}")
    console.print("[dim]Rates and sources of every line: run with --json.[/dim]")


@handle_errors
def compute(
    scenario: Annotated[
        Path | None, typer.Argument(help="Scenario file (JSON or YAML): the account's events.", show_default=False)
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Compute as of this date (YYYY-MM-DD).")] = None,
    project: Annotated[
        str | None, typer.Option("--project", help="Project the balance to this date (YYYY-MM-DD).")
    ] = None,
    step: Annotated[
        compute_service.ProjectionStep, typer.Option("--step", help="Spacing of projected dates.")
    ] = compute_service.ProjectionStep.MONTH,
    estimated_tax: Annotated[
        Path | None,
        typer.Option("--estimated-tax", help="Compute the estimated-tax penalty (IRC 6654) from this file instead."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Recompute tax, failure-to-file, failure-to-pay and interest, and explain every cent."""
    if estimated_tax is not None:
        _estimated_tax(estimated_tax, json_output)
        return
    if scenario is None:
        raise InputError("give a SCENARIO file, or --estimated-tax FILE")
    loaded = compute_service.load_scenario(scenario)
    when = parse_date(as_of, "--as-of") if as_of else None
    statement = compute_service.compute_statement(loaded, when, app_context().rules)
    if project is None:
        if json_output:
            emit_json(compute_service.statement_to_json(statement))
        else:
            _print_statement(statement)
        return
    points = compute_service.project(loaded, statement.as_of, parse_date(project, "--project"), step, app_context().rules)
    if json_output:
        emit_json({"as_of": statement.as_of, "step": step.value, "points": to_jsonable(points)})
        return
    table = Table(title=f"Balance projected from {statement.as_of.isoformat()} if nothing is paid")
    for column in ("Date", "Tax", "Failure to file", "Failure to pay", "Interest", "Balance"):
        table.add_column(column, justify="left" if column == "Date" else "right")
    for point in points:
        table.add_row(
            point.date.isoformat(),
            format_money(point.tax),
            format_money(point.failure_to_file),
            format_money(point.failure_to_pay),
            format_money(point.interest),
            format_money(point.balance),
        )
    console.print(table)


def _estimated_tax(path: Path, json_output: bool) -> None:
    from balancedue.services import estimated_tax as service

    result = service.estimated_tax_penalty(path, app_context().rules)
    if json_output:
        emit_json(service.estimated_tax_to_json(result))
        return
    table = Table(title="Estimated tax penalty (IRC 6654, Form 2210)")
    for column in ("Installment", "Underpayment", "From", "To", "Days", "Rate", "Amount"):
        table.add_column(column)
    for line in result.lines:
        table.add_row(
            str(line.installment),
            format_money(line.underpayment),
            line.from_date.isoformat(),
            line.to_date.isoformat(),
            str(line.days),
            format_rate(line.annual_rate),
            format_money(line.amount),
        )
    console.print(table)
    console.print(f"Penalty: [bold]{format_money(result.penalty)}[/bold]")

"""``balancedue rules``: look at and check the tax-law data."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.services import rules as rules_service

app = typer.Typer(
    help="Tax law as data: rates, penalty parameters and the notice catalog.", no_args_is_help=True
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@app.command("check")
@handle_errors
def check(
    json_output: JsonOption = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="Check coverage as of this date (YYYY-MM-DD); default: today."
        ),
    ] = None,
) -> None:
    """Validate every rules file and report counts, rate coverage and weakly sourced figures."""
    as_of = parse_date(today, "--today") if today else date.today()  # noqa: DTZ011 - local date is meant
    report = rules_service.check_bundled_rules(as_of)
    if json_output:
        emit_json(report)
    else:
        from rich.table import Table  # Rich's tables and panels load only for terminal output

        table = Table(title="Rules data", show_header=False)
        table.add_row("Notices in catalog", str(report.notices))
        table.add_row("Parameters", f"{report.parameters} ({report.parameter_values} dated values)")
        table.add_row(
            "Underpayment rate",
            f"{report.rate_quarters} quarters, {report.first_quarter} to {report.last_quarter}",
        )
        table.add_row("Official phone numbers", str(report.official_phones))
        table.add_row("Scam signals", str(report.scam_signals))
        table.add_row("Collection Financial Standards editions", str(report.standards_editions))
        table.add_row("Professional-help rules", str(report.triage_rules))
        table.add_row(
            "Verification", ", ".join(f"{k}: {v}" for k, v in report.verification.items())
        )
        table.add_row("Figures without a primary source", str(len(report.needs_primary_source)))
        console.print(table)
        if report.weak_sources:
            console.print("Figures that stay on a secondary, mirrored or unverified source, and why:")
            for weak in report.weak_sources:
                console.print(f"  - {weak.line()}", markup=False, soft_wrap=True)
                console.print(f"      {weak.reason}", markup=False, soft_wrap=True)
        for problem in report.problems:
            console.print(f"[red]problem:[/red] {problem}")
        if report.ok:
            console.print("[green]All rules data is valid.[/green]")
    if not report.ok:
        raise typer.Exit(1)


@app.command("rate")
@handle_errors
def rate(
    on: Annotated[str, typer.Argument(metavar="DATE", help="The date, YYYY-MM-DD.")],
    json_output: JsonOption = False,
) -> None:
    """The IRS underpayment interest rate (IRC 6621(a)(2)) in force on DATE, with its source."""
    answer = rules_service.rate_on(parse_date(on), app_context().rules)
    if json_output:
        emit_json(answer)
        return
    console.print(
        f"{answer.date.isoformat()}: [bold]{answer.rate_percent}%[/bold] a year "
        f"({answer.quarter}, {answer.period_start.isoformat()} to {answer.period_end.isoformat()}), "
        "compounded daily"
    )
    console.print(f"Rule: {answer.citation}")
    console.print(f"Verification: {answer.verification.value}")
    for source in answer.sources:
        console.print(f"  - {source.citation}" + (f" <{source.url}>" if source.url else ""))


@app.command("notice")
@handle_errors
def notice(
    code: Annotated[
        str, typer.Argument(help="Notice or letter code, e.g. CP14, CP504, LT11, 'Letter 1058'.")
    ],
    json_output: JsonOption = False,
) -> None:
    """The plain-language card of an IRS notice or letter."""
    entry = rules_service.notice_card(code, app_context().rules)
    if json_output:
        emit_json(entry)
        return
    lines = [f"[bold]{entry.title}[/bold]", "", entry.meaning, ""]
    lines.append(
        f"Stage: {entry.stage.value}"
        + (f" (step {entry.sequence} of the balance-due stream)" if entry.sequence else "")
    )
    lines.append(f"Severity: {entry.severity.value}; {'a bill' if entry.is_bill else 'not a bill'}")
    for deadline in entry.deadlines:
        basis = (
            f"{deadline.days_from_notice_date} days from the notice date"
            if deadline.days_from_notice_date
            else f"{deadline.business_days_from_notice_date} business days from the notice date"
            if deadline.business_days_from_notice_date
            else "the date printed on the notice"
        )
        lines.append(f"Deadline ({deadline.tag.value}): {deadline.what} - {basis}")
    for right in entry.rights:
        lines.append(f"Right: {right.name} - {right.description}")
    lines.append(f"If ignored: {entry.if_ignored}")
    for source in entry.sources:
        lines.append(f"Source: {source.citation}" + (f" <{source.url}>" if source.url else ""))
    from rich.panel import Panel

    console.print(Panel("\n".join(lines), title=entry.code.value, expand=False))

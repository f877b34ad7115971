"""``balancedue analyze``: from a notice to a verified, dated action plan."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.reports.terminal import print_report
from balancedue.services import analyze as service
from balancedue.services.report_files import write_html, write_pdf


@handle_errors
def analyze(
    notice: Annotated[Path, typer.Argument(help="The notice: a PDF, a photo or scan, or a text file.")],
    records: Annotated[
        Path | None, typer.Option("--records", help="Your records (JSON/YAML): tax on the return, withholding, payments.")
    ] = None,
    transcript: Annotated[
        list[Path] | None, typer.Option("--transcript", help="An IRS account transcript (repeat for several).")
    ] = None,
    finances: Annotated[
        Path | None, typer.Option("--finances", help="Household income, expenses and assets (JSON/YAML) for plans and offers.")
    ] = None,
    today: Annotated[str | None, typer.Option("--today", help="Count days from this date (YYYY-MM-DD); default today.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON (docs/report-schema.md).")] = False,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write the report as a PDF file.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Also write the report as an HTML file.")] = None,
) -> None:
    """Analyze a notice: what it is, deadlines, whether the amount is right, options, next steps."""
    inputs = service.AnalysisInputs(
        notice=notice,
        today=parse_date(today, "--today") if today else date.today(),  # noqa: DTZ011 - the user's local date
        records=records,
        transcripts=tuple(transcript or ()),
        finances=finances,
    )
    progress = nullcontext() if json_output else console.status("Reading and analyzing the notice...", spinner="dots")
    with progress:
        report = service.analyze(inputs, app_context().rules)
    if json_output:
        emit_json(report.model_dump(mode="json"))
    else:
        print_report(report, console)
    written = []
    if pdf is not None:
        write_pdf(report, pdf)
        written.append(f"PDF report written to {pdf}")
    if html is not None:
        write_html(report, html)
        written.append(f"HTML report written to {html}")
    if not json_output:
        for line in written:
            console.print(line, style="green")

"""``balancedue read FILE``: read an IRS notice and show each field with its confidence and source."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from balancedue.cli.common import app_context, console, emit_json, handle_errors
from balancedue.presentation import confidence_word, field_label
from balancedue.services.read import (
    HIGH_CONFIDENCE,
    FieldValue,
    Notice,
    read_notice,
    read_pasted_notice,
)
from balancedue.services.serialize import to_jsonable


@handle_errors
def read(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The notice: a PDF, a photo or scan (PNG, JPEG, HEIC, TIFF), a text file, or - for text on standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (money as strings) instead of a table.")] = False,
) -> None:
    """Read an IRS notice: code, dates, amounts, tax periods, with a confidence and the source text for each."""
    notice = read_pasted_notice(sys.stdin.read(), app_context().rules) if file == "-" else read_notice(Path(file), app_context().rules)
    if json_output:
        emit_json(notice_payload(notice))
        return
    show_notice(notice)


def confidence_level(field: FieldValue) -> str:
    """``high``, ``medium``, ``low`` or ``none``, from the intake thresholds."""
    return confidence_word(field.confidence, found=field.found)


def notice_payload(notice: Notice) -> dict[str, Any]:
    """The JSON document for a notice: every field with its confidence level added."""
    payload: dict[str, Any] = to_jsonable(notice)
    for name, field in notice.fields.items():
        payload[name]["level"] = confidence_level(field)
    payload["needs_review"] = [f.name for f in notice.needs_review(HIGH_CONFIDENCE)]
    return payload


def _headline(notice: Notice) -> str:
    code = notice.notice_code
    if notice.catalog is not None:
        kind = "a bill" if notice.catalog.is_bill and not notice.says_not_a_bill else "not a bill"
        if notice.catalog.stage == "proposed_change":
            kind = "a proposed change, not a bill"
        return f"{notice.catalog.code}: {notice.catalog.title} ({kind})"
    if code.found:
        extra = " - it says it is not a bill" if notice.says_not_a_bill else ""
        return f"{code.value}: not in the notice catalog{extra}"
    return "IRS notice (code not found)"


def show_notice(notice: Notice) -> None:
    console.print(f"[bold]{_headline(notice)}[/bold]")
    console.print(f"{notice.document}: {notice.page_count} page(s), read from {notice.source.value.replace('_', ' ')}")
    table = Table(show_lines=False)
    table.add_column("Field")
    table.add_column("Value")
    table.add_column("Confidence")
    table.add_column("Source text", overflow="fold")
    styles = {"high": "green", "medium": "yellow", "low": "red", "none": "dim"}
    for name, field in notice.fields.items():
        level = confidence_level(field)
        value = Text(str(field.value)) if field.found else Text("-", style="dim")
        confidence = Text(f"{level} {field.confidence:.2f}" if field.found else "not found", style=styles[level])
        source = Text(field.source_text or "") if field.found else Text(field.reason or "", style="dim")
        table.add_row(field_label(name), value, confidence, source)
    console.print(table)
    if len(notice.tax_periods) > 1:
        periods = Table(title="Tax periods")
        for column in ("Form", "Period ending", "Tax year", "Amount"):
            periods.add_column(column)
        for period in notice.tax_periods:
            periods.add_row(
                period.tax_form or "-",
                period.tax_period_end.isoformat() if period.tax_period_end else "-",
                str(period.tax_year) if period.tax_year else "-",
                f"{period.amount:,.2f}" if period.amount is not None else "-",
            )
        console.print(periods)
    for warning in notice.warnings:
        console.print(Text(f"check: {warning}", style="yellow"))
    if not notice.needs_review(HIGH_CONFIDENCE):
        console.print("[green]Every field found was read with high confidence.[/green]")

"""``balancedue scam-check``: is this letter, call, message, number or link really the IRS?"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.errors import InputError
from balancedue.services import scam as scam_service
from balancedue.services.scam import InputKind, ScamVerdict, Verdict

_STYLE = {
    Verdict.LIKELY_SCAM: "bold red",
    Verdict.SUSPICIOUS: "bold yellow",
    Verdict.CONSISTENT: "bold cyan",
}
_TEXT_KINDS = ", ".join(k.value for k in InputKind if k.is_text)


@handle_errors
def scam_check(
    text: Annotated[
        str | None,
        typer.Argument(
            help="The words of the letter, e-mail, text or call; '-' reads standard input."
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", "-f", help="A .txt or .eml file (PDFs and photos need the notice reader)."
        ),
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="A phone number on its own, e.g. 800-829-1040.")
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="A link on its own, e.g. https://www.irs.gov/payments."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help=f"What the text is: {_TEXT_KINDS} (default: guessed)."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Check as of this date (YYYY-MM-DD); default: today."),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print JSON instead of a report.")
    ] = False,
) -> None:
    """Is this really the IRS? Check a letter, call, text, e-mail, phone number or link.

    The verdict is "likely scam", "suspicious" or "consistent with a real IRS notice" - never
    "safe" - with every signal that fired, its weight and its source. Exit code 0 for any verdict.
    """
    as_of = parse_date(today, "--today") if today else datetime.now(UTC).astimezone().date()
    input_kind = _parse_kind(kind)
    if text == "-":
        text = sys.stdin.read()
    verdict = scam_service.scam_check(
        text=text, file=file, phone=phone, url=url, kind=input_kind, today=as_of, rules=app_context().rules
    )
    if json_output:
        emit_json(verdict)
    else:
        print_verdict(verdict)


def _parse_kind(kind: str | None) -> InputKind | None:
    if kind is None:
        return None
    try:
        parsed = InputKind(kind.strip().lower())
    except ValueError:
        raise InputError(f"--kind {kind!r} is not one of {_TEXT_KINDS}") from None
    if not parsed.is_text:
        raise InputError(
            f"--kind {kind!r} is not one of {_TEXT_KINDS}; use --phone or --url for those"
        )
    return parsed


def print_verdict(verdict: ScamVerdict) -> None:
    """The verdict in a panel, the signals in a table, then what to do."""
    style = _STYLE[verdict.verdict]
    head = Text()
    head.append(verdict.label.upper(), style=style)
    head.append(f"   (score {verdict.score}; checked: {verdict.checked})", style="dim")
    console.print(
        Panel(
            Group(head, Text(""), Text(verdict.summary)),
            title="Is this really the IRS?",
            expand=False,
        )
    )

    if verdict.signals:
        table = Table(title="What the check found", show_lines=True, expand=True)
        table.add_column("Weight", justify="right", no_wrap=True)
        table.add_column("Signal")
        table.add_column("Found")
        table.add_column("Why it matters")
        for signal in verdict.signals:
            weight = f"+{signal.weight}" if signal.weight > 0 else str(signal.weight)
            why = Text(signal.explanation)
            why.append(f"\nSource: {signal.source.short()}", style="dim")
            table.add_row(Text(weight), Text(signal.title), Text(signal.snippet or "-"), why)
        console.print(table)
    else:
        console.print(Text("No signal fired.", style="dim"))

    _print_list("What to do next", verdict.next_steps)
    _print_list("How to verify", verdict.how_to_verify)
    if verdict.where_to_report:
        console.print(Text("\nWhere to report", style="bold"))
        for step in verdict.where_to_report:
            console.print(Text(f"  - {step.line()}"))
            console.print(Text(f"    {step.what}", style="dim"))
    _print_list("What not to do", verdict.what_not_to_do)


def _print_list(title: str, items: tuple[str, ...]) -> None:
    if not items:
        return
    console.print(Text(f"\n{title}", style="bold"))
    for item in items:
        console.print(Text(f"  - {item}"))

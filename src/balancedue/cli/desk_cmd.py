"""The deadline desk on the command line (``balancedue case list --due-within DAYS``)."""

from __future__ import annotations

from datetime import date

import typer

from balancedue.cli.common import app_context, emit_json
from balancedue.presentation import money as format_money
from balancedue.services import desk as desk_service


def _days(days: int | None) -> str:
    if days is None:
        return "-"
    if days == 0:
        return "today"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} ago"
    return f"in {days} day{'s' if days != 1 else ''}"


def print_desk(
    today: date, *, due_within: int | None, client: str | None, csv_output: bool, json_output: bool, user: str | None = None
) -> None:
    """Open cases by next deadline, overdue first, as a table, CSV or JSON."""
    visible = desk_service.visible_to(user)
    entries = desk_service.desk(
        today, client_ids=visible, client=client, due_within=due_within, rules=app_context().rules
    ).entries
    if json_output:
        emit_json(entries)
        return
    if csv_output:
        typer.echo(desk_service.desk_csv(entries), nl=False)
        return
    if not entries:
        horizon = f" due within {due_within} days" if due_within is not None else ""
        typer.echo(f"No open case{horizon}" + (f" for {client!r}" if client else "") + ".")
        return
    lines = [f"{'#':>6}  {'Client':<24}  {'Stage':<18}  {'Amount':>12}  Next deadline"]
    for e in entries:
        upcoming = f"{e.due.isoformat()}  {e.what} ({_days(e.days_left)})" if e.due else "-"
        amount = format_money(e.amount_due) if e.amount_due is not None else ""
        lines.append(f"{e.case_number:>6}  {e.client[:24]:<24}  {e.stage[:18]:<18}  {amount:>12}  {upcoming}")
    typer.echo("\n".join(lines))

"""``balancedue batch``, ``balancedue worker`` and ``balancedue review``: a practice's mailbag at once.

``batch`` takes folders and files of notices, files each in its client's case through the task
queue, shows a progress bar and ends with a summary and, with ``--report``, a CSV or JSON report.
``worker`` runs tasks (on this or another machine sharing the PostgreSQL database and the
document folder).  ``review`` lists the fields read below high confidence and the notices that
need a client, and confirms, corrects or assigns them.
"""

from __future__ import annotations

import secrets
import socket
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from balancedue.cli.common import (
    app_context,
    console,
    emit_json,
    err_console,
    handle_errors,
    parse_date,
)
from balancedue.errors import InputError
from balancedue.presentation import money as format_money
from balancedue.services import batch as batch_service
from balancedue.services import cases as case_service
from balancedue.services import desk as desk_service
from balancedue.services import review as review_service

TodayOption = Annotated[str | None, typer.Option("--today", help="Act as of this date (YYYY-MM-DD); default: today.")]
STATUS_ORDER = ("done", "needs_client", "failed", "duplicate", "queued")


def _today(text: str | None) -> date:
    return parse_date(text, "--today") if text else date.today()  # noqa: DTZ011 - the user's local date is meant


@handle_errors
def batch(
    paths: Annotated[list[Path], typer.Argument(help="Notice files (PDF, photo, text) or folders of them.", show_default=False)],
    client_map: Annotated[
        Path | None,
        typer.Option("--client-map", help="CSV with the columns file and client: a file or folder name and its client."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=0, max=64,
            help="Worker processes to start here (default 2; 0 = only workers started elsewhere with `balancedue worker`).",
        ),
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="Write the report of every file to this .csv or .json file.")
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Try again the notices that failed or waited for a client before.")
    ] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="Report only the clients granted to this practice account.")
    ] = None,
    today: TodayOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON instead of a table.")] = False,
) -> None:
    """Take in a stack of notices: each one read and filed in its client's case, exactly once."""
    as_of = _today(today)
    visible = desk_service.visible_to(user)
    if report is not None and report.suffix.lower() not in (".csv", ".json"):
        raise InputError(f"--report {report.name!r} must end in .csv or .json")
    mapping = batch_service.read_client_map(client_map) if client_map else {}
    files = batch_service.find_files(paths, mapping)
    case_service.store()  # the database, migrated, before anything is counted
    recorded, hashes = batch_service.prepare(files, as_of, retry_failed=retry_failed)
    count = 2 if workers is None else workers
    if count == 0 and not batch_service.uses_shared_database():
        err_console.print("note: --workers 0 on the local SQLite file: only `balancedue worker` on this machine will run the tasks")
    started = batch_service.Workers(count, batch_service.data_dir() / "worker.log") if count else None
    bar = Progress(
        TextColumn("Notices"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), console=err_console, transient=False,
    )
    try:
        with bar:
            line = bar.add_task("batch", total=len(hashes), counts="")

            def show(state: batch_service.Progress) -> None:
                text = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(state.counts.items()) if s != "queued")
                bar.update(line, completed=state.finished, counts=text)

            if started is not None:
                started.top_up()
            batch_service.wait(hashes, started, show)
    except KeyboardInterrupt:
        if started is not None:
            started.stop(timeout=30)
        err_console.print("Interrupted. Run the same command again to finish the rest; nothing done is done twice.")
        raise typer.Exit(130) from None
    finally:
        if started is not None:
            started.stop()
    result = batch_service.report(recorded, visible=None if visible is None else visible.__contains__)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(result.as_csv() if report.suffix.lower() == ".csv" else result.as_json(), encoding="utf-8")
    if json_output:
        typer.echo(result.as_json())
        return
    _print_summary(result)
    if report is not None:
        console.print(f"Report of every file: {report}", markup=False)


def _print_summary(result: batch_service.BatchReport) -> None:
    summary = Table(title="Batch", show_edge=False)
    summary.add_column("Outcome")
    summary.add_column("Files", justify="right")
    for status in sorted(result.counts, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 99):
        summary.add_row(status.replace("_", " "), str(result.counts[status]))
    console.print(summary)
    shown = [r for r in result.rows if r.status != "done" or r.review][:40]
    if not shown:
        return
    table = Table(title="Needs attention", show_edge=False)
    for column in ("File", "Outcome", "Client", "Case", "Notice", "Amount", "Next deadline", "Check / reason"):
        table.add_column(column)
    for r in shown:
        table.add_row(
            Path(r.file).name, r.status.replace("_", " "), r.client, str(r.case or ""), r.notice_code,
            format_money(r.amount_due) if r.amount_due is not None else "",
            r.next_deadline.isoformat() if r.next_deadline else "", r.reason or ", ".join(r.review),
        )
    console.print(table)
    hidden = sum(1 for r in result.rows if r.status != "done" or r.review) - len(shown)
    if hidden > 0:
        console.print(f"... and {hidden} more; --report FILE.csv lists every file", markup=False)


@handle_errors
def worker(
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop when no task is waiting or running (default: run until stopped).")
    ] = False,
    lease: Annotated[
        float | None,
        typer.Option("--lease", min=2.0, help="Seconds a silent worker keeps its task before another takes it (default 60)."),
    ] = None,
    max_tasks: Annotated[int | None, typer.Option("--max-tasks", min=1, help="Stop after this many tasks.")] = None,
) -> None:
    """Run intake tasks from the case database (PostgreSQL via DATABASE_URL for several machines)."""
    worker_id = f"{socket.gethostname()[:40]}-{secrets.token_hex(6)}"
    batch_service.run_worker(
        app_context().rules, worker_id=worker_id, until_idle=until_idle, lease=lease, max_tasks=max_tasks
    )


review_app = typer.Typer(
    help="Fields read below high confidence and notices without a client: confirm, correct, assign.",
    no_args_is_help=True,
)


@review_app.command("list")
@handle_errors
def review_list(
    user: Annotated[
        str | None, typer.Option("--user", help="Only the clients granted to this practice account.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every field waiting for a check, and every notice waiting for a client."""
    queue = review_service.review_queue(desk_service.visible_to(user))
    if json_output:
        emit_json(queue)
        return
    if not queue.fields and not queue.needs_client:
        typer.echo("Nothing to review.")
        return
    if queue.fields:
        table = Table(title="Fields to check", show_edge=False)
        for column in ("#", "Case", "Client", "Field", "Read as", "Confidence"):
            table.add_column(column)
        for f in queue.fields:
            table.add_row(str(f.number), str(f.case_number), f.client, f.field, f.value, f"{f.confidence:.2f}")
        console.print(table)
    if queue.needs_client:
        table = Table(title="Notices that need a client", show_edge=False)
        for column in ("Item", "File", "Notice", "Id ending", "Why"):
            table.add_column(column)
        for n in queue.needs_client:
            table.add_row(str(n.number), n.name, n.notice_code, n.id_last4, n.reason)
        console.print(table)


@review_app.command("confirm")
@handle_errors
def review_confirm(number: Annotated[int, typer.Argument(help="The field's number in `review list`.")]) -> None:
    """The value read is right."""
    done = review_service.confirm(number)
    console.print(f"Confirmed {done.field} of case {done.case_number}: {done.value}", markup=False)


@review_app.command("correct")
@handle_errors
def review_correct(
    number: Annotated[int, typer.Argument(help="The field's number in `review list`.")],
    value: Annotated[str, typer.Argument(help="The right value, as printed on the notice (dates YYYY-MM-DD).")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the journal).")] = "checked against the notice",
    today: TodayOption = None,
) -> None:
    """The value read is wrong: keep the right one; the journal keeps both and the deadlines move."""
    done = review_service.correct(number, value, reason=reason, today=_today(today), rules=app_context().rules)
    console.print(f"Corrected {done.field} of case {done.case_number}: {done.old} -> {done.new}", markup=False)
    for line in done.moved:
        console.print(f"  {line}", markup=False)


@review_app.command("assign")
@handle_errors
def review_assign(
    item: Annotated[str, typer.Argument(help="The notice's item number in `review list`.")],
    client: Annotated[str, typer.Option("--client", help="The client the notice belongs to.")],
) -> None:
    """File a notice that waits for a client in that client's case."""
    where = review_service.assign(item, client, app_context().rules)
    console.print(f"Notice {item} filed for {client} in {where}", markup=False)

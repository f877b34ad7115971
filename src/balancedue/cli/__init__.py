"""The ``balancedue`` command line (Typer + Rich): a thin layer over ``balancedue.services``."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from balancedue import __version__
from balancedue.cli.lazy import LazyCommand, LazyGroup

COMMANDS = {
    "analyze": LazyCommand(
        "balancedue.cli.analyze_cmd", "analyze",
        "Analyze a notice: what it is, deadlines, whether the amount is right, options, next steps.",
    ),
    "compute": LazyCommand(
        "balancedue.cli.compute_cmd", "compute",
        "Recompute tax, failure-to-file, failure-to-pay and interest, and explain every cent.",
    ),
    "read": LazyCommand(
        "balancedue.cli.read_cmd", "read",
        "Read an IRS notice: code, dates, amounts, tax periods, with a confidence and the source text for each.",
    ),
    "scam-check": LazyCommand(
        "balancedue.cli.scam_cmd", "scam_check",
        "Is this really the IRS? Check a letter, call, text, e-mail, phone number or link.",
    ),
    "transcript": LazyCommand(
        "balancedue.cli.transcript_cmd", "transcript",
        "Read IRS account transcripts: reconcile the balance, CSED per assessment, first-time abatement.",
    ),
    "letter": LazyCommand(
        "balancedue.cli.letter_cmd", "letter",
        "Write a letter from a case as PDF and DOCX, keep both in the case and log it.",
    ),
    "calendar": LazyCommand(
        "balancedue.cli.letter_cmd", "calendar",
        "Write deadlines to an iCalendar (.ics) file with reminders 7 and 2 days before each.",
    ),
    "serve": LazyCommand(
        "balancedue.cli.serve_cmd", "serve",
        "Run the web app: upload a notice, see its deadlines and options, write letters, log calls.",
    ),
    "backup": LazyCommand(
        "balancedue.cli.backup_cmd", "backup",
        "Back up the case store: the database and every document, with the SHA-256 of each.",
    ),
    "restore": LazyCommand(
        "balancedue.cli.backup_cmd", "restore",
        "Restore a backup into an empty data folder, then verify every case (exit 1 if one fails).",
    ),
    "rules": LazyCommand(
        "balancedue.cli.rules_cmd", "app", "Tax law as data: rates, penalty parameters and the notice catalog."
    ),
    "case": LazyCommand("balancedue.cli.case_cmd", "app", "Cases: documents, deadlines and a tamper-evident journal."),
    "batch": LazyCommand(
        "balancedue.cli.batch_cmd", "batch",
        "Take in a stack of notices: each one read and filed in its client's case, exactly once.",
    ),
    "worker": LazyCommand(
        "balancedue.cli.batch_cmd", "worker",
        "Run intake tasks from the case database (PostgreSQL via DATABASE_URL for several machines).",
    ),
    "review": LazyCommand(
        "balancedue.cli.batch_cmd", "review_app",
        "Fields read below high confidence and notices without a client: confirm, correct, assign.",
    ),
}
"""Every command, by name: its module is imported only when the command runs (see ``lazy``).
The summary is the first paragraph of the command's own help (a test keeps them equal)."""


class _Commands(LazyGroup):
    lazy_commands = COMMANDS


app = typer.Typer(
    name="balancedue",
    help=(
        "Read, verify and answer IRS balance-due notices - locally, to the cent, with every "
        "figure cited. Information, not individualized tax advice."
    ),
    cls=_Commands,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"balancedue {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show debug logging (no personal data).")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Read, verify and answer IRS balance-due notices."""
    from balancedue.cli.common import configure_logging, start

    configure_logging(verbose)
    start(ctx)


def main() -> None:
    """Console-script entry point."""
    # balancedue uses no pydantic plugins; looking for them reads every installed package's
    # metadata on each start.  Set the variable yourself to choose otherwise.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()

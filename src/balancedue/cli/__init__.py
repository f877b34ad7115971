"""The ``balancedue`` command line (Typer + Rich): a thin layer over ``balancedue.services``."""

from __future__ import annotations

from typing import Annotated

import typer

from balancedue import __version__
from balancedue.cli import (
    analyze_cmd,
    backup_cmd,
    case_cmd,
    compute_cmd,
    letter_cmd,
    read_cmd,
    rules_cmd,
    scam_cmd,
    serve_cmd,
    transcript_cmd,
)
from balancedue.cli.common import configure_logging, start

app = typer.Typer(
    name="balancedue",
    help=(
        "Read, verify and answer IRS balance-due notices - locally, to the cent, with every "
        "figure cited. Information, not individualized tax advice."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(rules_cmd.app, name="rules")
app.command("analyze")(analyze_cmd.analyze)
app.command("compute")(compute_cmd.compute)
app.command("read")(read_cmd.read)
app.command("scam-check")(scam_cmd.scam_check)
app.command("transcript")(transcript_cmd.transcript)
app.add_typer(case_cmd.app, name="case")
app.command("letter")(letter_cmd.letter)
app.command("calendar")(letter_cmd.calendar)
app.command("serve")(serve_cmd.serve)
app.command("backup")(backup_cmd.backup)
app.command("restore")(backup_cmd.restore)


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
    configure_logging(verbose)
    start(ctx)


def main() -> None:
    """Console-script entry point."""
    app()

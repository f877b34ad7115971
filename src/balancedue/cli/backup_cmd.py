"""``balancedue backup`` and ``balancedue restore``: the whole case store in one checked archive."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from balancedue.cases import backup as backup_service
from balancedue.cli.common import console, handle_errors


@handle_errors
def backup(out: Annotated[Path, typer.Argument(help="The backup file to write (a zip).", metavar="OUT")]) -> None:
    """Back up the case store: the database and every document, with the SHA-256 of each."""
    summary = backup_service.backup_store(out)
    console.print(
        f"Wrote {summary.path}: the {summary.engine} database ({summary.cases} cases) and "
        f"{summary.documents} documents", markup=False,
    )


@handle_errors
def restore(
    archive: Annotated[Path, typer.Argument(help="A file written by balancedue backup.", metavar="IN")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the cases and documents already here.")
    ] = False,
) -> None:
    """Restore a backup into an empty data folder, then verify every case (exit 1 if one fails)."""
    summary = backup_service.restore_store(archive, force=force)
    console.print(
        f"Restored the {summary.engine} database and {summary.documents} documents; "
        f"{len(summary.verifications)} cases checked", markup=False,
    )
    for result in summary.verifications:
        if result.ok:
            console.print(f"  case {result.case_number}: verified ({result.entries_checked} journal entries, "
                          f"{result.documents_checked} documents)", markup=False)
        else:
            console.print(f"  case {result.case_number}: FAILED verification", style="bold red", markup=False)
            for problem in result.problems:
                console.print(f"    - {problem}", markup=False)
    if not summary.ok:
        raise typer.Exit(1)

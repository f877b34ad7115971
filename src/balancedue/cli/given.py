"""``--set FIELD=VALUE`` and the prompt for key fields a notice did not give clearly.

Every command that reads a notice (``read``, ``analyze``, ``case new``) takes ``--set`` (repeat)
to supply or correct a field, and ``--no-input`` to turn the prompt off.  The prompt only runs
when standard input and output are a terminal, not with ``--json`` and not under CI.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

import typer

from balancedue.cli.common import app_context
from balancedue.errors import InputError

if TYPE_CHECKING:
    from balancedue.services.read import Asker, Notice

SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="FIELD=VALUE",
        help="Supply or correct a field of the notice, e.g. --set notice_date=2024-06-10 (repeat).",
    ),
]
NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Never ask for fields that could not be read (prompts run only on a terminal).")
]


def assignments(items: list[str] | None) -> dict[str, str]:
    """The ``--set`` values by field (an input error for a malformed one)."""
    from balancedue.services.read import parse_assignments

    return parse_assignments(items or [])


def prompter(*, json_output: bool, no_input: bool) -> Asker | None:
    """The prompt for missing key fields, or ``None`` when prompting is off."""
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if json_output or no_input or not interactive or os.environ.get("CI"):
        return None
    return ask_on_terminal


def ask_on_terminal(notice: Notice) -> Mapping[str, str]:
    """Ask for each key field that is missing or uncertain; Enter keeps what was read."""
    from balancedue.presentation import confidence_word
    from balancedue.services.read import EXPECTED, HIGH_CONFIDENCE, fields_to_ask, parse_given

    catalog = app_context().rules.notices
    answers: dict[str, str] = {}
    for field in fields_to_ask(notice, HIGH_CONFIDENCE):
        label = field.name.replace("_", " ")
        if field.found:
            question = f"{label}: read as {field.value} ({confidence_word(field.confidence)} confidence); Enter keeps it, or type the value"
        else:
            question = f"{label}: not read from the notice; type it ({EXPECTED[field.name]}) or press Enter to skip"
        while True:
            raw = typer.prompt(question, default="", show_default=False).strip()
            if not raw:
                break
            try:
                parse_given(field.name, raw, catalog)
            except InputError as exc:
                typer.echo(f"  {exc.message}")
                continue
            answers[field.name] = raw
            break
    return answers

"""Commands that are imported only when they run.

Each command of ``balancedue`` lives in its own module, and some of them need large libraries
(the PDF and chart libraries, Django, the OCR models).  The top-level group knows every command
by name and one-line summary; the module behind a command is imported when that command is
run or its own ``--help`` is asked for.  ``balancedue --help`` lists every command from the
summaries without importing any of them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

Command = Any
"""A click command or context (Typer ships its own copy of click, so the type is left open)."""


@dataclass(frozen=True)
class LazyCommand:
    """Where a command is defined: ``module``'s ``attribute``, a function or a ``typer.Typer``."""

    module: str
    attribute: str
    summary: str
    """The first paragraph of the command's help, shown by ``balancedue --help``."""

    def load(self, name: str) -> Command:
        """Import the module and build the click command Typer would have built."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        command: Command
        if isinstance(target, typer.Typer):
            command = typer.main.get_group(target)
        else:
            single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
            single.command(name)(target)
            command = typer.main.get_command(single)
        command.name = name
        return command


class _Placeholder(TyperCommand):
    """A command known only by name and summary, until it is needed."""

    def __init__(self, name: str, spec: LazyCommand) -> None:
        super().__init__(name, help=spec.summary)
        self.spec = spec


class LazyGroup(TyperGroup):
    """A Typer group whose subcommands (``commands`` of the subclass) load on first use."""

    lazy_commands: ClassVar[dict[str, LazyCommand]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self._listing = False
        for name, spec in self.lazy_commands.items():
            self.commands.setdefault(name, _Placeholder(name, spec))

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, _Placeholder) and not self._listing:
            command = command.spec.load(cmd_name)
            self.commands[cmd_name] = command
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """The group's help lists the commands from their summaries, importing none of them."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

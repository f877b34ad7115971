"""Errors of the case store, each with the exit code the command line returns for it."""

from __future__ import annotations

from balancedue.errors import BalancedueError, InputError


class StoreUnavailableError(BalancedueError):
    """The database or the document folder cannot be used."""


class CaseNotFoundError(InputError):
    """No case has the number or id given."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"no case {ref!r}; `balancedue case list` shows the cases and their numbers")
        self.ref = ref


class EntryNotFoundError(InputError):
    """No journal entry, deadline or document has the number given in this case."""


class CaseArchiveError(InputError):
    """A case archive (zip) that cannot be imported: damaged, altered or unsafe."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}; nothing was imported")
        self.problem = problem


class CaseConflictError(InputError):
    """The archive holds a case that already exists here with different content."""

"""Shared pieces of the command line: error handling, date arguments, JSON and Rich output."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from balancedue.context import AppContext, build_context
from balancedue.errors import BalancedueError, InvalidDateError
from balancedue.services.serialize import dumps

P = ParamSpec("P")
R = TypeVar("R")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
log = logging.getLogger("balancedue.cli")

INTERNAL_ERROR_EXIT = 70


_context: AppContext | None = None


def start(ctx: typer.Context) -> None:
    """Build the application context once, when the command line starts."""
    global _context
    _context = ctx.obj = build_context()


def app_context() -> AppContext:
    """The application context of the running command (built by :func:`start`)."""
    global _context
    if _context is None:  # a command called as a plain function, without the entry point
        _context = build_context()
    return _context


def parse_date(text: str, field: str = "date") -> date:
    """A date given on the command line; only YYYY-MM-DD is accepted."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDateError(text, field) from None


def emit_json(value: Any) -> None:
    """Write ``value`` as deterministic JSON on standard output."""
    typer.echo(dumps(value))


def fail(message: str, code: int) -> typer.Exit:
    """Print one ``balancedue: error: ...`` line on standard error and build the exit."""
    err_console.print(f"balancedue: error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn every expected error into one clear line and its exit code; never a traceback.

    Set ``BALANCEDUE_DEBUG=1`` to see the traceback of an unexpected error.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BalancedueError as exc:
            raise fail(exc.message, exc.exit_code) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except Exception as exc:  # the last line of defence: one line, never a traceback
            if app_context().settings["debug"]:
                raise
            log.debug("unexpected error", exc_info=True)
            raise fail(
                f"internal error ({type(exc).__name__}); please report it. "
                "Run with BALANCEDUE_DEBUG=1 to see details",
                INTERNAL_ERROR_EXIT,
            ) from None

    return wrapper


QUIET_LIBRARIES = ("pdfminer", "pdfplumber", "PIL", "pypdfium2", "rapidocr", "onnxruntime", "RapidOCR")
"""Libraries whose warnings about a damaged file are noise next to our own one-line error."""


def configure_logging(verbose: bool) -> None:
    """Only the entry point configures logging; library code just logs.

    Without ``--verbose`` only balancedue's own warnings show: a damaged PDF makes pdfminer
    warn about every broken object, and the user gets one clear line from us instead.
    """
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING if verbose else logging.ERROR)

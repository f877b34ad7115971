"""Every failure the product reports, one class each.

Each error builds its own one-line message that names the bad value, the cause and, where
there is one, the fix.  ``exit_code`` is what the command line returns for it:

* 1 - a check found a problem (for example a case that failed verification);
* 2 - the input or the request cannot be used (bad file, bad date, unknown code);
* 3 - the input is readable but is not what was expected (for example not an IRS notice).
"""

from __future__ import annotations

from datetime import date

from balancedue.identifiers import mask


def mask_full_ids(text: str) -> str:
    """``text`` with every full SSN, ITIN or EIN cut to its last four (:func:`identifiers.mask`).

    Used on every message and snippet that may quote what the user typed or pasted.
    """
    return mask(text)


MAX_MESSAGE_CHARS = 600
"""Longer messages (a pasted value quoted in full) are shortened in the middle."""


def one_line(message: str) -> str:
    """``message`` on one line, without full taxpayer ids, shortened in the middle when long."""
    flat = mask_full_ids(" ".join(message.splitlines()))
    if len(flat) > MAX_MESSAGE_CHARS:
        keep = MAX_MESSAGE_CHARS // 2
        flat = f"{flat[:keep]} [...] {flat[-keep // 2:]}"
    return flat


class BalancedueError(Exception):
    """Base class of every error the product reports to its user.

    The message is always one line (quoted input never spreads it over several lines or pages)
    and never holds a full SSN, ITIN or EIN, even when the user typed one in the wrong field.
    """

    exit_code: int = 2

    def __init__(self, message: str) -> None:
        message = one_line(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RulesDataError(BalancedueError):
    """The bundled rules data is malformed, has a gap or an overlap, or fails validation."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"rules data {where}: {problem}")
        self.where = where
        self.problem = problem


class DateOutsideRulesError(BalancedueError):
    """A look-up asked for a date that the rules data does not cover (never extrapolated)."""

    def __init__(self, what: str, on: date, covered_from: date | None, covered_to: date | None) -> None:
        if covered_from is None:
            span = "the data has no value in force then"
        elif covered_to is None or covered_to == date.max:
            span = f"the data starts {covered_from.isoformat()}"
        else:
            span = f"the data covers {covered_from.isoformat()} to {covered_to.isoformat()}"
        super().__init__(
            f"no {what} in force on {on.isoformat()}: {span}; "
            "see docs/updating-rules.md to add newer figures"
        )
        self.on = on


class UnknownRuleError(BalancedueError):
    """A rule id that is not in the rules data."""

    def __init__(self, rule_id: str, renamed_to: str | None = None) -> None:
        if renamed_to:
            message = f"rule {rule_id!r} was renamed to {renamed_to!r}"
        else:
            message = f"unknown rule {rule_id!r}"
        super().__init__(message)
        self.rule_id = rule_id


class UnknownNoticeError(BalancedueError):
    """A notice or letter code that is not in the catalog."""

    def __init__(self, code: str, suggestions: list[str]) -> None:
        hint = f"; closest known codes: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown notice {code!r}{hint}")
        self.code = code
        self.suggestions = suggestions


class InputError(BalancedueError):
    """User input (a file, a field, an argument) that cannot be used as given."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class MissingFieldError(InputError):
    """A value the request needs was not given; ``field`` names it, so an interface can say
    which of its own options or form fields gives it."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidDateError(InputError):
    """A date that is not in the YYYY-MM-DD form or does not exist."""

    def __init__(self, text: str, field: str = "date") -> None:
        super().__init__(f"{field} {text!r} is not a valid date; use the form YYYY-MM-DD")
        self.text = text


class DocumentError(InputError):
    """A document given to read (a PDF, an image or a text file) that cannot be used."""

    def __init__(self, name: str, problem: str, fix: str = "") -> None:
        hint = f"; {fix}" if fix else ""
        super().__init__(f"{name}: {problem}{hint}")
        self.name = name
        self.problem = problem


class UnreadableDocumentError(DocumentError):
    """The file is damaged or of a kind that cannot be read (not a PDF, an image or text)."""


class EncryptedDocumentError(DocumentError):
    """The PDF is protected by a password."""


class EmptyDocumentError(DocumentError):
    """The file holds nothing to read: zero bytes, no pages, or no text at all."""


class DocumentTooLargeError(DocumentError):
    """The file, a page or an image is too large to read safely in reasonable time."""


class NotAnIrsNoticeError(BalancedueError):
    """The document can be read but is not a notice or letter from the IRS."""

    exit_code = 3

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name}: not an IRS notice ({why})")
        self.name = name
        self.why = why


class OcrUnavailableError(BalancedueError):
    """The OCR engine or its bundled models cannot be loaded."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"OCR is not available: {problem}; reinstall balancedue with its dependencies")

"""User action: read an IRS notice from a file (PDF, photo, scan) or from pasted text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from balancedue.advice import sections
from balancedue.advice.report import NoticeRead
from balancedue.intake import HIGH_CONFIDENCE
from balancedue.intake.given import (
    EXPECTED,
    Asker,
    apply_given,
    ask_and_apply,
    fields_to_ask,
    is_given,
    parse_assignments,
    parse_given,
)
from balancedue.intake.models import FieldValue, Notice
from balancedue.rules import RuleSet

__all__ = [
    "EXPECTED", "HIGH_CONFIDENCE", "Asker", "FieldValue", "Notice", "fields_to_ask", "is_given", "parse_assignments",
    "parse_given", "read_notice", "read_pasted_notice", "review_fields",
]


def read_notice(
    path: Path, rules: RuleSet, *, given: Mapping[str, str] | None = None, ask: Asker | None = None
) -> Notice:
    """Read the notice in the file at ``path``; errors name the file and say what to do.

    ``given`` holds values the person supplied (``--set``); ``ask`` is called after reading to ask
    for key fields that are missing or uncertain (a terminal prompt).
    """
    from balancedue.intake.pipeline import read_document  # the OCR libraries load on first use

    notice = apply_given(read_document(path, rules=rules), given or {}, rules.notices)
    return ask_and_apply(notice, ask, rules.notices)


def read_pasted_notice(
    text: str, rules: RuleSet, *, given: Mapping[str, str] | None = None, ask: Asker | None = None
) -> Notice:
    """Read a notice from text pasted from an e-mail or typed in."""
    from balancedue.intake.pipeline import read_text

    notice = apply_given(read_text(text, rules=rules), given or {}, rules.notices)
    return ask_and_apply(notice, ask, rules.notices)


def review_fields(notice: Notice) -> NoticeRead:
    """The fields read from the notice, with their confidence, as the report shows them."""
    return sections.notice_read(notice)

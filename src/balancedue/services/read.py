"""User action: read an IRS notice from a file (PDF, photo, scan) or from pasted text."""

from __future__ import annotations

from pathlib import Path

from balancedue.advice import sections
from balancedue.advice.report import NoticeRead
from balancedue.intake import HIGH_CONFIDENCE
from balancedue.intake.models import FieldValue, Notice
from balancedue.rules import RuleSet

__all__ = ["HIGH_CONFIDENCE", "FieldValue", "Notice", "read_notice", "read_pasted_notice", "review_fields"]


def read_notice(path: Path, rules: RuleSet) -> Notice:
    """Read the notice in the file at ``path``; errors name the file and say what to do."""
    from balancedue.intake.pipeline import read_document  # the OCR libraries load on first use

    return read_document(path, rules=rules)


def read_pasted_notice(text: str, rules: RuleSet) -> Notice:
    """Read a notice from text pasted from an e-mail or typed in."""
    from balancedue.intake.pipeline import read_text

    return read_text(text, rules=rules)


def review_fields(notice: Notice) -> NoticeRead:
    """The fields read from the notice, with their confidence, as the report shows them."""
    return sections.notice_read(notice)

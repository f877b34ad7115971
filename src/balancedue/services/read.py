"""User action: read an IRS notice from a file (PDF, photo, scan) or from pasted text."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from balancedue.intake.given import Asker, apply_given, ask_and_apply
from balancedue.intake.models import Notice
from balancedue.rules import RuleSet, load_rules


def read_notice(
    path: Path, rules: RuleSet | None = None, *, given: Mapping[str, str] | None = None, ask: Asker | None = None
) -> Notice:
    """Read the notice in the file at ``path``; errors name the file and say what to do.

    ``given`` holds values the person supplied (``--set``); ``ask`` is called after reading to ask
    for key fields that are missing or uncertain (a terminal prompt).
    """
    from balancedue.intake.pipeline import read_document  # the OCR libraries load on first use

    rules = rules or load_rules()
    notice = apply_given(read_document(path, rules=rules), given or {}, rules.notices)
    return ask_and_apply(notice, ask, rules.notices)


def read_pasted_notice(
    text: str, rules: RuleSet | None = None, *, given: Mapping[str, str] | None = None, ask: Asker | None = None
) -> Notice:
    """Read a notice from text pasted from an e-mail or typed in."""
    from balancedue.intake.pipeline import read_text

    rules = rules or load_rules()
    notice = apply_given(read_text(text, rules=rules), given or {}, rules.notices)
    return ask_and_apply(notice, ask, rules.notices)

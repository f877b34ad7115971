"""From a letter context to the letter: check, build the view, render the template, set it.

:func:`render_letter` is the one entry point.  It is pure: the letter date comes from the
context and the figures (day counts, look-back years) from the rules data.
"""

from __future__ import annotations

import re
from dataclasses import fields

from jinja2 import Environment, PackageLoader, StrictUndefined

from balancedue.letters.context import LetterContext, LetterKind, RenderedLetter
from balancedue.letters.docx import render_docx
from balancedue.letters.layout import format_text, parse_blocks
from balancedue.letters.pdf import render_pdf
from balancedue.letters.template_data import LetterView, build_view
from balancedue.letters.validation import check_context, refuse_full_ids, refuse_unprintable
from balancedue.rules import RuleSet

ENVIRONMENT = Environment(
    loader=PackageLoader("balancedue.letters", "templates"),
    autoescape=False,  # plain text: the PDF and DOCX writers escape for their own formats
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def template_name(kind: LetterKind) -> str:
    """The template file of a letter kind."""
    return f"{kind.value}.txt.j2"


def render_template(kind: LetterKind, view: LetterView) -> str:
    """The raw template output for ``view`` (one logical line per line)."""
    values = {f.name: getattr(view, f.name) for f in fields(view)}
    return ENVIRONMENT.get_template(template_name(kind)).render(**values)


def filename_stem(ctx: LetterContext) -> str:
    """``"2025-06-10-dispute-cp14-2023"``: date, kind, notice and year; no name, no id."""
    parts = [ctx.today.isoformat(), ctx.kind.value.replace("_", "-")]
    if ctx.notice_code:
        parts.append(re.sub(r"[^a-z0-9]+", "", ctx.notice_code.lower()))
    if ctx.tax_year is not None:
        parts.append(str(ctx.tax_year))
    return "-".join(part for part in parts if part)


def render_letter(ctx: LetterContext, rules: RuleSet) -> RenderedLetter:
    """The letter as text, PDF and DOCX.  Raises ``InputError`` for a context it cannot use."""
    check_context(ctx, rules)
    view = build_view(ctx, rules)
    blocks = parse_blocks(render_template(ctx.kind, view))
    text = format_text(blocks)
    refuse_full_ids(text, "the letter")
    refuse_unprintable(text, "the letter")
    return RenderedLetter(
        text=text,
        pdf=render_pdf(
            blocks, title=view.subject, author=view.signature_name,
            running_head=f"{view.signature_name}, {view.date_line}",
        ),
        docx=render_docx(blocks, title=view.subject, author=view.signature_name, when=ctx.today),
        filename_stem=filename_stem(ctx),
    )

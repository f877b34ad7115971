"""The return check (``analyze --return``) in the PDF report."""

from __future__ import annotations

from balancedue.advice.report import ReturnCheckSection
from balancedue.presentation import heading
from balancedue.reports.pdf import _H2, _SMALL, _money, _p, _table

LINES = (("AGI", "agi"), ("Taxable income", "taxable_income"), ("Income tax", "income_tax"),
         ("Self-employment tax", "self_employment_tax"), ("Total tax", "total_tax"),
         ("Earned income credit", "earned_income_credit"), ("Child tax credit", "child_tax_credit"), ("Owed (tax less credits)", "owed"))


def return_check_story(section: ReturnCheckSection) -> list[object]:
    """The flowables of the section: the three runs, the figures and each item's answer."""
    story: list[object] = [_p(f"{heading('return_check')} for {section.tax_year}", _H2), _p(section.summary)]
    if section.runs:
        rows: list[list[object]] = [["Line", *(_p(run.name, _SMALL) for run in section.runs)]]
        rows.extend([label, *(_money(getattr(run, name)) for run in section.runs)] for label, name in LINES)
        story.append(_table(rows, [1.9, 1.5, 1.5, 1.5]))
    if section.comparisons:
        rows = [["Figure", "Notice", "Recomputed", "Your facts", "Verdict"]]
        for c in section.comparisons:
            verdict = "matches" if c.matches else "differs" if c.matches is False else "-"
            rows.append([_p(c.item + (f". {c.note}" if c.note else ""), _SMALL), _money(c.notice), _money(c.recomputed),
                         _money(c.yours), verdict])
        story.append(_table(rows, [3.0, 0.9, 0.9, 0.9, 0.8]))
    for item in section.items:
        story.append(_p(f"{item.number}. Form {item.form} from {item.payer}: notice {_money(item.irs_amount)}, your facts "
                        f"{_money(item.your_amount)}: {item.answer.replace('_', ' ')} ({item.verdict})."))
        story.extend(_p(text, _SMALL) for text in [*item.findings, *(f"Send: {d}" for d in item.send)])
    story.extend(_p(f"Note: {note}", _SMALL) for note in section.notes)
    story.append(_p(f"Answer on the response form: {section.answer.replace('_', ' ')}."))
    return story

"""The report section of a return check: every run, item and figure, each with its rule."""

from __future__ import annotations

from decimal import Decimal

from balancedue.advice.report import (
    Figure,
    ReturnCheckFigure,
    ReturnCheckItem,
    ReturnCheckSection,
    ReturnEffect,
    ReturnRun,
)
from balancedue.advice.return_check import Computed, ReturnCheck

RUN_NAMES = ("as filed", "as the notice proposes", "as your facts support")


EFFECT_RULE = "the return with this item alone, less the return as filed"


def _effect(delta: Computed, calculator: str) -> ReturnEffect:
    return ReturnEffect(
        agi=Figure.of(delta.agi, rule=EFFECT_RULE, source=calculator),
        taxable_income=Figure.of(delta.taxable_income, rule=EFFECT_RULE, source=calculator),
        self_employment_tax=Figure.of(delta.se_tax, rule=EFFECT_RULE + "; IRC 1401, 1402", source="balancedue engine"),
        earned_income_credit=Figure.of(delta.eitc, rule=EFFECT_RULE + "; IRC 32", source="balancedue engine"),
        child_tax_credit=Figure.of(delta.ctc, rule=EFFECT_RULE + "; IRC 24", source="balancedue engine"),
        total_tax=Figure.of(delta.total_tax, rule=EFFECT_RULE, source=calculator),
        owed=Figure.of(delta.owed, rule=EFFECT_RULE, source=calculator),
    )


def _run(name: str, run: Computed, calculator: str) -> ReturnRun:
    return ReturnRun(
        name=name,
        agi=Figure.of(run.agi, rule="Form 1040 line 11", source=calculator),
        taxable_income=Figure.of(run.taxable_income, rule="Form 1040 line 15", source=calculator),
        income_tax=Figure.of(run.income_tax, rule="tax table or tax computation (IRC 1, 1(h))", source=calculator),
        self_employment_tax=Figure.of(run.se_tax, rule="IRC 1401, 1402; Schedule SE", source="balancedue engine"),
        total_tax=Figure.of(run.total_tax, rule="income tax less nonrefundable credits as claimed, plus SE tax",
                            source="balancedue engine"),
        earned_income_credit=Figure.of(run.eitc, rule="IRC 32; EIC Table", source="balancedue engine"),
        child_tax_credit=Figure.of(run.ctc, rule="IRC 24; Schedule 8812 (or as claimed)", source="balancedue engine"),
        owed=Figure.of(run.owed, rule="total tax less refundable credits", source="balancedue engine"),
    )


def _figure(amount: Decimal | None, rule: str, source: str) -> Figure | None:
    return None if amount is None else Figure.of(amount, rule=rule, source=source)


def return_check_section(check: ReturnCheck) -> ReturnCheckSection:
    """The section of the analysis report."""
    runs = [
        _run(name, run, check.calculator)
        for name, run in zip(RUN_NAMES, (check.filed, check.as_proposed, check.as_corrected), strict=True)
    ]
    items = [
        ReturnCheckItem(
            number=i.number,
            form=i.item.form,
            payer=i.item.payer,
            irs_amount=Figure.of(i.irs_amount, rule=f"Form {i.item.form} as the notice lists it", source="the notice"),
            your_amount=Figure.of(i.your_amount, rule="the amount the facts support", source="your return summary"),
            answer=i.position.value,
            verdict=i.verdict.value,
            findings=list(i.findings),
            send=list(i.send),
            irs_effect=_effect(i.irs_effect, check.calculator),
            your_effect=_effect(i.your_effect, check.calculator),
        )
        for i in check.items
    ]
    comparisons = [
        ReturnCheckFigure(
            item=c.what,
            notice=_figure(c.notice, c.rule, "the notice"),
            recomputed=_figure(c.recomputed, c.rule, "recomputation of the notice's changes"),
            yours=_figure(c.yours, c.rule, "recomputation with your facts"),
            matches=c.matches,
            note=c.note or None,
        )
        for c in check.comparisons
    ]
    return ReturnCheckSection(
        tax_year=check.tax_year,
        calculator=check.calculator,
        summary=check.summary,
        answer=check.position.value,
        runs=runs,
        items=items,
        comparisons=comparisons,
        notes=list(check.notes),
        enclosures=list(check.enclosures),
    )

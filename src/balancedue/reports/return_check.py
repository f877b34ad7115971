"""The return check (``analyze --return``) for a terminal."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from balancedue.advice.report import Figure, ReturnCheckSection, ReturnEffect
from balancedue.presentation import heading, money

ANSWERS = {"agree": "agree", "partly_agree": "partly agree", "disagree": "disagree", "undetermined": "undetermined"}


def _money(figure: Figure | None) -> str:
    return money(figure.amount) if figure is not None else ""


def _signed(figure: Figure) -> str:
    amount = Decimal(figure.amount)
    return ("+" if amount >= 0 else "-") + money(abs(amount))


def _effect(effect: ReturnEffect) -> str:
    return (
        f"AGI {_signed(effect.agi)}, taxable income {_signed(effect.taxable_income)}, SE tax "
        f"{_signed(effect.self_employment_tax)}, earned income credit {_signed(effect.earned_income_credit)}, "
        f"child tax credit {_signed(effect.child_tax_credit)}, total tax {_signed(effect.total_tax)}, owed {_signed(effect.owed)}"
    )


def print_return_check(section: ReturnCheckSection, console: Console) -> None:
    """The recomputation beside the notice's figures, with the answer per item."""
    console.rule(f"{heading('return_check')} for {section.tax_year}")
    console.print(section.summary, markup=False)
    if section.runs:
        table = Table(title="The return run three ways")
        table.add_column("Line")
        for run in section.runs:
            table.add_column(run.name, justify="right")
        for label, name in (("AGI", "agi"), ("Taxable income", "taxable_income"), ("Income tax", "income_tax"),
                            ("Self-employment tax", "self_employment_tax"), ("Total tax", "total_tax"),
                            ("Earned income credit", "earned_income_credit"), ("Child tax credit", "child_tax_credit"),
                            ("Owed (tax less credits)", "owed")):
            table.add_row(label, *(_money(getattr(run, name)) for run in section.runs))
        console.print(table)
    if section.comparisons:
        table = Table(title="The notice beside the recomputation")
        for column in ("Figure", "Notice", "Recomputed", "With your facts", "Verdict"):
            table.add_column(column, justify="left" if column in ("Figure", "Verdict") else "right")
        for c in section.comparisons:
            verdict = "[green]matches[/green]" if c.matches else "[red]differs[/red]" if c.matches is False else "-"
            table.add_row(c.item, _money(c.notice), _money(c.recomputed), _money(c.yours), verdict)
        console.print(table)
        for c in section.comparisons:
            if c.note:
                console.print(f"[dim]{c.item}: {c.note}[/dim]")
    for item in section.items:
        console.print(
            f"[bold]{item.number}. Form {item.form} from {item.payer}[/bold]: notice {_money(item.irs_amount)}, "
            f"your facts {_money(item.your_amount)} -> [bold]{ANSWERS.get(item.answer, item.answer)}[/bold] ({item.verdict})",
        )
        console.print(f"   As the notice counts it: {_effect(item.irs_effect)}", markup=False)
        if item.your_amount != item.irs_amount:
            console.print(f"   As your facts support it: {_effect(item.your_effect)}", markup=False)
        for finding in item.findings:
            console.print(f"   - {finding}", markup=False)
        for document in item.send:
            console.print(f"   Send: {document}", markup=False)
    for note in section.notes:
        console.print(f"Note: {note}", style="yellow", markup=False)
    console.print(f"Answer on the response form: [bold]{ANSWERS.get(section.answer, section.answer)}[/bold]. "
                  "Write it with: balancedue letter cp2000_response CASE --return FILE")

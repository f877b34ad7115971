"""The report as one self-contained HTML page (no outside resources)."""

from __future__ import annotations

from decimal import Decimal

from jinja2 import Environment, PackageLoader, select_autoescape

from balancedue.advice.report import Figure, Report
from balancedue.presentation import (
    bill_words,
    days_left,
    field_label,
    heading,
    money,
    pay_holds,
    unread_key_fields,
)
from balancedue.reports.chart import balance_chart_svg


def _money(figure: Figure | None) -> str:
    return money(Decimal(figure.amount)) if figure is not None else ""


def _verdict(matches: bool | None) -> str:
    return "matches" if matches else "differs" if matches is False else "cannot compare"


_ENV = Environment(
    loader=PackageLoader("balancedue.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.globals.update(money=_money, verdict=_verdict, heading=heading, field_label=field_label,
                    unread_key_fields=unread_key_fields, days_left=days_left,
                    pay_holds=pay_holds, bill_words=bill_words)


def render_html(report: Report) -> str:
    """The whole report as HTML."""
    template = _ENV.get_template("report.html.j2")
    return template.render(r=report, chart_svg=balance_chart_svg(report))

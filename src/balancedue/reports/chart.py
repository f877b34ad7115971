"""The balance-over-time chart of the options (ReportLab graphics, as a drawing or SVG)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from balancedue.advice.report import Report

PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#c55a11"),
    colors.HexColor("#548235"),
    colors.HexColor("#7030a0"),
    colors.HexColor("#bf9000"),
    colors.HexColor("#2e75b6"),
    colors.HexColor("#a50021"),
)


def balance_chart(report: Report, width: int = 480, height: int = 240) -> Drawing | None:
    """A line per option with a balance series; ``None`` when no option has one."""
    series = [(o.title, o.series) for o in report.options.options if len(o.series) >= 2]
    if not series:
        return None
    start = min(point.date for _, points in series for point in points)
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 50, 40
    plot.width, plot.height = width - 70, height - 110
    plot.data = [
        [((point.date - start).days, float(Decimal(point.balance))) for point in points]  # drawing units only
        for _, points in series
    ]
    for index in range(len(series)):
        plot.lines[index].strokeColor = PALETTE[index % len(PALETTE)]
        plot.lines[index].strokeWidth = 1.5
    plot.xValueAxis.labelTextFormat = lambda days: _month_label(start, int(days))
    plot.yValueAxis.labelTextFormat = lambda value: f"${value:,.0f}"
    plot.yValueAxis.valueMin = 0
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 50, height - 8
    legend.dx, legend.dy = 8, 8
    legend.fontSize = 7
    legend.columnMaximum = 3
    legend.deltax = 150
    legend.alignment = "right"
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], title[:40]) for i, (title, _) in enumerate(series)]
    drawing.add(legend)
    drawing.add(String(width / 2, 8, "Balance owed over time, by option", fontSize=8, textAnchor="middle"))
    return drawing


def _month_label(start: date, days: int) -> str:
    day = date.fromordinal(start.toordinal() + days)
    return day.strftime("%b %Y")


def balance_chart_svg(report: Report) -> str | None:
    """The chart as an SVG document (for HTML)."""
    drawing = balance_chart(report)
    if drawing is None:
        return None
    text = str(renderSVG.drawToString(drawing))
    return text[text.index("<svg") :] if "<svg" in text else text

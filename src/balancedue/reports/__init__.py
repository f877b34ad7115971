"""Renderings of the analysis report: terminal (Rich), HTML (Jinja2) and PDF (ReportLab).

Renderers only lay out what the report already holds; they compute nothing.
"""

from __future__ import annotations

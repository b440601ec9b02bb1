"""Exports of the register: the risk summary in several formats, and the review pack.

Every export is a pure function of the data and the day, returning text or
bytes; the CLI decides where it goes.
"""

from __future__ import annotations

from collections.abc import Callable

from supplier_register.reports.csv_export import render_csv
from supplier_register.reports.html_export import render_html
from supplier_register.reports.json_export import render_summary_json
from supplier_register.reports.markdown import render_markdown
from supplier_register.reports.safety import guard_cell, unguard_cell
from supplier_register.reports.summary import (
    QuestionRow,
    RiskSummary,
    SupplierRow,
    TrendPoint,
    build_summary,
)
from supplier_register.reports.xlsx_export import render_xlsx

SUMMARY_FORMATS: dict[str, Callable[[RiskSummary], str | bytes]] = {
    "csv": render_csv,
    "md": render_markdown,
    "html": render_html,
    "xlsx": render_xlsx,
    "summary-json": render_summary_json,
}
"""Risk summary renderers by the name ``export --format`` uses."""


def render_summary(fmt: str, summary: RiskSummary) -> str | bytes:
    """The summary in format ``fmt`` (a key of :data:`SUMMARY_FORMATS`)."""
    return SUMMARY_FORMATS[fmt](summary)


__all__ = [
    "SUMMARY_FORMATS",
    "QuestionRow",
    "RiskSummary",
    "SupplierRow",
    "TrendPoint",
    "build_summary",
    "guard_cell",
    "render_summary",
    "unguard_cell",
]

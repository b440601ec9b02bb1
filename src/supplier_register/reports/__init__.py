"""Exports of the register: the risk summary in several formats, and the review pack.

Every export is a pure function of the data and the day, returning text or
bytes; the CLI decides where it goes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from supplier_register.reports.csv_export import iter_csv, render_csv
from supplier_register.reports.html_export import iter_html, render_html
from supplier_register.reports.json_export import iter_summary_json, render_summary_json
from supplier_register.reports.markdown import iter_markdown, render_markdown
from supplier_register.reports.safety import guard_cell, unguard_cell
from supplier_register.reports.summary import (
    NOTES_LIMIT,
    QuestionRow,
    RiskSummary,
    SupplierRow,
    build_overview_summary,
)
from supplier_register.reports.xlsx_export import render_xlsx
from supplier_register.review.models import TrendPoint

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


def stream_summary(
    fmt: str, summary: RiskSummary, *, notes: int | None = NOTES_LIMIT
) -> Iterable[str] | bytes:
    """:func:`render_summary`, as pieces of text where the format can be written piece by piece.

    The JSON summary lists every finding of every supplier, and the other text
    formats a row or block per supplier; written in pieces, none has to be
    held whole.  ``notes`` caps the supplier notes of the html and md papers.
    """
    if fmt == "summary-json":
        return iter_summary_json(summary)
    if fmt == "html":
        return iter_html(summary, notes)
    if fmt == "csv":
        return iter_csv(summary)
    if fmt == "md":
        return iter_markdown(summary, notes)
    rendered = render_summary(fmt, summary)
    return rendered if isinstance(rendered, bytes) else [rendered]


__all__ = [
    "NOTES_LIMIT",
    "SUMMARY_FORMATS",
    "QuestionRow",
    "RiskSummary",
    "SupplierRow",
    "TrendPoint",
    "build_overview_summary",
    "guard_cell",
    "render_summary",
    "stream_summary",
    "unguard_cell",
]

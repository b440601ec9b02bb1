"""Wording shared by the Markdown and HTML exports: dates, bands and headline facts.

Everything here returns plain text; the caller escapes it for its format.
"""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.enums import Criticality
from supplier_register.reports.summary import RiskSummary, SupplierRow
from supplier_register.scoring.results import Band

NOTES_INTRO = (
    "What lies behind the scores of the strategic and high-criticality suppliers: their most "
    "serious findings, each with the part of principle 6 it comes from. The spreadsheet "
    "export lists every finding of every supplier."
)
"""Opening sentence of the supplier notes."""

DECISION_WINDOW_DAYS = 183
"""Decide-by dates within this many days (about six months) are called out."""


def long_date(day: dt.date) -> str:
    """A date as a board paper writes it: 26 November 2026."""
    return f"{day.day} {day:%B %Y}"


def band_label(band: Band) -> str:
    return band.value.capitalize()


def decide_by_text(row: SupplierRow) -> str:
    """The next decide-by date with the days left (or passed)."""
    if row.next_decide_by is None or row.days_to_decide is None:
        return ""
    days = row.days_to_decide
    when = f"{days} days" if days >= 0 else f"passed {-days} days ago"
    return f"{row.next_decide_by.isoformat()} ({when})"


def overview_lines(summary: RiskSummary) -> list[str]:
    """Plain-English headline facts, shared by the Markdown and HTML exports (no markup)."""
    counts = summary.band_counts()
    total = len(summary.suppliers)
    parts = ", ".join(f"{counts[b]} {b.value}" for b in reversed(Band))
    lines = [f"{total} supplier{'s' if total != 1 else ''} scored against principle 6: {parts}."]
    exposed = [
        r
        for r in summary.suppliers
        if r.criticality in (Criticality.STRATEGIC, Criticality.HIGH)
        and r.band in (Band.HIGH, Band.SEVERE)
    ]
    if exposed:
        lines.append(
            f"{len(exposed)} strategic or high-criticality supplier"
            f"{'s are' if len(exposed) != 1 else ' is'} at high or severe risk."
        )
    due = summary.decisions_within(DECISION_WINDOW_DAYS)
    if due:
        lines.append(
            f"{len(due)} renew-or-leave decision{'s' if len(due) != 1 else ''} "
            "fall due within six months (or are already overdue)."
        )
    gaps = sum(r.data_gap_count for r in summary.suppliers)
    if gaps:
        lines.append(f"{gaps} answer{'s' if gaps != 1 else ''} still unknown (data gaps).")
    return lines

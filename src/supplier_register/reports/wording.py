"""Wording shared by the Markdown and HTML exports: dates, bands and headline facts.

Everything here returns plain text; the caller escapes it for its format.
"""

from __future__ import annotations

import datetime as dt

from supplier_register.domain.enums import Criticality
from supplier_register.reports.summary import AuditSeal, RiskSummary, SupplierRow
from supplier_register.scoring.results import Band

NOTES_INTRO = (
    "What lies behind the scores of the strategic and high-criticality suppliers: their most "
    "serious findings, each with the part of principle 6 it comes from. The summary-json "
    "export lists every finding of every supplier (the spreadsheet export, those of the "
    "highest-priority suppliers)."
)
"""Opening sentence of the supplier notes."""

DECISION_WINDOW_DAYS = 183
"""Decide-by dates within this many days (about six months) are called out."""


def long_date(day: dt.date) -> str:
    """A date as a board paper writes it: 26 November 2026."""
    return f"{day.day} {day:%B %Y}"


BANDS_WORST_FIRST = (Band.SEVERE, Band.HIGH, Band.MEDIUM, Band.LOW, Band.UNASSESSED)
"""The bands as lists of counts name them: worst first, unassessed (no band yet) last."""


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
    parts = ", ".join(f"{counts[b]} {b.value}" for b in BANDS_WORST_FIRST)
    lines = [f"{total} supplier{'s' if total != 1 else ''} scored against principle 6: {parts}."]
    if counts[Band.UNASSESSED]:
        many = counts[Band.UNASSESSED] != 1
        lines.append(
            f"{counts[Band.UNASSESSED]} supplier{'s are' if many else ' is'} unassessed: too "
            "little is known to band "
            + ("them" if many else "it")
            + "; the unknowns are actions for the team."
        )
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
        # Counted across every criticality, so said apart from the board's decisions required.
        pack = summary.board
        lines.append(
            f"{len(due)} supplier{'s have' if len(due) != 1 else ' has'} a renew-or-leave "
            "decide-by date within six months (or already passed), of any criticality"
            + (
                f": the decisions required are those of {pack.decisions_from.label.lower()} "
                "criticality and above, the others are management actions."
                if pack is not None
                else "."
            )
        )
    gaps = sum(r.data_gap_count for r in summary.suppliers)
    if gaps:
        lines.append(f"{gaps} answer{'s' if gaps != 1 else ''} still unknown (data gaps).")
    return lines


def notes_left_out(summary: RiskSummary, limit: int | None) -> str | None:
    """What the notes leave out when only the first ``limit`` are explained, and where it is.

    ``None`` when every strategic and high-criticality supplier has its note.
    """
    noted = summary.noted()
    if limit is None or len(noted) <= limit:
        return None
    limit = max(0, limit)
    where = (
        "Each is still in the table of suppliers by priority above, with its scores, band and "
        "top findings; every finding of every supplier is in the summary-json export "
        "(supplier-register export --format summary-json), and a supplier's full scoring in "
        "supplier-register score --supplier NAME. Export again with --notes N to explain more."
    )
    if limit == 0:
        return (
            f"Notes were left out of this paper (--notes 0): none of the {len(noted):,} "
            f"strategic and high-criticality suppliers is explained here. {where}"
        )
    last = noted[limit - 1]
    return (
        f"These notes explain the {limit:,} most pressing of the {len(noted):,} strategic and "
        f"high-criticality suppliers, down to {last.supplier} (rank {last.rank:,}). Left out: "
        f"the other {len(noted) - limit:,}, every one ranked below rank {last.rank:,}. {where}"
    )


def notes_fact(summary: RiskSummary, limit: int | None) -> str | None:
    """A headline fact saying the notes are capped, when they are."""
    noted = len(summary.noted())
    if limit is None or noted <= limit:
        return None
    shown = max(0, limit)
    return (
        f"Supplier notes explain the {shown:,} most pressing of the {noted:,} strategic and "
        f"high-criticality suppliers; the other {noted - shown:,} are in the table only."
    )


def audit_seal_line(seal: AuditSeal) -> str:
    """The colophon line that ties a paper to the audit log, e.g. ``Audit log: 12,345 entries...``."""
    line = (
        f"Audit log: {seal.entries:,} entries, chain head {seal.head} "
        "(supplier-register audit --verify --head checks the log against it)"
    )
    if seal.unsealed:
        line += (
            f"; {seal.unsealed:,} later {'entry' if seal.unsealed == 1 else 'entries'} made "
            "outside supplier-register, not yet sealed"
        )
    return line + "."

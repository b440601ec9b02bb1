"""JSON export of the risk summary (the summary model, not the lossless interchange)."""

from __future__ import annotations

from supplier_register.reports.summary import RiskSummary


def render_summary_json(summary: RiskSummary) -> str:
    """The summary as indented JSON: suppliers in priority order, then ranked questions."""
    return summary.model_dump_json(indent=2) + "\n"

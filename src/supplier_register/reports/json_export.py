"""JSON export of the risk summary (the summary model, not the lossless interchange)."""

from __future__ import annotations

from collections.abc import Iterator

from supplier_register.reports.jsonstream import splice
from supplier_register.reports.summary import RiskSummary


def iter_summary_json(summary: RiskSummary) -> Iterator[str]:
    """The summary as indented JSON, in pieces: suppliers in priority order, then ranked questions.

    Every supplier row carries every one of its findings; rows are written one
    at a time, so a large register is never in memory as one document.
    """
    head = summary.model_copy(update={"suppliers": []}).model_dump_json(indent=2)
    rows = (row.model_dump_json(indent=2) for row in summary.rows_with_every_finding())
    yield from splice(head, "suppliers", rows)
    yield "\n"


def render_summary_json(summary: RiskSummary) -> str:
    """The summary as indented JSON: suppliers in priority order, then ranked questions."""
    return "".join(iter_summary_json(summary))

"""Building the risk summary from a register and its scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from supplier_register.domain.enums import Criticality
from supplier_register.reports import TrendPoint
from supplier_register.reports.wording import overview_lines
from supplier_register.scoring.results import Band, Dimension
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
)


def test_rows_follow_score_order_with_register_details() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY, trust="  Trust  ")
    assert summary.trust == "Trust"
    assert [r.supplier for r in summary.suppliers] == [
        HOSTILE_SUPPLIER,
        SCRIPT_SUPPLIER,
        MARKUP_SUPPLIER,
    ]
    first = summary.suppliers[0]
    assert first.rank == 1
    assert first.owner == "-1+2"
    assert first.category == "EPR"
    assert first.annual_spend == Decimal("1250000.50")
    assert first.last_review == dt.date(2026, 6, 1)
    assert first.days_to_decide == (dt.date(2026, 10, 2) - TODAY).days == -55
    assert first.finding_count == 4 and first.data_gap_count == 1 and first.question_count == 1
    assert first.top_findings == ["+1 (@SUM(A1))", "\t=1", "Auto-renews"]
    assert list(first.dimensions) == list(Dimension)
    assert [q.rank for q in summary.questions] == [1, 2]


def test_matrix_and_counts() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    matrix = summary.matrix()
    assert matrix[(Criticality.STRATEGIC, Band.SEVERE)] == [HOSTILE_SUPPLIER]
    assert matrix[(Criticality.LOW, Band.LOW)] == [MARKUP_SUPPLIER]
    assert sum(len(v) for v in matrix.values()) == 3
    assert summary.band_counts() == {
        Band.LOW: 1,
        Band.MEDIUM: 0,
        Band.HIGH: 1,
        Band.SEVERE: 1,
        Band.UNASSESSED: 0,
    }
    assert [r.supplier for r in summary.decisions_within(183)] == [
        HOSTILE_SUPPLIER,
        SCRIPT_SUPPLIER,
    ]
    lines = overview_lines(summary)
    assert lines[0] == (
        "3 suppliers scored against principle 6: 1 severe, 1 high, 0 medium, 1 low, 0 unassessed."
    )
    assert "2 strategic or high-criticality suppliers are at high or severe risk." in lines
    assert not any("unassessed:" in line for line in lines)


def test_unassessed_suppliers_are_counted_and_said() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    rows = [
        r.model_copy(update={"band": Band.UNASSESSED}) if r.supplier != HOSTILE_SUPPLIER else r
        for r in summary.suppliers
    ]
    summary = summary.model_copy(update={"suppliers": rows})
    assert summary.band_counts()[Band.UNASSESSED] == 2
    assert summary.matrix()[(Criticality.LOW, Band.UNASSESSED)] == [MARKUP_SUPPLIER]
    lines = overview_lines(summary)
    assert lines[0].endswith(": 1 severe, 0 high, 0 medium, 0 low, 2 unassessed.")
    assert (
        "2 suppliers are unassessed: too little is known to band them; the unknowns are "
        "actions for the team." in lines
    )


def test_trend_only_with_history_and_ends_now() -> None:
    history = {HOSTILE_SUPPLIER.upper(): [TrendPoint(label="2026-Q3", score=70)]}
    summary = build_summary(hostile_register(), hostile_scores(), TODAY, history=history)
    assert [(p.label, p.score) for p in summary.suppliers[0].trend] == [
        ("2026-Q3", 70),
        ("now", 82),
    ]
    assert summary.suppliers[1].trend == []


def test_scored_supplier_missing_from_register_has_no_details() -> None:
    register = hostile_register().model_copy(update={"suppliers": []})
    row = build_summary(register, hostile_scores(), TODAY).suppliers[0]
    assert row.owner is None and row.category is None and row.annual_spend is None


def test_trust_defaults_to_the_registers_own_name() -> None:
    register = hostile_register().model_copy(update={"trust": "Northmoor Valley NHS FT"})
    assert build_summary(register, hostile_scores(), TODAY).trust == "Northmoor Valley NHS FT"
    assert build_summary(register, hostile_scores(), TODAY, trust="Other").trust == "Other"
    assert build_summary(hostile_register(), hostile_scores(), TODAY).trust is None

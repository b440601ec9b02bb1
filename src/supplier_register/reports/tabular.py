"""The columns of the tabular exports (CSV and XLSX), defined once.

Each column says how to read its value from a summary row and what type it
is, so the CSV and the workbook always have the same columns, and the
workbook can give numbers, money and dates their own cell formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from supplier_register.reports.safety import Cell
from supplier_register.reports.summary import QuestionRow, RiskSummary, SupplierRow
from supplier_register.scoring.results import Dimension

Row = TypeVar("Row")

DIMENSION_SHORT = {
    Dimension.BUYING: "Buying",
    Dimension.EXPERTISE: "Expertise",
    Dimension.TURNKEY: "Turn-key",
    Dimension.OPTIONS: "Options",
    Dimension.EXIT: "Exit",
    Dimension.RELATIONSHIP: "Relationship",
}
"""Short names of the scoring dimensions, for column headers."""


class Kind(Enum):
    """What a column holds; the XLSX writer picks a number format from it."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"
    DATE = "date"


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header, how to read it from a row, its kind and display width."""

    header: str
    get: Callable[[Row], Cell]
    kind: Kind = Kind.TEXT
    width: int = 12


def _dimension_column(dimension: Dimension) -> Column[SupplierRow]:
    def get(row: SupplierRow) -> Cell:
        return row.dimensions.get(dimension)

    return Column(f"{DIMENSION_SHORT[dimension]} risk", get, Kind.INTEGER, 10)


SUPPLIER_COLUMNS: Sequence[Column[SupplierRow]] = (
    Column("Rank", lambda r: r.rank, Kind.INTEGER, 6),
    Column("Supplier", lambda r: r.supplier, Kind.TEXT, 30),
    Column("Category", lambda r: r.category, Kind.TEXT, 22),
    Column("Criticality", lambda r: r.criticality.label, Kind.TEXT, 11),
    Column("Owner", lambda r: r.owner, Kind.TEXT, 22),
    Column("Annual spend (GBP)", lambda r: r.annual_spend, Kind.MONEY, 16),
    Column("Risk score", lambda r: r.score, Kind.INTEGER, 10),
    Column("Band", lambda r: r.band.value.capitalize(), Kind.TEXT, 9),
    *(_dimension_column(d) for d in Dimension),
    Column("Findings", lambda r: r.finding_count, Kind.INTEGER, 9),
    Column("Data gaps", lambda r: r.data_gap_count, Kind.INTEGER, 9),
    Column("Board questions", lambda r: r.question_count, Kind.INTEGER, 10),
    Column("Next decide-by", lambda r: r.next_decide_by, Kind.DATE, 13),
    Column("Decide-by contract", lambda r: r.next_decide_by_contract, Kind.TEXT, 28),
    Column("Days to decide", lambda r: r.days_to_decide, Kind.INTEGER, 10),
    Column("Last review", lambda r: r.last_review, Kind.DATE, 12),
    Column("Top findings", lambda r: "; ".join(r.top_findings), Kind.TEXT, 60),
)
"""One row per supplier, highest priority first."""

QUESTION_COLUMNS: Sequence[Column[QuestionRow]] = (
    Column("Rank", lambda q: q.rank, Kind.INTEGER, 6),
    Column("Supplier", lambda q: q.supplier, Kind.TEXT, 30),
    Column("Criticality", lambda q: q.criticality.label, Kind.TEXT, 11),
    Column("Key question", lambda q: q.key_question.text, Kind.TEXT, 40),
    Column("Board question", lambda q: q.text, Kind.TEXT, 80),
    Column("Priority", lambda q: q.priority, Kind.DECIMAL, 9),
)
"""The ranked board questions."""


def table(columns: Sequence[Column[Row]], rows: Sequence[Row]) -> list[list[Cell]]:
    """The cells of ``rows`` under ``columns`` (header not included)."""
    return [[c.get(row) for c in columns] for row in rows]


def caption(summary: RiskSummary) -> str:
    """A one-line description of the export: trust, title and date."""
    who = f"{summary.trust}: " if summary.trust else ""
    return f"{who}{summary.title}, {summary.today.isoformat()}"

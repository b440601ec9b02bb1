"""The columns of the tabular exports (CSV and XLSX), defined once.

Each column says how to read its value from a summary row and what type it
is, so the CSV and the workbook always have the same columns, and the
workbook can give numbers, money and dates their own cell formats.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from operator import attrgetter, methodcaller
from typing import Any, Generic, Protocol, TypeVar

from supplier_register.domain.enums import Criticality
from supplier_register.reports.model_text import ModelFigures
from supplier_register.reports.safety import Cell
from supplier_register.reports.summary import QuestionRow, RiskSummary
from supplier_register.scoring.results import Band, Dimension

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


class SupplierCells(ModelFigures, Protocol):
    """What the supplier columns read of a row: a summary's ``SupplierRow``, or the lighter line
    the CSV export makes straight from an overview (``csv_export.overview_lines``)."""

    @property
    def rank(self) -> int: ...
    @property
    def supplier(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def criticality(self) -> Criticality: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def annual_spend(self) -> Decimal | None: ...
    def dimension_score(self, index: int) -> int | None:
        """The score of the ``index``-th :class:`Dimension` (in enum order), if scored."""

    @property
    def finding_count(self) -> int: ...
    @property
    def data_gap_count(self) -> int: ...
    @property
    def question_count(self) -> int: ...
    @property
    def next_decide_by(self) -> dt.date | None: ...
    @property
    def next_decide_by_contract(self) -> str | None: ...
    @property
    def days_to_decide(self) -> int | None: ...
    @property
    def last_review(self) -> dt.date | None: ...
    @property
    def top_findings(self) -> Sequence[str]: ...


def _field(name: str) -> Callable[[Any], Cell]:
    """The getter of a column that is one field of its row (read in C: a cell per row each)."""
    return attrgetter(name)


def _dimension_column(index: int, dimension: Dimension) -> Column[SupplierCells]:
    # methodcaller: ``row.dimension_score(index)`` called from C, one Python call a cell fewer
    get: Callable[[SupplierCells], Cell] = methodcaller("dimension_score", index)
    return Column(f"{DIMENSION_SHORT[dimension]} exposure", get, Kind.INTEGER, 10)


def _percent(share: float) -> int:
    """A share (0 to 1) as a whole percentage, as the papers show it."""
    return round(share * 100)


_CRITICALITY_LABEL = {c: c.label for c in Criticality}
_BAND_LABEL = {b: b.value.capitalize() for b in Band}
"""Each criticality's and band's cell text, looked up (a property per cell was measurable)."""


SUPPLIER_COLUMNS: Sequence[Column[SupplierCells]] = (
    Column("Rank", _field("rank"), Kind.INTEGER, 6),
    Column("Supplier", _field("supplier"), Kind.TEXT, 30),
    Column("Category", _field("category"), Kind.TEXT, 22),
    Column("Criticality", lambda r: _CRITICALITY_LABEL[r.criticality], Kind.TEXT, 11),
    Column("Owner", _field("owner"), Kind.TEXT, 22),
    Column("Annual spend (GBP)", _field("annual_spend"), Kind.MONEY, 16),
    Column("Risk score", _field("score"), Kind.INTEGER, 10),
    Column("Band", lambda r: _BAND_LABEL[r.band], Kind.TEXT, 11),
    Column("Impact (of 5)", lambda r: round(r.impact, 1), Kind.DECIMAL, 8),
    Column("Exposure %", lambda r: _percent(r.exposure), Kind.INTEGER, 9),
    Column("Confidence %", lambda r: _percent(r.confidence), Kind.INTEGER, 11),
    Column("Risk range low", _field("risk_low"), Kind.INTEGER, 9),
    Column("Risk range high", _field("risk_high"), Kind.INTEGER, 9),
    *(_dimension_column(i, d) for i, d in enumerate(Dimension)),
    Column("Findings", _field("finding_count"), Kind.INTEGER, 9),
    Column("Data gaps", _field("data_gap_count"), Kind.INTEGER, 9),
    Column("Board questions", _field("question_count"), Kind.INTEGER, 10),
    Column("Next decide-by", _field("next_decide_by"), Kind.DATE, 13),
    Column("Decide-by contract", _field("next_decide_by_contract"), Kind.TEXT, 28),
    Column("Days to decide", _field("days_to_decide"), Kind.INTEGER, 10),
    Column("Last review", _field("last_review"), Kind.DATE, 12),
    Column("Top findings", lambda r: "; ".join(r.top_findings), Kind.TEXT, 60),
)
"""One row per supplier, highest priority first."""

QUESTION_COLUMNS: Sequence[Column[QuestionRow]] = (
    Column("Rank", _field("rank"), Kind.INTEGER, 6),
    Column("Supplier", _field("supplier"), Kind.TEXT, 30),
    Column("Criticality", lambda q: _question_criticality(q), Kind.TEXT, 11),
    Column("Key question", lambda q: q.key_question.text, Kind.TEXT, 40),
    Column("Board question", _field("text"), Kind.TEXT, 80),
    Column("Priority", _field("priority"), Kind.DECIMAL, 9),
    Column("Evidence", lambda q: _evidence(q), Kind.TEXT, 60),
)
"""The ranked board questions; a question about the trust itself says so in place of a
criticality, and the evidence recorded behind a question is quoted one excerpt a line."""


TRUST_OWN = "Trust's own finding"
"""The criticality cell of a question about the trust itself (it has no criticality of its own)."""


def _question_criticality(q: QuestionRow) -> str:
    return TRUST_OWN if q.scope == "trust" else q.criticality.label


def _evidence(q: QuestionRow) -> str | None:
    """The question's evidence excerpts, one a line (an empty cell without any)."""
    return "\n".join(q.evidence) or None


def table(columns: Sequence[Column[Row]], rows: Sequence[Row]) -> list[list[Cell]]:
    """The cells of ``rows`` under ``columns`` (header not included)."""
    return [[c.get(row) for c in columns] for row in rows]


def caption(summary: RiskSummary) -> str:
    """A one-line description of the export: trust, title and date."""
    who = f"{summary.trust}: " if summary.trust else ""
    return f"{who}{summary.title}, {summary.today.isoformat()}"

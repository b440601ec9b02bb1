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
from typing import Any, Generic, Literal, Protocol, TypeVar

from supplier_register.domain.enums import Criticality
from supplier_register.reports.model_text import ModelFigures
from supplier_register.reports.safety import Cell
from supplier_register.reports.summary import QuestionRow, RiskSummary
from supplier_register.scoring.board import BoardPack, Decision, ManagementAction
from supplier_register.scoring.results import Band, BoardQuestion, Dimension

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


# -- the board pack's three lists ---------------------------------------------------------

Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Numbered(Generic[Item]):
    """One item of a board pack list, with its number in the list and the pack's day."""

    number: int
    item: Item
    today: dt.date


BoardList = Literal["decisions", "questions", "actions"]
BOARD_LISTS: tuple[BoardList, ...] = ("decisions", "questions", "actions")
"""The board pack's lists, in the order every paper, screen and export shows them."""

BOARD_LIST_TITLES: dict[BoardList, str] = {
    "decisions": "Decisions",
    "questions": "Board questions",
    "actions": "Management actions",
}
"""Each list's sheet name in the workbook."""

_DECISION_KIND = {"decide_by": "Decide-by date", "ended_in_use": "Ended, still in use"}
_ACTION_KIND = {"find_out": "Find out", "decide": "Decide"}
_EXIT_PLAN = {
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "unknown": "Unknown",
    "not_applicable": "N/A",
}


def _lines(texts: Sequence[str]) -> str | None:
    """Texts one a line (an empty cell without any)."""
    return "\n".join(texts) or None


def _decision_contracts(d: Decision) -> str | None:
    """Each contract of a decision with its deadline, soonest first, one a line."""
    return _lines([f"{c.contract} ({c.date.isoformat()})" for c in d.contracts])


DECISION_COLUMNS: Sequence[Column[Numbered[Decision]]] = (
    Column("No.", _field("number"), Kind.INTEGER, 5),
    Column("Supplier", lambda n: n.item.supplier, Kind.TEXT, 30),
    Column("Criticality", lambda n: _CRITICALITY_LABEL[n.item.criticality], Kind.TEXT, 11),
    Column("Decision required", lambda n: n.item.action, Kind.TEXT, 60),
    Column("Deadline", lambda n: _DECISION_KIND[n.item.kind], Kind.TEXT, 16),
    Column("Date", lambda n: n.item.date, Kind.DATE, 12),
    Column("Days left", lambda n: n.item.days_left, Kind.INTEGER, 9),
    Column("Notice by", lambda n: n.item.notice_by, Kind.DATE, 12),
    Column("If nothing is done", lambda n: n.item.consequence, Kind.TEXT, 70),
    Column("Owner", lambda n: n.item.owner, Kind.TEXT, 22),
    Column(
        "Exit plan",
        lambda n: (
            None if n.item.exit_plan is None else _EXIT_PLAN.get(n.item.exit_plan, n.item.exit_plan)
        ),
        Kind.TEXT,
        9,
    ),
    Column("Key question", lambda n: n.item.key_question.text, Kind.TEXT, 40),
    Column("Contracts", lambda n: _decision_contracts(n.item), Kind.TEXT, 40),
)
"""Decisions required, most urgent first: the soonest deadline as a date and in days left
(negative: overdue), each contract with its own deadline."""


def _board_criticality(q: BoardQuestion) -> str:
    return TRUST_OWN if q.scope == "trust" else _CRITICALITY_LABEL[q.criticality]


BOARD_QUESTION_COLUMNS: Sequence[Column[Numbered[BoardQuestion]]] = (
    Column("No.", _field("number"), Kind.INTEGER, 5),
    Column("Supplier", lambda n: n.item.supplier, Kind.TEXT, 30),
    Column("Criticality", lambda n: _board_criticality(n.item), Kind.TEXT, 11),
    Column("Theme", lambda n: n.item.theme.label if n.item.theme else None, Kind.TEXT, 18),
    Column("Key question", lambda n: n.item.key_question.text, Kind.TEXT, 40),
    Column("Board question", lambda n: n.item.text, Kind.TEXT, 80),
    Column("Also asks", lambda n: _lines(n.item.also), Kind.TEXT, 60),
    Column("Contracts", lambda n: _lines(n.item.contracts), Kind.TEXT, 40),
    Column("Priority", lambda n: n.item.priority, Kind.DECIMAL, 9),
    Column("Evidence", lambda n: _lines(n.item.evidence), Kind.TEXT, 60),
)
"""The board questions, ranked: one per supplier and theme, the further questions merged in
listed one a line; a question about the trust itself says so in place of a criticality."""

ACTION_COLUMNS: Sequence[Column[Numbered[ManagementAction]]] = (
    Column("No.", _field("number"), Kind.INTEGER, 5),
    Column("Supplier", lambda n: n.item.supplier, Kind.TEXT, 30),
    Column("Criticality", lambda n: _CRITICALITY_LABEL[n.item.criticality], Kind.TEXT, 11),
    Column("Kind", lambda n: _ACTION_KIND[n.item.kind], Kind.TEXT, 9),
    Column("Action", lambda n: n.item.text, Kind.TEXT, 70),
    Column("Due", lambda n: n.item.due, Kind.DATE, 12),
    Column("Days left", lambda n: n.item.days_left(n.today), Kind.INTEGER, 9),
    Column("Owner", lambda n: n.item.owner, Kind.TEXT, 22),
    Column("Unknowns", lambda n: _lines(n.item.unknowns), Kind.TEXT, 50),
    Column(
        "Data gaps",
        lambda n: n.item.gap_count if n.item.kind == "find_out" else None,
        Kind.INTEGER,
        9,
    ),
    Column("Contracts", lambda n: _lines(n.item.contracts), Kind.TEXT, 40),
    Column("Priority", lambda n: n.item.priority, Kind.DECIMAL, 9),
)
"""Management actions for the CIO's team, soonest due first."""


def numbered(items: Sequence[Item], today: dt.date) -> list[Numbered[Item]]:
    """``items`` numbered from 1, in the order given (a board pack's lists are already in
    order: never sorted again here)."""
    return [Numbered(number, item, today) for number, item in enumerate(items, start=1)]


def board_list(
    pack: BoardPack, which: BoardList
) -> tuple[Sequence[Column[Any]], list[Numbered[Any]]]:
    """The columns and numbered rows of one of the pack's lists, in the pack's order."""
    if which == "decisions":
        return DECISION_COLUMNS, numbered(pack.decisions, pack.today)
    if which == "questions":
        return BOARD_QUESTION_COLUMNS, numbered(pack.questions, pack.today)
    return ACTION_COLUMNS, numbered(pack.actions, pack.today)

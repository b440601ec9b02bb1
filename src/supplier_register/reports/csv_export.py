"""CSV export of the risk summary: suppliers, an empty line, then the board questions.

Each of the board pack's three lists (decisions required, board questions, management
actions) is a CSV file of its own too (:func:`iter_board_csv`), with the columns of its
workbook sheet.

When the summary carries a service impact section (the ``export`` command's always
does), two more tables follow, each after an empty line: the service impact of
every strategic and high-criticality supplier (one row each, in priority order,
:data:`~supplier_register.reports.service_impact.IMPACT_COLUMNS`), then where the
register's services are concentrated (the top rows,
:data:`~supplier_register.reports.service_impact.CONCENTRATION_COLUMNS`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from itertools import islice
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, cast

from supplier_register.domain.enums import Criticality
from supplier_register.domain.models import Supplier
from supplier_register.reports.safety import (
    FORMULA_TRIGGERS,
    GUARD,
    Cell,
    csv_text,
    guard_cell,
    is_number,
)
from supplier_register.reports.service_impact import (
    CONCENTRATION_COLUMNS,
    IMPACT_COLUMNS,
    concentration_rows,
)
from supplier_register.reports.summary import (
    CATEGORY_LABELS,
    TOP_FINDINGS,
    ImpactSection,
    QuestionRow,
    RiskSummary,
    question_row,
    record_finder,
)
from supplier_register.reports.tabular import (
    QUESTION_COLUMNS,
    SUPPLIER_COLUMNS,
    BoardList,
    Column,
    Kind,
    Row,
    SupplierCells,
    board_list,
)
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.results import Band, BoardQuestion, SupplierOverview

if TYPE_CHECKING:
    from _csv import Writer as _CsvWriter

BOM = "\ufeff"
"""Byte-order mark written first, so Excel reads the file as UTF-8 (names with accents, £)."""


def csv_value(value: Cell) -> str:
    """The text of one CSV cell: numbers and dates as they are, all other text guarded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if is_number(value):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_text(str(value))


def _column_cells(column: Column[Row], rows: Sequence[Row]) -> Iterable[Cell]:
    """The cells of ``column`` in ``rows``, each written as :func:`csv_value` writes it.

    Integer, decimal and date cells are handed to the csv module as they are:
    it writes an int, a float and a date as ``str()`` does and None as an empty
    cell, exactly as :func:`csv_value` would (the rows' fields are typed: no bool
    there).  Text and money cells go through their kind's writer.  Worked out a
    column at a time (``map`` over a chunk of rows): a cell per column per
    supplier is most of a large export's time.
    """
    values = map(column.get, rows)
    if column.kind is Kind.TEXT:
        # Text columns repeat their values (categories, criticalities, owners, findings): each
        # distinct value is written once.  Their values are text or None, so no two distinct
        # values are equal as keys (as 1, 1.0 and True would be).
        texts = list(values)
        written = {text: _text_cell(text) for text in set(texts)}
        return map(written.__getitem__, texts)
    write = _KIND_CELL.get(column.kind)
    return values if write is None else map(write, values)


def _section(
    out: _CsvWriter, columns: Sequence[Column[Row]], rows: Iterable[Row], drain: Callable[[], str]
) -> Iterator[str]:
    """One table: the header, then a line per row, handed on every :data:`_CHUNK_ROWS` rows."""
    out.writerow([guard_cell(c.header) for c in columns])
    each = iter(rows)
    while chunk := list(islice(each, _CHUNK_ROWS)):
        out.writerows(zip(*[_column_cells(c, chunk) for c in columns], strict=True))
        if len(chunk) == _CHUNK_ROWS:
            yield drain()


_CHUNK_ROWS = 2000
"""Rows written before the text so far is handed on (see :func:`iter_csv`)."""


def render_csv(summary: RiskSummary) -> str:
    """The summary as CSV (RFC 4180, CRLF line ends, UTF-8 with BOM): two tables separated by one empty line.

    The first table has one row per supplier, highest priority first; the
    second the ranked board questions.  Every text cell passes through
    :func:`guard_cell`, so no cell can start a spreadsheet formula.
    """
    return "".join(iter_csv(summary))


def iter_csv(summary: RiskSummary) -> Iterator[str]:
    """:func:`render_csv` in pieces of a few thousand rows, so a large register is never one string."""
    return _tables(summary.suppliers, summary.questions, summary.impact)


def _tables(
    suppliers: Iterable[SupplierCells],
    questions: Iterable[QuestionRow],
    impact: ImpactSection | None = None,
) -> Iterator[str]:
    """The file: the supplier table, one empty line, the question table (then, with an
    impact section, an empty line, the service impact table, an empty line and the
    concentration table); in pieces."""
    out, drain = _writer()
    yield BOM
    yield from _section(out, SUPPLIER_COLUMNS, suppliers, drain)
    out.writerow([])
    yield from _section(out, QUESTION_COLUMNS, questions, drain)
    if impact is not None:
        out.writerow([])
        yield from _section(out, IMPACT_COLUMNS, impact.impacts, drain)
        out.writerow([])
        yield from _section(out, CONCENTRATION_COLUMNS, concentration_rows(impact), drain)
    yield drain()


def _writer() -> tuple[_CsvWriter, Callable[[], str]]:
    """A CSV writer (CRLF line ends) on a buffer whose text so far ``drain`` hands on."""
    buffer = io.StringIO()

    def drain() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    return csv.writer(buffer, lineterminator="\r\n"), drain


def iter_board_csv(pack: BoardPack, which: BoardList) -> Iterator[str]:
    """One of the board pack's lists as CSV (``export --format csv --list``): a header, then
    a row per item, numbered in the pack's order (the workbook's sheet of the same list, row
    for row); UTF-8 with BOM, CRLF line ends, ISO dates, every text cell guarded."""
    columns, rows = board_list(pack, which)
    out, drain = _writer()
    yield BOM
    yield from _section(out, columns, rows, drain)
    yield drain()


# -- each kind's cells, written without csv_value's type checks --------------------------

_TRIGGERS = frozenset((*FORMULA_TRIGGERS, GUARD))


def _text_cell(value: Cell) -> str:
    if type(value) is not str:
        return "" if value is None else csv_value(value)
    if not value:
        return ""
    if not value.isprintable():  # rare: control characters shown escaped (see csv_text)
        return csv_text(value)
    return GUARD + value if value[0] in _TRIGGERS else value


def _money_cell(value: Cell) -> str:
    return format(value, "f") if type(value) is Decimal else csv_value(value)


_KIND_CELL: dict[Kind, Callable[[Cell], str]] = {Kind.TEXT: _text_cell, Kind.MONEY: _money_cell}
"""How a text or money cell is written: exactly :func:`csv_value`, whose type checks were most
of a large export's time, taken only for a value not of its column's usual type."""


# -- the same file straight from overviews ---------------------------------------------------


class _OverviewLine(NamedTuple):
    """A supplier row of the summary as the columns read it (:class:`SupplierCells`), made
    straight from an overview and the supplier's record: each value is the one
    :func:`build_overview_summary` puts in its ``SupplierRow`` (a test checks), at a
    fraction of the cost of a model per supplier."""

    rank: int
    supplier: str
    category: str | None
    criticality: Criticality
    owner: str | None
    annual_spend: Decimal | None
    score: int
    band: Band
    impact: float
    exposure: float
    confidence: float
    risk_low: int
    risk_high: int
    dimension_scores: tuple[int, ...]
    finding_count: int
    data_gap_count: int
    question_count: int
    next_decide_by: dt.date | None
    next_decide_by_contract: str | None
    days_to_decide: int | None
    last_review: dt.date | None
    top_findings: Sequence[str]

    def dimension_score(self, index: int) -> int | None:
        """The score of the ``index``-th :class:`Dimension` (an overview holds every one)."""
        return self.dimension_scores[index]


_HEADLINE = attrgetter("headline")


_new_line = cast(
    "Callable[[tuple[object, ...]], _OverviewLine]", partial(tuple.__new__, _OverviewLine)
)
"""An :class:`_OverviewLine` of values in field order, made in C (a NamedTuple's own
``__new__`` is a Python call with a parameter per field, per supplier)."""


def overview_lines(
    suppliers: Iterable[Supplier], overviews: Sequence[SupplierOverview], today: dt.date
) -> Iterator[SupplierCells]:
    """The supplier rows of ``overviews`` (in priority order) as the columns read them, lazily."""
    record_of = record_finder(suppliers)
    for rank, o in enumerate(overviews, start=1):
        supplier = record_of(o)
        if supplier is not None:
            category: str | None = CATEGORY_LABELS[supplier.category]
            owner, spend, review = supplier.owner, supplier.annual_spend, supplier.last_review
        else:
            category = owner = spend = review = None
        decide_by = o.next_decide_by
        yield _new_line(
            (
                rank,
                o.supplier,
                category,
                o.criticality,
                owner,
                spend,
                o.score,
                o.band,
                o.impact,
                o.exposure,
                o.confidence,
                o.risk_low,
                o.risk_high,
                o.dimension_scores,
                o.finding_count,
                o.data_gap_count,
                o.question_count,
                decide_by,
                o.next_decide_by_contract,
                (decide_by - today).days if decide_by else None,
                review,
                list(map(_HEADLINE, o.top_findings[:TOP_FINDINGS])),
            )
        )


def iter_overview_csv(
    suppliers: Iterable[Supplier],
    overviews: Sequence[SupplierOverview],
    questions: Sequence[BoardQuestion],
    today: dt.date,
    impact: ImpactSection | None = None,
) -> Iterator[str]:
    """:func:`iter_csv` of the summary :func:`build_overview_summary` would build, byte for byte.

    ``overviews`` are in priority order (as in a :class:`RegisterOverview`) and
    ``questions`` are its top board questions.  The supplier rows are made as
    they are written (:func:`overview_lines`), never all held, and go through
    the same column table and writer as :func:`iter_csv`; ``impact`` is the summary's
    service impact section, if it has one.
    """
    rows = overview_lines(suppliers, overviews, today)
    return _tables(
        rows, (question_row(rank, q) for rank, q in enumerate(questions, start=1)), impact
    )

"""CSV export of the risk summary: suppliers, an empty line, then the board questions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from supplier_register.domain.enums import Criticality, SupplyCategory
from supplier_register.domain.models import Supplier
from supplier_register.reports.safety import (
    FORMULA_TRIGGERS,
    GUARD,
    Cell,
    csv_text,
    guard_cell,
    is_number,
)
from supplier_register.reports.summary import TOP_FINDINGS, RiskSummary, question_row
from supplier_register.reports.tabular import (
    QUESTION_COLUMNS,
    SUPPLIER_COLUMNS,
    Column,
    Row,
)
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


def _section(
    out: _CsvWriter, columns: Sequence[Column[Row]], rows: Sequence[Row], drain: Callable[[], str]
) -> Iterator[str]:
    out.writerow([guard_cell(c.header) for c in columns])
    for count, row in enumerate(rows, start=1):
        out.writerow([csv_value(c.get(row)) for c in columns])
        if count % _CHUNK_ROWS == 0:
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
    buffer = io.StringIO()

    def drain() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    buffer.write(BOM)
    out = csv.writer(buffer, lineterminator="\r\n")
    yield from _section(out, SUPPLIER_COLUMNS, summary.suppliers, drain)
    out.writerow([])
    yield from _section(out, QUESTION_COLUMNS, summary.questions, drain)
    yield drain()


# -- the same file straight from overviews ---------------------------------------------------

_TRIGGERS = frozenset((*FORMULA_TRIGGERS, GUARD))


def _text(value: str | None) -> str:
    """:func:`csv_value` of a text cell (or an empty one), without its type checks."""
    if not value:
        return ""
    if not value.isprintable():  # rare: control characters shown escaped (see csv_text)
        return csv_text(value)
    return GUARD + value if value[0] in _TRIGGERS else value


def overview_supplier_cells(
    rank: int, overview: SupplierOverview, supplier: Supplier | None, today: dt.date
) -> list[str]:
    """The CSV cells of one supplier row, from its overview and record (see :func:`iter_overview_csv`)."""
    decide_by = overview.next_decide_by
    if supplier is not None:
        spend = supplier.annual_spend
        review = supplier.last_review
        category = _CATEGORY[supplier.category]
        owner = _text(supplier.owner)
        spent = "" if spend is None else format(spend, "f")  # csv_value of a Decimal
        reviewed = "" if review is None else review.isoformat()
    else:
        category = owner = spent = reviewed = ""
    return [
        str(rank),
        _text(overview.supplier),
        category,
        _CRITICALITY[overview.criticality],
        owner,
        spent,
        str(overview.score),
        _BAND[overview.band],
        *map(str, overview.dimension_scores),
        str(overview.finding_count),
        str(overview.data_gap_count),
        str(overview.question_count),
        "" if decide_by is None else decide_by.isoformat(),
        _text(overview.next_decide_by_contract),
        "" if decide_by is None else str((decide_by - today).days),
        reviewed,
        _text("; ".join([h.headline for h in overview.top_findings[:TOP_FINDINGS]])),
    ]


_CRITICALITY = {c: guard_cell(c.label) for c in Criticality}
_BAND = {b: guard_cell(b.value.capitalize()) for b in Band}
_CATEGORY = {c: _text(c.label) for c in SupplyCategory}


def iter_overview_csv(
    suppliers: Iterable[Supplier],
    overviews: Sequence[SupplierOverview],
    questions: Sequence[BoardQuestion],
    today: dt.date,
) -> Iterator[str]:
    """:func:`iter_csv` of the summary :func:`build_overview_summary` would build, byte for byte.

    ``overviews`` are in priority order (as in a :class:`RegisterOverview`) and
    ``questions`` are its top board questions.  Each row's cells are worked out
    straight from the overview and the supplier's record, without a
    :class:`SupplierRow` per supplier or a type check per cell: at tens of
    thousands of suppliers that was most of the export's time.
    """
    by_name = {s.name: s for s in suppliers}  # exact: see summary._summary
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    out.writerow([guard_cell(c.header) for c in SUPPLIER_COLUMNS])
    for start in range(0, len(overviews), _CHUNK_ROWS):
        out.writerows(
            overview_supplier_cells(rank, o, by_name.get(o.supplier), today)
            for rank, o in enumerate(overviews[start : start + _CHUNK_ROWS], start=start + 1)
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    out.writerow([])
    out.writerow([guard_cell(c.header) for c in QUESTION_COLUMNS])
    for rank, question in enumerate(questions, start=1):
        row = question_row(rank, question)
        out.writerow([csv_value(c.get(row)) for c in QUESTION_COLUMNS])
    yield buffer.getvalue()

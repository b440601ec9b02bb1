"""CSV export of the risk summary: suppliers, an empty line, then the board questions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from supplier_register.reports.safety import Cell, guard_cell, is_number
from supplier_register.reports.summary import RiskSummary
from supplier_register.reports.tabular import (
    QUESTION_COLUMNS,
    SUPPLIER_COLUMNS,
    Column,
    Row,
)

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
    return guard_cell(str(value))


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

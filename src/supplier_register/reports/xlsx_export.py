"""XLSX export of the risk summary through openpyxl.

Three sheets: Suppliers (one row per supplier), Board questions (ranked) and
Findings (every finding, most serious first per supplier).  Columns are typed:
scores and counts are numbers, spend is money, dates are dates with a date
format, so a board analyst can sort and filter without converting anything.
Every text cell passes through :func:`guard_cell`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from itertools import islice

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from supplier_register.reports.safety import Cell, guard_cell, is_number, printable
from supplier_register.reports.summary import FindingLine, RiskSummary, SupplierRow
from supplier_register.reports.tabular import (
    DIMENSION_SHORT,
    QUESTION_COLUMNS,
    SUPPLIER_COLUMNS,
    Column,
    Kind,
    Row,
    caption,
)

NUMBER_FORMATS = {
    Kind.INTEGER: "0",
    Kind.DECIMAL: "0.0",
    Kind.MONEY: '"£"#,##0.00',
    Kind.DATE: "dd mmm yyyy",
}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
MAX_WIDTH = 80
MAX_ROWS = 1_048_576
"""The most rows a worksheet holds (Excel's limit, the header included)."""


def xlsx_value(value: Cell) -> Cell:
    """The value of one cell: numbers and dates typed as they are, text guarded."""
    if value is None or isinstance(value, bool | dt.date) or is_number(value):
        return value
    return guard_cell(printable(str(value)))


def _sheet(
    wb: Workbook,
    title: str,
    columns: Sequence[Column[Row]],
    rows: Iterable[Row],
    count: int,
    where_else: str = "",
) -> None:
    """One sheet of ``count`` rows, streamed row by row (write-only), styled as each is written.

    A write-only sheet keeps no cell objects, so memory stays flat however many
    findings a large register has, and each column's style is worked out once.
    Column widths, panes and the filter must be set before the first row.  Rows
    beyond what a worksheet holds (:data:`MAX_ROWS`) are left out, and a last
    row says how many (and ``where_else`` to find them).
    """
    left_out = max(0, count + 1 - MAX_ROWS)
    if left_out:
        left_out += 1  # room for the row that says so
        rows = islice(rows, count - left_out)
    ws = wb.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(column.width, MAX_WIDTH)
    ws.freeze_panes = "C2" if title == "Suppliers" else "A2"
    last = count + 1 - left_out
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last, 1)}"
    ws.row_dimensions[1].height = 30

    header_alignment = Alignment(wrap_text=True, vertical="top")
    header: list[WriteOnlyCell] = []
    for column in columns:
        cell = WriteOnlyCell(ws, guard_cell(column.header))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = header_alignment
        header.append(cell)
    ws.append(header)

    # One style per column (and one for its empty cells), worked out once: looking a style
    # up for every cell is most of the cost of a large sheet.
    top = Alignment(vertical="top")
    styles: list[tuple[StyleArray, StyleArray, bool]] = []
    for column in columns:
        alignment = top
        if column.kind is Kind.TEXT:
            alignment = Alignment(wrap_text=column.width >= 40, vertical="top")
        empty = WriteOnlyCell(ws)
        empty.alignment = alignment
        filled = WriteOnlyCell(ws)
        filled.alignment = alignment
        fmt = NUMBER_FORMATS.get(column.kind)
        if fmt:
            filled.number_format = fmt
        styles.append((filled._style, empty._style, column.kind is Kind.TEXT))
    for row in rows:
        cells = [c.get(row) for c in columns]
        out: list[WriteOnlyCell] = []
        for value, (filled, empty, text) in zip(cells, styles, strict=True):
            cell = WriteOnlyCell(ws, xlsx_value(value))
            if cell.value is None:
                cell._style = copy(empty)
            else:
                cell._style = copy(filled)
                if text:
                    cell.data_type = "s"
            out.append(cell)
        ws.append(out)
    if left_out:
        note = f"and {left_out:,} more rows: a worksheet holds at most {MAX_ROWS:,} rows"
        note += f" ({where_else})" if where_else else ""
        ws.append([WriteOnlyCell(ws, note)])


def _finding_rows(summary: RiskSummary) -> Iterator[tuple[SupplierRow, FindingLine]]:
    """Every finding of every supplier, worked out a batch of suppliers at a time."""
    for row in summary.rows_with_every_finding():
        for finding in row.findings:
            yield row, finding


FINDING_COLUMNS: Sequence[Column[tuple[SupplierRow, FindingLine]]] = (
    Column("Supplier rank", lambda p: p[0].rank, Kind.INTEGER, 8),
    Column("Supplier", lambda p: p[0].supplier, Kind.TEXT, 30),
    Column("Contract", lambda p: p[1].contract, Kind.TEXT, 28),
    Column("Dimension", lambda p: DIMENSION_SHORT[p[1].dimension], Kind.TEXT, 13),
    Column("Risk points", lambda p: p[1].points, Kind.DECIMAL, 8),
    Column("Finding", lambda p: p[1].title, Kind.TEXT, 36),
    Column("Why it matters", lambda p: p[1].explanation, Kind.TEXT, 70),
    Column("Principle 6 reference", lambda p: p[1].reference, Kind.TEXT, 30),
    Column("Data gap", lambda p: "yes" if p[1].data_gap else "no", Kind.TEXT, 9),
)


def render_xlsx(summary: RiskSummary) -> bytes:
    """The summary as an XLSX workbook, returned as bytes."""
    wb = Workbook(write_only=True)
    _sheet(wb, "Suppliers", SUPPLIER_COLUMNS, summary.suppliers, len(summary.suppliers))
    _sheet(wb, "Board questions", QUESTION_COLUMNS, summary.questions, len(summary.questions))
    findings = sum(r.finding_count for r in summary.suppliers)
    _sheet(
        wb,
        "Findings",
        FINDING_COLUMNS,
        _finding_rows(summary),
        findings,
        "the summary-json export and `score --format json` list every finding",
    )
    stamp = dt.datetime.combine(summary.today, dt.time())
    wb.properties.title = printable(caption(summary))
    wb.properties.creator = summary.generator
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

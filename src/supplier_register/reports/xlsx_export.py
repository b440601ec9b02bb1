"""XLSX export of the risk summary through XlsxWriter (constant-memory mode).

Sheets: Suppliers (one row per supplier); the board pack's three lists
(:mod:`supplier_register.scoring.board`), each on a sheet of its own in the pack's
order: Decisions, Board questions and Management actions (a summary made
without a board pack has its ranked Board questions only); and
Findings (the findings of the highest-priority suppliers, most serious first
per supplier, up to :data:`FINDINGS_LIMIT` rows); with a service impact
section, two more: Service impact (one row per strategic and high-criticality
supplier: what would stop if it failed, and its exit readiness) and
Concentration (where the register's services are concentrated).  Columns are typed: scores
and counts are numbers, spend is money, dates are dates with a date format, so
a board analyst can sort and filter without converting anything.  Every text
cell passes through :func:`guard_cell`, and is written as a string (never a
formula, whatever it starts with).

XlsxWriter writes each row out as the next begins, so memory stays flat
however large the register; it costs about a third of what openpyxl's
write-only mode did per cell (see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from supplier_register.reports.safety import Cell, guard_cell, printable
from supplier_register.reports.service_impact import (
    CONCENTRATION_COLUMNS,
    IMPACT_COLUMNS,
    concentration_left_out,
    concentration_rows,
    left_out_text,
)
from supplier_register.reports.summary import FindingLine, RiskSummary, SupplierRow
from supplier_register.reports.tabular import (
    BOARD_LIST_TITLES,
    BOARD_LISTS,
    DIMENSION_SHORT,
    QUESTION_COLUMNS,
    SUPPLIER_COLUMNS,
    Column,
    Kind,
    Row,
    board_list,
    caption,
)

NUMBER_FORMATS = {
    Kind.INTEGER: "0",
    Kind.DECIMAL: "0.0",
    Kind.MONEY: '"£"#,##0.00',
    Kind.DATE: "dd mmm yyyy",
}
HEADER_FORMAT = {
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": "#1F3864",
    "pattern": 1,
    "text_wrap": True,
    "valign": "top",
}
MAX_WIDTH = 80
MAX_ROWS = 1_048_576
"""The most rows a worksheet holds (Excel's limit, the header included)."""

FINDINGS_LIMIT = 20_000
"""Rows of the Findings sheet unless told: the findings of whole suppliers, highest priority first.

A register of 50,000 suppliers has over a million findings, more than a sheet
holds and far more than anyone reads in a spreadsheet; writing them took most
of the export's minutes.  A register of several hundred suppliers fits whole.
The sheet's last row says what was left out; the summary-json export has
every finding of every supplier.
"""

WHERE_EVERY_FINDING = (
    "supplier-register export --format summary-json lists every finding of every supplier, "
    "and supplier-register score --supplier NAME one supplier's"
)

_WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def _write(ws: Worksheet, row: int, col: int, value: Cell, filled: Format, empty: Format) -> None:
    """One cell, by the type of its value: text as a guarded string, never a formula."""
    if value is None:
        ws.write_blank(row, col, None, empty)
    elif isinstance(value, str):
        ws.write_string(row, col, guard_cell(printable(value)), filled)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, filled)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, filled)
    elif isinstance(value, Decimal):
        ws.write_number(row, col, float(value), filled)
    else:  # a date: written as a date serial with the column's date format
        ws.write_datetime(row, col, value, filled)


def _sheet(
    wb: Workbook,
    header_format: Format,
    title: str,
    columns: Sequence[Column[Row]],
    rows: Iterable[Row],
    count: int,
    left_out_note: str | None = None,
    where_else: str = "",
) -> None:
    """One sheet of ``count`` rows, written row by row, each column's format made once.

    Column widths, panes and the filter are set first.  Rows beyond what a
    worksheet holds (:data:`MAX_ROWS`) are left out, and a last row says how
    many (and ``where_else`` to find them); ``left_out_note`` (rows the caller
    left out) is written last.
    """
    left_out = max(0, count + 1 + (1 if left_out_note else 0) - MAX_ROWS)
    if left_out:
        left_out += 1  # room for the row that says so
        rows = islice(rows, count - left_out)
    ws = wb.add_worksheet(title)
    formats: list[tuple[Format, Format]] = []
    for index, column in enumerate(columns):
        empty: dict[str, Any] = {"valign": "top"}
        if column.kind is Kind.TEXT and column.width >= 40:
            empty["text_wrap"] = True
        filled = dict(empty)
        if column.kind in NUMBER_FORMATS:
            filled["num_format"] = NUMBER_FORMATS[column.kind]
        formats.append((wb.add_format(filled), wb.add_format(empty)))
        ws.set_column(index, index, min(column.width, MAX_WIDTH))
    ws.freeze_panes(1, 2 if title == "Suppliers" else 0)
    written = count - left_out
    ws.autofilter(0, 0, max(written, 1), len(columns) - 1)
    ws.set_row(0, 30)
    for index, column in enumerate(columns):
        ws.write_string(0, index, guard_cell(column.header), header_format)

    getters = [(index, column.get, *formats[index]) for index, column in enumerate(columns)]
    number = 0
    for number, row in enumerate(rows, start=1):
        for index, get, filled, blank in getters:
            _write(ws, number, index, get(row), filled, blank)
    if left_out:
        number += 1
        note = f"and {left_out:,} more rows: a worksheet holds at most {MAX_ROWS:,} rows"
        ws.write_string(number, 0, note + (f" ({where_else})" if where_else else ""))
    if left_out_note:
        ws.write_string(number + 1, 0, guard_cell(printable(left_out_note)))


def findings_chosen(summary: RiskSummary, limit: int | None) -> tuple[list[SupplierRow], int]:
    """The suppliers whose findings fit in ``limit`` rows, whole, in priority order, and their count.

    Stops at the first supplier whose findings do not fit, so the sheet holds
    exactly the findings of the suppliers ranked 1 to ``len(chosen)``.
    """
    chosen: list[SupplierRow] = []
    total = 0
    for row in summary.suppliers:
        if limit is not None and total + row.finding_count > limit:
            break
        chosen.append(row)
        total += row.finding_count
    return chosen, total


def findings_left_out(summary: RiskSummary, chosen: Sequence[SupplierRow]) -> str | None:
    """The Findings sheet's last line when it leaves suppliers out: what, and where it is."""
    rest = summary.suppliers[len(chosen) :]
    findings = sum(r.finding_count for r in rest)
    if not findings:
        return None
    shown = sum(r.finding_count for r in chosen)
    scope = (
        f"the findings of the {len(chosen):,} highest-priority suppliers (ranks 1 to "
        f"{len(chosen):,}, {shown:,} findings)"
        if chosen
        else "no findings"
    )
    return (
        f"This sheet holds {scope}. Left out: {findings:,} findings of the {len(rest):,} "
        f"suppliers ranked below {len(chosen):,}; {WHERE_EVERY_FINDING}."
    )


def _finding_rows(
    summary: RiskSummary, rows: Sequence[SupplierRow]
) -> Iterator[tuple[SupplierRow, FindingLine]]:
    """Every finding of each of ``rows``, worked out a batch of suppliers at a time."""
    for row in summary.rows_with_every_finding(rows):
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


def render_xlsx(summary: RiskSummary, findings_limit: int | None = FINDINGS_LIMIT) -> bytes:
    """The summary as an XLSX workbook, returned as bytes.

    The Findings sheet holds the findings of the highest-priority suppliers,
    whole, up to ``findings_limit`` rows (every one with ``None``), and says
    what it left out.
    """
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, _WORKBOOK_OPTIONS)
    header = wb.add_format(HEADER_FORMAT)
    _sheet(wb, header, "Suppliers", SUPPLIER_COLUMNS, summary.suppliers, len(summary.suppliers))
    if summary.board is not None:
        for which in BOARD_LISTS:
            columns, items = board_list(summary.board, which)
            _sheet(wb, header, BOARD_LIST_TITLES[which], columns, items, len(items))
    else:  # a summary made without a board pack: its ranked questions only
        _sheet(
            wb,
            header,
            "Board questions",
            QUESTION_COLUMNS,
            summary.questions,
            len(summary.questions),
        )
    chosen, count = findings_chosen(summary, findings_limit)
    _sheet(
        wb,
        header,
        "Findings",
        FINDING_COLUMNS,
        _finding_rows(summary, chosen),
        count,
        findings_left_out(summary, chosen),
        WHERE_EVERY_FINDING,
    )
    impact = summary.impact
    if impact is not None:
        _sheet(
            wb,
            header,
            "Service impact",
            IMPACT_COLUMNS,
            impact.impacts,
            len(impact.impacts),
            left_out_text(impact),
        )
        rows = concentration_rows(impact)
        _sheet(
            wb,
            header,
            "Concentration",
            CONCENTRATION_COLUMNS,
            rows,
            len(rows),
            concentration_left_out(impact),
        )
    stamp = dt.datetime.combine(summary.today, dt.time())
    wb.set_properties(
        {"title": printable(caption(summary)), "author": summary.generator, "created": stamp}
    )
    wb.close()
    return buffer.getvalue()

"""XLSX export opened with openpyxl: sheets, types, formats, freeze, filters, guard."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from supplier_register.reports import render_summary
from supplier_register.reports.safety import FORMULA_TRIGGERS
from supplier_register.reports.tabular import QUESTION_COLUMNS, SUPPLIER_COLUMNS
from supplier_register.scoring.results import Band
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
)


def workbook() -> Workbook:
    data = render_summary("xlsx", build_summary(hostile_register(), hostile_scores(), TODAY))
    assert isinstance(data, bytes) and data[:2] == b"PK"
    return load_workbook(io.BytesIO(data))


def ooxml_text(value: object) -> str:
    """Cell text as Excel shows it: OOXML's _xHHHH_ escapes (which openpyxl keeps) decoded."""
    assert isinstance(value, str)
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def by_header(ws) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_sheets_headers_freeze_and_filter() -> None:
    wb = workbook()
    assert wb.sheetnames == ["Suppliers", "Board questions", "Findings"]
    ws = wb["Suppliers"]
    assert [c.value for c in ws[1]] == [c.header for c in SUPPLIER_COLUMNS]
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(SUPPLIER_COLUMNS)).column_letter}4"
    assert 30 <= ws.column_dimensions["B"].width < 31  # Excel stores 30 characters as 30.71
    assert ws["A1"].font.b
    q = wb["Board questions"]
    assert [c.value for c in q[1]] == [c.header for c in QUESTION_COLUMNS]
    assert q.freeze_panes == "A2" and q.auto_filter.ref == "A1:G3"


def test_typed_columns() -> None:
    ws = workbook()["Suppliers"]
    rows = by_header(ws)
    first = rows[0]
    assert first["Rank"] == 1 and first["Risk score"] == 82
    assert first["Annual spend (GBP)"] == 1250000.5
    assert first["Days to decide"] == -55
    assert first["Next decide-by"] == dt.datetime(2026, 10, 2)
    assert first["Last review"] == dt.datetime(2026, 6, 1)
    assert rows[2]["Next decide-by"] is None
    headers = [c.header for c in SUPPLIER_COLUMNS]
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert ws.cell(2, col["Next decide-by"]).number_format == "dd mmm yyyy"
    assert ws.cell(2, col["Next decide-by"]).is_date
    assert ws.cell(2, col["Annual spend (GBP)"]).number_format == '"£"#,##0.00'
    assert ws.cell(2, col["Risk score"]).data_type == "n"
    days = ws.cell(2, col["Days to decide"])
    assert days.data_type == "n" and days.value == -55  # a negative number is not text-guarded
    # score model 2: numbers, not text (impact one decimal, shares as whole percentages)
    assert (first["Impact (of 5)"], first["Exposure %"], first["Confidence %"]) == (4.4, 93, 75)
    assert (first["Risk range low"], first["Risk range high"]) == (80, 84)
    assert ws.cell(2, col["Impact (of 5)"]).number_format == "0.0"
    for header in ("Impact (of 5)", "Exposure %", "Confidence %", "Risk range low"):
        assert ws.cell(2, col[header]).data_type == "n", header


def test_unassessed_band_is_written_in_words() -> None:
    summary = build_summary(hostile_register(), hostile_scores(), TODAY)
    last = summary.suppliers[2].model_copy(update={"band": Band.UNASSESSED, "confidence": 0.2})
    summary = summary.model_copy(update={"suppliers": [*summary.suppliers[:2], last]})
    data = render_summary("xlsx", summary)
    assert isinstance(data, bytes)
    rows = by_header(load_workbook(io.BytesIO(data))["Suppliers"])
    assert (rows[2]["Band"], rows[2]["Confidence %"]) == ("Unassessed", 20)
    text = render_summary("csv", summary)
    assert isinstance(text, str) and ",Unassessed,1.0,0,20," in text


def test_text_cells_are_guarded_and_never_formulas() -> None:
    wb = workbook()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), (ws.title, cell.value)
    suppliers = by_header(wb["Suppliers"])
    assert suppliers[0]["Supplier"] == "'" + HOSTILE_SUPPLIER
    assert suppliers[0]["Owner"] == "'-1+2"
    assert suppliers[1]["Supplier"] == SCRIPT_SUPPLIER
    questions = by_header(wb["Board questions"])
    # A carriage return is stored as OOXML's escape _x000D_, which Excel reads back as one.
    assert ooxml_text(questions[0]["Board question"]) == "'\r=2 What if it fails?"
    assert questions[0]["Priority"] == 24.0
    findings = by_header(wb["Findings"])
    assert len(findings) == 5
    assert findings[0]["Contract"] == "'@SUM(A1)"
    assert findings[0]["Finding"] == "'+1"
    assert findings[1]["Finding"] == "'\t=1" and findings[1]["Data gap"] == "yes"
    assert findings[4]["Why it matters"] == '" onmouseover="x'


def test_control_characters_do_not_break_the_workbook() -> None:
    scores = hostile_scores()
    bad = scores.suppliers[2].model_copy(update={"supplier": "Nul\x00Byte"})
    scores = scores.model_copy(update={"suppliers": [*scores.suppliers[:2], bad]})
    data = render_summary("xlsx", build_summary(hostile_register(), scores, TODAY))
    assert isinstance(data, bytes)
    ws = load_workbook(io.BytesIO(data))["Suppliers"]
    assert ws["B4"].value == "Nul\ufffdByte"


def test_alignment_and_header_height() -> None:
    wb = workbook()
    ws = wb["Suppliers"]
    assert ws.row_dimensions[1].height == 30
    assert ws["A1"].alignment.wrap_text and ws["A1"].fill.fgColor.rgb.endswith("1F3864")
    headers = [c.header for c in SUPPLIER_COLUMNS]
    top = ws.cell(2, headers.index("Top findings") + 1)
    assert top.alignment.wrap_text and top.alignment.vertical == "top"
    name = ws.cell(2, headers.index("Supplier") + 1)
    assert not name.alignment.wrap_text and name.alignment.vertical == "top"
    assert ws.cell(4, headers.index("Next decide-by") + 1).value is None
    assert ws.cell(4, headers.index("Next decide-by") + 1).alignment.vertical == "top"
    findings = wb["Findings"]
    assert findings.freeze_panes == "A2"
    assert 70 <= findings.column_dimensions["G"].width < 71

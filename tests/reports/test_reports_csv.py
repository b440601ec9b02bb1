"""CSV export read back with the csv module: values, sections and the formula guard."""

from __future__ import annotations

import csv
import io

from supplier_register.reports import render_summary
from supplier_register.reports.safety import FORMULA_TRIGGERS, unguard_cell
from supplier_register.reports.tabular import QUESTION_COLUMNS, SUPPLIER_COLUMNS
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
)


def read_back() -> tuple[list[dict[str, str]], list[dict[str, str]], str]:
    text = render_summary("csv", build_summary(hostile_register(), hostile_scores(), TODAY))
    assert isinstance(text, str)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    gap = rows.index([])
    suppliers = [dict(zip(rows[0], r, strict=True)) for r in rows[1:gap]]
    questions = [dict(zip(rows[gap + 1], r, strict=True)) for r in rows[gap + 2 :]]
    assert rows[0] == [c.header for c in SUPPLIER_COLUMNS]
    assert rows[gap + 1] == [c.header for c in QUESTION_COLUMNS]
    return suppliers, questions, text


def test_supplier_rows_hold_values() -> None:
    suppliers, _, _ = read_back()
    assert len(suppliers) == 3
    first = suppliers[0]
    assert first["Rank"] == "1"
    assert first["Criticality"] == "Strategic"
    assert first["Annual spend (GBP)"] == "1250000.50"
    assert first["Risk score"] == "82" and first["Band"] == "Severe"
    assert first["Exit exposure"] == "86"
    assert first["Impact (of 5)"] == "4.4" and first["Exposure %"] == "93"
    assert first["Confidence %"] == "75"
    assert (first["Risk range low"], first["Risk range high"]) == ("80", "84")
    assert first["Next decide-by"] == "2026-10-02"
    assert first["Days to decide"] == "-55"
    assert first["Board questions"] == "1" and first["Data gaps"] == "1"
    assert suppliers[2]["Next decide-by"] == "" and suppliers[2]["Owner"] == ""


def test_every_cell_is_guarded_and_reversible() -> None:
    suppliers, questions, _ = read_back()
    for row in [*suppliers, *questions]:
        for header, value in row.items():
            if header == "Days to decide":
                continue  # a real number: -55 stays numeric
            assert not value.startswith(FORMULA_TRIGGERS), (header, value)
    first = suppliers[0]
    assert first["Supplier"] == "'" + HOSTILE_SUPPLIER
    assert unguard_cell(first["Supplier"]) == HOSTILE_SUPPLIER
    assert first["Owner"] == "'-1+2"
    assert first["Decide-by contract"] == "'@SUM(A1)"
    assert first["Top findings"] == "'+1 (@SUM(A1)); \t=1; Auto-renews"
    assert questions[0]["Supplier"] == "'" + HOSTILE_SUPPLIER
    # A carriage return inside a cell is shown escaped (it would overwrite the line in a
    # terminal); the text then starts with a backslash, which no spreadsheet runs.
    assert questions[0]["Board question"] == "\\r=2 What if it fails?"
    assert questions[1]["Board question"] == "'\n=3 <i>really</i>?"


def test_text_that_is_safe_is_left_alone() -> None:
    suppliers, questions, _ = read_back()
    assert suppliers[1]["Supplier"] == SCRIPT_SUPPLIER
    assert suppliers[2]["Supplier"] == MARKUP_SUPPLIER
    assert [q["Rank"] for q in questions] == ["1", "2"]
    assert questions[0]["Priority"] == "24.0"


def test_negative_numbers_stay_numbers() -> None:
    _, _, text = read_back()
    assert ",-55," in text

"""CSV export read back with the csv module: values, sections and the formula guard."""

from __future__ import annotations

import csv
import datetime as dt
import io

from supplier_register.domain.enums import Criticality
from supplier_register.reports import render_summary
from supplier_register.reports.csv_export import iter_board_csv
from supplier_register.reports.safety import FORMULA_TRIGGERS, unguard_cell
from supplier_register.reports.tabular import QUESTION_COLUMNS, SUPPLIER_COLUMNS, BoardList
from supplier_register.scoring.board import BoardPack, ContractDeadline, Decision, ManagementAction
from supplier_register.scoring.results import Theme
from tests.support.oracles import build_summary
from tests.support.reportdata import (
    HOSTILE_SUPPLIER,
    MARKUP_SUPPLIER,
    SCRIPT_SUPPLIER,
    TODAY,
    hostile_register,
    hostile_scores,
    question,
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


def _hostile_pack() -> BoardPack:
    deadline = ContractDeadline(
        "@SUM(A1)", "decide_by", dt.date(2026, 10, 2), dt.date(2027, 3, 31), "-1 if late"
    )
    decision = Decision(
        supplier=HOSTILE_SUPPLIER,
        criticality=Criticality.STRATEGIC,
        kind="decide_by",
        date=dt.date(2026, 10, 2),
        days_left=-55,
        action="=1+1",
        consequence="+cmd",
        owner="+cmd (chief executive)",
        contracts=(deadline,),
        exit_plan="no",
    )
    asked = question(HOSTILE_SUPPLIER, "\r=2 What if it fails?", Criticality.STRATEGIC, 24.0)
    asked = asked.model_copy(update={"evidence": ["=3", "ok"], "theme": Theme.EXIT})
    action = ManagementAction(
        supplier=HOSTILE_SUPPLIER,
        criticality=Criticality.STRATEGIC,
        kind="decide",
        headline="@find out",
        due=dt.date(2027, 2, 25),
        owner="-owner",
        priority=12.5,
    )
    find_out = ManagementAction(
        supplier=HOSTILE_SUPPLIER,
        criticality=Criticality.STRATEGIC,
        kind="find_out",
        due=dt.date(2027, 2, 25),
        owner="-owner",
        priority=12.5,
        unknowns=("whether =x", "\tthe cost"),
        gap_count=4,
    )
    return BoardPack(
        today=TODAY,
        decisions=(decision,),
        questions=(asked,),
        actions=(action, find_out),
        question_total=1,
        horizon_days=182,
        decisions_from=Criticality.HIGH,
    )


def _list(pack: BoardPack, which: BoardList) -> list[dict[str, str]]:
    text = "".join(iter_board_csv(pack, which))
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_board_lists_guard_every_text_cell_and_keep_numbers_and_iso_dates() -> None:
    pack = _hostile_pack()
    (decision,) = _list(pack, "decisions")
    assert decision["No."] == "1" and decision["Supplier"] == "'" + HOSTILE_SUPPLIER
    assert (decision["Decision required"], decision["If nothing is done"]) == ("'=1+1", "'+cmd")
    assert decision["Owner"] == "'+cmd (chief executive)" and decision["Exit plan"] == "No"
    assert (decision["Date"], decision["Days left"]) == ("2026-10-02", "-55")
    assert decision["Contracts"] == "'@SUM(A1) (2026-10-02)"
    (asked,) = _list(pack, "questions")
    assert asked["Board question"] == "\\r=2 What if it fails?"  # a CR shown escaped
    assert asked["Evidence"] == "'=3\nok" and asked["Theme"] == "Options and exit"
    (action, find_out) = _list(pack, "actions")
    assert (action["Action"], action["Owner"]) == ("'@find out", "'-owner")
    assert (action["Due"], action["Days left"]) == ("2027-02-25", "91")
    assert (find_out["Data gaps"], find_out["Unknowns"]) == ("4", "whether =x\n\tthe cost")
    assert find_out["Action"].startswith("Find out for ")

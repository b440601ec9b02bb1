"""The board pack's three lists in the workbook and as CSV files, on the sample register.

Decisions required, board questions and management actions each get a sheet right after
Suppliers, and a CSV file (``export --format csv --list``) with the same rows in the same
order: the order of ``services.board.board``, never sorted again by the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlite_utils import Database

from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.reports.safety import FORMULA_TRIGGERS
from supplier_register.reports.tabular import (
    ACTION_COLUMNS,
    BOARD_LIST_TITLES,
    BOARD_LISTS,
    BOARD_QUESTION_COLUMNS,
    DECISION_COLUMNS,
    SUPPLIER_COLUMNS,
    BoardList,
    Column,
    Kind,
)
from supplier_register.scoring.board import BoardPack
from supplier_register.services.board import board
from supplier_register.services.exports import board_list_csv, summary_export
from supplier_register.services.register_scoring import prepare_scoring
from supplier_register.storage import Repository, open_database

TODAY = dt.date(2026, 11, 26)
HOSTILE_NAME = '=HYPERLINK("http://x","open me")'
HOSTILE_OWNER = "+cmd"
COLUMNS: dict[BoardList, Sequence[Column[Any]]] = {
    "decisions": DECISION_COLUMNS,
    "questions": BOARD_QUESTION_COLUMNS,
    "actions": ACTION_COLUMNS,
}


def _sample_db(path: Path, replace: dict[str, str] | None = None) -> Database:
    """The sample register imported into a new database at ``path`` (with every occurrence
    of each key of ``replace``, names included, replaced by its value)."""
    source = sample_register_path()
    if replace:
        text = source.read_text(encoding="utf-8")
        for old, new in replace.items():
            text = text.replace(json.dumps(old)[1:-1], json.dumps(new)[1:-1])
        source = path.with_suffix(".json")
        source.write_text(text, encoding="utf-8")
    db = open_database(path)
    Repository(db).import_register(read_register_file(source))
    return db


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = _sample_db(tmp_path_factory.mktemp("board") / "r.db")
    yield db
    db.close()


def _workbook(db: Database) -> Workbook:
    data = summary_export(db, "xlsx", TODAY)
    assert isinstance(data, bytes)
    return load_workbook(io.BytesIO(data))


def _sheet_rows(ws: Worksheet) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _csv_rows(db: Database, which: BoardList) -> list[list[str]]:
    text = "".join(board_list_csv(db, which, TODAY))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def _comparable(value: object, text: str) -> tuple[object, object]:
    """A workbook cell and the CSV file's cell in the same place, each as a comparable value:
    a date as its ISO form, a number as a float (27.0 is written 27 in a workbook)."""
    if value is None:
        return None, text or None
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), text
    if isinstance(value, int | float):
        return float(value), float(text)
    return value, text


def _width(ws: Worksheet, index: int) -> float:
    """The width of the ``index``-th column (columns of one width may share a range)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.max is not None and dim.min <= index <= dim.max:
            return float(dim.width)
    raise AssertionError(f"column {index} of {ws.title} has no width")


@pytest.fixture(scope="module")
def pack(sample: Database) -> BoardPack:
    return board(sample, TODAY)


@pytest.fixture(scope="module")
def book(sample: Database) -> Workbook:
    return _workbook(sample)


def test_the_three_sheets_follow_the_suppliers_sheet(book: Workbook) -> None:
    assert book.sheetnames[:5] == [
        "Suppliers",
        "Decisions",
        "Board questions",
        "Management actions",
        "Findings",
    ]
    widths = {c.header: c.width for c in SUPPLIER_COLUMNS}
    for which in BOARD_LISTS:
        ws = book[BOARD_LIST_TITLES[which]]
        columns = COLUMNS[which]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert ws.freeze_panes == "A2"
        last = ws.cell(1, len(columns)).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
        assert ws["A1"].font.b
        for index, column in enumerate(columns, start=1):
            # Excel stores a width of n characters as n plus a little padding
            assert column.width <= _width(ws, index) < column.width + 1, (which, column.header)
            if column.header in widths:  # the same column is as wide on every sheet
                assert column.width == widths[column.header], (which, column.header)


def test_sheets_hold_the_pack_in_its_order(book: Workbook, pack: BoardPack) -> None:
    assert pack.decisions and pack.questions and pack.actions
    decisions = _sheet_rows(book["Decisions"])[1:]
    assert [(r[0], r[1], r[5], r[6]) for r in decisions] == [
        (n, d.supplier, dt.datetime.combine(d.date, dt.time()), d.days_left)
        for n, d in enumerate(pack.decisions, start=1)
    ]
    assert any(r[6] < 0 for r in decisions)  # overdue decisions: days left below zero
    questions = _sheet_rows(book["Board questions"])[1:]
    assert [(r[0], r[1], r[5]) for r in questions] == [
        (n, q.supplier, q.text) for n, q in enumerate(pack.questions, start=1)
    ]
    assert len(questions) == 10  # the default short list
    actions = _sheet_rows(book["Management actions"])[1:]
    assert [(r[0], r[4], r[5], r[6]) for r in actions] == [
        (n, a.text, dt.datetime.combine(a.due, dt.time()), (a.due - TODAY).days)
        for n, a in enumerate(pack.actions, start=1)
    ]
    assert {r[3] for r in actions} == {"Find out", "Decide"}


def test_dates_are_real_dates_and_days_are_numbers(book: Workbook) -> None:
    for title, date_col, days_col in (("Decisions", 6, 7), ("Management actions", 6, 7)):
        ws = book[title]
        for row in range(2, ws.max_row + 1):
            date = ws.cell(row, date_col)
            assert date.is_date and date.number_format == "dd mmm yyyy", (title, row)
            assert ws.cell(row, days_col).data_type == "n", (title, row)


def test_sheet_columns_carry_owner_key_question_theme_contracts_and_evidence(
    book: Workbook, pack: BoardPack
) -> None:
    decisions = _sheet_rows(book["Decisions"])
    head = decisions[0]
    first = dict(zip(head, decisions[1], strict=True))
    decision = pack.decisions[0]
    assert first["Owner"] == decision.owner and decision.owner
    assert first["Key question"] == decision.key_question.text
    assert first["Contracts"] == "\n".join(
        f"{c.contract} ({c.date.isoformat()})" for c in decision.contracts
    )
    questions = _sheet_rows(book["Board questions"])
    first = dict(zip(questions[0], questions[1], strict=True))
    question = pack.questions[0]
    assert question.theme is not None and first["Theme"] == question.theme.label
    assert first["Evidence"] == "\n".join(question.evidence) and question.evidence
    assert first["Contracts"] == "\n".join(question.contracts)
    assert first["Also asks"] == "\n".join(question.also)


def test_csv_lists_equal_the_sheets_row_for_row(sample: Database, book: Workbook) -> None:
    for which in BOARD_LISTS:
        sheet = _sheet_rows(book[BOARD_LIST_TITLES[which]])
        lines = _csv_rows(sample, which)
        assert len(lines) == len(sheet) > 1, which
        for row, line in zip(sheet, lines, strict=True):
            pairs = [_comparable(v, t) for v, t in zip(row, line, strict=True)]
            assert [a for a, _ in pairs] == [b for _, b in pairs], which


def test_no_data_gap_question_among_board_questions(sample: Database, pack: BoardPack) -> None:
    scoring = prepare_scoring(sample, TODAY)
    by_name = {s.name: s for s in scoring.suppliers}
    asked = [q for q in pack.questions if q.scope == "supplier"]
    records = [by_name[name] for name in dict.fromkeys(q.supplier for q in asked)]
    scores = {record.name: score for record, score in scoring.iter_full_scores(records)}
    gaps = 0
    for q in asked:
        findings = scores[q.supplier].findings
        gaps += sum(f.data_gap for f in findings)
        for code in q.finding_codes:  # each code stands for a finding that is not a gap
            assert any(f.code == code and not f.data_gap for f in findings), (q.text, code)
    assert gaps  # the suppliers asked about have data gaps: they are management actions
    assert any(a.kind == "find_out" for a in pack.actions)


def test_formula_like_names_and_owners_are_guarded(tmp_path: Path) -> None:
    db = _sample_db(
        tmp_path / "hostile.db",
        {"Veridane Health Systems Ltd": HOSTILE_NAME, "Dr Helen Marchbank": HOSTILE_OWNER},
    )
    try:
        book = _workbook(db)
        lists = {which: _csv_rows(db, which) for which in BOARD_LISTS}
    finally:
        db.close()
    seen = dict.fromkeys(BOARD_LISTS, 0)
    for which in BOARD_LISTS:
        ws = book[BOARD_LIST_TITLES[which]]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (which, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), (which, cell.value)
            names = [c.value for c in row if c.value == "'" + HOSTILE_NAME]
            seen[which] += len(names)
        numbers = [i for i, c in enumerate(COLUMNS[which]) if c.kind is not Kind.TEXT]
        for line in lists[which][1:]:
            for index, value in enumerate(line):
                if index not in numbers:  # -604 days left stays a number
                    assert not value.startswith(FORMULA_TRIGGERS), (which, value)
    assert all(seen.values()), seen  # the supplier is on every list, guarded
    decisions = _sheet_rows(book["Decisions"])
    owner = decisions[0].index("Owner")
    hostile = [r for r in decisions[1:] if r[1] == "'" + HOSTILE_NAME]
    assert hostile and str(hostile[0][owner]).startswith("'" + HOSTILE_OWNER + " (")
    line = next(r for r in lists["decisions"][1:] if r[1] == "'" + HOSTILE_NAME)
    assert line[owner].startswith("'" + HOSTILE_OWNER + " (")

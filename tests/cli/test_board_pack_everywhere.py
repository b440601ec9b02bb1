"""The board pack's three lists come out in the same order everywhere (issue 16): the `board`
JSON, the CSV lists, the workbook's sheets, the Markdown and the HTML board papers, all on the
sample register on 26 November 2026 (the TUI's order is checked against the same pack in
tests/tui/test_tui_board.py)."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supplier_register.cli import main
from supplier_register.interchange import sample_register_path
from supplier_register.reports.mdtext import md_escape

TODAY = "2026-11-26"


def ok(db: Path, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("everywhere") / "sample.db"
    ok(path, "import", str(sample_register_path()))
    return path


@pytest.fixture(scope="module")
def pack(db: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(db, "board", "--format", "json", "--today", TODAY))
    return data


def _csv_rows(db: Path, which: str) -> list[dict[str, str]]:
    text = ok(db, "export", "--format", "csv", "--list", which, "--today", TODAY)
    return list(csv.DictReader(io.StringIO(text)))


def _in_order(document: str, pieces: list[str]) -> bool:
    """Whether every piece occurs in ``document``, each after the one before."""
    at = -1
    for piece in pieces:
        found = document.find(piece, at + 1)
        if found < 0:
            return False
        at = found
    return True


def test_the_lists_are_not_empty_and_the_questions_are_ten(pack: dict[str, Any]) -> None:
    assert len(pack["decisions"]) >= 3
    assert len(pack["questions"]) == 10
    assert len(pack["actions"]) > 10


def test_csv_lists_follow_the_pack(db: Path, pack: dict[str, Any]) -> None:
    for which in ("decisions", "questions", "actions"):
        rows = _csv_rows(db, which)
        assert [r["Supplier"] for r in rows] == [item["supplier"] for item in pack[which]], which


def test_the_workbook_sheets_follow_the_pack(
    db: Path, pack: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "risk.xlsx"
    ok(db, "export", "--format", "xlsx", "--today", TODAY, "--out", str(path))
    book = load_workbook(path, read_only=True)
    for sheet, which in (
        ("Decisions", "decisions"),
        ("Board questions", "questions"),
        ("Management actions", "actions"),
    ):
        rows = list(book[sheet].iter_rows(values_only=True))
        column = rows[0].index("Supplier")
        assert [r[column] for r in rows[1:]] == [item["supplier"] for item in pack[which]]


def test_the_papers_follow_the_pack(db: Path, pack: dict[str, Any]) -> None:
    markdown = ok(db, "export", "--format", "md", "--today", TODAY)
    page = ok(db, "export", "--format", "html", "--today", TODAY)
    questions = [q["text"] for q in pack["questions"]]
    decisions = [d["action"] for d in pack["decisions"]]
    # Each list in the pack's order, the decisions before the questions.
    assert _in_order(markdown, [md_escape(t) for t in decisions + questions])
    assert _in_order(page, [html.escape(t, quote=False) for t in decisions + questions])
    first_actions = [a["text"] for a in pack["actions"][:15]]
    assert _in_order(markdown, [md_escape(t) for t in first_actions])
    assert _in_order(page, [html.escape(t, quote=False) for t in first_actions])

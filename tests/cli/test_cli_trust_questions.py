"""``questions`` ranks the trust's own findings (those that are not data gaps) with the
suppliers' questions, in the table, the JSON and the board-paper Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import small_register

TODAY = "2026-11-26"
QUESTION = (
    "Contractors and interims are 50% of our digital team (20 FTE beside 20 FTE in-house): "
    "what is our plan to build in-house skills?"
)


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.db"
    source = tmp_path / "small.json"
    source.write_text(dump_register_json(small_register()), encoding="utf-8")
    assert run("import", str(source), db=path)[0] == 0
    return path


def with_staff(db: Path) -> None:
    code, _, err = run(
        "profile",
        "set",
        "--digital-staff",
        "20",
        "--contractors",
        "20",
        "--commercial-staff",
        "5",
        "--today",
        TODAY,
        db=db,
    )
    assert code == 0, err


def test_json_ranks_the_trusts_question_with_the_suppliers(db: Path) -> None:
    code, out, _ = run("questions", "--format", "json", "--top", "50", "--today", TODAY, db=db)
    assert code == 0
    before = json.loads(out)["questions"]
    assert all(q["scope"] == "supplier" for q in before)  # staffing not recorded: a gap only
    with_staff(db)
    code, out, err = run("questions", "--format", "json", "--top", "50", "--today", TODAY, db=db)
    assert (code, err) == (0, "")
    asked = json.loads(out)["questions"]
    trust = [q for q in asked if q["scope"] == "trust"]
    mine = next(q for q in trust if q["finding_codes"] == ["trust.contractor_dependence"])
    assert mine["supplier"] == "The trust"
    assert mine["text"] == QUESTION
    assert mine["key_question"] == "skills"
    assert mine["priority"] == pytest.approx(4 * 0.57 * 10)  # severity 0.57 at 50%
    priorities = [q["priority"] for q in asked]
    assert priorities == sorted(priorities, reverse=True)
    assert len(asked) == len(before) + len(trust)


def test_table_and_board_paper_include_the_trusts_question(db: Path) -> None:
    with_staff(db)
    code, out, err = run("questions", "--top", "50", "--today", TODAY, db=db)
    assert (code, err) == (0, "")
    assert "The trust" in out
    assert "Contractors and interims are 50% of our digital team" in out
    code, out, err = run("questions", "--format", "md", "--top", "50", "--today", TODAY, db=db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if QUESTION in line)
    assert lines[at + 1].strip().startswith("*The trust itself: one of its own findings")


def test_score_json_top_questions_include_the_trusts(db: Path) -> None:
    with_staff(db)
    code, out, err = run("score", "--format", "json", "--today", TODAY, db=db)
    assert (code, err) == (0, "")
    top = json.loads(out)["top_questions"]
    assert [q["text"] for q in top if q["scope"] == "trust"][:1] == [QUESTION]
    priorities = [q["priority"] for q in top]
    assert priorities == sorted(priorities, reverse=True)

"""The ``board`` command and ``review action add-from-board``: the board pack's three lists on
the sample register (issue 16's Done-when), its filters and formats, the documented JSON, and
management actions turned into review actions all or nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import sample_register_path
from tests.support.paths import REPO_ROOT
from tests.support.registers import dump

README = REPO_ROOT / "README.md"
TODAY = "2026-11-26"
STRATEGIC_FIRST = {
    "Veridane Health Systems Ltd",
    "Brightwater [UK] Ltd",
    "Hollinfell Networks Ltd",
}


def run(db: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ok(db: Path, *args: str) -> str:
    code, out, err = run(db, *args)
    assert code == 0, err
    return out


def board_json(db: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(db, "board", "--format", "json", "--today", TODAY, *args))
    return data


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("board") / "sample.db"
    ok(path, "import", str(sample_register_path()))
    return path


@pytest.fixture
def copy(db: Path, tmp_path: Path) -> Path:
    """A register of its own, to write to."""
    path = tmp_path / "copy.db"
    shutil.copy(db, path)
    return path


# --- issue 16's Done-when on the sample register ---------------------------------------------


def test_at_most_ten_board_questions_none_on_the_same_supplier_and_theme(db: Path) -> None:
    pack = board_json(db)
    questions = pack["questions"]
    assert 0 < len(questions) <= 10
    pairs = [(q["supplier"], q["theme"]) for q in questions]
    assert len(set(pairs)) == len(pairs)
    assert [q["number"] for q in questions] == list(range(1, len(questions) + 1))
    assert pack["question_total"] > len(questions)


def test_decisions_start_with_the_overdue_and_five_day_decisions_of_strategic_suppliers(
    db: Path,
) -> None:
    decisions = board_json(db, "--list", "decisions")["decisions"]
    first = decisions[:3]
    assert {d["supplier"] for d in first} == STRATEGIC_FIRST
    assert all(d["criticality"] == "strategic" for d in first)
    assert all(d["days_left"] < 0 or d["days_left"] == 5 for d in first)
    hollinfell = next(d for d in first if d["supplier"] == "Hollinfell Networks Ltd")
    assert (hollinfell["days_left"], hollinfell["when"]) == (5, "in 5 days")
    assert [d["number"] for d in decisions] == list(range(1, len(decisions) + 1))


def test_what_we_do_not_yet_know_is_a_management_action_not_a_board_question(db: Path) -> None:
    pack = board_json(db, "--top", "500")
    assert not [q for q in pack["questions"] if "do not yet know" in q["text"].casefold()]
    scores = json.loads(ok(db, "score", "--format", "json", "--today", TODAY))
    with_gaps = {s["supplier"] for s in scores["suppliers"] if s["data_gaps"]}
    assert with_gaps
    finding_out = {a["supplier"] for a in pack["actions"] if a["kind"] == "find_out"}
    assert with_gaps <= finding_out
    for action in pack["actions"]:
        if action["kind"] == "find_out":
            assert action["text"].startswith(f"Find out for {action['supplier']}: ")
            assert 1 <= len(action["unknowns"]) <= 3


def test_board_and_questions_give_the_questions_in_the_same_order(db: Path) -> None:
    board = board_json(db, "--list", "questions")["questions"]
    asked = json.loads(ok(db, "questions", "--format", "json", "--today", TODAY))["questions"]
    assert [(q["supplier"], q["theme"], q["text"]) for q in board] == [
        (q["supplier"], q["theme"], q["text"]) for q in asked
    ]
    assert [q["number"] for q in board] == [q["rank"] for q in asked]


# --- table --------------------------------------------------------------------------------


def test_table_shows_the_three_lists_apart_each_under_its_heading(db: Path) -> None:
    out = ok(db, "board", "--today", TODAY)
    headings = [
        out.index("Decisions required ("),
        out.index("Questions for the board ("),
        out.index("Management actions ("),
    ]
    assert headings == sorted(headings)
    assert out.count("────") >= 2  # a rule between the lists
    decisions = out[headings[0] : headings[1]]
    for column in ("Supplier", "Criticality", "Decide by", "Days left", "Notice by", "Owner"):
        assert column in decisions
    assert "overdue by 604 days" in decisions
    assert "If nothing is done:" in decisions
    questions = out[headings[1] : headings[2]]
    for column in ("Key question", "Theme", "Question"):
        assert column in questions
    assert "Options and exit" in questions
    assert "Recorded: " in questions
    actions = out[headings[2] :]
    for column in ("Due", "Supplier", "Owner", "Action"):
        assert column in actions
    assert "Find out for " in actions
    assert "Brightwater [UK] Ltd" in out  # user text, never markup


def test_list_shows_one_list_only(db: Path) -> None:
    out = ok(db, "board", "--list", "actions", "--today", TODAY)
    assert "Management actions (" in out
    assert "Decisions required" not in out and "Questions for the board" not in out
    data = board_json(db, "--list", "decisions")
    assert "decisions" in data and "questions" not in data and "actions" not in data


def test_top_sets_how_many_board_questions(db: Path) -> None:
    assert len(board_json(db, "--top", "3")["questions"]) == 3
    out = ok(db, "board", "--list", "questions", "--top", "3", "--today", TODAY)
    total = board_json(db)["question_total"]
    assert f"Questions for the board (the 3 most pressing of the {total} the register raises)" in (
        " ".join(out.split())
    )


def test_list_headings_read_as_english(db: Path) -> None:
    out = " ".join(ok(db, "board", "--today", TODAY).split())
    assert "for high-criticality and strategic suppliers, most urgent first" in out
    assert "high suppliers" not in out
    assert "10 of the 10" not in out


def test_supplier_filter_keeps_the_numbers_of_the_whole_lists(db: Path) -> None:
    whole = board_json(db)
    veridane = "Veridane Health Systems Ltd"
    one = board_json(db, "--supplier", veridane.upper())
    assert one["supplier"] == veridane
    for name in ("decisions", "questions", "actions"):
        expected = [item for item in whole[name] if item["supplier"] == veridane]
        assert one[name] == expected
    assert one["decisions"] and one["questions"] and one["actions"]


def test_unknown_supplier_is_one_error_line(db: Path) -> None:
    code, out, err = run(db, "board", "--supplier", "Nobody Ltd", "--today", TODAY)
    assert code == 2
    assert out == ""
    assert err == "error: --supplier: no supplier named 'Nobody Ltd'\n"


def test_config_sets_the_question_count_and_who_gets_decisions(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "scoring.toml"
    config.write_text('top_questions = 4\n\n[board]\ndecisions_from = "strategic"\n')
    pack = board_json(db, "--config", str(config))
    assert len(pack["questions"]) == 4
    asked = ok(db, "questions", "--format", "json", "--config", str(config), "--today", TODAY)
    assert [q["text"] for q in json.loads(asked)["questions"]] == [
        q["text"] for q in pack["questions"]
    ]
    assert pack["decisions_from"] == "strategic"
    assert pack["decisions"]
    assert {d["criticality"] for d in pack["decisions"]} == {"strategic"}


# --- Markdown -----------------------------------------------------------------------------


def test_md_is_a_paper_section_with_the_three_lists(db: Path) -> None:
    out = ok(db, "board", "--format", "md", "--today", TODAY)
    lines = out.splitlines()
    assert lines[0] == "## Technology suppliers: the board pack"
    headings = [line[4:] for line in lines if line.startswith("### ")]
    assert [h.split(" (")[0] for h in headings] == [
        "Decisions required",
        "Questions for the board",
        "Management actions",
    ]
    # One numbering per list, each from 1.
    sections = out.split("\n### ")[1:]
    pack = board_json(db)
    for section, name in zip(sections, ("decisions", "questions", "actions"), strict=True):
        numbers = [int(m.group(1)) for m in re.finditer(r"^(\d+)\. ", section, re.M)]
        assert numbers == [item["number"] for item in pack[name]]
    assert "Brightwater \\[UK\\] Ltd" in out
    assert "Brightwater [UK]" not in out
    assert "*If nothing is done: " in out
    assert "Also asked under this question:" in out


# --- questions ------------------------------------------------------------------------------


def test_questions_table_shows_the_theme(db: Path) -> None:
    out = ok(db, "questions", "--today", TODAY)
    header = next(line for line in out.splitlines() if "Key question" in line)
    assert "Theme" in header
    assert "Options and exit" in out
    asked = json.loads(ok(db, "questions", "--format", "json", "--today", TODAY))["questions"]
    assert len(asked) == 10
    assert all(q["theme"] for q in asked if q["scope"] == "supplier")
    assert any(q["also"] for q in asked)
    assert any(len(q["contracts"]) > 1 for q in asked)


# --- review action add-from-board --------------------------------------------------------------


def _review_actions(db: Path) -> list[dict[str, Any]]:
    data = json.loads(ok(db, "review", "show", "--format", "json", "--today", TODAY))
    return [item["action"] for item in data["actions"]]


def test_add_from_board_by_number_then_again(copy: Path) -> None:
    ok(copy, "review", "start", "2026-Q4", "--today", TODAY)
    actions = board_json(copy, "--list", "actions")["actions"]
    chosen = [a for a in actions if a["owner"]][:2]
    numbers = [str(a["number"]) for a in chosen]
    out = ok(copy, "review", "action", "add-from-board", *numbers, "--today", TODAY)
    assert out.splitlines()[-1] == "2 added to the 2026-Q4 review"
    for a in chosen:  # each keeps its owner, and its due date unless already past
        due = max(a["due"], TODAY)
        assert f"({a['supplier']}), owner {a['owner']}, due {due}" in out
    held = _review_actions(copy)
    assert {(a["supplier"], a["owner"]) for a in held} == {
        (a["supplier"], a["owner"]) for a in chosen
    }
    again = ok(copy, "review", "action", "add-from-board", *numbers, "--today", TODAY)
    assert again.strip() == "0 added to the 2026-Q4 review; 2 already open in the review"
    assert len(_review_actions(copy)) == 2


def test_add_from_board_all_with_an_owner_for_those_without(copy: Path) -> None:
    ok(copy, "review", "start", "2026-Q4", "--today", TODAY)
    actions = board_json(copy, "--list", "actions")["actions"]
    ownerless = {a["supplier"] for a in actions if a["owner"] is None}
    assert ownerless
    out = ok(
        copy,
        "review",
        "action",
        "add-from-board",
        "--all",
        "--owner",
        "Jo Bloggs",
        "--today",
        TODAY,
    )
    assert out.splitlines()[-1] == f"{len(actions)} added to the 2026-Q4 review"
    held = _review_actions(copy)
    assert len(held) == len(actions)
    assert {a["supplier"] for a in held if a["owner"] == "Jo Bloggs"} == ownerless


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "error: action number: give the numbers of the management actions to add, or --all"),
        (("1", "--all"), "error: action number: give the numbers"),
        (("999",), "error: action number: 999 is not in the board pack, which has "),
        (("--all",), "error: owner: the management action for "),
        (("--all", "--owner", "Jo", "--quarter", "2026-Q9"), "error: quarter: '2026-Q9' is not"),
        (("--all", "--owner", "Jo", "--quarter", "2026-Q3"), "error: "),
    ],
)
def test_add_from_board_refused_leaves_the_register_as_it_was(
    copy: Path, args: tuple[str, ...], message: str
) -> None:
    ok(copy, "review", "start", "2026-Q4", "--today", TODAY)
    before = dump(copy)
    code, out, err = run(copy, "review", "action", "add-from-board", *args, "--today", TODAY)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert dump(copy) == before


def test_add_from_board_says_how_to_give_a_missing_owner(copy: Path) -> None:
    ok(copy, "review", "start", "2026-Q4", "--today", TODAY)
    actions = board_json(copy, "--list", "actions")["actions"]
    ownerless = [a for a in actions if a["owner"] is None]
    assert len(ownerless) > 1
    code, _, err = run(copy, "review", "action", "add-from-board", "--all", "--today", TODAY)
    assert code == 2
    assert err == (
        f"error: owner: the management action for {ownerless[0]['supplier']} (and "
        f"{len(ownerless) - 1} more) has no owner, as none is recorded for the supplier's "
        "relationship; give one with --owner\n"
    )
    one = str(ownerless[0]["number"])
    code, _, err = run(copy, "review", "action", "add-from-board", one, "--today", TODAY)
    assert code == 2 and "(and " not in err and err.endswith("give one with --owner\n")


def test_add_from_board_needs_an_open_review(copy: Path) -> None:
    before = dump(copy)
    code, _, err = run(copy, "review", "action", "add-from-board", "--all", "--today", TODAY)
    assert code == 2
    assert err == "error: review: no review is open; start one with 'review start QUARTER'\n"
    assert dump(copy) == before


# --- the README documents the JSON shape ---------------------------------------------------


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value and isinstance(value[0], dict) else []
    return None


def test_readme_documents_the_board_json(db: Path) -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("### The board pack as JSON", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```json\n(.*?)```", section, re.S)
    documented = json.loads(block)
    actual = board_json(db)
    assert _shape(documented) == _shape(actual)
    asked = json.loads(ok(db, "questions", "--format", "json", "--today", TODAY))["questions"]
    assert set(actual["questions"][0]) - {"number"} == set(asked[0]) - {"rank"}


def test_an_empty_register_says_the_register_raises_no_question(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    ok(path, "init")
    out = " ".join(ok(path, "board", "--today", TODAY).split())
    assert "Questions for the board (the register raises none)" in out
    assert "all 0" not in out


def test_a_notice_date_says_how_many_days_are_left(db: Path) -> None:
    # Ravensworth's decision is long overdue, but notice can still be given, for 4 more days.
    narrow = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["--db", str(db), "board", "--list", "decisions", "--today", TODAY]
    )
    assert narrow.exit_code == 0
    ravensworth = " ".join(narrow.stdout.split("Ravensworth", 1)[1].split("Oakhurst")[0].split())
    assert "· notice by 30 November 2026 (in 4 days)" in ravensworth
    md = ok(db, "board", "--list", "decisions", "--format", "md", "--today", TODAY)
    assert "; notice by 30 November 2026 (in 4 days): " in md

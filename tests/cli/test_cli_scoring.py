"""The ``score`` and ``questions`` commands: formats, filters, errors and the documented JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from supplier_register.cli import main
from supplier_register.cli.scoring import questions_table
from supplier_register.domain.enums import Criticality
from supplier_register.interchange import sample_register_path
from supplier_register.scoring import KeyQuestion, SupplierScore
from supplier_register.scoring.results import BoardQuestion
from tests.support.paths import REPO_ROOT

README = REPO_ROOT / "README.md"
TODAY = "2026-11-26"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "200"})
    result = runner.invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scoring") / "sample.db"
    code, _, err = run(path, "import", str(sample_register_path()))
    assert code == 0, err
    return path


def test_score_table_lists_every_supplier_literally(db: Path) -> None:
    code, out, _ = run(db, "score", "--today", TODAY)
    assert code == 0
    assert "Principle-6 risk on 26 November 2026: 32 suppliers" in out
    assert "Brightwater [UK] Ltd" in out  # user text, never markup
    assert "10 July 2025 (passed)" in out


def _scores(db: Path) -> dict[str, SupplierScore]:
    data = json.loads(run(db, "score", "--format", "json", "--today", TODAY)[1])
    return {s["supplier"]: SupplierScore.model_validate(s) for s in data["suppliers"]}


def test_score_table_shows_impact_exposure_and_confidence(db: Path) -> None:
    code, out, _ = run(db, "score", "--today", TODAY)
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if "Supplier" in line and "Criticality" in line)
    for title in ("Score", "Band", "Impact", "Exposure", "Confidence (range)"):
        assert title in header
    scores = _scores(db)
    unassessed = [s for s in scores.values() if s.band.value == "unassessed"]
    assert unassessed and all(s.confidence < 0.5 for s in unassessed)
    assert f"{len(unassessed)} unassessed)" in out
    veridane = scores["Veridane Health Systems Ltd"]
    row = next(line for line in lines if "Veridane Health" in line)
    cells = [c.strip() for c in row.split("│")]
    assert cells[3:8] == [
        str(veridane.score),
        veridane.band.value,
        f"{veridane.impact:.1f}",
        f"{round(veridane.exposure * 100)}%",
        f"{round(veridane.confidence * 100)}% ({_range(veridane.risk_low, veridane.risk_high)})",
    ]


def _range(low: int, high: int) -> str:
    """A risk range as a reader sees it: '80-84', or just '84' when the unknowns do not move it."""
    return str(low) if low == high else f"{low}-{high}"


def test_score_one_supplier_states_the_model(db: Path) -> None:
    s = _scores(db)["Veridane Health Systems Ltd"]
    code, out, _ = run(db, "score", "--supplier", "Veridane Health Systems Ltd", "--today", TODAY)
    assert code == 0
    flat = " ".join(out.split())
    assert (
        f"Risk {s.score}/100, {s.band.value}; impact {s.impact:.1f} of 5 x exposure "
        f"{round(s.exposure * 100)}%; confidence {round(s.confidence * 100)}% "
        + (
            "(the unknowns do not change it)."
            if s.risk_low == s.risk_high
            else f"(range {s.risk_low}-{s.risk_high})."
        )
        in flat
    )
    assert f"(range {s.risk_low}-{s.risk_low})" not in flat
    assert s.impact_reasons and f"Impact {s.impact:.1f} of 5: {s.impact_reasons[0]}" in flat
    assert "What we do not know is not counted as a weakness" in flat
    assert "Too little is known to band it" not in flat
    # The dimensions table speaks of exposure and question weight (model 1's "capacity" is gone).
    assert "Question weight" in flat and "Capacity" not in flat
    unassessed = next(v for v in _scores(db).values() if v.band.value == "unassessed")
    _, out, _ = run(db, "score", "--supplier", unassessed.supplier, "--today", TODAY)
    assert f"Risk {unassessed.score}/100, unassessed;" in " ".join(out.split())
    assert "Too little is known to band it" in " ".join(out.split())


def test_score_one_supplier_shows_findings_and_questions(db: Path) -> None:
    code, out, _ = run(db, "score", "--supplier", "BRIGHTWATER [uk] ltd", "--today", TODAY)
    assert code == 0
    assert out.startswith("Brightwater [UK] Ltd (strategic supplier)")
    s = _scores(db)["Brightwater [UK] Ltd"]
    assert f"Risk {s.score}/100, {s.band.value}; impact {s.impact:.1f} of 5" in out
    assert "Decide-by date has passed" in out
    assert "Keeping options open (lock-in and data)" in out
    assert "Questions for the board:" in out


def test_score_json_validates_and_is_reproducible(db: Path) -> None:
    code, out, _ = run(db, "score", "--format", "json", "--today", TODAY)
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "supplier-register-scores"
    assert data["today"] == TODAY
    scores = [SupplierScore.model_validate(s) for s in data["suppliers"]]
    assert len(scores) == 32
    priorities = [s.priority for s in scores]
    assert priorities == sorted(priorities, reverse=True)
    assert [BoardQuestion.model_validate(q) for q in data["top_questions"]]
    assert run(db, "score", "--format", "json", "--today", TODAY)[1] == out
    later = json.loads(run(db, "score", "--format", "json", "--today", "2027-06-01")[1])
    assert later["suppliers"] != data["suppliers"]


def test_score_json_for_one_supplier(db: Path) -> None:
    code, out, _ = run(db, "score", "--supplier", "Hollinfell Networks Ltd", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["supplier"] for s in data["suppliers"]] == ["Hollinfell Networks Ltd"]
    assert {q["supplier"] for q in data["top_questions"]} <= {"Hollinfell Networks Ltd"}


def test_questions_table_and_top(db: Path) -> None:
    code, out, _ = run(db, "questions", "--top", "3", "--today", TODAY)
    assert code == 0
    assert "3 questions for the board on 26 November 2026" in out
    data = json.loads(run(db, "questions", "--top", "3", "--format", "json", "--today", TODAY)[1])
    assert [q["rank"] for q in data["questions"]] == [1, 2, 3]
    assert data["supplier"] is None
    assert data["key_questions"] == {k.value: k.text for k in KeyQuestion}


def test_questions_for_one_supplier(db: Path) -> None:
    code, out, _ = run(
        db, "questions", "--supplier", "veridane health systems ltd", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["supplier"] == "Veridane Health Systems Ltd"
    assert data["questions"]
    assert {q["supplier"] for q in data["questions"]} == {"Veridane Health Systems Ltd"}


def test_questions_md_is_a_board_paper_section(db: Path) -> None:
    code, out, _ = run(db, "questions", "--format", "md", "--today", TODAY)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "## Technology suppliers: questions for the board"
    assert "Northmoor Valley NHS Foundation Trust" in out
    severe = sum(s.band.value == "severe" for s in _scores(db).values())
    assert f"Of 32 suppliers, {severe} are at severe risk" in out
    assert "How the score is built. A supplier's risk is its impact" in out
    headings = [line[4:] for line in lines if line.startswith("### ")]
    assert headings == ["The questions, most pressing first"]
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"(\d+)\. ", line))]
    assert numbers == list(range(1, 11))
    # One ranking, one numbering: the order of the JSON, each tagged with its key question
    # and theme; user text is escaped, never read as Markdown.
    ranked = json.loads(run(db, "questions", "--format", "json", "--today", TODAY)[1])
    texts = [
        line.split(". ", 1)[1].removesuffix("  ") for line in lines if re.match(r"\d+\. ", line)
    ]
    assert len(texts) == len(ranked["questions"])
    tags = [line.strip() for line in lines if line.strip().startswith("Key question: ")]
    for q, tag in zip(ranked["questions"], tags, strict=True):
        assert tag.startswith(f"Key question: {KeyQuestion(q['key_question']).text}")
        assert "Theme: " in tag
    assert "Also asked under this question:" in out
    assert "Brightwater \\[UK\\] Ltd" in out
    assert "Brightwater [UK]" not in out
    assert "{" not in out
    assert "_" not in out.replace("\\_", "")


def test_questions_md_for_one_supplier(db: Path) -> None:
    code, out, _ = run(
        db, "questions", "--supplier", "Hollinfell Networks Ltd", "--format", "md", "--today", TODAY
    )
    assert code == 0
    assert out.startswith("## Hollinfell Networks Ltd: questions for the board")
    assert "Hollinfell Networks Ltd is a strategic supplier" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["score", "--supplier", "Nobody Ltd"],
            "error: --supplier: no supplier named 'Nobody Ltd'",
        ),
        (["questions", "--supplier", "Nobody Ltd"], "error: --supplier: no supplier named"),
        (["score", "--today", "26/11/2026"], "error: --today: '26/11/2026' is not a date"),
        (["questions", "--today", "2026-02-30"], "error: --today: '2026-02-30' is not a date"),
    ],
)
def test_user_errors_are_one_line_exit_2(db: Path, args: list[str], message: str) -> None:
    code, out, err = run(db, *args)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1


def test_config_file_overrides_bands(db: Path, tmp_path: Path) -> None:
    config = tmp_path / "scoring.toml"
    config.write_text("[bands]\nmedium = 5\nhigh = 6\nsevere = 7\n", encoding="utf-8")
    code, out, _ = run(db, "score", "--format", "json", "--today", TODAY, "--config", str(config))
    assert code == 0
    data = json.loads(out)
    assert data["bands"] == {"medium": 5, "high": 6, "severe": 7}
    # every assessed supplier is banded by the file's thresholds; a mostly-unknown one stays
    # unassessed unless what is known alone (risk_low) already reaches the file's 'high'
    expected = {5: "medium", 6: "high"}
    for s in data["suppliers"]:
        if s["confidence"] < 0.5 and s["risk_low"] < 6:
            assert s["band"] == "unassessed"
        else:
            score = s["score"]
            want = "severe" if score >= 7 else "low" if score < 5 else expected[score]
            assert s["band"] == want, s["supplier"]
    assert "severe" in {s["band"] for s in data["suppliers"]}
    bad = tmp_path / "bad.toml"
    bad.write_text("[bands]\nmedium = 50\nhigh = 40\n", encoding="utf-8")
    code, _, err = run(db, "score", "--config", str(bad))
    assert code == 2
    assert err.startswith("error: ")
    assert err.count("\n") == 1


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "none.db", "score")
    assert code == 2
    assert err.startswith("error: ")


# --- the README documents the JSON shapes exactly ----------------------------------------


def _readme_json_blocks() -> list[Any]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Scores and board questions as JSON", 1)[1].split("\n## ", 1)[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, re.S)]


def _shape(value: Any) -> Any:
    """Keys of every object, recursively; a list by the shape of its first item."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return None


def _same_shape(documented: Any, actual: Any, where: str = "$") -> None:
    if isinstance(documented, dict):
        assert isinstance(actual, dict), where
        assert set(documented) == set(actual), f"{where}: {set(documented) ^ set(actual)}"
        for k in documented:
            _same_shape(documented[k], actual[k], f"{where}.{k}")
    elif isinstance(documented, list) and documented and actual:
        _same_shape(documented[0], actual[0], f"{where}[0]")


def test_readme_documents_the_json_shapes(db: Path) -> None:
    scores_doc, questions_doc = _readme_json_blocks()
    scores = json.loads(run(db, "score", "--format", "json", "--today", TODAY)[1])
    _same_shape(_shape(scores_doc), _shape(scores))
    # The documented empty lists have items shaped like their siblings.
    assert _shape(scores["top_questions"][0]) == _shape(scores_doc["suppliers"][0]["questions"][0])
    assert _shape(scores["suppliers"][0]["data_gaps"][0]) == _shape(
        scores_doc["suppliers"][0]["findings"][0]
    )
    questions = json.loads(run(db, "questions", "--format", "json", "--today", TODAY)[1])
    _same_shape(_shape(questions_doc), _shape(questions))


def test_answer_evidence_reaches_the_scores_read_from_the_database(db: Path) -> None:
    # The register database, not only a file, carries each answer's evidence to its finding
    # and question: the board sees what was recorded beside what it is asked.
    code, out, _ = run(
        db,
        "score",
        "--supplier",
        "Veridane Health Systems Ltd",
        "--format",
        "json",
        "--today",
        TODAY,
    )
    assert code == 0
    [supplier] = json.loads(out)["suppliers"]
    finding = next(f for f in supplier["findings"] if f["code"] == "options.bulk_export")
    assert "£18,000" in finding["evidence"]
    assert "Recorded: " in finding["explanation"]
    question = next(q for q in supplier["questions"] if "options.bulk_export" in q["finding_codes"])
    assert any("£18,000" in e for e in question["evidence"])


def test_questions_quote_the_evidence_recorded_behind_them(db: Path) -> None:
    # The board sees what was recorded beside the question it is asked, in the table, the
    # board paper and the supplier's score.
    veridane = "Veridane Health Systems Ltd"
    code, out, _ = run(db, "questions", "--supplier", veridane, "--today", TODAY)
    assert code == 0
    assert "Recorded: Cannot get all data out freely — Bulk extracts cost £18,000 each" in " ".join(
        out.split()
    )
    code, out, _ = run(db, "questions", "--supplier", veridane, "--format", "md", "--today", TODAY)
    assert code == 0
    # Quoted once: the finding's explanation given beside the question already ends with it.
    assert out.count("Bulk extracts cost £18,000 each") == 1
    assert "Recorded: Bulk extracts cost £18,000 each" in out
    code, out, _ = run(db, "score", "--supplier", veridane, "--today", TODAY)
    assert code == 0
    asks = out[out.index("Questions for the board:") :]
    assert "Recorded: Cannot get all data out freely — Bulk extracts cost £18,000 each" in " ".join(
        asks.split()
    )


def test_questions_table_shows_evidence_and_the_trust_literally() -> None:
    hostile = BoardQuestion(
        supplier="[b]Acme[/b]",
        key_question=KeyQuestion.CONTRACTING,
        text="Can we leave?",
        priority=20.0,
        criticality=Criticality.HIGH,
        finding_codes=["options.bulk_export"],
        evidence=["[b]x[/b] <script>", '=HYPERLINK("http://x")'],
    )
    trust = hostile.model_copy(
        update={"supplier": "The trust", "evidence": [], "scope": "trust", "text": "Skills?"}
    )
    console = Console(width=200, record=True, color_system=None)
    console.print(questions_table([hostile, trust], dt.date(2026, 11, 26)))
    out = console.export_text()
    assert "Recorded: [b]x[/b] <script>" in out
    assert 'Recorded: =HYPERLINK("http://x")' in out
    assert "[b]Acme[/b]" in out
    assert "The trust (its own finding)" in out

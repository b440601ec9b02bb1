"""The export and review commands end to end, on the sample register, with frozen dates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from supplier_register.cli import main
from supplier_register.domain.enums import AnswerValue
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.reports.safety import FORMULA_TRIGGERS
from tests.support.htmlcheck import collect
from tests.support.registers import dump


def run(db: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "220"})
    result = runner.invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample_db(tmp_path: Path) -> Path:
    db = tmp_path / "sample.db"
    code, _, err = run(db, "import", str(sample_register_path()))
    assert code == 0, err
    return db


def test_json_export_is_still_the_lossless_interchange(sample_db: Path, tmp_path: Path) -> None:
    code, out, _ = run(sample_db, "export")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "supplier-register" and "people" in data


def test_csv_export(sample_db: Path) -> None:
    code, out, err = run(sample_db, "export", "--format", "csv", "--today", "2026-11-26")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
    header = rows[0]
    gap = rows.index([])
    suppliers = [dict(zip(header, r, strict=True)) for r in rows[1:gap]]
    sample = read_register_file(sample_register_path())
    assert len(suppliers) == len(sample.suppliers)
    assert [s["Rank"] for s in suppliers] == [str(i) for i in range(1, len(suppliers) + 1)]
    assert all(0 <= int(s["Risk score"]) <= 100 for s in suppliers)
    assert {s["Band"] for s in suppliers} <= {"Low", "Medium", "High", "Severe", "Unassessed"}
    # the sample has suppliers about whom most of what matters is unknown
    unassessed = [s for s in suppliers if s["Band"] == "Unassessed"]
    assert unassessed and all(int(s["Confidence %"]) < 50 for s in unassessed)
    for s in suppliers:
        assert 1 <= float(s["Impact (of 5)"]) <= 4.5 and 0 <= int(s["Exposure %"]) <= 100
        assert int(s["Risk range low"]) <= int(s["Risk score"]) <= int(s["Risk range high"])
    assert rows[gap + 1][:3] == ["Rank", "Supplier", "Criticality"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS) or cell.lstrip("-").isdigit()


def test_today_changes_the_days_to_decide(sample_db: Path) -> None:
    def decisions(today: str) -> dict[str, tuple[str, int]]:
        _, out, _ = run(sample_db, "export", "--format", "csv", "--today", today)
        rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"), newline="")))
        header, body = rows[0], rows[1 : rows.index([])]
        date, days = header.index("Next decide-by"), header.index("Days to decide")
        return {r[1]: (r[date], int(r[days])) for r in body if r[days]}

    early, late = decisions("2026-11-26"), decisions("2026-12-26")
    same = [name for name in early if name in late and early[name][0] == late[name][0]]
    assert same
    assert all(early[name][1] - late[name][1] == 30 for name in same)


def test_every_summary_format_to_a_file(sample_db: Path, tmp_path: Path) -> None:
    for fmt, name in [
        ("md", "s.md"),
        ("html", "s.html"),
        ("summary-json", "s.json"),
        ("xlsx", "s.xlsx"),
    ]:
        out = tmp_path / name
        code, _, err = run(
            sample_db, "export", "--format", fmt, "--out", str(out), "--today", "2026-11-26"
        )
        assert code == 0, err
        assert f"wrote {out}" in err
        assert out.stat().st_mode & 0o077 == 0
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["today"] == "2026-11-26"
    assert summary["trust"] == read_register_file(sample_register_path()).trust
    wb = load_workbook(tmp_path / "s.xlsx")
    assert wb.sheetnames == [
        "Suppliers",
        "Decisions",
        "Board questions",
        "Management actions",
        "Findings",
        "Service impact",
        "Concentration",
    ]
    assert wb["Suppliers"].max_row == len(summary["suppliers"]) + 1
    html = collect((tmp_path / "s.html").read_text())
    assert "Suppliers by priority" in html.text
    assert "# Technology supplier risk summary" in (tmp_path / "s.md").read_text()


def test_export_refuses_to_overwrite_and_binary_to_stdout(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    out.write_text("keep me")
    code, _, err = run(sample_db, "export", "--format", "html", "--out", str(out))
    assert code == 2 and "already exists; use --force" in err and out.read_text() == "keep me"
    code, _, err = run(sample_db, "export", "--format", "xlsx")
    assert (
        code == 2 and err.strip() == "error: --out: this format is binary; give a file with --out"
    )
    # Refused before the register is even opened (no scoring to wait through first).
    code, _, err = run(tmp_path / "no-such.db", "export", "--format", "xlsx")
    assert (
        code == 2 and err.strip() == "error: --out: this format is binary; give a file with --out"
    )


def test_bad_today_is_one_line(sample_db: Path) -> None:
    code, out, err = run(sample_db, "export", "--format", "csv", "--today", "2026-13-01")
    assert code == 2 and out == ""
    assert err == "error: --today: '2026-13-01' is not a date like 2026-11-26\n"


def _report(db: Path, quarter: str, today: str) -> dict[str, object]:
    code, out, err = run(db, "review", "show", quarter, "--today", today, "--format", "json")
    assert code == 0, err
    return dict(json.loads(out))


def test_review_cycle_across_quarters(sample_db: Path, tmp_path: Path) -> None:
    db = sample_db
    brightwater = "Brightwater [UK] Ltd"
    code, out, err = run(db, "review", "start", "2026-Q2", "--today", "2026-06-15")
    assert code == 0, err
    assert out.startswith("started the 2026-Q2 review on 2026-06-15: 32 suppliers snapshotted")
    code, out, err = run(
        db,
        "review",
        "action",
        "add",
        "2026-Q2",
        "--supplier",
        brightwater.upper(),
        "--what",
        '=HYPERLINK("http://x") test the bulk export',
        "--owner",
        "Aisha Karim",
        "--due",
        "31/08/2026",
        "--today",
        "2026-06-15",
    )  # fmt: skip  (the due date as a form or a spreadsheet takes it)
    assert code == 0, err
    action_id = out.split()[2]
    assert out == f"added action {action_id} ({brightwater}), due 2026-08-31\n"

    before = dump(db)
    for args, message in [
        (("review", "start", "2026-Q2", "--today", "2026-06-20"),
         "error: quarter: the 2026-Q2 review was already started on 2026-06-15; a quarter is reviewed once"),
        (("review", "start", "2026-Q3", "--today", "2026-09-20"),
         "error: quarter: the 2026-Q2 review is still open; close it first (review close 2026-Q2)"),
        (("review", "start", "2026-Q5"), "error: quarter: '2026-Q5' is not a calendar quarter like 2026-Q4"),
        (("review", "action", "done", "99", "--today", "2026-07-01"), "error: action: no action with id 99"),
        (("review", "action", "add", "2026-Q2", "--what", "x", "--owner", "y", "--due", "31/13/2026"),
         "error: --due: '31/13/2026' is not a date: month 13 (dates are read day first)"),
    ]:  # fmt: skip
        code, out, err = run(db, *args)
        assert (code, out, err) == (2, "", message + "\n")
    assert dump(db) == before

    assert run(db, "review", "close", "2026-Q2", "--today", "2026-06-30")[1] == (
        "closed the 2026-Q2 review on 2026-06-30\n"
    )
    code, _, err = run(
        db, "review", "action", "add", "2026-Q2", "--what", "late", "--owner", "x",
        "--due", "2026-12-01", "--today", "2026-07-01",
    )  # fmt: skip
    assert code == 2 and "closed on 2026-06-30" in err

    # Between reviews the trust answers Brightwater's questionnaire: its risk falls.
    sample = read_register_file(sample_register_path())
    answers = [
        a.model_copy(update={"answer": AnswerValue.YES})
        for a in sample.answers
        if a.supplier == brightwater
    ]
    partial = sample.model_copy(
        update={"people": [], "suppliers": [], "contracts": [], "answers": answers}
    )
    edit = tmp_path / "edit.json"
    edit.write_text(partial.model_dump_json(exclude_none=True))
    assert run(db, "import", str(edit))[0] == 0

    code, _, err = run(db, "review", "start", "2026-Q3", "--today", "2026-09-20")
    assert code == 0, err
    report = _report(db, "2026-Q3", "2026-09-20")
    assert report["previous_quarter"] == "2026-Q2"
    movers = {m["supplier"]: m for m in report["movers"]}  # type: ignore[attr-defined]
    assert movers[brightwater]["score"] < movers[brightwater]["previous_score"]
    assert movers[brightwater]["resolved_findings"]
    actions = {str(a["action"]["id"]): a for a in report["actions"]}  # type: ignore[attr-defined]
    assert actions[action_id]["status"] == "overdue" and actions[action_id]["carried_forward"]
    assert report["horizon"] == "2027-03-31"
    assert report["due_reviews"] and report["deadlines"]

    # The risk summary now shows a trend for every supplier.
    html_path = tmp_path / "summary.html"
    assert (
        run(db, "export", "--format", "html", "--out", str(html_path), "--today", "2026-09-21")[0]
        == 0
    )
    html = html_path.read_text()
    assert "Risk score: 2026-Q2" in html and "Trend" in collect(html).text
    # A paper for a day before the reviews has no trends from the future.
    early = tmp_path / "early.html"
    assert (
        run(db, "export", "--format", "html", "--out", str(early), "--today", "2026-06-01")[0] == 0
    )
    assert "Risk score:" not in early.read_text()

    code, out, err = run(db, "review", "action", "done", action_id, "--today", "2026-10-01")
    assert (code, out) == (0, f"action {action_id} done on 2026-10-01\n"), err
    report = _report(db, "2026-Q3", "2026-10-02")
    actions = {str(a["action"]["id"]): a for a in report["actions"]}  # type: ignore[attr-defined]
    assert actions[action_id]["status"] == "done"

    pack = tmp_path / "pack.html"
    code, _, err = run(
        db,
        "review",
        "export",
        "2026-Q3",
        "--format",
        "html",
        "--out",
        str(pack),
        "--today",
        "2026-10-02",
    )
    assert code == 0, err
    parsed = collect(pack.read_text())
    assert "Quarterly supplier review 2026-Q3" in parsed.text
    assert '=HYPERLINK("http://x") test the bulk export' in parsed.text
    code, _, err = run(db, "review", "export", "2026-Q3", "--format", "html", "--out", str(pack))
    assert code == 2 and "already exists" in err
    code, md, _ = run(db, "review", "export", "2026-Q3", "--format", "md", "--today", "2026-10-02")
    assert code == 0
    assert md.startswith("# Quarterly supplier review 2026-Q3")

    code, out, _ = run(db, "review", "show", "--today", "2026-10-02")
    assert code == 0
    assert "Movers since 2026-Q2" in out and "Relationship reviews due" in out
    code, out, _ = run(db, "review", "list")
    assert "2026-Q2" in out and "2026-06-30" in out and "open" in out


def test_review_show_without_reviews(sample_db: Path) -> None:
    code, _, err = run(sample_db, "review", "show")
    assert code == 2
    assert err == "error: quarter: no reviews yet; start one with `review start YYYY-Qn`\n"

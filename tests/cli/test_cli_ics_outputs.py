"""``ics --format html|sqlite``: the ICS paper and the analysts' database written as files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from supplier_register.cli import main
from tests.support.shares import contract, share_document, supplier, write_share


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    a = write_share(
        tmp_path / "a.json",
        share_document(
            "Trust A",
            [supplier("Acme")],
            [contract("Acme", "EPR", end_date="2027-06-01", decide_by="2027-03-01")],
        ),
    )
    b = write_share(
        tmp_path / "b.json",
        share_document(
            "Trust B",
            [supplier("ACME LTD")],
            [contract("ACME LTD", "PAS", end_date="2027-07-01", decide_by="2027-04-01")],
        ),
    )
    return a, b


def test_html_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    code, out, err = run("ics", str(a), str(b), "--format", "html", "--today", "2026-11-26")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    assert "Agree with Trust A and Trust B by 1 March 2027" in out
    paper = tmp_path / "ics.html"
    code, _, err = run(
        "ics", str(a), str(b), "--format", "html", "--today", "2026-11-26", "--out", str(paper)
    )
    assert code == 0, err
    assert paper.read_text(encoding="utf-8") == out


def test_sqlite_needs_out_and_writes_a_database(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    code, out, err = run("ics", str(a), str(b), "--format", "sqlite")
    assert code == 2 and out == ""
    assert err.strip() == "error: --out: this format is binary; give a file with --out"
    db = tmp_path / "ics.db"
    code, _, err = run(
        "ics", str(a), str(b), "--format", "sqlite", "--today", "2026-11-26", "--out", str(db)
    )
    assert code == 0, err
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert conn.execute("select start, end, trusts from joint_windows").fetchall() == [
            ("2027-03-01", "2027-04-01", '["Trust A", "Trust B"]')
        ]
    finally:
        conn.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left
    # an existing file is replaced only with --force
    code, _, err = run("ics", str(a), str(b), "--format", "sqlite", "--out", str(db))
    assert code == 2 and "already exists; use --force" in err
    code, _, err = run("ics", str(a), str(b), "--format", "sqlite", "--out", str(db), "--force")
    assert code == 0, err


def test_sqlite_never_over_a_shared_file_read(tmp_path: Path) -> None:
    a, b = _pair(tmp_path)
    before = a.read_bytes()
    code, _, err = run("ics", str(a), str(b), "--format", "sqlite", "--out", str(a), "--force")
    assert code == 2 and err.startswith("error: ")
    assert a.read_bytes() == before

"""A re-import that changes nothing writes nothing: no audit entry, no new time of import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from supplier_register.services.imports import apply_import, open_ocds, open_spreadsheet
from supplier_register.services.register import open_register
from tests.importers.import_helpers import FIXTURES, NOW, write_csv, write_xlsx
from tests.support.registers import small_register

SHEET = """\
Supplier,Contract,Contract end,Annual cost
Acme Ltd,EPR support,31/03/2028,"£950,000"
Beta Ltd,Hosting,2027-01-01,£1k
"""
ROWS: list[list[object]] = [
    ["Supplier", "Contract", "Contract end", "Annual cost"],
    ["Acme Ltd", "EPR support", "2028-03-31", 950000],
    ["Beta Ltd", "Hosting", "2027-01-01", 1000],
]


def run(*args: str, db: Path) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def written(db: Path) -> tuple[int, list[tuple[object, ...]]]:
    """The audit log's length, and every provenance row (times of import included)."""
    with open_register(db) as repo:
        entries = repo.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        rows = repo.db.execute("SELECT * FROM import_provenance ORDER BY id").fetchall()
    return int(entries), rows


def commands(tmp_path: Path) -> dict[str, list[str]]:
    json_file = tmp_path / "small.json"
    json_file.write_text(dump_register_json(small_register()), encoding="utf-8")
    return {
        "csv": ["import", str(write_csv(tmp_path / "register.csv", SHEET))],
        "xlsx": ["import", str(write_xlsx(tmp_path / "register.xlsx", ROWS))],
        "ocds": [
            "import-ocds",
            str(FIXTURES / "ocds_release_package.json"),
            "--buyer",
            "GB-NHS-RNV",
        ],
        "json": ["import", str(json_file)],
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx", "ocds", "json"])
def test_importing_the_same_file_again_adds_no_audit_entry(tmp_path: Path, kind: str) -> None:
    args = commands(tmp_path)[kind]
    db = tmp_path / "register.db"
    run(*args, db=db)
    before = written(db)
    assert before[0] > 0
    out = run(*args, db=db)
    assert written(db) == before
    if kind == "json":
        assert "0 created, 0 updated" in out
        assert all(" 0 created, 0 updated," in line for line in out.splitlines()[1:])
    else:
        assert out.rstrip().splitlines()[-1] == (
            "Nothing to write: the register already holds this data."
        )


def test_a_reimport_that_changes_a_record_records_its_source_again(tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    sheet = write_csv(tmp_path / "register.csv", SHEET)
    with open_register(db) as repo:
        apply_import(repo, open_spreadsheet(sheet), NOW)
        later = NOW + dt.timedelta(days=1)
        unchanged = apply_import(repo, open_spreadsheet(sheet), later)
        assert unchanged.recorded == 0
        stamps = {r[0] for r in repo.db.execute("SELECT imported_at FROM import_provenance")}
        assert stamps == {NOW.isoformat(timespec="seconds")}
        write_csv(sheet, SHEET.replace("31/03/2028", "31/08/2028"))
        changed = apply_import(repo, open_spreadsheet(sheet), later)
        assert changed.recorded == 1
        rows = repo.db.execute(
            "SELECT c.title, p.imported_at FROM import_provenance p "
            "JOIN contracts c ON c.id = p.contract_id ORDER BY c.title"
        ).fetchall()
    assert rows == [
        ("EPR support", later.isoformat(timespec="seconds")),
        ("Hosting", NOW.isoformat(timespec="seconds")),
    ]


def test_records_unchanged_but_their_source_new_is_said_so(tmp_path: Path) -> None:
    """A register moved by a file without provenance, then the release imported again: no
    record changes, but where they came from is written, and the closing line says so."""
    package = FIXTURES / "ocds_release_package.json"
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    with open_register(first) as repo:
        apply_import(repo, open_ocds(package, "GB-NHS-RNV"), NOW)
        register = repo.load_register().model_copy(update={"provenance": [], "identifiers": []})
    moved = tmp_path / "moved.json"
    moved.write_text(dump_register_json(register), encoding="utf-8")
    run("import", str(moved), db=second)
    out = run("import-ocds", str(package), "--buyer", "GB-NHS-RNV", db=second)
    assert out.rstrip().splitlines()[-1] == (
        "No record changed; where the records came from was recorded (8 rows of provenance "
        "and identifiers), in one transaction."
    )
    assert "  would" not in out
    assert written(second)[1] != []

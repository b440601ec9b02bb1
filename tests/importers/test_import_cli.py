"""The import commands: previews, one-line errors, exit codes and the database left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.importers.import_helpers import FIXTURES, write_csv, write_xlsx
from tests.support.registers import dump, small_register

SHEET = """\
Supplier,Contract,Contract end,Annual cost,Owner
Acme [UK] Ltd,EPR licence and support,31/03/2028,"£950,000",Dana Whitfield
[@click=app.quit]x[/] Ltd,Thing,2027-01-01,£1k,
Broken Ltd,Widget,31/02/2027,£5,
"""


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "register.db"
    json_file = tmp_path / "small.json"
    json_file.write_text(dump_register_json(small_register()), encoding="utf-8")
    code, _, err = run("import", str(json_file), db=path)
    assert code == 0, err
    return path


def test_dry_run_lists_creates_updates_and_every_rejection_and_writes_nothing(
    tmp_path: Path, db: Path
) -> None:
    sheet = write_csv(tmp_path / "register.csv", SHEET)
    before = dump(db)
    code, out, err = run("import", str(sheet), "--dry-run", db=db)
    assert code == 0, err
    assert dump(db) == before
    lines = out.splitlines()
    assert lines[:5] == [
        "register.csv: 3 rows read",
        "  would be created: 1 suppliers, 1 contracts",
        "  would be updated: 1 contracts",
        "  unchanged: 1 suppliers, 1 people",
        "  rejected: 1 row (not imported; listed below)",
    ]
    assert "  create supplier [@click=app.quit]x[/] Ltd (row 3)" in lines
    assert (
        "  update contract Acme [UK] Ltd / EPR licence and support (row 2): "
        "end date: 2027-03-31 -> 2028-03-31; annual value: £900,000 -> £950,000" in lines
    )
    assert (
        "  row 4, column \"Contract end\": '31/02/2027' is not a date: day is out of range for month"
        in lines
    )
    assert lines[-1].startswith("Dry run: nothing written. An import would skip the 1 rejected")


def test_import_skips_rejected_rows_and_writes_the_rest_in_one_go(tmp_path: Path, db: Path) -> None:
    sheet = write_csv(tmp_path / "register.csv", SHEET)
    code, out, err = run("import", str(sheet), db=db)
    assert code == 0
    assert "Written in one transaction; the 1 rejected were skipped" in out
    assert err == "warning: 1 rejected and not imported (listed above)\n"
    code, out, _ = run("contracts", "--format", "json", db=db)
    assert "[@click=app.quit]x[/] Ltd" in out and "Broken Ltd" not in out
    code, out, _ = run("import", str(sheet), db=db)
    assert "  unchanged: 2 suppliers, 2 contracts, 1 people" in out.splitlines()


def test_strict_refuses_the_whole_file_with_one_line_per_problem(tmp_path: Path, db: Path) -> None:
    sheet = write_csv(tmp_path / "register.csv", SHEET)
    before = dump(db)
    code, _, err = run("import", str(sheet), "--strict", db=db)
    assert code == 2
    assert err == (
        "error: row 4, column \"Contract end\": '31/02/2027' is not a date: day is out of range "
        "for month\n"
    )
    assert dump(db) == before


def test_xlsx_with_mapping_file(tmp_path: Path, db: Path) -> None:
    book = write_xlsx(
        tmp_path / "book.xlsx", [["Org", "Tier"], ["Acme [UK] Ltd", "low"], ["New Co", "high"]]
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text('[columns]\n"Org" = "supplier.name"\n', encoding="utf-8")
    code, out, err = run("import", str(book), "--mapping", str(mapping), db=db)
    assert code == 0, err
    assert "  update supplier Acme [UK] Ltd (row 2): criticality: Strategic -> Low" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["import", "{dir}/small.json", "--mapping", "x.toml"],
            "--mapping and --strict apply only",
        ),
        (["import", "{dir}/nothing.csv"], "nothing.csv: file not found"),
        (["import", "{dir}/notes.pdf"], "unsupported file type .pdf"),
        (
            ["import", "{dir}/small.csv", "--mapping", "{dir}/missing.toml"],
            "mapping file not found",
        ),
        (
            ["import-ocds", str(FIXTURES / "ocds_release_package.json")],
            "--buyer: ocds_release_package.json has 2 buyers",
        ),
        (["import-ocds", "{dir}/small.csv"], "expected an OCDS .json file"),
        (["import-ocds", "{dir}/small.json"], "not OCDS data"),
    ],
)
def test_user_errors_are_one_line_exit_2_and_change_nothing(
    tmp_path: Path, db: Path, args: list[str], message: str
) -> None:
    (tmp_path / "small.csv").write_text("Supplier\nX\n", encoding="utf-8")
    before = dump(db)
    code, _, err = run(*[a.format(dir=tmp_path) for a in args], db=db)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert dump(db) == before


def test_import_ocds_for_the_chosen_buyer_then_again(db: Path) -> None:
    package = str(FIXTURES / "ocds_release_package.json")
    code, out, err = run("import-ocds", package, "--buyer", "GB-NHS-RNV", "--dry-run", db=db)
    assert code == 0, err
    assert "Dry run: nothing written." in out
    code, out, err = run("import-ocds", package, "--buyer", "GB-NHS-RNV", db=db)
    assert code == 0
    assert "  created: 3 suppliers, 5 contracts" in out.splitlines()
    assert "'ACME LTD' matched to 'Acme [UK] Ltd' (same company number)" in out
    before = dump(db)
    code, out, err = run(
        "import-ocds", package, "--buyer", "Northmoor Valley NHS Foundation Trust", db=db
    )
    assert code == 0
    assert "Nothing to write: the register already holds this data." in out
    rows = [t for t in dump(db) if t[0] not in ("import_provenance", "audit_log")]
    assert rows == [t for t in before if t[0] not in ("import_provenance", "audit_log")]

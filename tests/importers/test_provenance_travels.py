"""Import provenance and supplier identifiers travel in the JSON interchange (issue 18).

A register moved by JSON (export, import into a fresh database) keeps where each
imported record came from, so the next import of the same published release
updates the same contracts and keeps what was corrected in the register since.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.errors import InvalidInput
from supplier_register.interchange import parse_register_json
from supplier_register.services.register import open_register
from tests.importers.import_helpers import FIXTURES

PACKAGE = FIXTURES / "ocds_release_package.json"
BUYER = "GB-NHS-RNV"
CORRECTED = dt.date(2026, 8, 31)


def run(*args: str, db: Path) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def epr_end_dates(db: Path) -> list[dt.date | None]:
    with open_register(db) as repo:
        return [c.end_date for c in repo.list_contracts() if c.title.startswith("EPR")]


def correct_epr_end_date(db: Path) -> None:
    with open_register(db) as repo:
        epr = next(c for c in repo.list_contracts() if c.title.startswith("EPR"))
        assert epr.end_date == dt.date(2027, 3, 31)
        repo.update_contract(epr.id, epr.model_copy(update={"end_date": CORRECTED}))


@pytest.fixture
def moved(tmp_path: Path) -> tuple[Path, Path]:
    """The story: import a release, correct an end date, export JSON (returned with the
    first database)."""
    first = tmp_path / "first.db"
    run("import-ocds", str(PACKAGE), "--buyer", BUYER, db=first)
    correct_epr_end_date(first)
    exported = tmp_path / "register.json"
    run("export", "--format", "json", "--out", str(exported), db=first)
    return first, exported


def test_a_register_moved_by_json_keeps_its_correction_on_the_next_reimport(
    tmp_path: Path, moved: tuple[Path, Path]
) -> None:
    first, exported = moved
    second = tmp_path / "second.db"
    run("import", str(exported), db=second)
    assert epr_end_dates(second) == [CORRECTED]
    out = run("import-ocds", str(PACKAGE), "--buyer", BUYER, db=second)
    assert epr_end_dates(second) == [CORRECTED]
    assert "would" not in out and "created: nothing" in out
    # The same as re-importing into the register it came from: nothing duplicated.
    run("import-ocds", str(PACKAGE), "--buyer", BUYER, db=first)
    with open_register(first) as a, open_register(second) as b:
        assert [(c.supplier, c.title, c.end_date) for c in a.list_contracts()] == [
            (c.supplier, c.title, c.end_date) for c in b.list_contracts()
        ]


def test_without_its_provenance_the_reimport_would_revert_the_correction(
    tmp_path: Path, moved: tuple[Path, Path]
) -> None:
    """What the file now carries is what keeps the correction (a version-3 file reverts it)."""
    _, exported = moved
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["provenance"] and data["identifiers"]
    data.update(format_version=3, provenance=[], identifiers=[])
    older = tmp_path / "v3.json"
    older.write_text(json.dumps(data), encoding="utf-8")
    second = tmp_path / "second.db"
    run("import", str(older), db=second)
    run("import-ocds", str(PACKAGE), "--buyer", BUYER, db=second)
    assert epr_end_dates(second) == [dt.date(2027, 3, 31)]


def test_the_export_names_each_source_and_identifier_and_round_trips_byte_identical(
    tmp_path: Path, moved: tuple[Path, Path]
) -> None:
    first, exported = moved
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format_version"] == 4
    epr = next(p for p in data["provenance"] if (p["contract"] or "").startswith("EPR"))
    assert {k: epr[k] for k in ("supplier", "source_kind", "source_file", "ocid", "ocds_id")} == {
        "supplier": "ACME LTD",
        "source_kind": "ocds",
        "source_file": "ocds_release_package.json",
        "ocid": "ocds-b5fd17-0001",
        "ocds_id": "contract:1",
    }
    assert epr["release_date"] == "2024-03-20T10:00:00Z"
    assert {"supplier": "ACME LTD", "identifier": "GB-COH-01234567"} in data["identifiers"]
    with open_register(first) as repo:
        stored = repo.provenance(repo.find_supplier("ACME LTD").id)
    second = tmp_path / "second.db"
    run("import", str(exported), db=second)
    again = tmp_path / "again.json"
    run("export", "--format", "json", "--out", str(again), db=second)
    assert again.read_bytes() == exported.read_bytes()
    with open_register(second) as repo:
        acme = repo.find_supplier("ACME LTD")
        assert [p.describe() for p in repo.provenance(acme.id)] == [p.describe() for p in stored]
        assert "GB-COH-01234567" in repo.identifiers(acme.id)


def test_importing_the_same_json_again_writes_nothing(
    tmp_path: Path, moved: tuple[Path, Path]
) -> None:
    _, exported = moved
    second = tmp_path / "second.db"
    first_out = run("import", str(exported), db=second)
    assert "import provenance: " in first_out and "supplier identifiers: " in first_out
    with open_register(second) as repo:
        before = repo.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    out = run("import", str(exported), db=second)
    assert "import provenance: 0 created, 0 updated," in out
    assert "supplier identifiers: 0 created, 0 updated," in out
    with open_register(second) as repo:
        assert repo.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def _v4(**lists: Any) -> str:
    return json.dumps({"format_version": 4, **lists})


SOURCE = {
    "supplier": "Acme Ltd",
    "source_kind": "ocds",
    "source_file": "notices.json",
    "ocid": "ocds-b5fd17-0001",
    "ocds_id": "award:1",
    "imported_at": "2026-11-26T09:30:00Z",
}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            json.dumps({"format_version": 3, "provenance": [SOURCE]}),
            'input: provenance: only format_version 4 has it; set "format_version": 4 to import it',
        ),
        (
            json.dumps(
                {"format_version": 3, "identifiers": [{"supplier": "A", "identifier": "X-1"}]}
            ),
            'input: identifiers: only format_version 4 has it; set "format_version": 4 to '
            "import it",
        ),
        (
            _v4(provenance=[{**SOURCE, "ocid": None}]),
            "provenance[0] (Acme Ltd): OCDS award or contract: published (OCDS) data needs its OCID and "
            "'award:ID' or 'contract:ID'",
        ),
        (
            _v4(provenance=[{**SOURCE, "imported_at": "2026-11-26T09:30:00"}]),
            "provenance[0] (Acme Ltd): imported at: needs a time zone",
        ),
        (
            _v4(provenance=[{**SOURCE, "source_kind": "spreadsheet"}]),
            "provenance[0] (Acme Ltd): OCDS award or contract: a spreadsheet has no OCID",
        ),
    ],
)
def test_provenance_problems_are_named(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_register_json(text)
    assert caught.value.problems[0].startswith(problem), caught.value.problems


def test_provenance_of_a_record_in_neither_file_nor_register_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    source = tmp_path / "p.json"
    source.write_text(
        _v4(
            provenance=[{**SOURCE, "contract": "EPR"}],
            identifiers=[{"supplier": "Zed Ltd", "identifier": "GB-COH-00000001"}],
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["--db", str(db), "import", str(source)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: provenance[0] (Acme Ltd / EPR): supplier: no supplier named 'Acme Ltd' in the "
        "file or the register",
        "error: identifiers[0] (Zed Ltd / GB-COH-00000001): supplier: no supplier named "
        "'Zed Ltd' in the file or the register",
    ]

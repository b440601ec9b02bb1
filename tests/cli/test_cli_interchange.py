"""Services, dependencies and exit fields through ``export`` and ``import``: round trips,
version-1 files, and bad input refused in one line with the register unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from supplier_register.interchange.jsonio import V2_ONLY, V3_ONLY
from supplier_register.storage import Repository, open_database
from tests.support.paths import IMPORT_FIXTURES
from tests.support.registers import dump, linked_register

V1_FILE = IMPORT_FIXTURES / "register_v1.json"
"""A version-1 file as the release before format version 2 exported it (part of its sample)."""


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def export(db: Path, out: Path) -> bytes:
    code, _, err = run("export", "--format", "json", "--out", str(out), db=db)
    assert code == 0, err
    return out.read_bytes()


@pytest.fixture
def linked_db(tmp_path: Path) -> Path:
    source = tmp_path / "linked.json"
    source.write_text(dump_register_json(linked_register()), encoding="utf-8")
    db = tmp_path / "linked.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    return db


def test_round_trip_through_an_empty_register_is_byte_identical(
    tmp_path: Path, linked_db: Path
) -> None:
    first = export(linked_db, tmp_path / "first.json")
    data = json.loads(first)
    assert data["format_version"] == 4
    assert [s["name"] for s in data["services"]] == [
        "ED triage",
        "Payroll",
        "Radiology reporting",
    ]
    assert [(d["supplier"], d["depends_on"]) for d in data["dependencies"]] == [
        ("Acme [UK] Ltd", "Beta Cloud"),
        ("Beta Cloud", "Gamma Networks"),
    ]
    assert data["contracts"][0]["services"] == ["ED triage", "Radiology reporting"]
    assert data["contracts"][0]["exit_plan_tested"] == "2025-05-20"
    assert {s["name"]: s["parent_group"] for s in data["suppliers"]} == {
        "Acme [UK] Ltd": "Acme Holdings plc",
        "Beta Cloud": None,
        "Gamma Networks": "Acme Holdings plc",
    }
    # Everything the models hold came back: the export is the register built in the test.
    assert json.loads(first) == json.loads(dump_register_json(linked_register())) | {
        "contracts": data["contracts"]  # contracts are exported by supplier then title
    }
    empty = tmp_path / "empty.db"
    code, out, err = run("import", str(tmp_path / "first.json"), db=empty)
    assert code == 0, err
    assert "services: 3 created" in out and "dependencies: 2 created" in out
    assert export(empty, tmp_path / "second.json") == first


def test_importing_the_export_again_changes_nothing(tmp_path: Path, linked_db: Path) -> None:
    first = tmp_path / "first.json"
    export(linked_db, first)
    before = dump(linked_db)
    code, out, err = run("import", str(first), db=linked_db)
    assert code == 0, err
    assert "services: 0 created, 0 updated, 3 unchanged" in out
    assert "dependencies: 0 created, 0 updated, 2 unchanged" in out
    assert dump(linked_db) == before


def _as_version_1(text: bytes) -> Any:
    """An export with what format version 2 added taken out again."""
    data = json.loads(text)
    data["format_version"] = 1
    assert data.pop("services") == [] and data.pop("dependencies") == []
    assert data.pop("profile") is None  # nothing to say of a trust profile: none recorded
    assert data.pop("provenance") == [] and data.pop("identifiers") == []  # version 4's
    for kind, fields in V2_ONLY.items():
        for record in data[kind]:
            for name in fields:
                record.pop(name)
    for record in data["suppliers"]:  # and what version 3 added (dated assurance)
        for name in V3_ONLY:
            assert record.pop(name) is None
    return data


def test_a_version_1_file_imports_as_the_previous_release_imported_it(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    code, out, err = run("import", str(V1_FILE), db=db)
    assert code == 0, err
    assert "suppliers: 4 created" in out
    exported = export(db, tmp_path / "out.json")
    # The fixture is what the previous release exported after importing it: same records.
    assert _as_version_1(exported) == json.loads(V1_FILE.read_bytes())
    data = json.loads(exported)
    assert {s["parent_group"] for s in data["suppliers"]} == {None}
    for contract in data["contracts"]:  # unknown, never "no"
        assert contract["services"] == [] and contract["alternative_providers"] == []
        assert contract["patient_data"] is None and contract["exit_plan_tested"] is None
        for name in ("substitutability", "insourcing", "exit_plan", "data_location"):
            assert contract[name] == "unknown"


def test_a_version_1_file_leaves_what_version_2_added_as_stored(
    tmp_path: Path, linked_db: Path
) -> None:
    before = json.loads(export(linked_db, tmp_path / "before.json"))
    v1 = tmp_path / "v1.json"
    data = json.loads(dump_register_json(linked_register()))
    data["services"] = []
    data["dependencies"] = []
    data = _as_version_1(json.dumps(data).encode())
    data["suppliers"][1]["notes"] = "Changed by a version-1 tool."
    v1.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run("import", str(v1), db=linked_db)
    assert code == 0, err
    assert "suppliers: 0 created, 1 updated, 2 unchanged" in out
    after = json.loads(export(linked_db, tmp_path / "after.json"))
    before["suppliers"][1]["notes"] = "Changed by a version-1 tool."
    assert after == before


# ------------------------------------------------------------------ bad input


def _linked_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dump_register_json(linked_register()))
    return data


def _service(name: str, **fields: object) -> dict[str, object]:
    return {"name": name, "clinical": True, **fields}


BAD: list[tuple[str, Any, str]] = [
    (
        "unknown service on a contract",
        lambda d: d["contracts"][0]["services"].append("Pharmacy"),
        "contracts[0] (Acme [UK] Ltd / EPR licence and support): services: no service named "
        "'Pharmacy' in the file or the register",
    ),
    (
        "unknown supplier in a dependency",
        lambda d: d["dependencies"].append(
            {"supplier": "Beta Cloud", "depends_on": "Omega Ltd", "kind": "hosting"}
        ),
        "dependencies[2] (Beta Cloud → Omega Ltd): depends on: no supplier named 'Omega Ltd' "
        "in the file or the register",
    ),
    (
        "a dependency on oneself",
        lambda d: d["dependencies"].append(
            {"supplier": "Beta Cloud", "depends_on": "BETA CLOUD", "kind": "hosting"}
        ),
        "dependencies[2] (Beta Cloud → BETA CLOUD): depends on: a supplier cannot depend on itself",
    ),
    (
        "a loop in the file",
        lambda d: d["dependencies"].append(
            {"supplier": "Gamma Networks", "depends_on": "Acme [UK] Ltd", "kind": "subcontractor"}
        ),
        "dependencies[2] (Gamma Networks → Acme [UK] Ltd): depends on: Gamma Networks cannot "
        "depend on Acme [UK] Ltd, because Acme [UK] Ltd already depends on Gamma Networks "
        "through Beta Cloud (Gamma Networks → Acme [UK] Ltd → Beta Cloud → Gamma Networks); "
        "dependencies cannot go round in a loop",
    ),
    (
        "a negative tolerable outage",
        lambda d: d["services"][0].update(max_outage_hours=-1),
        "services[0] (ED triage): tolerable outage (hours): must be at least 0",
    ),
    (
        "an absurd tolerable outage",
        lambda d: d["services"][2].update(max_outage_hours=100000),
        "services[2] (Radiology reporting): tolerable outage (hours): must be at most 8760",
    ),
    (
        "a contract linked to the same service twice",
        lambda d: d["contracts"][1]["services"].append("payroll"),
        "contracts[1] (Hosting): services: 'payroll' is listed twice",
    ),
    (
        "a duplicate service name in the file",
        lambda d: d["services"].append(_service("PAYROLL")),
        "services[3] (PAYROLL): duplicate of services[1] in the same file",
    ),
    (
        "exit plan tested without a tested plan",
        lambda d: d["contracts"][1].update(exit_plan_tested="2025-01-01"),
        "contracts[1] (Hosting): exit plan last tested: a test date needs the exit plan to be "
        "'tested'",
    ),
]


@pytest.mark.parametrize(("what", "damage", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_one_line_exit_2_and_changes_nothing(
    tmp_path: Path, linked_db: Path, what: str, damage: Any, message: str
) -> None:
    data = _linked_data()
    damage(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = dump(linked_db)
    code, out, err = run("import", str(bad), db=linked_db)
    assert (code, out) == (2, ""), what
    assert err == f"error: {message}\n"
    assert dump(linked_db) == before
    empty = tmp_path / "empty.db"  # refused whether or not the register already holds it all
    code, _, err = run("import", str(bad), db=empty)
    assert code == 2 and err.startswith("error: ")
    assert Repository(open_database(empty)).counts() == dict.fromkeys(
        ("people", "suppliers", "contracts", "answers", "services", "dependencies"), 0
    )


def test_a_file_closing_a_loop_with_stored_dependencies_is_refused(
    tmp_path: Path, linked_db: Path
) -> None:
    """Acme -> Beta -> Gamma is stored; a file with only Gamma -> Acme closes the loop."""
    data = {
        "format_version": 2,
        "dependencies": [
            {"supplier": "Gamma Networks", "depends_on": "Acme [UK] Ltd", "kind": "hosting"}
        ],
    }
    bad = tmp_path / "loop.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = dump(linked_db)
    code, out, err = run("import", str(bad), db=linked_db)
    assert (code, out) == (2, "")
    assert err == (
        "error: dependencies[0] (Gamma Networks → Acme [UK] Ltd): depends on: Gamma Networks "
        "cannot depend on Acme [UK] Ltd, because Acme [UK] Ltd already depends on Gamma "
        "Networks through Beta Cloud (Gamma Networks → Acme [UK] Ltd → Beta Cloud → Gamma "
        "Networks); dependencies cannot go round in a loop\n"
    )
    assert dump(linked_db) == before
    code, _, err = run("import", "--dry-run", str(bad), db=linked_db)
    assert code == 2 and "cannot go round in a loop" in err
    assert dump(linked_db) == before


def test_dry_run_counts_services_and_dependencies(tmp_path: Path) -> None:
    source = tmp_path / "linked.json"
    source.write_text(dump_register_json(linked_register()), encoding="utf-8")
    db = tmp_path / "dry.db"
    code, out, err = run("import", "--dry-run", str(source), db=db)
    assert code == 0, err
    assert "3 contracts, 1 answers, 3 services, 2 dependencies (dry run" in out

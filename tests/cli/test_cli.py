"""The command line: commands, exit codes, one-line errors and the database left unchanged."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register import __version__
from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import dump, small_register


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "200"})
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(main, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def register_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    path.write_text(dump_register_json(small_register()), encoding="utf-8")
    return path


@pytest.fixture
def loaded_db(tmp_path: Path, register_file: Path) -> Path:
    db = tmp_path / "loaded.db"
    code, _, err = run("import", str(register_file), db=db)
    assert code == 0, err
    return db


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_init_creates_private_database(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "reg.db"
    db.parent.mkdir()
    code, out, _ = run("init", db=db)
    assert code == 0 and "0 suppliers" in out
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


def test_db_in_a_missing_folder_is_an_error_not_a_new_folder(tmp_path: Path) -> None:
    db = tmp_path / "no-such-folder" / "reg.db"
    code, _, err = run("init", db=db)
    assert code == 2
    assert err == f"error: --db: cannot create {db}: No such file or directory\n"
    assert not db.parent.exists()


def test_default_database_lives_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUPPLIER_REGISTER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    code, out, _ = run("init")
    assert code == 0
    expected = tmp_path / "xdg" / "supplier-register" / "register.db"
    assert str(expected) in out
    assert expected.exists()


def test_env_var_chooses_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("SUPPLIER_REGISTER_DB", str(db))
    code, out, _ = run("init")
    assert code == 0 and str(db) in out and db.exists()


def test_import_summary_and_lists(loaded_db: Path) -> None:
    code, out, _ = run("suppliers", db=loaded_db)
    assert code == 0
    assert "Acme [UK] Ltd" in out  # brackets shown literally, not eaten as markup
    assert "£1,250,000" in out
    code, out, _ = run("contracts", "--supplier", "acme [uk] ltd", db=loaded_db)
    assert code == 0 and "EPR licence and support" in out and "2025-10-02" in out
    code, out, _ = run("people", db=loaded_db)
    assert "Dana Whitfield" in out and "Chief executive" in out


def test_contracts_json_has_decide_by(loaded_db: Path) -> None:
    code, out, _ = run("contracts", "--format", "json", db=loaded_db)
    rows = json.loads(out)
    assert code == 0
    assert {r["title"]: r["decide_by"] for r in rows} == {
        "EPR licence and support": "2025-10-02",
        "Hosting": None,
    }


def test_export_round_trip(tmp_path: Path, loaded_db: Path, register_file: Path) -> None:
    out1 = tmp_path / "out1.json"
    assert run("export", "--format", "json", "--out", str(out1), db=loaded_db)[0] == 0
    assert stat.S_IMODE(os.stat(out1).st_mode) == 0o600
    db2 = tmp_path / "second.db"
    assert run("import", str(out1), db=db2)[0] == 0
    code, out2, _ = run("export", db=db2)
    assert code == 0 and out2 == out1.read_text(encoding="utf-8")


def test_export_refuses_to_overwrite_without_force(tmp_path: Path, loaded_db: Path) -> None:
    target = tmp_path / "exists.json"
    target.write_text("keep me")
    code, _, err = run("export", "--out", str(target), db=loaded_db)
    assert (
        code == 2 and err == f"error: --out: {target} already exists; use --force to overwrite it\n"
    )
    assert target.read_text() == "keep me"
    assert run("export", "--out", str(target), "--force", db=loaded_db)[0] == 0
    assert json.loads(target.read_text())["format"] == "supplier-register"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{broken", "not valid JSON"),
        (
            '{"suppliers": [{"name": "X", "category": "epr", "criticality": "urgent"}]}',
            "suppliers[0] (X): criticality: must be one of",
        ),
        (
            '{"contracts": [{"supplier": "Nobody", "title": "T", "what_is_bought": "commodity", '
            '"contract_type": "pay_as_you_go"}]}',
            "contracts[0]: supplier: no supplier named 'Nobody'",
        ),
        (
            '{"contracts": [{"supplier": "Beta Cloud", "title": "T", "what_is_bought": "commodity", '
            '"contract_type": "pay_as_you_go", "start_date": "2026-02-30"}]}',
            "contracts[0] (T): start date: must be a date such as 2025-03-31",
        ),
    ],
)
def test_bad_import_is_one_line_exit_2_and_changes_nothing(
    tmp_path: Path, loaded_db: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = dump(loaded_db)
    code, out, err = run("import", str(bad), db=loaded_db)
    assert code == 2
    assert err.startswith("error: ") and expected in err
    assert "Traceback" not in err + out
    assert dump(loaded_db) == before


def test_unknown_supplier_is_one_line(loaded_db: Path) -> None:
    code, _, err = run("contracts", "--supplier", "Nope", db=loaded_db)
    assert (code, err) == (2, "error: supplier: no supplier named 'Nope'\n")


def test_missing_file_and_wrong_type(tmp_path: Path, loaded_db: Path) -> None:
    code, _, err = run("import", str(tmp_path / "none.json"), db=loaded_db)
    assert code == 2 and "no such file" in err
    code, _, err = run("import", str(tmp_path / "x.pdf"), db=loaded_db)
    assert code == 2 and "unsupported file type .pdf" in err


def test_dry_run_writes_nothing(tmp_path: Path, register_file: Path) -> None:
    db = tmp_path / "dry.db"
    code, out, _ = run("import", "--dry-run", str(register_file), db=db)
    assert code == 0 and "would import 2 people, 2 suppliers" in out
    assert dump(db) == dump(tmp_path / "dry.db") and run("suppliers", db=db)[1].startswith(
        "0 suppliers"
    )


def test_list_on_missing_database_is_an_error(tmp_path: Path) -> None:
    code, _, err = run("suppliers", db=tmp_path / "missing.db")
    assert code == 2 and "does not exist" in err
    assert not (tmp_path / "missing.db").exists()


def test_not_a_database(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 500)
    code, _, err = run("suppliers", db=junk)
    assert code == 2 and "not a SQLite database" in err


def test_schema_command_prints_schema() -> None:
    code, out, _ = run("schema")
    assert code == 0 and json.loads(out)["title"] == "supplier-register interchange"


def test_sample_register_round_trips_through_two_databases(tmp_path: Path) -> None:
    """sample -> import -> export -> import into a new database -> identical export."""
    from supplier_register.interchange import sample_register_path

    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert run("import", str(sample_register_path()), db=first)[0] == 0
    out1 = tmp_path / "export1.json"
    assert run("export", "--out", str(out1), db=first)[0] == 0
    assert run("import", str(out1), db=second)[0] == 0
    code, out2, _ = run("export", db=second)
    assert code == 0
    assert out2 == out1.read_text(encoding="utf-8")
    assert json.loads(out2)["suppliers"]  # not trivially empty


def test_demo_works_on_a_throwaway_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "own.db"
    monkeypatch.setenv("SUPPLIER_REGISTER_DB", str(own))
    code, out, _ = run("--demo", "suppliers")
    assert code == 0
    assert "Brightwater [UK] Ltd" in out
    assert not own.exists()


def test_init_sets_the_trust_name_and_export_carries_it(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    code, out, _ = run("init", "--trust", "  Riverside [North] NHS Trust ", db=db)
    assert code == 0
    assert out.startswith("Riverside [North] NHS Trust: register ready")
    assert json.loads(run("export", db=db)[1])["trust"] == "Riverside [North] NHS Trust"
    before = dump(db)
    code, _, err = run("init", "--trust", "   ", db=db)
    assert code == 2
    assert err.startswith("error: --trust: ")
    assert dump(db) == before


_SUPPLIER = {"name": "Zeta Ltd", "category": "other", "criticality": "low"}
_CONTRACT = {
    "supplier": "Beta Cloud",
    "title": "Z",
    "what_is_bought": "commodity",
    "contract_type": "pay_as_you_go",
}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        pytest.param(
            {"suppliers": [{**_SUPPLIER, "name": "   "}]},
            "error: suppliers[0]: name: must not be empty",
            id="empty-name",
        ),
        pytest.param(
            {"suppliers": [{**_SUPPLIER, "name": "N" * 201}]},
            "error: suppliers[0] (" + "N" * 60 + "): name: must be at most 200 characters long",
            id="name-too-long",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "start_date": "2026-05-01", "end_date": "2026-04-30"}]},
            "error: contracts[0] (Z): end date: must not be before the start date, 1 May 2026",
            id="end-before-start",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "annual_value": -5}]},
            "error: contracts[0] (Z): annual_value: must be at least 0",
            id="negative-money",
        ),
        pytest.param(
            {"suppliers": [{**_SUPPLIER, "annual_spend": -0.01}]},
            "error: suppliers[0] (Zeta Ltd): annual_spend: must be at least 0",
            id="negative-spend",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "notice_period_days": 3651}]},
            "error: contracts[0] (Z): notice_period_days: must be at most 3650",
            id="notice-too-long",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "notice_period_days": -1}]},
            "error: contracts[0] (Z): notice_period_days: must be at least 0",
            id="notice-negative",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "contract_type": "handshake"}]},
            "error: contracts[0] (Z): contract_type: must be one of 'fixed_scope_fixed_price'",
            id="enum-only",
        ),
        pytest.param(
            {"suppliers": [{**_SUPPLIER, "favourite": True}]},
            "error: suppliers[0] (Zeta Ltd): favourite: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            {"contracts": [{**_CONTRACT, "end_date": "31/12/2026"}]},
            "error: contracts[0] (Z): end date: must be a date such as 2025-03-31",
            id="bad-date",
        ),
    ],
)
def test_each_validation_rule_on_import_names_field_and_changes_nothing(
    tmp_path: Path, loaded_db: Path, payload: dict[str, object], expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(payload), encoding="utf-8")
    before = dump(loaded_db)
    code, out, err = run("import", str(bad), db=loaded_db)
    assert code == 2
    assert err.startswith(expected), err
    assert len(err.splitlines()) == 1
    assert out == ""
    assert dump(loaded_db) == before

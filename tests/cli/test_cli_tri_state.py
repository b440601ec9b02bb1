"""Not recorded yes/no facts through JSON interchange and the CLI: null stays null, false false."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json, parse_register_json
from tests.support.registers import small_register


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


def _register_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dump_register_json(small_register()))
    acme, beta = data["suppliers"]
    acme.update(sme=False, runs_clinical_systems=True)  # recorded
    assert beta["sme"] is None and beta["runs_clinical_systems"] is None  # not recorded
    data["contracts"][1]["auto_renewal"] = False
    return data


def test_null_and_false_survive_a_json_round_trip() -> None:
    data = _register_json()
    data["contracts"][1]["auto_renewal"] = None
    register = parse_register_json(json.dumps(data))
    acme, beta = register.suppliers
    assert (acme.sme, acme.runs_clinical_systems) == (False, True)
    assert (beta.sme, beta.runs_clinical_systems) == (None, None)
    assert [c.auto_renewal for c in register.contracts] == [True, None]
    again = json.loads(dump_register_json(register))
    assert again["suppliers"][1]["sme"] is None and again["suppliers"][0]["sme"] is False
    assert again["contracts"][1]["auto_renewal"] is None


def test_an_older_file_with_false_keeps_false(tmp_path: Path) -> None:
    source = Path(__file__).parents[1] / "importers" / "fixtures" / "register_v1.json"
    given = json.loads(source.read_text(encoding="utf-8"))
    db = tmp_path / "r.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    exported = tmp_path / "out.json"
    code, _, err = run("export", "--out", str(exported), db=db)
    assert code == 0, err
    out = json.loads(exported.read_text(encoding="utf-8"))

    def facts(data: dict) -> dict:  # type: ignore[type-arg]
        return {
            "sme": {s["name"]: s["sme"] for s in data["suppliers"]},
            "clinical": {s["name"]: s["runs_clinical_systems"] for s in data["suppliers"]},
            "renews": {c["title"]: c["auto_renewal"] for c in data["contracts"]},
        }

    assert facts(out) == facts(given)
    assert False in facts(out)["sme"].values() and False in facts(out)["renews"].values()


def test_contracts_table_says_not_recorded_never_no(tmp_path: Path) -> None:
    data = _register_json()
    data["contracts"][1]["auto_renewal"] = None
    source = tmp_path / "r.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "r.db"
    assert run("import", str(source), db=db)[0] == 0
    code, out, _ = run("contracts", db=db)
    assert code == 0
    hosting = next(line for line in out.splitlines() if "Hosting" in line)
    assert "not recorded" in hosting and " no " not in f" {hosting} "
    code, out, _ = run("contracts", "--format", "json", db=db)
    rows = {r["title"]: r["auto_renewal"] for r in json.loads(out)}
    assert rows == {"EPR licence and support": True, "Hosting": None}

"""`contracts` shows how each contract was competed, its extension options and latest end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import small_register


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], env={"COLUMNS": "250"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> Path:
    data = json.loads(dump_register_json(small_register()))
    data["contracts"][0].update(
        competition="framework_direct_award", extension_count=2, extension_months=12
    )
    source = tmp_path / "register.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    path = tmp_path / "register.db"
    code, _, err = run("import", str(source), db=path)
    assert code == 0, err
    return path


def test_contracts_json_gives_the_facts_and_the_latest_dates(db: Path) -> None:
    code, out, _ = run("contracts", "--format", "json", db=db)
    assert code == 0
    rows = {r["title"]: r for r in json.loads(out)}
    epr, hosting = rows["EPR licence and support"], rows["Hosting"]
    assert epr["competition"] == "framework_direct_award"
    assert (epr["extension_count"], epr["extension_months"]) == (2, 12)
    assert epr["decide_by"] == "2025-10-02"
    assert epr["latest_possible_end"] == "2029-03-31"
    assert epr["latest_decide_by"] == "2027-10-03"  # 545 days before, over 29 Feb 2028
    assert hosting["competition"] == "unknown"
    assert hosting["extension_count"] is None
    assert hosting["latest_possible_end"] is None and hosting["latest_decide_by"] is None


def test_contracts_table_shows_the_facts_and_not_recorded(db: Path) -> None:
    code, out, _ = run("contracts", db=db)
    assert code == 0
    epr = next(line for line in out.splitlines() if "EPR licence" in line)
    assert "Framework direct award" in epr and "2 x 12 months" in epr and "2029-03-31" in epr
    hosting = next(line for line in out.splitlines() if "Hosting" in line)
    # competition, extensions and auto-renewal: unknown, never "no"
    assert hosting.count("not recorded") == 3

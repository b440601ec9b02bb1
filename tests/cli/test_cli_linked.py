"""``services`` and ``dependencies``: the trust's services with what supports them, and the
dependencies between suppliers, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.interchange import dump_register_json
from tests.support.registers import linked_register, small_register


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def linked_db(tmp_path: Path) -> Path:
    source = tmp_path / "linked.json"
    source.write_text(dump_register_json(linked_register()), encoding="utf-8")
    db = tmp_path / "linked.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    return db


def test_services_table(linked_db: Path) -> None:
    code, out, err = run("services", db=linked_db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("3 services (2 clinical)")
    ed = next(line for line in lines if "ED triage" in line)
    assert "clinical" in ed and "1 hour" in ed
    assert "Alternative system, tested 14 February 2025" in ed
    assert "Acme [UK] Ltd: EPR licence and support" in ed
    payroll = next(line for line in lines if "Payroll" in line)
    assert "corporate" in payroll and "3 days" in payroll and "Beta Cloud: Hosting" in payroll
    radiology = lines.index(next(line for line in lines if "Radiology reporting" in line))
    assert "Manual (paper) fallback, tested 3 October 2024" in lines[radiology]
    assert "Gamma Networks: WAN" in lines[radiology + 1]  # both contracts that support it


def test_services_json(linked_db: Path) -> None:
    code, out, _ = run("services", "--format", "json", db=linked_db)
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["ED triage", "Payroll", "Radiology reporting"]
    radiology = rows[2]
    assert radiology["clinical"] is True and radiology["max_outage_hours"] == 4
    assert radiology["fallback"] == "manual" and radiology["fallback_tested"] == "2024-10-03"
    assert radiology["suppliers"] == ["Acme [UK] Ltd", "Gamma Networks"]
    assert radiology["contracts"] == [
        {"supplier": "Acme [UK] Ltd", "title": "EPR licence and support"},
        {"supplier": "Gamma Networks", "title": "WAN"},
    ]


def test_unknowns_are_shown_as_not_recorded(tmp_path: Path) -> None:
    data = json.loads(dump_register_json(small_register()))
    data["services"] = [
        {"name": "Pathology results", "clinical": True},
        {"name": "Theatres", "clinical": True, "fallback": "manual"},
    ]
    source = tmp_path / "s.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "s.db"
    assert run("import", str(source), db=db)[0] == 0
    code, out, _ = run("services", db=db)
    assert code == 0
    pathology = next(line for line in out.splitlines() if "Pathology results" in line)
    assert pathology.count("not recorded") == 2  # outage and fallback, as the impact view says
    assert "unknown" not in pathology.lower()
    assert "(no contract recorded)" in pathology
    theatres = next(line for line in out.splitlines() if "Theatres" in line)
    assert "Manual (paper) fallback, not recorded as tested" in theatres


def test_dependencies_table_and_one_supplier(linked_db: Path) -> None:
    code, out, _ = run("dependencies", db=linked_db)
    assert code == 0
    assert out.startswith("2 dependencies")
    acme = next(line for line in out.splitlines() if line.startswith("│ Acme"))
    assert "Beta Cloud" in acme and "Hosting" in acme and "EPR hosted" in acme
    code, out, _ = run("dependencies", "--supplier", "gamma networks", db=linked_db)
    assert code == 0
    assert out.startswith("1 dependencies of or on gamma networks")
    assert "Beta Cloud" in out and "Network" in out and "Acme" not in out


def test_dependencies_json_both_ways(linked_db: Path) -> None:
    code, out, _ = run("dependencies", "--supplier", "Beta Cloud", "--format", "json", db=linked_db)
    assert code == 0
    rows = json.loads(out)
    assert [(r["supplier"], r["depends_on"], r["kind"]) for r in rows] == [
        ("Beta Cloud", "Gamma Networks", "network"),  # what it depends on first
        ("Acme [UK] Ltd", "Beta Cloud", "hosting"),  # then who depends on it
    ]


def test_dependencies_of_an_unknown_supplier_is_one_line(linked_db: Path) -> None:
    assert run("dependencies", "--supplier", "Nope", db=linked_db) == (
        2,
        "",
        "error: supplier: no supplier named 'Nope'\n",
    )


def test_empty_register(tmp_path: Path) -> None:
    db = tmp_path / "e.db"
    assert run("init", db=db)[0] == 0
    assert run("services", "--format", "json", db=db) == (0, "[]\n", "")
    assert run("dependencies", "--format", "json", db=db) == (0, "[]\n", "")
    assert run("services", db=db)[1].startswith("0 services (0 clinical)")


def test_hostile_names_are_not_markup(tmp_path: Path) -> None:
    data = json.loads(dump_register_json(linked_register()))
    data["services"][0]["name"] = "[bold red]ED triage"
    for contract in data["contracts"]:
        contract["services"] = [
            "[bold red]ED triage" if n == "ED triage" else n for n in contract["services"]
        ]
    source = tmp_path / "h.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "h.db"
    code, _, err = run("import", str(source), db=db)
    assert code == 0, err
    code, out, _ = run("services", db=db)
    assert "[bold red]ED triage" in out
    code, out, _ = run("dependencies", "--supplier", "[bold]Beta Cloud", db=db)
    assert code == 2


def test_services_table_reads_at_80_columns(linked_db: Path) -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["--db", str(linked_db), "services"], catch_exceptions=False
    )
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for name in ("ED triage", "Payroll", "Radiology reporting"):
        assert any(line.startswith(f"│ {name} ") for line in lines), name
    assert "…" not in result.stdout  # folded, never cut short

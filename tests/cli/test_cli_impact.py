"""The ``impact`` and ``concentration`` commands: formats, routes, errors, literal user text."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.models import Contract, Service, Supplier
from supplier_register.impact import ConcentrationRow, SupplierImpact
from supplier_register.storage import Repository, open_database
from tests.support.impact import impact_register
from tests.support.registers import dump

TODAY = "2026-11-26"


def run(db: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": "250"})
    result = runner.invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("impact") / "impact.db"
    database = open_database(path)
    Repository(database).import_register(impact_register())
    database.close()
    return path


def _block(out: str, head: str) -> str:
    """A contract's block: its head line and the indented lines under it."""
    lines = out.splitlines()
    start = lines.index(head)
    block = [head]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        block.append(line)
    return "\n".join(block)


def _rows(out: str, first_column: str) -> list[str]:
    """The table rows (between box-drawing bars) whose first cell starts the line."""
    return [line for line in out.splitlines() if line.startswith(f"│ {first_column}")]


def _services(out: str, name: str) -> list[str]:
    """Each service block whose head line starts with ``name``: the head and its indented lines."""
    lines = out.splitlines()
    return [
        "\n".join([line, *itertools.takewhile(lambda x: x.startswith("  "), lines[i + 1 :])])
        for i, line in enumerate(lines)
        if line.startswith(f"{name} · ")
    ]


def test_integration_engine_lists_the_services_it_carries(db: Path) -> None:
    code, out, err = run(db, "impact", "ensemble", "--today", TODAY)
    assert code == 0, err
    assert out.startswith("Ensemble (high criticality), on 26 November 2026")
    assert "If Ensemble failed today, 5 services would stop (5 clinical)" in out
    # clinical first, least tolerant first, each with its route through the supplier it reaches
    expected = [
        ("ED triage", "through Veridane"),
        ("Radiology reporting", "through Lumen Imaging"),
        ("Pathology results", "through Corvid Labs"),
    ]
    positions = []
    for service, route in expected:
        (block,) = _services(out, service)
        assert route in block.splitlines()[0]
        positions.append(out.index(block))
    assert positions == sorted(positions)
    assert "through Iris AI → Lumen Imaging" in out
    (triage,) = _services(out, "ED triage")
    assert (
        "2 hours" in triage and "tested 12 March 2024" in triage and "9 months" in triage
    )  # Ensemble's own time to move
    # the outlook sentence, who falls with it, the contracts and the gaps
    assert "  ED triage can cope 2 hours without it; a manual fallback exists" in triage
    assert "Iris AI → Lumen Imaging → Ensemble" in out
    contract = _block(out, "Ensemble: Integration engine")
    assert "  Decide by: 3 October 2026 (passed 54 days ago)" in contract
    gaps = out[out.index("\nNot recorded:\n") :]
    assert "Maternity records: whether it has a fallback" in gaps
    assert "Integration engine" in gaps and "where the data is held" in gaps


def test_hosting_provider_reaches_both_hosted_suppliers(db: Path) -> None:
    code, out, _ = run(db, "impact", "Nimbus Hosting", "--today", TODAY)
    assert code == 0
    assert _services(out, "Radiology reporting") and "through Lumen Imaging" in out
    assert _services(out, "Pathology results") and "through Corvid Labs" in out
    assert "Corvid Labs → Nimbus Hosting" in out and "Lumen Imaging → Nimbus Hosting" in out
    assert not _services(out, "ED triage")


def test_a_supplier_with_exit_facts_shows_them(db: Path) -> None:
    code, out, _ = run(db, "impact", "Veridane", "--today", TODAY)
    assert code == 0
    (block,) = _services(out, "ED triage")
    assert "direct" in block.splitlines()[0]
    contract = _block(out, "Veridane: EPR")
    assert "  Substitutability: Hard" in contract and "  Exit plan: Written" in contract
    assert "  Ends: 31 March 2029" in contract
    assert "  Alternatives: none recorded" in contract  # none recorded is not "none exist"
    assert "  Data held: not recorded" in contract
    # its own supply chain: the integration engine
    assert "What it depends on" in out
    (own,) = _rows(out, "Ensemble ")
    assert "Integration" in own


def test_unknown_supplier_is_one_line_and_exit_2(db: Path) -> None:
    before = dump(db)
    code, out, err = run(db, "impact", "Nobody Ltd")
    assert code == 2
    assert out == ""
    assert err.startswith("error: ") and "Nobody Ltd" in err
    assert len(err.strip().splitlines()) == 1
    assert dump(db) == before


def test_impact_json_round_trips_to_the_model(db: Path) -> None:
    code, out, _ = run(db, "impact", "Ensemble", "--format", "json", "--today", TODAY)
    assert code == 0
    data = json.loads(out)
    assert data["supplier"] == "Ensemble" and data["today"] == TODAY
    assert "supplier_id" not in data  # a register's own ids are not part of the answer
    model = SupplierImpact.model_validate({**data, "supplier_id": 0})
    assert model.model_dump(mode="json") == data
    assert [s.name for s in model.services][:3] == [
        "ED triage",
        "Radiology reporting",
        "Pathology results",
    ]
    assert run(db, "impact", "Ensemble", "--format", "json", "--today", TODAY)[1] == out


def test_impact_markdown_has_the_sections_and_services(db: Path) -> None:
    code, out, _ = run(db, "impact", "Ensemble", "--format", "md", "--today", TODAY)
    assert code == 0
    assert out.startswith("## If Ensemble failed: impact on 26 November 2026")
    assert "\nHigh criticality. If Ensemble failed today" in out
    for heading in (
        "### Services that stop",
        "### Suppliers that fall with it",
        "### Contracts and exit readiness",
        "### Not recorded",
    ):
        assert heading in out
    for service in ("ED triage", "Radiology reporting", "Pathology results"):
        assert f"| {service} | yes |" in out
    assert "| Iris AI | Medium | Iris AI → Lumen Imaging → Ensemble |" in out
    # the outlook sentence starts with the service's name: the bullet says it once, in bold
    assert "- **ED triage** can cope 2 hours without it; a manual fallback exists" in out
    assert "**ED triage**: ED triage" not in out
    gaps = out[out.index("### Not recorded") :]
    assert "Maternity records: whether it has a fallback" in gaps


def test_concentration_table_lists_the_integration_engine_first(db: Path) -> None:
    code, out, _ = run(db, "concentration", "--today", TODAY)
    assert code == 0
    lines = [line for line in out.splitlines() if line.startswith("│ ")]
    assert lines[0].startswith("│ Ensemble ") and "integration" in lines[0]
    assert lines[1].startswith("│ Nimbus Hosting ") and "hosting" in lines[1]
    assert any("Corvid Group (parent group)" in line for line in lines)
    code, out, _ = run(db, "concentration", "--limit", "2", "--today", TODAY)
    assert len([line for line in out.splitlines() if line.startswith("│ ")]) == 2


def test_concentration_json_and_markdown(db: Path) -> None:
    code, out, _ = run(db, "concentration", "--format", "json", "--today", TODAY)
    assert code == 0
    data = json.loads(out)
    rows = [ConcentrationRow.model_validate(r) for r in data["rows"]]
    assert [r.model_dump(mode="json") for r in rows] == data["rows"]
    assert rows[0].name == "Ensemble" and rows[0].clinical_services == 5
    code, out, _ = run(db, "concentration", "--format", "md", "--limit", "1", "--today", TODAY)
    assert code == 0
    assert (
        "| Supplier or group | Criticality | Clinical services | Services | Own services |" in out
    )
    assert "| Ensemble | High | 5 | 5 | 0 | 4 | integration |" in out
    assert "Nimbus" not in out


def test_concentration_limit_must_be_a_positive_number(db: Path) -> None:
    code, _, err = run(db, "concentration", "--limit", "0")
    assert code == 2 and err.startswith("error: --limit: 0 is not between")


def test_user_text_is_never_markup(tmp_path: Path) -> None:
    path = tmp_path / "hostile.db"
    database = open_database(path)
    repo = Repository(database)
    repo.add_supplier(Supplier(name="[bold]Acme[/bold] *Ltd*", category="epr", criticality="high"))
    repo.add_service(Service(name="ED | triage [red]x[/red]", clinical=True))
    repo.add_contract(
        Contract(
            supplier="[bold]Acme[/bold] *Ltd*",
            title="EPR",
            what_is_bought="configurable_product",
            contract_type="subscription_saas",
            services=["ED | triage [red]x[/red]"],
        )
    )
    database.close()
    code, out, _ = run(path, "impact", "[bold]acme[/bold] *ltd*", "--today", TODAY)
    assert code == 0
    assert out.startswith("[bold]Acme[/bold] *Ltd* (high criticality)")
    assert "ED | triage [red]x[/red]" in out
    code, out, _ = run(path, "impact", "[bold]Acme[/bold] *Ltd*", "--format", "md")
    assert code == 0
    assert "\\[bold\\]Acme\\[/bold\\] \\*Ltd\\*" in out
    assert "| ED \\| triage \\[red\\]x\\[/red\\] | yes |" in out


def test_impact_reads_at_80_columns(db: Path) -> None:
    """Piped output is 80 columns wide: names are whole, contracts are blocks, not a table."""
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["--db", str(db), "impact", "Ensemble", "--today", TODAY], catch_exceptions=False
    )
    assert result.exit_code == 0
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    for service in (
        "ED triage",
        "Radiology reporting",
        "Pathology results",
        "Maternity records",
        "AI fracture triage",
    ):
        assert _services(out, service), service  # whole, on the first line of its block
    for head in (
        "Ensemble: Integration engine",
        "Veridane: EPR",
        "Lumen Imaging: PACS",
        "Corvid Labs: LIMS",
        "Iris AI: Fracture AI",
    ):
        assert _block(out, head).count("\n") == 8  # every exit fact on its own line
    # the order is the failing supplier's own, then the others' (soonest decision first)
    assert "soonest decision first" not in out.split("\n\n")[0]
    assert "its own first, then those of the suppliers that fall with it" in " ".join(out.split())
    assert out.index("Ensemble: Integration engine") < out.index("Veridane: EPR")
    assert out.index("Veridane: EPR") < out.index("Lumen Imaging: PACS")


def test_concentration_reads_at_80_columns(db: Path) -> None:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["--db", str(db), "concentration", "--today", TODAY], catch_exceptions=False
    )
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Own" in out and "Direct" not in out
    assert any(line.startswith("│ Corvid Group (parent group)") for line in out.splitlines())
    assert any(line.startswith("│ Nimbus Hosting ") for line in out.splitlines())

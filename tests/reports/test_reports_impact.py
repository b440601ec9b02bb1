"""The service impact section of the exports, on the impact scenario register.

Strategic and high-criticality suppliers (Veridane, Ensemble, Lumen Imaging, Corvid Labs,
Nimbus Hosting) each get their impact; medium and low ones (Iris AI, PayCo, Corvid
Analytics) do not.  User text stays data: HTML escaped, spreadsheet cells guarded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pytest
from openpyxl import load_workbook
from sqlite_utils import Database

from supplier_register.domain.models import Contract, Register, Service, Supplier
from supplier_register.reports.service_impact import CONCENTRATION_COLUMNS, IMPACT_COLUMNS
from supplier_register.reports.tabular import QUESTION_COLUMNS, SUPPLIER_COLUMNS
from supplier_register.services.exports import summary_export
from supplier_register.services.reviews import risk_summary
from supplier_register.storage import Repository, open_database
from tests.support.htmlcheck import collect
from tests.support.impact import impact_register
from tests.support.registers import TODAY

NOTED = {"Veridane", "Ensemble", "Lumen Imaging", "Corvid Labs", "Nimbus Hosting"}
NOT_NOTED = {"Iris AI", "PayCo", "Corvid Analytics"}
MARKUP = "<script>alert(1)</script> & <b>results</b>"
FORMULA_SUPPLIER = '=HYPERLINK("http://x")'
FORMULA_SERVICE = "=SUM(A1) triage"


def _database(register: Register) -> Database:
    db = open_database(":memory:")
    Repository(db).import_register(register)
    return db


@pytest.fixture(scope="module")
def scenario() -> Database:
    return _database(impact_register())


@pytest.fixture(scope="module")
def hostile() -> Database:
    """The scenario with a service named in markup on Veridane's EPR, and a strategic
    supplier named as a formula whose one service (named as a formula too) can cope an hour."""
    base = impact_register()
    contracts = [
        c.model_copy(update={"services": [*c.services, MARKUP]}) if c.title == "EPR" else c
        for c in base.contracts
    ]
    register = base.model_copy(
        update={
            "suppliers": [
                *base.suppliers,
                Supplier(name=FORMULA_SUPPLIER, category="other", criticality="strategic"),
            ],
            "services": [
                *base.services,
                Service(name=MARKUP, clinical=True, max_outage_hours=12),
                Service(name=FORMULA_SERVICE, clinical=True, max_outage_hours=1),
            ],
            "contracts": [
                *contracts,
                Contract(
                    supplier=FORMULA_SUPPLIER,
                    title="+Formula contract",
                    what_is_bought="managed_service",
                    contract_type="subscription_saas",
                    services=[FORMULA_SERVICE],
                ),
            ],
        }
    )
    return _database(Register.model_validate(register.model_dump()))


def _text(data: Iterable[str] | bytes) -> str:
    assert not isinstance(data, bytes)
    return "".join(data)


def _impact_part(markdown: str) -> str:
    """The paper's service impact section, up to the next section (it follows the supplier
    table, as in the HTML paper)."""
    part = markdown[markdown.index("## Service impact") :]
    end = part.find("\n## ", 1)
    return part if end < 0 else part[:end]


def _csv_tables(text: str) -> list[list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    tables: list[list[list[str]]] = [[]]
    for row in rows:
        if row == []:
            tables.append([])
        else:
            tables[-1].append(row)
    return [[dict(zip(t[0], r, strict=True)) for r in t[1:]] for t in tables]


def _supplier_heads(part: str) -> list[str]:
    return [line[4:] for line in part.splitlines() if line.startswith("### ")]


NOTED = {"Veridane", "Corvid Labs", "Ensemble", "Lumen Imaging", "Nimbus Hosting"}


def _noted(db: Database) -> list[str]:
    """The strategic and high suppliers in the summary's priority order (the score model's)."""
    names = [r.supplier for r in risk_summary(db, TODAY).noted()]
    assert set(names) == NOTED and names[0] == "Veridane"  # the only strategic one
    return names


def _after(names: list[str], name: str) -> str:
    """The supplier whose section follows ``name``'s (or the concentration view)."""
    at = names.index(name) + 1
    return f"If {names[at]} failed" if at < len(names) else "Where services are concentrated"


def test_markdown_has_a_section_per_strategic_and_high_supplier(scenario: Database) -> None:
    part = _impact_part(_text(summary_export(scenario, "md", TODAY)))
    noted = _noted(scenario)
    assert _supplier_heads(part) == [
        *(f"If {name} failed: impact on 26 November 2026" for name in noted),
        "Where services are concentrated",
    ]
    for name in NOT_NOTED:
        assert f"### If {name} failed" not in part
    veridane = part[part.index("### If Veridane") : part.index(f"### {_after(noted, 'Veridane')}")]
    assert (
        "Strategic criticality. If Veridane failed today, 2 services would stop (2 clinical)."
        in veridane
    )
    assert (
        "| ED triage | yes | 2 hours | Manual (paper) fallback, tested 12 March 2024 | direct "
        "| 18 months |" in veridane
    )
    assert "- **ED triage** can cope 2 hours without it;" in veridane
    # the contract's exit readiness: dates, substitutability, exit plan, alternatives, data
    assert (
        "| Veridane | EPR | 31 March 2029 | 30 September 2026 | passed 57 days ago | Hard "
        "| not recorded | Written | none recorded | not recorded | not recorded |" in veridane
    )
    gaps = veridane[veridane.index("#### Not recorded") :]
    assert "EPR" in gaps and "where the data is held" in gaps
    lumen = part[
        part.index("### If Lumen Imaging") : part.index(f"### {_after(noted, 'Lumen Imaging')}")
    ]
    assert "| AI fracture triage | yes | 3 days | not recorded | through Iris AI |" in lumen
    assert "| Iris AI | Medium | Iris AI → Lumen Imaging |" in lumen
    concentration = part[part.index("### Where services are concentrated") :]
    first = next(line for line in concentration.splitlines() if line.startswith("| 1 |"))
    assert first.startswith("| 1 | Ensemble | 5 | 5 | 4 | integration |")
    assert (
        "| Corvid Group (parent group) | 1 | 1 | 0 |   | Corvid Analytics, Corvid Labs |"
        in concentration
    )


def test_markdown_export_and_cli_give_one_impact_the_same_text(scenario: Database) -> None:
    """The paper's section for a supplier is the CLI's ``impact --format md``, a level down."""
    from supplier_register.reports.impact_md import impact_markdown
    from supplier_register.services.impact import supplier_impact

    part = _impact_part(_text(summary_export(scenario, "md", TODAY)))
    noted = _noted(scenario)
    for name in ("Veridane", "Lumen Imaging"):
        paper = part[part.index(f"### If {name} failed") : part.index(f"### {_after(noted, name)}")]
        cli = impact_markdown(supplier_impact(Repository(scenario), name, TODAY))
        demoted = "\n".join(
            "#" + line if line.startswith("#") else line for line in cli.split("\n")
        )
        assert paper.rstrip("\n") == demoted.rstrip("\n")


def test_html_paper_has_the_section_and_escapes_service_names(hostile: Database) -> None:
    html = _text(summary_export(hostile, "html", TODAY))
    start = html.index(">What would happen if it went wrong</h2>")
    part = html[start : html.index("<h2", start)]  # up to the next section
    page = collect(part)
    headings = [
        t.strip() for t in page.texts if t.strip() in NOTED | NOT_NOTED | {FORMULA_SUPPLIER}
    ]
    assert set(headings) >= NOTED | {FORMULA_SUPPLIER}
    # the services and exit tables of each block, and no block for the others
    h3 = [i for i, (tag, _) in enumerate(page.tags) if tag == "h3"]
    assert len(h3) == len(NOTED) + 2  # the formula-named supplier and the concentration head
    assert "<script>" not in part and "<b>results" not in part
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;results&lt;/b&gt;" in part
    assert MARKUP in page.text  # shown as typed
    rows = [cells for cells in page.cells if cells and cells[0].startswith(MARKUP)]
    assert rows and rows[0][1:] == ["12 hours", "not recorded", "direct", "18 months"]
    triage = next(cells for cells in page.cells if cells and cells[0].startswith("ED triage"))
    assert triage[2] == "Manual (paper) fallback, tested 12 March 2024"
    assert "Not recorded: " in page.text  # the gaps, under their label
    for name in NOT_NOTED:
        assert f"<h3>{name} " not in part


def test_html_without_impact_has_no_section(scenario: Database) -> None:
    from supplier_register.reports import render_summary
    from supplier_register.services.reviews import risk_summary

    html = render_summary("html", risk_summary(scenario, TODAY))
    assert isinstance(html, str)
    assert "Service impact" not in html
    assert "What would happen if it went wrong" not in html


def test_csv_adds_impact_and_concentration_tables(hostile: Database) -> None:
    tables = _csv_tables(_text(summary_export(hostile, "csv", TODAY)))
    assert len(tables) == 4
    suppliers, questions, impacts, concentration = tables
    assert list(suppliers[0]) == [c.header for c in SUPPLIER_COLUMNS]
    assert list(questions[0]) == [c.header for c in QUESTION_COLUMNS]
    assert list(impacts[0]) == [c.header for c in IMPACT_COLUMNS]
    assert list(concentration[0]) == [c.header for c in CONCENTRATION_COLUMNS]
    by_name = {row["Supplier"]: row for row in impacts}
    assert set(by_name) == NOTED | {"'" + FORMULA_SUPPLIER}
    veridane = by_name["Veridane"]
    assert veridane["Services stopped"] == "3" and veridane["Clinical services stopped"] == "3"
    assert veridane["Shortest tolerable outage (hours)"] == "2"
    assert veridane["Least tolerant service"] == "ED triage"
    assert veridane["Exit plans"] == "EPR: Written"
    assert (
        "ED triage (clinical; copes 2 hours; fallback: Manual (paper) fallback, tested "
        "12 March 2024; direct; move: 18 months)"
    ) in veridane["Services that stop"]
    assert (
        "decide by: 30 September 2026 (passed 57 days ago)"
        in veridane["Contracts and exit readiness"]
    )
    assert (
        "EPR" in veridane["Not recorded"] and "where the data is held" in veridane["Not recorded"]
    )
    assert veridane["Next decide-by"] == "2026-09-30"
    assert by_name["Lumen Imaging"]["Suppliers that fall with it"] == "Iris AI (medium; 1 service)"
    assert by_name["Ensemble"]["Stopped through dependents"] == "6"  # the markup one too
    hostile_row = by_name["'" + FORMULA_SUPPLIER]
    assert hostile_row["Least tolerant service"] == "'" + FORMULA_SERVICE
    assert hostile_row["Exit plans"] == "'+Formula contract: not recorded"
    assert concentration[0]["Name"] == "Ensemble"
    assert [r["Rank"] for r in concentration] == [str(i) for i in range(1, len(concentration) + 1)]
    for row in [*impacts, *concentration]:
        for header, value in row.items():
            assert not value.startswith(("=", "+", "-", "@")), (header, value)


def test_xlsx_has_service_impact_and_concentration_sheets(hostile: Database) -> None:
    data = summary_export(hostile, "xlsx", TODAY)
    assert isinstance(data, bytes)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames[-2:] == ["Service impact", "Concentration"]
    sheet = wb["Service impact"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in IMPACT_COLUMNS]
    by_name = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_name) == NOTED | {"'" + FORMULA_SUPPLIER}
    veridane = by_name["Veridane"]
    assert veridane["Clinical services stopped"] == 3  # a number, not text
    assert veridane["Shortest tolerable outage (hours)"] == 2
    hostile_row = by_name["'" + FORMULA_SUPPLIER]
    assert hostile_row["Least tolerant service"] == "'" + FORMULA_SERVICE
    for row in [*rows, *wb["Concentration"].iter_rows(values_only=True)]:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(("=", "+", "@"))), value
    concentration = list(wb["Concentration"].iter_rows(values_only=True))
    assert concentration[1][:3] == (1, "Supplier", "Ensemble")


def test_the_papers_find_the_suppliers_by_id_not_name(
    scenario: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each noted row carries its supplier's id: no query per row to find it by name."""

    def by_name(*_args: object) -> None:
        raise AssertionError("a supplier looked up by name")

    monkeypatch.setattr(Repository, "find_supplier", by_name)
    part = _impact_part(_text(summary_export(scenario, "md", TODAY)))
    assert "If Veridane failed today, 2 services would stop (2 clinical)." in part
    assert "### If Nimbus Hosting failed: impact on 26 November 2026" in part


def test_paper_impacts_follow_the_notes_cap(scenario: Database) -> None:
    part = _impact_part(_text(summary_export(scenario, "md", TODAY, notes=2)))
    assert _supplier_heads(part) == [
        *(f"If {name} failed: impact on 26 November 2026" for name in _noted(scenario)[:2]),
        "Where services are concentrated",
    ]
    assert "The impact of 3 more strategic or high-criticality suppliers is not shown" in part

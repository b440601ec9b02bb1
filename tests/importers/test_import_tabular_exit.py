"""Spreadsheet columns for parent groups, the services a contract supports and exit readiness."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supplier_register.domain.enums import DataLocation, Difficulty, ExitPlan, Substitutability
from supplier_register.domain.models import Register
from supplier_register.importers.mapping import plan_columns
from supplier_register.importers.plan import ImportPlan
from supplier_register.importers.tabular import plan_table, read_table
from supplier_register.services.imports import apply_import, open_spreadsheet
from supplier_register.storage import Repository, open_database
from tests.importers.import_helpers import NOW, write_csv, write_xlsx
from tests.support.registers import dump, linked_register


def plan_csv(tmp_path: Path, text: str, existing: Register | None = None) -> ImportPlan:
    path = write_csv(tmp_path / "register.csv", text)
    return plan_table(read_table(path), existing or linked_register())


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Parent group", "supplier parent group"),
        ("Group", "supplier parent group"),
        ("Substitutability", "contract substitutability"),
        ("Exit plan", "contract exit plan"),
        ("Exit plan tested", "contract exit plan tested"),
        ("Exit plan last tested", "contract exit plan tested"),
        ("Data location", "contract data location"),
        ("Data held in", "contract data location"),
        ("Patient data", "contract patient data"),
        ("Patient identifiable?", "contract patient data"),
        ("Alternative providers", "contract alternative providers"),
        ("Alternatives", "contract alternative providers"),
        ("Services", "contract services"),
        ("Services supported", "contract services"),
        ("Bring in-house", "contract insourcing"),
        ("Exit assistance", "contract exit assistance clause"),
    ],
)
def test_obvious_headers_are_recognised(header: str, field: str) -> None:
    columns = plan_columns(["Supplier", "Contract", header])
    spec = columns.columns[2].spec
    assert spec is not None and spec.label == field


FULL = """\
Supplier,Contract,Group,Services supported,Substitutability,Exit plan,Exit plan tested,\
Data held in,Patient identifiable,Alternatives,Bring in-house
Beta Cloud,Hosting,Beta Holdings,payroll; ED triage,Not substitutable,Written and tested,\
01/03/2025,EU,Yes,"Zeta Cloud, Eta Hosting",Difficult
Delta Labs,LIMS,,Radiology reporting,Easy,No,,United Kingdom,No,,
"""


def test_new_columns_fill_the_contract_and_supplier(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, FULL)
    assert plan.rejections == []
    beta = next(s for s in plan.records.suppliers if s.name == "Beta Cloud")
    assert beta.parent_group == "Beta Holdings"
    contracts = {c.title: c for c in plan.records.contracts}
    hosting = contracts["Hosting"]
    assert hosting.services == ["Payroll", "ED triage"]  # as the register spells them
    assert hosting.substitutability is Substitutability.NOT_SUBSTITUTABLE
    assert hosting.exit_plan is ExitPlan.TESTED
    assert hosting.exit_plan_tested == dt.date(2025, 3, 1)
    assert hosting.data_location is DataLocation.EEA
    assert hosting.patient_data is True
    assert hosting.alternative_providers == ["Zeta Cloud", "Eta Hosting"]
    assert hosting.insourcing is Difficulty.HARD
    lims = contracts["LIMS"]
    assert lims.services == ["Radiology reporting"]
    assert lims.exit_plan is ExitPlan.NONE and lims.patient_data is False
    assert lims.data_location is DataLocation.UK
    delta = next(s for s in plan.records.suppliers if s.name == "Delta Labs")
    assert delta.parent_group is None


def test_blank_cells_stay_unknown_and_never_erase(tmp_path: Path) -> None:
    text = (
        "Supplier,Contract,Group,Services,Substitutability,Exit plan,Data location,"
        "Patient data,Alternatives\n"
        "Acme [UK] Ltd,EPR licence and support,,,,,,,\n"
        "New Co,New thing,,,,,,,\n"
    )
    plan = plan_csv(tmp_path, text)
    assert plan.rejections == []
    by_key = {c.key: c for c in plan.changes}
    assert by_key["Acme [UK] Ltd / EPR licence and support"].action == "unchanged"
    assert by_key["Acme [UK] Ltd"].action == "unchanged"
    new = next(c for c in plan.records.contracts if c.title == "New thing")
    assert new.services == [] and new.alternative_providers == []
    assert new.substitutability is Substitutability.UNKNOWN
    assert new.exit_plan is ExitPlan.UNKNOWN and new.exit_plan_tested is None
    assert new.data_location is DataLocation.UNKNOWN
    assert new.patient_data is None  # unknown, never "no"


@pytest.mark.parametrize(
    ("row", "rejection"),
    [
        (
            "Beta Cloud,Hosting,Payroll; Pharmacy,,",
            "row 2, column \"Services supported\": no service named 'Pharmacy' in the register; "
            "add the service first",
        ),
        (
            "Beta Cloud,Hosting,Payroll; PAYROLL,,",
            "row 2, column \"Services supported\": 'Payroll' is listed twice",
        ),
        (
            "Beta Cloud,Hosting,,Written,2025-01-01",
            "row 2, column \"Exit plan tested\": a test date needs the exit plan to be 'tested'",
        ),
        (
            "Beta Cloud,Hosting,,Sort of,",
            "row 2, column \"Exit plan\": 'Sort of' is not one of: None, Written, "
            "Written and tested, Unknown",
        ),
    ],
)
def test_bad_cells_reject_the_row_naming_the_column(
    tmp_path: Path, row: str, rejection: str
) -> None:
    text = f"Supplier,Contract,Services supported,Exit plan,Exit plan tested\n{row}\n"
    plan = plan_csv(tmp_path, text)
    assert [r.line() for r in plan.rejections] == [rejection]
    assert plan.records.contracts == []


@pytest.mark.parametrize(
    ("header", "cell", "rejection"),
    [
        (
            "Substitutability",
            "none",
            "row 2, column \"Substitutability\": 'none' is ambiguous (no substitute, or nothing "
            "recorded? leave the cell blank when nothing is); write one of: Easy, Medium, Hard, "
            "Not substitutable, Unknown",
        ),
        (
            "Data location",
            "Europe",
            "row 2, column \"Data location\": 'Europe' is ambiguous (the UK and Switzerland are "
            "in Europe but not the EEA); write one of: UK, EEA, Elsewhere, Unknown",
        ),
    ],
)
def test_ambiguous_words_reject_the_row_rather_than_claim_too_much(
    tmp_path: Path, header: str, cell: str, rejection: str
) -> None:
    """'none' is not 'not substitutable', nor is 'Europe' the EEA: the sheet must say which."""
    plan = plan_csv(tmp_path, f"Supplier,Contract,{header}\nBeta Cloud,Hosting,{cell}\n")
    assert [r.line() for r in plan.rejections] == [rejection]
    assert plan.records.contracts == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Yes", ExitPlan.WRITTEN),
        ("Y", ExitPlan.WRITTEN),
        ("No", ExitPlan.NONE),
        ("n", ExitPlan.NONE),
        ("None", ExitPlan.NONE),
        ("Written", ExitPlan.WRITTEN),
        ("tested", ExitPlan.TESTED),
        ("Written and tested", ExitPlan.TESTED),
        (True, ExitPlan.WRITTEN),
        (False, ExitPlan.NONE),
    ],
)
def test_an_older_yes_no_exit_plan_column_still_imports(
    tmp_path: Path, cell: str | bool, expected: ExitPlan
) -> None:
    """A sheet whose "Exit plan" column said Yes/No (it once fed the exit-assistance clause)."""
    path = write_xlsx(
        tmp_path / "old.xlsx",
        [["Supplier", "Contract", "Exit plan"], ["Beta Cloud", "Managed backup", cell]],
    )
    plan = plan_table(read_table(path), linked_register())
    assert plan.rejections == []
    (contract,) = plan.records.contracts
    assert contract.exit_plan is expected
    assert contract.exit_assistance_clause is None  # the column no longer speaks of the clause


def _loaded(tmp_path: Path) -> Repository:
    repo = Repository(open_database(tmp_path / "r.db"))
    repo.import_register(linked_register())
    return repo


def test_applied_links_the_services_and_a_rejected_row_writes_nothing(tmp_path: Path) -> None:
    repo = _loaded(tmp_path)
    before = dump(repo.db)
    bad = write_csv(tmp_path / "bad.csv", "Supplier,Contract,Services\nBeta Cloud,Hosting,Lab\n")
    applied = apply_import(repo, open_spreadsheet(bad), NOW)
    assert [r.line() for r in applied.plan.rejections] == [
        "row 2, column \"Services\": no service named 'Lab' in the register; add the service first"
    ]
    assert dump(repo.db) == before
    assert [s.name for s in repo.list_services()] == ["ED triage", "Payroll", "Radiology reporting"]
    good = write_xlsx(
        tmp_path / "good.xlsx",
        [
            ["Supplier", "Contract", "Services", "Exit plan", "Parent group"],
            ["Beta Cloud", "Hosting", "radiology reporting; Payroll", "Tested", "Beta Holdings"],
        ],
    )
    applied = apply_import(repo, open_spreadsheet(good), NOW)
    assert applied.plan.rejections == []
    assert applied.summary.contracts.updated == 1
    hosting = next(c for c in repo.list_contracts() if c.title == "Hosting")
    assert hosting.services == ["Payroll", "Radiology reporting"]
    assert hosting.exit_plan is ExitPlan.TESTED
    assert repo.find_supplier("Beta Cloud").parent_group == "Beta Holdings"
    radiology = repo.find_service("Radiology reporting")
    assert {c.title for c in repo.contracts_of_service(radiology.id)} == {
        "EPR licence and support",
        "WAN",
        "Hosting",
    }

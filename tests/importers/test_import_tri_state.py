"""Yes/no facts a source leaves out are imported as not recorded (None), never as "no"."""

from __future__ import annotations

import json
from pathlib import Path

from supplier_register.domain.models import Register
from supplier_register.importers.ocds import plan_ocds
from supplier_register.importers.tabular import plan_table, read_table
from supplier_register.services.imports import apply_import, open_ocds, open_spreadsheet
from supplier_register.storage import Repository
from tests.importers.import_helpers import FIXTURES, NOW, write_csv

PACKAGE = FIXTURES / "ocds_release_package.json"
BUYER = "GB-NHS-RNV"

SHEET = """\
Supplier,Contract,Auto-renews?,SME?,Clinical systems
Acme Ltd,EPR,,,
Beta Ltd,Hosting,TBC,TBC,TBC
Cobalt Ltd,Print,unknown,n/a,?
Delta Ltd,PACS,Not recorded,Don't know,not sure
Echo Ltd,Phones,Yes,Yes,Yes
Foxtrot Ltd,Kit,No,No,No
"""


def _facts(suppliers: list, contracts: list) -> dict[str, tuple[object, object, object]]:  # type: ignore[type-arg]
    renews = {c.supplier: c.auto_renewal for c in contracts}
    return {s.name: (renews[s.name], s.sme, s.runs_clinical_systems) for s in suppliers}


EXPECTED = {
    "Acme Ltd": (None, None, None),
    "Beta Ltd": (None, None, None),
    "Cobalt Ltd": (None, None, None),
    "Delta Ltd": (None, None, None),
    "Echo Ltd": (True, True, True),
    "Foxtrot Ltd": (False, False, False),
}


def test_blank_and_tbc_cells_are_planned_as_not_recorded(tmp_path: Path) -> None:
    plan = plan_table(read_table(write_csv(tmp_path / "r.csv", SHEET)), Register())
    assert not plan.rejections
    assert _facts(plan.records.suppliers, plan.records.contracts) == EXPECTED


def test_spreadsheet_import_stores_not_recorded(tmp_path: Path, repo: Repository) -> None:
    apply_import(repo, open_spreadsheet(write_csv(tmp_path / "r.csv", SHEET)), NOW)
    assert _facts(repo.list_suppliers(), repo.list_contracts()) == EXPECTED


def test_a_blank_cell_keeps_a_recorded_value(tmp_path: Path, repo: Repository) -> None:
    apply_import(repo, open_spreadsheet(write_csv(tmp_path / "a.csv", SHEET)), NOW)
    blank = "Supplier,Contract,Auto-renews?,SME?,Clinical systems\nEcho Ltd,Phones,TBC,,?\n"
    again = apply_import(repo, open_spreadsheet(write_csv(tmp_path / "b.csv", blank)), NOW)
    assert not again.plan.has_writes
    echo = repo.find_supplier("Echo Ltd")
    assert (echo.sme, echo.runs_clinical_systems) == (True, True)
    assert repo.list_contracts(echo.id)[0].auto_renewal is True


def test_ocds_says_nothing_of_auto_renewal_and_size_only_when_published(
    repo: Repository,
) -> None:
    data = json.loads(PACKAGE.read_text(encoding="utf-8"))
    plan = plan_ocds(data, "package.json", Register(), buyer=BUYER)
    assert plan.records.contracts
    assert {c.auto_renewal for c in plan.records.contracts} == {None}
    sizes = {s.name: s.sme for s in plan.records.suppliers}
    assert sizes["ACME LTD"] is False  # published as "large"
    assert sizes["Beacon Digital LLP"] is True  # published as "sme"
    assert sizes["Cobalt Consulting Ltd"] is None  # no size published
    assert all(s.runs_clinical_systems is None for s in plan.records.suppliers)
    apply_import(repo, open_ocds(PACKAGE, BUYER), NOW)
    assert {c.auto_renewal for c in repo.list_contracts()} == {None}
    assert repo.find_supplier("Cobalt Consulting Ltd").sme is None

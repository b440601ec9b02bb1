"""Names a supplier had before a merge: imports that still use them find the supplier kept."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from supplier_register.domain import Register, Supplier
from supplier_register.importers.ocds import OcdsHistory, plan_ocds
from supplier_register.importers.plan import RegisterBuilder
from supplier_register.services.imports import load_history
from supplier_register.storage import Repository, open_database
from tests.importers.import_helpers import FIXTURES

KEPT = Supplier(name="Acme Group", category="other", criticality="high")


def test_an_alias_resolves_to_the_supplier_kept_but_a_real_name_comes_first() -> None:
    other = Supplier(name="Acme Old", category="other", criticality="low")
    builder = RegisterBuilder(
        Register(suppliers=[KEPT, other]), aliases={"ACME LTD": "Acme Group", "Acme Old": "X"}
    )
    found = builder.resolve_supplier("acme ltd")
    assert (found.name, found.how) == ("Acme Group", "merged into it")
    assert found.note() == "'acme ltd' matched to 'Acme Group' (merged into it)"
    assert builder.resolve_supplier("Acme Old").name == "Acme Old"  # a supplier of that name
    assert RegisterBuilder(Register(suppliers=[KEPT])).resolve_supplier("ACME LTD").name == (
        "ACME LTD"
    )


def test_ocds_awards_to_a_merged_name_go_to_the_supplier_kept() -> None:
    data = json.loads((FIXTURES / "ocds_release_package.json").read_text(encoding="utf-8"))
    history = OcdsHistory(aliases={"ACME LTD": "Acme Group"})
    plan = plan_ocds(data, "package.json", Register(suppliers=[KEPT]), history, "GB-NHS-RNV")
    names = {s.name for s in plan.records.suppliers}
    assert "ACME LTD" not in names and "Acme Group" in names
    assert ("Acme Group", "EPR support and maintenance") in {
        (c.supplier, c.title) for c in plan.records.contracts
    }


def test_load_history_reads_the_aliases_a_merge_left(tmp_path: Path) -> None:
    repo = Repository(open_database(tmp_path / "r.db"))
    dropped = Supplier(name="ACME LTD", category="other", criticality="low")
    repo.import_register(Register(suppliers=[KEPT, dropped]))
    keep, drop = repo.find_supplier("Acme Group"), repo.find_supplier("ACME LTD")
    assert load_history(repo).aliases == {}
    repo.merge_suppliers(keep.id, drop.id, dt.date(2026, 12, 7))
    assert load_history(repo).aliases == {"ACME LTD": "Acme Group"}

"""Near-duplicate supplier names: one rule, reported by every import preview, never merged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from supplier_register.domain.models import Register, Supplier
from supplier_register.importers.names import near_duplicate, near_key, possible_duplicates
from supplier_register.importers.ocds import plan_ocds
from supplier_register.importers.report import plan_lines
from supplier_register.importers.tabular import plan_table, read_table
from tests.importers.import_helpers import write_csv

EXISTING = Register(
    suppliers=[
        Supplier(name="Trustmarque", category="other", criticality="high"),
        Supplier(name="Acme Ltd", category="epr", criticality="strategic"),
    ]
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Trustmarque", "TRUSTMARQUE SOLUTIONS LIMITED"),
        ("Acme UK Ltd", "Acme Ltd"),
        ("A & B Group", "A and B Services plc"),
        ("BT", "BT Health"),
        ("Café Systems", "CAFE"),
    ],
)
def test_near_duplicates(a: str, b: str) -> None:
    assert near_duplicate(a, b) and near_duplicate(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme", "Beta"),
        ("Acmetech", "Acme"),  # whole words only
        ("Health Acme", "Acme Health"),
        ("North Solutions", "South Solutions"),
    ],
)
def test_not_near_duplicates(a: str, b: str) -> None:
    assert not near_duplicate(a, b)


def test_descriptive_endings_drop_but_one_word_stays() -> None:
    assert near_key("TRUSTMARQUE SOLUTIONS LIMITED") == ("trustmarque",)
    assert near_key("Group Services Ltd") == ("group",)
    assert possible_duplicates(["Beta", "Acme", "ACME Group", "Acme Health", "Beta"]) == [
        ("Acme", "ACME Group"),
        ("Acme", "Acme Health"),
        ("ACME Group", "Acme Health"),
    ]


def test_csv_preview_reports_possible_duplicates_and_creates_them(tmp_path: Path) -> None:
    text = (
        "Supplier,Contract,Category\n"
        "TRUSTMARQUE SOLUTIONS LIMITED,Licences 2025,Other\n"
        "Acme Limited,EPR support,EPR\n"
        "Zeta Health,Apps,Other\n"
        "Zeta Health Services,Apps,Other\n"
    )
    plan = plan_table(read_table(write_csv(tmp_path / "r.csv", text)), EXISTING)
    assert plan.duplicates == [
        "new supplier 'TRUSTMARQUE SOLUTIONS LIMITED' (row 2): possible duplicate of 'Trustmarque'",
        "new supplier 'Zeta Health Services' (row 5): possible duplicate of 'Zeta Health'",
    ]
    # never merged on the name: a new supplier is created beside the existing one
    created = [c.key for c in plan.changes if c.kind == "supplier" and c.action == "create"]
    assert "TRUSTMARQUE SOLUTIONS LIMITED" in created
    # the same name once normalised (Ltd/Limited) stays one supplier, said in the notes
    assert "Acme Limited" not in created
    lines = plan_lines(plan)
    at = lines.index(next(line for line in lines if line.startswith("Possible duplicates")))
    assert lines[at + 1] == f"  {plan.duplicates[0]}"


def _release(supplier: dict[str, Any]) -> dict[str, Any]:
    return {
        "ocid": "ocds-b5fd17-0300",
        "id": "ocds-b5fd17-0300-2025-11-03T14:00:00Z",
        "date": "2025-11-03T14:00:00Z",
        "tag": ["award"],
        "parties": [
            {"id": "GB-NHS-RNV", "name": "Northmoor Valley NHS Trust", "roles": ["buyer"]},
            {**supplier, "roles": ["supplier"]},
        ],
        "tender": {"title": "Software licences"},
        "awards": [
            {
                "id": "1",
                "status": "active",
                "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
            }
        ],
    }


def test_ocds_preview_reports_possible_duplicates() -> None:
    party = {"id": "GB-CFS-77", "name": "TRUSTMARQUE SOLUTIONS LIMITED"}
    plan = plan_ocds(_release(party), "release.json", EXISTING)
    assert plan.duplicates == [
        "new supplier 'TRUSTMARQUE SOLUTIONS LIMITED' (ocds-b5fd17-0300 award 1): "
        "possible duplicate of 'Trustmarque'"
    ]
    assert [s.name for s in plan.records.suppliers] == ["TRUSTMARQUE SOLUTIONS LIMITED"]


def test_ocds_supplier_matched_by_company_number_is_no_duplicate() -> None:
    existing = Register(
        suppliers=[
            Supplier(
                name="Trustmarque",
                category="other",
                criticality="high",
                company_number="02183240",
            )
        ]
    )
    party = {
        "id": "GB-COH-02183240",
        "name": "TRUSTMARQUE SOLUTIONS LIMITED",
        "identifier": {"scheme": "GB-COH", "id": "02183240"},
    }
    plan = plan_ocds(_release(party), "release.json", existing)
    assert plan.duplicates == []
    assert [c.key for c in plan.changes if c.kind == "supplier"] == ["Trustmarque"]

"""Headers as real trust registers write them: each maps to the right field, or to none."""

from __future__ import annotations

from pathlib import Path

import pytest

from supplier_register.domain.models import Register
from supplier_register.importers.mapping import plan_columns
from supplier_register.importers.tabular import plan_table, read_table
from tests.importers.import_helpers import write_csv

# (header as written in a real register, the field it must feed)
REAL_HEADERS: list[tuple[str, str]] = [
    ("Service / System", "contract.title"),
    ("Service/System", "contract.title"),
    ("SERVICE - SYSTEM", "contract.title"),
    ("Service or system", "contract.title"),
    ("Service & System", "contract.title"),
    ("System / Service", "contract.title"),
    ("Service", "contract.title"),
    ("service name", "contract.title"),
    ("System", "contract.title"),
    ("Systems", "contract.title"),
    ("System name:", "contract.title"),
    ("Product", "contract.title"),
    ("Product name", "contract.title"),
    ("Product / Service", "contract.title"),
    ("Goods & Services", "contract.title"),
    ("Description", "contract.title"),
    ("Description of service", "contract.title"),
    ("Service description", "contract.title"),
    ("Contract", "contract.title"),
    ("Contract title", "contract.title"),
    ("Contract Name", "contract.title"),
    ("contract_name", "contract.title"),
    ("Contract description", "contract.title"),
    ("Application", "contract.title"),
    ("Application name", "contract.title"),
    ("Applications", "contract.title"),
    ("Solution", "contract.title"),
    ("Software", "contract.title"),
    ("Platform", "contract.title"),
    ("  Title  ", "contract.title"),
    ("Supplier", "supplier.name"),
    ("Supplier Name ", "supplier.name"),
    ("VENDOR", "supplier.name"),
    ("Service provider", "supplier.name"),
    ("System supplier", "supplier.name"),
    ("Contract end date", "contract.end_date"),
    ("Contract value", "contract.total_value"),
    ("Contract type", "contract.contract_type"),
    ("Contract owner", "supplier.owner"),
    ("Service category", "supplier.category"),
    ("Services supported", "contract.services"),
    ("Clinical system?", "supplier.runs_clinical_systems"),
]

# Headers that must feed no field at all (reported as not imported).
UNMAPPED_HEADERS = [
    "Service level",
    "System ID",
    "Contract ref",
    "Contract number",
    "Service owner",
    "Description of risk",
    "Product code",
    "Ref",
    "Cost centre",
    "Budget holder",
]


@pytest.mark.parametrize(("header", "key"), REAL_HEADERS)
def test_real_world_header_maps_to_its_field(header: str, key: str) -> None:
    (column,) = plan_columns([header]).columns
    assert column.spec is not None, header
    assert column.spec.key == key


@pytest.mark.parametrize("header", UNMAPPED_HEADERS)
def test_header_that_is_no_field_maps_to_nothing(header: str) -> None:
    (column,) = plan_columns([header]).columns
    assert column.spec is None


def test_the_table_covers_thirty_title_headers() -> None:
    assert sum(1 for _, key in REAL_HEADERS if key == "contract.title") >= 30


def test_three_contracts_of_one_supplier_under_service_system_stay_three(
    tmp_path: Path,
) -> None:
    text = (
        "Supplier,Service / System,Annual value,End date\n"
        "Orion Health Ltd,Clinical portal,120000,31/03/2027\n"
        "Orion Health Ltd,Integration engine,80000,31/03/2027\n"
        "Orion Health Ltd,Patient portal,45000,30/09/2026\n"
    )
    path = write_csv(tmp_path / "register.csv", text)
    plan = plan_table(read_table(path), Register())
    assert plan.rejections == []
    assert sorted(c.title for c in plan.records.contracts) == [
        "Clinical portal",
        "Integration engine",
        "Patient portal",
    ]
    assert [s.name for s in plan.records.suppliers] == ["Orion Health Ltd"]
    assert not any("no contract title column" in w for w in plan.warnings)

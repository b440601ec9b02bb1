"""Spreadsheet columns for dated assurance: DSPT year, certificate expiry, review dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supplier_register.domain.enums import CyberEssentials, DsptStatus
from supplier_register.domain.models import Register
from supplier_register.importers.mapping import plan_columns
from supplier_register.importers.plan import ImportPlan
from supplier_register.importers.tabular import plan_table, read_table
from tests.importers.import_helpers import write_csv
from tests.support.registers import linked_register


def plan_csv(tmp_path: Path, text: str, existing: Register | None = None) -> ImportPlan:
    path = write_csv(tmp_path / "register.csv", text)
    return plan_table(read_table(path), existing or linked_register())


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("DSPT year", "supplier dspt year"),
        ("CE expiry", "supplier cyber essentials expiry"),
        ("Cyber Essentials expiry date", "supplier cyber essentials expiry"),
        ("DTAC date", "supplier dtac date"),
        ("Safety case date", "supplier clinical safety case date"),
        ("DCB0160", "supplier clinical risk assessment"),
        ("DCB0160 date", "supplier clinical risk assessment date"),
        ("DPIA", "supplier dpia done"),
        ("DPIA date", "supplier dpia date"),
        ("Last pen test", "supplier pen test date"),
        ("Penetration test", "supplier pen test date"),
    ],
)
def test_obvious_headers_are_recognised(header: str, field: str) -> None:
    columns = plan_columns(["Supplier", header])
    spec = columns.columns[1].spec
    assert spec is not None and spec.label == field


def test_dated_assurance_columns_fill_the_supplier(tmp_path: Path) -> None:
    text = (
        "Supplier,DSPT,DSPT year,Cyber Essentials,CE expiry,DTAC,DTAC date,DPIA,DPIA date,"
        "Last pen test\n"
        "Beta Cloud,Standards met,2025/26,CE+,03/03/2026,Yes,10/02/2026,Yes,12/06/2025,"
        "18/05/2026\n"
    )
    plan = plan_csv(tmp_path, text)
    assert plan.rejections == []
    beta = next(s for s in plan.records.suppliers if s.name == "Beta Cloud")
    assert (beta.dspt_status, beta.dspt_year) == (DsptStatus.STANDARDS_MET, "2025-26")
    assert beta.cyber_essentials is CyberEssentials.PLUS
    assert beta.cyber_essentials_expiry == dt.date(2026, 3, 3)
    assert (beta.dtac_complete, beta.dtac_date) == (True, dt.date(2026, 2, 10))
    assert (beta.dpia_done, beta.dpia_date) == (True, dt.date(2025, 6, 12))
    assert beta.pen_test_date == dt.date(2026, 5, 18)


def test_blank_cells_never_erase_a_recorded_date(tmp_path: Path) -> None:
    existing = linked_register()
    existing.suppliers[1] = existing.suppliers[1].model_copy(
        update={"cyber_essentials": CyberEssentials.BASIC, "pen_test_date": dt.date(2026, 1, 5)}
    )
    plan = plan_csv(tmp_path, "Supplier,CE expiry,Last pen test\nBeta Cloud,,\n", existing)
    assert plan.rejections == []
    assert {c.key: c.action for c in plan.changes}["Beta Cloud"] == "unchanged"


@pytest.mark.parametrize(
    ("row", "rejection"),
    [
        (
            "Beta Cloud,,2025-27,,",
            'row 2, column "DSPT year": must be two consecutive years, such as "2025-26"',
        ),
        (
            "Beta Cloud,Standards met,,,01/01/2025",
            "row 2, column \"DTAC date\": a date needs DTAC complete to be 'yes'",
        ),
    ],
)
def test_bad_cells_reject_the_row_naming_the_column(
    tmp_path: Path, row: str, rejection: str
) -> None:
    plan = plan_csv(tmp_path, f"Supplier,DSPT,DSPT year,DTAC,DTAC date\n{row}\n")
    assert [r.line() for r in plan.rejections] == [rejection]

"""Spreadsheets the way trusts keep them: totals, vocabularies outside the list, the preview."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.domain.enums import Criticality, SupplyCategory
from supplier_register.domain.models import Register
from supplier_register.importers.tabular import plan_table, read_table
from tests.importers.import_helpers import FIXTURES, write_csv, write_xlsx
from tests.support.registers import small_register


def plan_csv(tmp_path: Path, text: str, existing: Register | None = None):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "register.csv", text)
    return plan_table(read_table(path), existing or Register())


def run(*args: str, db: Path) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(
        main, ["--db", str(db), *args], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


# -- total and subtotal rows -----------------------------------------------------------

TOTALS = """\
Ref,Supplier,Service / System,Annual value,Notes
C1,Alpha Imaging Ltd,PACS,"£400,000",
C2,Beta Labs Ltd,LIMS,"£250,000",
,Sub-total clinical,,"£650,000",
C3,Gamma Networks Ltd,WAN,"£90,000",Total cost includes VAT
TOTAL,,,"£740,000",
,Grand total,,"£740,000",
,Subtotal,,£1,
,Total spend,,£1,
,Clinical total,,£1,
,Total,,£1,
,Total Mobile,,£1,
,Gamma Networks Ltd,Total,"£90,000",
,Total Mobile,Scheduling,"£30,000",
,Total Care Ltd,Home care,"£5,000",
"""


def test_total_and_subtotal_rows_are_skipped_wherever_the_label_sits(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, TOTALS)
    assert plan.skipped == [
        "row 4 skipped: a total row ('Sub-total clinical', column B)",
        "row 6 skipped: a total row ('TOTAL', column A)",
        "row 7 skipped: a total row ('Grand total', column B)",
        "row 8 skipped: a total row ('Subtotal', column B)",
        "row 9 skipped: a total row ('Total spend', column B)",
        "row 10 skipped: a total row ('Clinical total', column B)",
        "row 11 skipped: a total row ('Total', column B)",
        "row 12 skipped: a total row ('Total Mobile', column B)",
        "row 13 skipped: a total row ('Total', column C)",
    ]
    assert plan.rejections == []
    names = sorted(s.name for s in plan.records.suppliers)
    # a 'Total ...' beside other words is a supplier, and so is a company named 'Total ...'
    assert names == [
        "Alpha Imaging Ltd",
        "Beta Labs Ltd",
        "Gamma Networks Ltd",
        "Total Care Ltd",
        "Total Mobile",
    ]
    titles = sorted(c.title for c in plan.records.contracts)
    assert "Total" not in titles and "WAN" in titles  # the note 'Total cost ...' is data
    assert plan.items_read == 5


def test_total_rows_in_a_workbook_are_skipped_too(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "register.xlsx",
        [
            ["Supplier", "Service", "Annual value"],
            ["Alpha Imaging Ltd", "PACS", 400000],
            ["Sub-total clinical", None, 400000],
            [None, "TOTAL", 400000],
        ],
    )
    plan = plan_table(read_table(path), Register())
    assert plan.skipped == [
        "row 3 skipped: a total row ('Sub-total clinical', column A)",
        "row 4 skipped: a total row ('TOTAL', column B)",
    ]
    assert plan.rejections == [] and [s.name for s in plan.records.suppliers] == [
        "Alpha Imaging Ltd"
    ]


def test_strict_accepts_a_file_whose_only_oddity_is_totals(tmp_path: Path) -> None:
    sheet = write_csv(
        tmp_path / "register.csv",
        "Ref,Supplier,Service,Annual value\n"
        "C1,Alpha Imaging Ltd,PACS,400000\n"
        ",Sub-total clinical,,400000\n"
        "TOTAL,,,400000\n",
    )
    code, out, err = run("import", str(sheet), "--strict", db=tmp_path / "register.db")
    assert code == 0, err
    assert "  row 3 skipped: a total row ('Sub-total clinical', column B)" in out.splitlines()
    assert "  row 4 skipped: a total row ('TOTAL', column A)" in out.splitlines()
    assert "rejected: 0 rows" in out


# -- categories and criticalities in the trust's own words ----------------------------

VOCAB = """\
Supplier,Service,Category,Criticality
Alpha Ltd,PACS,Radiology,Tier 1
Beta Ltd,LIMS,Pathology,Business critical
Gamma Ltd,Office suite,Licences,Tier 2
Delta Ltd,Phones,Telephony,tier3
Epsilon Ltd,Printing,Software licences,Mission Critical
Zeta Ltd,Rostering,Workforce,Platinum
Eta Ltd,Portal,Patient portal,LOW
Theta Ltd,Kiosks,Devices,Moderate
"""


@pytest.mark.parametrize(
    ("name", "category", "criticality"),
    [
        ("Alpha Ltd", SupplyCategory.IMAGING_PACS, Criticality.STRATEGIC),
        ("Beta Ltd", SupplyCategory.PATHOLOGY_LIMS, Criticality.STRATEGIC),
        ("Gamma Ltd", SupplyCategory.OTHER, Criticality.HIGH),
        ("Delta Ltd", SupplyCategory.INFRASTRUCTURE_NETWORK, Criticality.MEDIUM),
        ("Epsilon Ltd", SupplyCategory.OTHER, Criticality.STRATEGIC),
        ("Zeta Ltd", SupplyCategory.OTHER, Criticality.MEDIUM),
        ("Eta Ltd", SupplyCategory.PATIENT_FACING_APP, Criticality.LOW),
        ("Theta Ltd", SupplyCategory.DEVICES, Criticality.MEDIUM),
    ],
)
def test_vocabulary_synonyms_and_values_outside_the_list(
    tmp_path: Path, name: str, category: SupplyCategory, criticality: Criticality
) -> None:
    plan = plan_csv(tmp_path, VOCAB)
    assert plan.rejections == []
    supplier = next(s for s in plan.records.suppliers if s.name == name)
    assert (supplier.category, supplier.criticality) == (category, criticality)


def test_values_outside_the_vocabulary_are_warned_on_their_row_never_rejected(
    tmp_path: Path,
) -> None:
    plan = plan_csv(tmp_path, VOCAB)
    assert plan.rejections == [] and len(plan.records.suppliers) == 8
    outside = [w for w in plan.warnings if "the register knows" in w]
    assert [w.split(":")[0] for w in outside] == [
        'row 4, column "Category"',
        'row 6, column "Category"',
        'row 7, column "Category"',
        'row 7, column "Criticality"',
    ]
    assert outside[0].startswith(
        "row 4, column \"Category\": 'Licences' is not a category the register knows (EPR, "
    )
    assert outside[0].endswith("'Gamma Ltd' has category Other; review it")
    assert outside[3].endswith("'Zeta Ltd' has criticality Medium; review it")


def test_a_value_outside_the_list_never_overwrites_what_the_register_holds(
    tmp_path: Path,
) -> None:
    existing = small_register()
    acme = existing.suppliers[0]
    text = f"Supplier,Category,Criticality\n{acme.name},Licences,Gold\n"
    plan = plan_csv(tmp_path, text, existing)
    assert plan.rejections == []
    assert [c.action for c in plan.changes if c.key == acme.name] == ["unchanged"]
    assert any(
        w.endswith(f"{acme.name!r} has criticality {acme.criticality.label}; review it")
        for w in plan.warnings
    )


# -- the preview: parsed values beside the cells as written ---------------------------

PREVIEW = """\
Supplier,Service / System,Annual value,End date,Notice (months),Auto-renews?,Criticality
Acme Health Ltd,EPR,£1.2m,31/3/27,6,Y,Tier 1
Acme Health Ltd,PACS,45500,30/9/26,3,No,Tier 1
"""


def test_every_new_record_shows_its_cells_beside_the_values_read(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, PREVIEW)
    by_key = {c.key: c for c in plan.changes}
    assert by_key["Acme Health Ltd / EPR"].readings == (
        "Annual value: £1.2m → £1,200,000",
        "End date: 31/3/27 → 31 Mar 2027",
        "Notice (months): 6 → 183 days",
        "Auto-renews?: Y → yes",
    )
    # a bare '45500' reads as £45,500; 'No' shows as the 'no' it is read as
    assert by_key["Acme Health Ltd / PACS"].readings == (
        "Annual value: 45500 → £45,500",
        "End date: 30/9/26 → 30 Sep 2026",
        "Notice (months): 3 → 91 days",
        "Auto-renews?: No → no",
    )
    assert by_key["Acme Health Ltd"].readings == ("rows 2, 3: Criticality: Tier 1 → Strategic",)


def test_a_changed_record_shows_the_cells_of_the_fields_that_change(tmp_path: Path) -> None:
    first = plan_csv(tmp_path, PREVIEW)
    again = PREVIEW.replace("31/3/27", "31/3/28").replace("Tier 1", "Tier 2")
    plan = plan_csv(tmp_path, again, first.records)
    by_key = {c.key: c for c in plan.changes}
    epr = by_key["Acme Health Ltd / EPR"]
    assert epr.action == "update"
    assert epr.readings == ("End date: 31/3/28 → 31 Mar 2028",)
    assert by_key["Acme Health Ltd / PACS"].action == "unchanged"
    assert by_key["Acme Health Ltd / PACS"].readings == ()
    assert by_key["Acme Health Ltd"].readings == ("rows 2, 3: Criticality: Tier 2 → High",)


def test_a_cell_that_records_nothing_shows_as_not_recorded(tmp_path: Path) -> None:
    """'TBC' is read as not recorded (never "no"), and the preview says so beside the cell."""
    sheet = PREVIEW.replace(",6,Y,", ",6,TBC,")
    plan = plan_csv(tmp_path, sheet)
    by_key = {c.key: c for c in plan.changes}
    assert "Auto-renews?: TBC → not recorded" in by_key["Acme Health Ltd / EPR"].readings
    # a blank cell says nothing, so it is not listed
    blank = plan_csv(tmp_path, PREVIEW.replace(",6,Y,", ",6,,"))
    readings = {c.key: c for c in blank.changes}["Acme Health Ltd / EPR"].readings
    assert not any(r.startswith("Auto-renews?") for r in readings)


def test_cli_dry_run_prints_the_readings_under_each_record(tmp_path: Path) -> None:
    sheet = write_csv(tmp_path / "register.csv", PREVIEW)
    code, out, err = run("import", str(sheet), "--dry-run", db=tmp_path / "register.db")
    assert code == 0, err
    lines = out.splitlines()
    at = lines.index("  create contract Acme Health Ltd / EPR (row 2)")
    assert lines[at + 1 : at + 3] == [
        "      Annual value: £1.2m → £1,200,000",
        "      End date: 31/3/27 → 31 Mar 2027",
    ]


# -- a register built the way trusts keep them (CSV, and the same as a workbook) -------

TRUST_CSV = FIXTURES / "trust_register.csv"
TRUST_XLSX = FIXTURES / "trust_register.xlsx"


@pytest.mark.parametrize("path", [TRUST_CSV, TRUST_XLSX], ids=["csv", "xlsx"])
def test_trust_register_totals_synonyms_and_unknown_vocabularies(path: Path) -> None:
    plan = plan_table(read_table(path), Register())
    assert plan.rejections == []
    assert plan.items_read == 7
    totals = [s for s in plan.skipped if "a total row" in s]
    assert [s.split("(", 1)[1] for s in totals] == [
        "'Sub-total clinical', column B)",
        "'Sub-total non-clinical', column C)",
        "'TOTAL', column A)",
    ]
    suppliers = {s.name: s for s in plan.records.suppliers}
    assert {n: (s.category, s.criticality) for n, s in suppliers.items()} == {
        "Orion Health Ltd": (SupplyCategory.EPR, Criticality.STRATEGIC),
        "Microsoft Ltd": (SupplyCategory.OTHER, Criticality.STRATEGIC),
        "Softcat PLC": (SupplyCategory.OTHER, Criticality.MEDIUM),
        "Virgin Media Business": (SupplyCategory.INFRASTRUCTURE_NETWORK, Criticality.HIGH),
        "Freshdesk Ltd": (SupplyCategory.OTHER, Criticality.MEDIUM),
    }
    orion = sorted(c.title for c in plan.records.contracts if c.supplier == "Orion Health Ltd")
    assert orion == ["Clinical portal", "Integration engine", "Patient portal"]
    values = {c.title: c.annual_value for c in plan.records.contracts}
    assert sum(v for v in values.values() if v is not None) == Decimal("3355900")
    outside = [w for w in plan.warnings if "the register knows" in w]
    assert [w.split(":", 1)[1].split(" is not", 1)[0].strip() for w in outside] == [
        "'Integration'",
        "'Licences'",
        "'Software licences'",
        "'Workforce'",
        "'Gold'",
    ]


def test_trust_register_reads_the_same_from_csv_and_xlsx() -> None:
    from_csv = plan_table(read_table(TRUST_CSV), Register())
    from_xlsx = plan_table(read_table(TRUST_XLSX), Register())
    assert from_csv.records == from_xlsx.records
    assert [s for s in from_xlsx.skipped if "section heading" in s] == [
        "row 5 skipped: section heading 'Clinical systems'",
        "row 10 skipped: section heading 'Corporate and infrastructure'",
    ]


@pytest.mark.parametrize("path", [TRUST_CSV, TRUST_XLSX], ids=["csv", "xlsx"])
def test_strict_imports_the_trust_register(tmp_path: Path, path: Path) -> None:
    db = tmp_path / "register.db"
    code, out, err = run("import", str(path), "--strict", db=db)
    assert code == 0, err
    assert "rejected: 0 rows" in out
    assert "Written in one transaction." in out.splitlines()
    code, out, _ = run("suppliers", db=db)
    assert code == 0 and "Orion Health Ltd" in out
    assert "Sub-total" not in out and "TOTAL" not in out

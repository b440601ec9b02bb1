"""Spreadsheet registers (CSV and XLSX): reading, matching columns, planning and applying."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from supplier_register.domain.enums import (
    ContractType,
    Criticality,
    PurchaseKind,
    Role,
    SupplyCategory,
)
from supplier_register.domain.errors import BadFile, InvalidInput
from supplier_register.domain.models import Register, Supplier
from supplier_register.importers.mapping import load_mapping
from supplier_register.importers.tabular import plan_table, read_table
from supplier_register.services.imports import apply_import, open_spreadsheet
from supplier_register.storage import Repository
from tests.importers.import_helpers import NOW, write_csv, write_xlsx
from tests.support.registers import dump, small_register

MESSY = """\
Northmoor Valley NHS FT - supplier register,,,,,,,,,
Last updated by J. Smith,,,,,,,,,
,,,,,,,,,
Supplier Name ,Contract,Contract End Date,Annual Cost (£k),Relationship Owner,Owner role,Notice (months),Auto-renews?,Internal ref,SME?
Acme [UK] Ltd,EPR licence and support,31/03/2027,900,Dana Whitfield,,6,Y,FIN-001,no
Zephyr Health Ltd,Theatre scheduling,30/9/26,£45.5k,Priya Shah,CIO,3,No,FIN-002,Yes
,,,,,,,,,
Zephyr Health Ltd,Theatre analytics add-on,2027-01-31,12.5,Priya Shah,CIO / CDO,3,no,FIN-003,yes
Quill Dictation,Digital dictation,31/02/2026,abc,,,,maybe,FIN-004,
TOTAL,,,958,,,,,,
"""


def plan_csv(tmp_path: Path, text: str, existing: Register | None = None, **kw: object):  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "register.csv", text)
    return plan_table(read_table(path), existing or Register(), **kw)  # type: ignore[arg-type]


def test_messy_headers_title_rows_units_and_unmatched_columns(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, MESSY)
    assert plan.columns == [
        "A 'Supplier Name' -> supplier name",
        "B 'Contract' -> contract title",
        "C 'Contract End Date' -> contract end date",
        "D 'Annual Cost (£k)' -> contract annual value",
        "E 'Relationship Owner' -> supplier owner",
        "F 'Owner role' -> owner role",
        "G 'Notice (months)' -> contract notice period days",
        "H 'Auto-renews?' -> contract auto renewal",
        "J 'SME?' -> supplier sme",
    ]
    assert plan.unmatched_columns == ["I 'Internal ref'"]
    assert plan.items_read == 4
    assert plan.skipped == ["row 10 skipped: a total row ('TOTAL', column A)"]
    contracts = {c.title: c for c in plan.records.contracts}
    epr = contracts["EPR licence and support"]
    assert epr.annual_value == Decimal("900000")
    assert epr.end_date == dt.date(2027, 3, 31)
    assert epr.notice_period_days == 183
    assert epr.auto_renewal is True
    assert epr.contract_type is ContractType.UNKNOWN
    assert epr.what_is_bought is PurchaseKind.UNKNOWN
    assert contracts["Theatre scheduling"].annual_value == Decimal("45500")
    assert contracts["Theatre analytics add-on"].annual_value == Decimal("12500")
    zephyr = next(s for s in plan.records.suppliers if s.name == "Zephyr Health Ltd")
    assert zephyr.sme is True and zephyr.owner == "Priya Shah"
    people = {p.name: p for p in plan.records.people}
    assert people["Priya Shah"].role is Role.CIO_CDO
    assert people["Dana Whitfield"].role is Role.OTHER


def test_every_bad_cell_is_reported_with_row_column_and_reason(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, MESSY)
    assert [r.line() for r in plan.rejections] == [
        "row 9, column \"Contract End Date\": '31/02/2026' is not a date: day is out of range "
        "for month",
        "row 9, column \"Annual Cost (£k)\": 'abc' is not an amount of money",
        "row 9, column \"Auto-renews?\": 'maybe' is not yes or no",
    ]
    assert plan.rejected_rows == [9]
    assert "Quill Dictation" not in {s.name for s in plan.records.suppliers}


def test_new_suppliers_get_reported_defaults_and_contracts_stay_unknown(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, MESSY)
    acme = next(s for s in plan.records.suppliers if s.name == "Acme [UK] Ltd")
    assert acme.category is SupplyCategory.OTHER
    assert acme.criticality is Criticality.MEDIUM
    assert "2 new supplier(s) have no criticality in the source: set to Medium; review them" in (
        plan.warnings
    )
    assert any("have no role in the source" in w for w in plan.warnings)


def test_blank_cells_never_erase_and_changes_are_listed(tmp_path: Path) -> None:
    text = (
        "Supplier,Criticality,Annual spend,Category,Company number\n"
        "ACME [UK] LIMITED,,1300000,,\n"
        "Beta Cloud,High,,Cloud hosting,\n"
    )
    plan = plan_csv(tmp_path, text, small_register())
    by_key = {c.key: c for c in plan.changes}
    update = by_key["Acme [UK] Ltd"]
    assert update.action == "update"
    assert update.fields == ("annual spend: £1,250,000.50 -> £1,300,000",)
    assert by_key["Beta Cloud"].action == "unchanged"
    acme = plan.records.suppliers[0]
    assert acme.name == "Acme [UK] Ltd"
    assert acme.criticality is Criticality.STRATEGIC
    assert acme.company_number == "01234567"
    assert acme.owner == "Dana Whitfield"
    assert plan.warnings == [
        "row 2: 'ACME [UK] LIMITED' matched to 'Acme [UK] Ltd' (same name once normalised)"
    ]


def test_company_number_matches_a_differently_named_supplier(tmp_path: Path) -> None:
    text = "Vendor,Company no\nAcme Holdings Group,1234567\n"
    plan = plan_csv(tmp_path, text, small_register())
    assert [c.line() for c in plan.changes] == ["unchanged supplier Acme [UK] Ltd (row 2)"]
    assert (
        "'Acme Holdings Group' matched to 'Acme [UK] Ltd' (same company number)"
        in (plan.warnings[0])
    )


def test_ambiguous_names_are_rejected_not_guessed(tmp_path: Path) -> None:
    existing = Register(
        suppliers=[
            Supplier(name="Acme Ltd", category="epr", criticality="high"),
            Supplier(name="ACME PLC", category="devices", criticality="low"),
        ]
    )
    plan = plan_csv(tmp_path, "Vendor,Annual spend\nAcme Limited,100\n", existing)
    assert [r.line() for r in plan.rejections] == [
        "row 2, column \"Vendor\": 'Acme Limited' is ambiguous: it could be any of "
        "'ACME PLC', 'Acme Ltd'"
    ]
    assert plan.records == Register()


def test_rows_that_disagree_about_a_supplier_and_repeated_contracts(tmp_path: Path) -> None:
    text = (
        "Supplier,Contract,Criticality,Contract end\n"
        "Acme,EPR,High,2027-03-31\n"
        "Acme,PACS,Low,2027-03-31\n"
        "acme,epr,,2028-03-31\n"
        "Acme,Network,,2026-01-01\n"
    )
    plan = plan_csv(tmp_path, text)
    assert [r.line() for r in plan.rejections] == [
        "row 3, column \"Criticality\": Low conflicts with High given for 'Acme' in row 2",
        "row 4, column \"Contract\": the contract 'epr' of 'Acme' is already in row 2",
    ]
    assert sorted(c.title for c in plan.records.contracts) == ["EPR", "Network"]


def test_row_without_supplier_or_title_is_rejected(tmp_path: Path) -> None:
    text = "Supplier,Contract,Contract end\n,EPR,2027-03-31\nAcme,,2027-03-31\n"
    plan = plan_csv(tmp_path, text)
    assert [r.line() for r in plan.rejections] == [
        'row 2, column "Supplier": empty: every row needs its supplier\'s name',
        'row 3, column "Contract": empty, but the row has contract details',
    ]


def test_sheet_without_title_column_titles_contracts_after_the_supplier(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, "Vendor,Expiry,Annual cost\nAcme,31/03/2027,£1k\n")
    assert plan.records.contracts[0].title == "Acme"
    assert plan.records.contracts[0].annual_value == Decimal("1000")
    assert "no contract title column" in plan.warnings[0]


def test_supplier_only_sheet_puts_annual_cost_on_the_supplier(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, 'Vendor,Annual cost,Notes\nAcme,"£12,000",Main EPR\n')
    assert plan.records.contracts == []
    assert plan.records.suppliers[0].annual_spend == Decimal("12000")
    assert plan.records.suppliers[0].notes == "Main EPR"


def test_end_before_start_is_rejected_by_the_model(tmp_path: Path) -> None:
    text = "Supplier,Contract,Start date,End date\nAcme,EPR,01/04/2027,31/03/2027\n"
    plan = plan_csv(tmp_path, text)
    assert [r.line() for r in plan.rejections] == [
        'row 2, column "End date": must not be before the start date, 1 Apr 2027'
    ]


def test_file_with_no_supplier_column_is_one_bad_file_line(tmp_path: Path) -> None:
    with pytest.raises(BadFile, match=r"no column for the supplier name in header row 1"):
        plan_csv(tmp_path, "Colour,Size\nred,big\n")


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("cp1252", ","), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_csv_encodings_and_delimiters_excel_writes(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    text = f'Supplier{delimiter}Annual spend\nCafé Systems Ltd{delimiter}"£1,500"\n'
    path = write_csv(tmp_path / "r.csv", text, encoding)
    plan = plan_table(read_table(path), Register())
    assert [(s.name, s.annual_spend) for s in plan.records.suppliers] == [
        ("Café Systems Ltd", Decimal("1500"))
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.csv", b"Supplier\x00,x\n", "not a text CSV file"),
        ("r.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx workbook"),
        ("r.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls files cannot be read"),
        ("r.pdf", b"%PDF", "not a spreadsheet"),
        ("r.csv", b"", "the file has no rows"),
    ],
)
def test_unreadable_files_are_one_bad_file_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadFile, match=message):
        plan_table(read_table(path), Register())


def test_xlsx_merged_cells_headings_typed_cells_and_sheet_choice(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Supplier register", None, None, None, None],
        ["Vendor", "Service", "Expiry", "Company number", "Annual cost"],
        ["Clinical systems", None, None, None, None],
        ["Acme Ltd", "EPR", dt.datetime(2027, 3, 31), 1234567, 900000],
        [None, "Maternity module", 46477, None, 45000.5],
        [None, None, None, None, None],
        ["Infrastructure", None, None, None, None],
        ["Beta Networks", "WAN", "31/03/2026", "SC123456", "#REF!"],
    ]
    path = write_xlsx(
        tmp_path / "register.xlsx",
        rows,
        merges=["A1:E1", "A3:E3", "A4:A5", "A7:E7"],
        sheet="Register",
        extra_sheets=[("Notes", [["Read me first"]])],
    )
    table = read_table(path)
    assert table.sheet == "Register"
    plan = plan_table(table, Register())
    assert plan.skipped == [
        "row 3 skipped: section heading 'Clinical systems'",
        "row 7 skipped: section heading 'Infrastructure'",
    ]
    contracts = {c.title: c for c in plan.records.contracts}
    assert contracts["EPR"].supplier == contracts["Maternity module"].supplier == "Acme Ltd"
    assert contracts["EPR"].end_date == dt.date(2027, 3, 31)
    assert contracts["Maternity module"].end_date == dt.date(2027, 3, 31)
    assert contracts["Maternity module"].annual_value == Decimal("45000.50")
    acme = next(s for s in plan.records.suppliers if s.name == "Acme Ltd")
    assert acme.company_number == "01234567"
    assert [r.line() for r in plan.rejections] == [
        "row 8, column \"Annual cost\": '#REF!' is a spreadsheet error, not a value"
    ]
    assert any("read sheet 'Register' of 2" in w for w in plan.warnings)


def test_xlsx_picks_the_sheet_that_looks_like_a_register(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [["Instructions"], ["Fill in the Suppliers sheet"]],
        sheet="Read me",
        extra_sheets=[("Suppliers", [["Supplier", "Criticality"], ["Acme", "High"]])],
    )
    table = read_table(path)
    assert table.sheet == "Suppliers"
    assert plan_table(table, Register()).records.suppliers[0].criticality is Criticality.HIGH


def test_mapping_file_overrides_guess_ignores_columns_and_sets_defaults(tmp_path: Path) -> None:
    mapping_path = tmp_path / "map.toml"
    mapping_path.write_text(
        'sheet = "Data"\nheader_row = 2\n'
        "[columns]\n"
        '"Org" = "supplier.name"\n'
        '"Deal" = "contract.title"\n'
        '"Cost per year" = "annual_value"\n'
        '"Internal ref" = "ignore"\n'
        '"Owner" = "ignore"\n'
        "[defaults]\n"
        '"supplier.criticality" = "high"\n'
        '"category" = "Managed service"\n'
        '"contract.contract_type" = "SaaS"\n',
        encoding="utf-8",
    )
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            ["Org", "x"],
            ["Org", "Deal", "Cost per year", "Internal ref", "Owner"],
            ["Acme", "Hosting", "£5,000", "R1", "Nobody"],
        ],
        sheet="Data",
        extra_sheets=[("Other", [["Supplier"], ["Wrong sheet Ltd"]])],
    )
    mapping = load_mapping(mapping_path)
    plan = plan_table(read_table(path, mapping.sheet), Register(), mapping)
    assert plan.unmatched_columns == []
    supplier = plan.records.suppliers[0]
    assert (supplier.name, supplier.criticality, supplier.category, supplier.owner) == (
        "Acme",
        Criticality.HIGH,
        SupplyCategory.MANAGED_SERVICE,
        None,
    )
    contract = plan.records.contracts[0]
    assert contract.annual_value == Decimal("5000")
    assert contract.contract_type is ContractType.SUBSCRIPTION_SAAS


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[columns\n", "not valid TOML"),
        ('[columns]\n"A" = "supplier.colour"\n', "columns.A: 'supplier.colour' is not a field"),
        ('[columns]\n"A" = "notes"\n', "'notes' is ambiguous"),
        ('[defaults]\n"criticality" = "extreme"\n', "defaults.criticality: 'extreme' is not one"),
        ('[defaults]\n"supplier.name" = "X"\n', "a name or title cannot have a default"),
        ("colour = 1\n", "colour: unknown field"),
        ("header_row = 0\n", "header_row: must be at least 1"),
    ],
)
def test_bad_mapping_files_are_one_line(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "map.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(BadFile, match=message):
        load_mapping(path)


def test_apply_writes_accepted_rows_and_their_provenance(tmp_path: Path, repo: Repository) -> None:
    path = write_csv(tmp_path / "register.csv", MESSY)
    applied = apply_import(repo, open_spreadsheet(path), NOW)
    assert applied.summary.suppliers.created == 2
    assert applied.summary.contracts.created == 3
    assert {s.name for s in repo.list_suppliers()} == {"Acme [UK] Ltd", "Zephyr Health Ltd"}
    zephyr = repo.find_supplier("Zephyr Health Ltd")
    lines = [p.describe() for p in repo.provenance(zephyr.id)]
    assert lines == [
        "contract 'Theatre analytics add-on': register.csv row 8, imported 2026-11-26 09:30",
        "contract 'Theatre scheduling': register.csv row 6, imported 2026-11-26 09:30; "
        "not in the source, set by default: supplier.category, supplier.criticality",
    ]
    again = apply_import(repo, open_spreadsheet(path), NOW)
    assert not again.plan.has_writes
    assert len(repo.provenance(zephyr.id)) == 2


def test_rejected_input_leaves_the_database_exactly_as_it_was(
    tmp_path: Path, loaded_repo: Repository
) -> None:
    before = dump(loaded_repo.db)
    only_bad = write_csv(
        tmp_path / "bad.csv", "Supplier,Contract end\nAcme [UK] Ltd,31/02/2027\n,x\n"
    )
    applied = apply_import(loaded_repo, open_spreadsheet(only_bad), NOW)
    assert applied.plan.rejected_rows == [2, 3]
    assert dump(loaded_repo.db) == before
    with pytest.raises(InvalidInput, match="row 9"):
        apply_import(
            loaded_repo, open_spreadsheet(write_csv(tmp_path / "m.csv", MESSY)), NOW, strict=True
        )
    assert dump(loaded_repo.db) == before
    not_csv = tmp_path / "x.csv"
    not_csv.write_bytes(b"\x00\x01\x02")
    with pytest.raises(BadFile):
        apply_import(loaded_repo, open_spreadsheet(not_csv), NOW)
    assert dump(loaded_repo.db) == before


def _big_register_rows() -> tuple[list[list[object]], set[int]]:
    """1,000 data rows (rows 2-1001) for 250 suppliers; every 20th row is bad in its own way."""
    faults = [
        ("Contract end", "31/02/2027"),
        ("Annual cost", "twelve grand"),
        ("Annual cost", "-£500"),  # a criticality outside the list is only a warning
        ("Supplier", ""),
        ("Contract end", "01/01/2020"),
        ("Auto renews", "perhaps"),
        ("Company number", "ABC"),
        ("Notice period (days)", "soon"),
        ("Annual cost", "$5,000"),
        ("Contract start", "2025-13-01"),
    ]
    header: list[object] = [
        "Supplier",
        "Company number",
        "Criticality",
        "Contract",
        "Contract start",
        "Contract end",
        "Annual cost",
        "Auto renews",
        "Notice period (days)",
    ]
    criticalities = ["Strategic", "High", "Medium", "Low"]
    rows: list[list[object]] = [header]
    bad: set[int] = set()
    for i in range(1000):
        supplier = i % 250
        row: list[object] = [
            f"Supplier {supplier:03d} Ltd",
            f"{10_000_000 + supplier:08d}",
            criticalities[supplier % 4],
            f"Contract {i:04d}",
            "01/04/2024",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/2027",
            f"£{1000 + i * 10:,}",
            "Yes" if i % 3 == 0 else "No",
            str(30 * (1 + i % 6)),
        ]
        if i % 20 == 7:
            column, value = faults[(i // 20) % len(faults)]
            row[header.index(column)] = value
            bad.add(i + 2)
        rows.append(row)
    return rows, bad


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_thousand_rows_with_five_percent_bad_reject_exactly_those_and_import_the_rest(
    tmp_path: Path, repo: Repository, fmt: str
) -> None:
    rows, bad = _big_register_rows()
    assert len(bad) == 50
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path = write_csv(tmp_path / "big.csv", buffer.getvalue())
    else:
        path = write_xlsx(tmp_path / "big.xlsx", rows)
    before = dump(repo.db)
    preview = open_spreadsheet(path).preview(repo)
    assert preview.items_read == 1000
    assert preview.rejected_rows == sorted(bad)
    assert preview.count("contract", "create") == 950
    assert preview.count("supplier", "create") == 250
    assert dump(repo.db) == before
    applied = apply_import(repo, open_spreadsheet(path), NOW)
    assert applied.plan.rejected_rows == sorted(bad)
    assert repo.counts()["contracts"] == 950
    assert repo.counts()["suppliers"] == 250
    titles = {c.title for c in repo.list_contracts()}
    assert titles == {f"Contract {r - 2:04d}" for r in range(2, 1002) if r not in bad}


def test_an_owner_name_that_cannot_be_a_person_points_at_the_owner_column(tmp_path: Path) -> None:
    plan = plan_csv(tmp_path, f"Supplier,Owner\nAcme,{'x' * 201}\n")
    assert [(r.row, r.column) for r in plan.rejections] == [(2, "Owner")]

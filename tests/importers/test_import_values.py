"""Reading spreadsheet cells the way UK registers write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from supplier_register.domain.enums import Criticality, SupplyCategory
from supplier_register.importers import values as v
from supplier_register.importers.mapping import FIELDS_BY_KEY, parse_cell
from supplier_register.importers.names import normalise_name

D = dt.date(2025, 3, 31)


@pytest.mark.parametrize(
    "cell",
    [
        "2025-03-31",
        "31/03/2025",
        "31/3/25",
        "31.03.2025",
        "31-03-2025",
        "31 March 2025",
        "31 Mar 2025",
        "31-Mar-25",
        "31st March 2025",
        "2025/03/31",
        "2025-03-31T00:00:00+01:00",
        "2025-03-31 00:00:00",
        "31/03/2025 00:00",
        45747,
        45747.0,
        "45747",
        dt.datetime(2025, 3, 31, 0, 0),
        dt.datetime(2025, 3, 31, 17, 30),
        dt.date(2025, 3, 31),
    ],
)
def test_uk_dates_iso_excel_serials_and_openpyxl_cells(cell: v.CellValue) -> None:
    assert v.parse_date(cell) == D


def test_two_digit_years_pivot_at_70() -> None:
    assert v.parse_date("1/4/69") == dt.date(2069, 4, 1)
    assert v.parse_date("1/4/70") == dt.date(1970, 4, 1)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31/02/2025", "day is out of range"),
        ("03/25/2025", "month 25 (dates are read day first)"),
        ("2025", "is a year, not a date"),
        ("Mar 2025", "is not a date"),
        ("31 Foo 2025", "unknown month 'foo'"),
        ("next April", "is not a date"),
        (12, "is not a date"),
        (True, "is not a date"),
        (float("nan"), "is not a date"),
        (dt.time(9, 0), "is not a date"),
    ],
)
def test_bad_dates_are_refused_with_the_text(cell: v.CellValue, reason: str) -> None:
    with pytest.raises(ValueError, match=r"is not a date|is a year") as caught:
        v.parse_date(cell)
    assert reason in str(caught.value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£1,250.50", Decimal("1250.50")),
        ("1250", Decimal("1250")),
        (" £ 10,000 ", Decimal("10000")),
        ("£250k", Decimal("250000")),
        ("250K", Decimal("250000")),
        ("£1.2m", Decimal("1200000")),
        ("£1.5 million", Decimal("1500000")),
        ("£10,000 + VAT", Decimal("10000")),
        ("£10,000 (ex VAT)", Decimal("10000")),
        ("12,000 pa", Decimal("12000")),
        ("GBP 5,000", Decimal("5000")),
        (1234.565, Decimal("1234.57")),
        (1500, Decimal("1500")),
        (Decimal("99.99"), Decimal("99.99")),
    ],
)
def test_money_in_pounds(cell: v.CellValue, expected: Decimal) -> None:
    assert v.parse_money(cell) == expected


def test_money_unit_from_the_header_multiplies() -> None:
    assert v.parse_money("250", Decimal(1000)) == Decimal("250000")
    assert v.parse_money(1.25, Decimal(1_000_000)) == Decimal("1250000")
    assert v.parse_money("£45.5k", Decimal(1000)) == Decimal("45500")


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1,5", "not an amount of money"),
        ("$100", "not in pounds"),
        ("€100", "not in pounds"),
        ("(100)", "negative"),
        ("-5", "negative"),
        (-5, "negative"),
        ("abc", "not an amount"),
        ("£", "not an amount"),
        (True, "not an amount"),
        (dt.date(2025, 1, 1), "not an amount"),
    ],
)
def test_bad_money_is_refused(cell: v.CellValue, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        v.parse_money(cell)


@pytest.mark.parametrize("cell", ["Yes", "y", "TRUE", "t", "1", 1, True, "✓", "Yes - signed 2023"])
def test_yes(cell: v.CellValue) -> None:
    assert v.parse_bool(cell) is True


@pytest.mark.parametrize(
    "cell", ["No", "n", "FALSE", "f", "0", 0, False, "✗", "No.", "no (lapsed)"]
)
def test_no(cell: v.CellValue) -> None:
    assert v.parse_bool(cell) is False


@pytest.mark.parametrize(
    "cell",
    ["", None, "TBC", "tbc", "Unknown", "n/a", "N/A", "?", "-", "Not recorded", "Don’t know"],
)
def test_not_recorded_is_none_never_no(cell: v.CellValue) -> None:
    assert v.parse_bool(cell) is None


@pytest.mark.parametrize("cell", ["maybe", "partly", 2, "yess"])
def test_neither_yes_nor_no(cell: v.CellValue) -> None:
    with pytest.raises(ValueError, match="is not yes or no"):
        v.parse_bool(cell)


@pytest.mark.parametrize("cell", ["", "  ", None, "n/a", "N/A", "TBC", "-", "unknown", "Not known"])
def test_blank_and_unknown_tokens(cell: v.CellValue) -> None:
    assert v.is_blank(cell)


def test_zero_and_no_are_values_not_blanks() -> None:
    assert not v.is_blank(0)
    assert not v.is_blank("No")


@pytest.mark.parametrize(
    ("cell", "unit", "days"),
    [
        ("90", "day", 90),
        ("90 days", "day", 90),
        ("12 weeks", "day", 84),
        ("3 months", "day", 91),
        ("six months", "day", 183),
        ("1 year", "day", 365),
        (3, "month", 91),
        ("6", "week", 42),
        (30, "day", 30),
    ],
)
def test_periods_in_days(cell: v.CellValue, unit: str, days: int) -> None:
    assert v.parse_days(cell, unit) == days


@pytest.mark.parametrize("cell", ["90.5", "soon", "-3 days", "3 fortnights"])
def test_bad_periods(cell: v.CellValue) -> None:
    with pytest.raises(ValueError, match="number of days"):
        v.parse_days(cell)


@pytest.mark.parametrize(
    ("cell", "months"),
    [("quarterly", 3), ("Annually", 12), ("6-monthly", 6), ("6", 6), ("1 year", 12), (12, 12)],
)
def test_review_cadence(cell: v.CellValue, months: int) -> None:
    assert v.parse_months(cell) == months


def test_company_number_regains_the_leading_zero_excel_dropped() -> None:
    assert v.parse_company_number(1234567.0) == "01234567"
    assert v.parse_company_number("sc 123456") == "SC123456"


def test_names_lose_stray_whitespace_and_numbers_their_dot_zero() -> None:
    assert v.parse_name("  Acme\u00a0 [UK]\n Ltd ") == "Acme [UK] Ltd"
    assert v.parse_text(2024.0) == "2024"


def test_lists_split_on_semicolons_lines_or_commas() -> None:
    assert v.parse_list("Riverside ICS; Hillside FT") == ["Riverside ICS", "Hillside FT"]
    assert v.parse_list("A, B") == ["A", "B"]
    assert v.parse_list("Foo, Bar NHS FT; Baz") == ["Foo, Bar NHS FT", "Baz"]


def test_enums_by_value_label_or_synonym_ignoring_case() -> None:
    category = FIELDS_BY_KEY["supplier.category"]
    assert parse_cell(category, "Imaging / PACS") is SupplyCategory.IMAGING_PACS
    assert parse_cell(category, "imaging_pacs") is SupplyCategory.IMAGING_PACS
    assert parse_cell(category, "PACS") is SupplyCategory.IMAGING_PACS
    criticality = FIELDS_BY_KEY["supplier.criticality"]
    assert parse_cell(criticality, "Business critical") is Criticality.STRATEGIC
    with pytest.raises(ValueError, match="'Extreme' is not one of: Strategic, High, Medium, Low"):
        parse_cell(criticality, "Extreme")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ACME LTD", "Acme Limited"),
        ("Acme (U.K.) Ltd", "ACME UK LIMITED"),
        ("A & B Systems plc", "A and B Systems PLC"),
        ("The Café Company Ltd.", "Cafe Company"),
    ],
)
def test_normalised_names_agree(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme UK Ltd", "Acme Ltd"),
        ("Acme Holdings", "Acme"),
        ("[x] 😀 شركة", "[x] Ltd"),
        ("北京科技", "上海科技"),
    ],
)
def test_normalised_names_keep_real_differences(a: str, b: str) -> None:
    assert normalise_name(a) != normalise_name(b)

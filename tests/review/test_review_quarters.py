"""Calendar quarters: parsing with one-line errors, bounds, order and arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest

from supplier_register.domain.bounds import add_months
from supplier_register.domain.errors import InvalidInput
from supplier_register.review.quarters import Quarter


@pytest.mark.parametrize(
    ("text", "year", "number"), [("2026-Q4", 2026, 4), ("2027-q1", 2027, 1), (" 2030-Q2 ", 2030, 2)]
)
def test_parse(text: str, year: int, number: int) -> None:
    assert Quarter.parse(text) == Quarter(year, number)


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-Q0", "2026Q4", "Q4-2026", "26-Q1", "", "2026-Q4x"]
)
def test_parse_rejects_with_one_line(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        Quarter.parse(text)
    assert info.value.message == f"quarter: {text!r} is not a calendar quarter like 2026-Q4"
    assert "\n" not in info.value.message


def test_parse_rejects_silly_years() -> None:
    with pytest.raises(InvalidInput, match="year 1999 is outside 2000-2100"):
        Quarter.parse("1999-Q4")


def test_bounds_order_and_shift() -> None:
    q = Quarter.parse("2026-Q4")
    assert (q.start, q.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert Quarter.parse("2028-Q1").end == dt.date(2028, 3, 31)
    assert q.shift(1) == Quarter(2027, 1) and q.shift(2) == Quarter(2027, 2)
    assert q.shift(-4) == Quarter(2025, 4)
    assert Quarter(2026, 3) < q < Quarter(2027, 1)
    assert Quarter.of(dt.date(2026, 11, 26)) == q and str(q) == "2026-Q4"


def test_add_months_clamps_month_end() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 6, 15), 12) == dt.date(2027, 6, 15)

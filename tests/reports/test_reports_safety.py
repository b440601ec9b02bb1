"""The formula guard: what it changes, what it leaves, and that it can be undone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supplier_register.reports.safety import (
    FORMULA_TRIGGERS,
    guard_cell,
    guard_row,
    is_formula_like,
    is_number,
    printable,
    unguard_cell,
)
from tests.support.reportdata import PAYLOADS


@pytest.mark.parametrize("payload", PAYLOADS[:7])
def test_guard_prefixes_formula_starts(payload: str) -> None:
    assert guard_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    "text", ["Acme Ltd", "", "1+1", "a=b", " =1", "<script>alert(1)</script>", "Café"]
)
def test_guard_leaves_plain_text(text: str) -> None:
    assert guard_cell(text) == text


def test_a_real_leading_quote_is_guarded_so_the_guard_reverses() -> None:
    assert guard_cell("'quoted") == "''quoted"
    assert unguard_cell(guard_cell("'quoted")) == "'quoted"
    assert unguard_cell(guard_cell("'=1")) == "'=1"


@given(st.text())
def test_unguard_inverts_guard(text: str) -> None:
    guarded = guard_cell(text)
    assert unguard_cell(guarded) == text
    assert not guarded.startswith(FORMULA_TRIGGERS)


def test_numbers_are_numbers_not_bools() -> None:
    assert is_number(-1) and is_number(2.5)
    assert not is_number(True) and not is_number("1")


def test_printable_replaces_control_characters_only() -> None:
    assert printable("a\x00b\x1fc\td\ne\rf") == "a\ufffdb\ufffdc\td\ne\rf"


def test_guard_row_guards_text_only() -> None:
    assert guard_row(["=1", -1, None, "ok", 2.5]) == ["'=1", -1, None, "ok", 2.5]
    assert is_formula_like("@x") and not is_formula_like(-1) and not is_formula_like("x")

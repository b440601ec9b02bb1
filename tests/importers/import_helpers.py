"""Helpers for the import tests: write spreadsheets the way people make them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import openpyxl

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write CSV text as a spreadsheet program would (CRLF line ends)."""
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    sheet: str = "Register",
    extra_sheets: Sequence[tuple[str, Sequence[Sequence[object]]]] = (),
    number_formats: dict[str, str] | None = None,
) -> Path:
    """Write a workbook: ``rows`` on ``sheet`` (first), merged ranges, other sheets after it."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = sheet
    for row in rows:
        first.append(list(row))
    for cells in merges:
        first.merge_cells(cells)
    for cell, fmt in (number_formats or {}).items():
        first[cell].number_format = fmt
    for name, other_rows in extra_sheets:
        other = workbook.create_sheet(name)
        for row in other_rows:
            other.append(list(row))
    workbook.save(path)
    return path

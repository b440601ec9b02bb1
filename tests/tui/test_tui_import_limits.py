"""The TUI import refuses hostile files through the same checks as the CLI, in one inline line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from textual.widgets import Button, Input, Static

from supplier_register.importers import limits
from supplier_register.tui.screens.import_screen import DataImportScreen
from tests.tui.tui_support import dump, make_app, settle, write_register_db

SHEET = "xl/worksheets/sheet1.xml"


def whole_sheet_workbook(path: Path) -> Path:
    """A 5 KB workbook whose one sheet declares all 1,048,576 rows by 16,384 columns."""
    base = path.with_name("base.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Supplier"])
    sheet.append(["Acme Ltd"])
    workbook.save(base)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == SHEET:
                assert b'<dimension ref="A1:A2" />' in data
                data = data.replace(b'"A1:A2"', b'"A1:XFD1048576"')
            target.writestr(info, data)
    return path


async def test_hostile_files_are_refused_inline_and_change_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_db = write_register_db(tmp_path)
    bomb = whole_sheet_workbook(tmp_path / "bomb.xlsx")
    monkeypatch.setattr(limits, "MAX_CSV_BYTES", 64)
    big_csv = tmp_path / "big.csv"
    big_csv.write_text("Supplier\n" + "Acme Ltd\n" * 20, encoding="utf-8")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        for path, message in (
            (
                bomb,
                "bomb.xlsx: sheet 'Sheet' declares 1,048,576 rows (A1:XFD1048576), "
                "beyond the 100,000-row limit",
            ),
            (big_csv, "big.csv: the CSV file is larger than the 64 bytes limit (189 bytes)"),
        ):
            screen.query_one("#import-data-path", Input).value = str(path)
            await pilot.press("enter")
            await settle(pilot)
            error = str(screen.query_one("#import-data-error", Static).render())
            assert error.splitlines() == [message, "Nothing was imported."]
            assert screen.query_one("#import-data-apply", Button).disabled
        await pilot.press("escape")
        await settle(pilot)
    assert dump(register_db) == before

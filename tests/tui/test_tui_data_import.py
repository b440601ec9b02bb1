"""The TUI import of spreadsheets and published contract data: preview, errors, confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Input, Log, Static

from supplier_register.storage import Repository, open_database
from supplier_register.tui.screens.import_screen import DataImportScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.blocks import BlockView
from tests.tui.tui_support import dump, make_app, settle, table_rows, write_register_db

FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"
SHEET = """\
Supplier,Contract,Contract end,Annual cost,Owner
Acme [UK] Ltd,EPR licence and support,31/03/2028,"£950,000",Dana Whitfield
[@click=app.quit]x[/] Ltd,Thing,2027-01-01,£1k,
Broken Ltd,Widget,31/02/2027,£5,
"""


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def _text(screen: DataImportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_spreadsheet_preview_lists_rejections_then_imports_the_rest(
    register_db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        screen.query_one("#import-data-path", Input).value = str(sheet)
        before = dump(register_db)
        await pilot.press("enter")
        await settle(pilot)
        summary = _text(screen, "#import-data-summary")
        assert "would be created: 1 suppliers, 1 contracts" in summary
        assert "rejected: 1 row" in summary
        log = "\n".join(screen.query_one(Log).lines)
        assert "row 4, column \"Contract end\": '31/02/2027' is not a date" in log
        assert "create supplier [@click=app.quit]x[/] Ltd (row 3)" in log
        # the parsed values beside the cells as written, for new and changed records
        assert "      Contract end: 2027-01-01 → 1 Jan 2027" in log
        assert "      Annual cost: £1k → £1,000" in log
        assert "      Contract end: 31/03/2028 → 31 Mar 2028" in log
        assert dump(register_db) == before
        apply = screen.query_one("#import-data-apply", Button)
        assert not apply.disabled
        await pilot.click("#import-data-apply")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    names = {row[1] for row in table_rows(register_db, "suppliers")}
    assert "[@click=app.quit]x[/] Ltd" in names
    assert "Broken Ltd" not in names


async def test_bad_file_and_several_buyers_are_shown_inline_and_change_nothing(
    register_db: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)  # as loaded (and scored: the score cache written)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        screen.query_one("#import-data-path", Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        error = _text(screen, "#import-data-error")
        assert "bad.xlsx: not a readable .xlsx workbook" in error
        assert screen.query_one("#import-data-apply", Button).disabled
        package = FIXTURES / "ocds_release_package.json"
        screen.query_one("#import-data-path", Input).value = str(package)
        await pilot.press("enter")
        await settle(pilot)
        assert "has 2 buyers; choose one of" in _text(screen, "#import-data-error")
        screen.query_one("#import-data-buyer", Input).value = "GB-NHS-RNV"
        await pilot.press("enter")
        await settle(pilot)
        assert "would be created: 3 suppliers, 5 contracts" in _text(screen, "#import-data-summary")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    assert dump(register_db) == before


async def test_register_changed_after_preview_refuses_to_import(
    register_db: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        screen.query_one("#import-data-path", Input).value = str(sheet)
        await pilot.press("enter")
        await settle(pilot)
        db = open_database(register_db)
        try:
            repo = Repository(db)
            acme = repo.find_supplier("Acme [UK] Ltd")
            contract = next(c for c in repo.list_contracts(acme.id) if c.title.startswith("EPR"))
            repo.update_contract(contract.id, contract.model_copy(update={"notes": "changed"}))
        finally:
            db.close()
        before = dump(register_db)
        await pilot.click("#import-data-apply")
        await settle(pilot)
        assert isinstance(app.screen, DataImportScreen)
        assert "changed since the import was previewed" in _text(screen, "#import-data-error")
    assert dump(register_db) == before


async def test_imported_supplier_screen_shows_where_it_came_from(
    register_db: Path, tmp_path: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        screen.query_one("#import-data-path", Input).value = str(
            FIXTURES / "ocds_release_package.json"
        )
        screen.query_one("#import-data-buyer", Input).value = "Northmoor Valley"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#import-data-apply")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        db = open_database(register_db)
        try:
            acme_id = Repository(db).find_supplier("Acme [UK] Ltd").id
            cobalt_id = Repository(db).find_supplier("Cobalt Devices").id
        finally:
            db.close()
        app.open_supplier(acme_id)
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        text = [str(b.content) for b in app.screen.query_one("#overview-body", BlockView).blocks]
        where = text.index("Where this came from")
        assert text[where + 1].startswith(
            "• contract 'EPR support and maintenance': OCDS ocds-b5fd17-0001 contract 1, release "
        )
        assert "from ocds_release_package.json, imported " in text[where + 1]
        assert text[where + 2].startswith("• contract 'Network refresh': OCDS ocds-b5fd17-0002")
        await pilot.press("escape")
        await settle(pilot)
        app.open_supplier(cobalt_id)
        await settle(pilot)
        text = [str(b.content) for b in app.screen.query_one("#overview-body", BlockView).blocks]
        assert "Where this came from" not in text


async def test_ctrl_s_previews_then_imports(register_db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "register.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DataImportScreen)
        screen.query_one("#import-data-path", Input).value = str(sheet)
        before = dump(register_db)
        await pilot.press("ctrl+s")  # first the preview: nothing written
        await settle(pilot)
        assert isinstance(app.screen, DataImportScreen)
        assert "would be created: 1 suppliers" in _text(screen, "#import-data-summary")
        assert dump(register_db) == before
        await pilot.press("ctrl+s")  # then the import
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    assert "[@click=app.quit]x[/] Ltd" in {row[1] for row in table_rows(register_db, "suppliers")}

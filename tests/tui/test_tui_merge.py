"""Merging a duplicate supplier into the one on screen: choose, read what moves, confirm."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from supplier_register.domain import Contract, Register, Supplier
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.merge import MergeChooser
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import dump, make_app, settle, write_register_db

KEEP = "Trustmarque"
DROP = "TRUSTMARQUE SOLUTIONS LIMITED"


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(
        tmp_path,
        Register(
            suppliers=[
                Supplier(name="Beta Cloud", category="cloud_hosting", criticality="high"),
                Supplier(name=KEEP, category="other", criticality="high"),
                Supplier(name=DROP, category="other", criticality="low"),
            ],
            contracts=[
                Contract(
                    supplier=DROP,
                    title="Licences",
                    what_is_bought="commodity",
                    contract_type="subscription_saas",
                )
            ],
        ),
    )


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM suppliers ORDER BY name")]


async def open_merge(pilot, name: str) -> MergeChooser:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SupplierScreen)
    await pilot.press("m")
    await settle(pilot)
    chooser = pilot.app.screen
    assert isinstance(chooser, MergeChooser)
    return chooser


async def test_merge_a_possible_duplicate_from_the_supplier_screen(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chooser = await open_merge(pilot, KEEP)
        options = chooser.query_one(OptionList)
        # the possible duplicate comes first, flagged; then everyone else
        first = str(options.get_option_at_index(0).prompt)
        assert first.startswith(DROP) and "possible duplicate" in first
        assert str(options.get_option_at_index(1).prompt) == "Beta Cloud"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        body = str(app.screen.query_one(".dialog-body", Static).render())
        assert "contracts would move: 1 contract (Licences)" in body
        before = dump(register_db)
        await pilot.press("n")  # cancelled: nothing written
        await settle(pilot)
        assert dump(register_db) == before
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert names(register_db) == ["Beta Cloud", KEEP]
        with sqlite3.connect(register_db) as conn:
            owner = conn.execute(
                "SELECT s.name FROM contracts c JOIN suppliers s ON s.id = c.supplier_id"
            ).fetchall()
        assert owner == [(KEEP,)]
        register = next(s for s in app.screen_stack if isinstance(s, RegisterScreen))
        table_names = [r.name for r in register.query_one(RegisterTable).rows]
        assert sorted(table_names) == ["Beta Cloud", KEEP]


async def test_a_supplier_changed_after_the_preview_is_not_merged(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_merge(pilot, KEEP)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        with sqlite3.connect(register_db) as conn:  # someone else edits DROP meanwhile
            conn.execute(
                "UPDATE suppliers SET notes = 'x', version = version + 1 WHERE name = ?", [DROP]
            )
        before = dump(register_db)
        await pilot.press("y")
        await settle(pilot)
        assert dump(register_db) == before
        assert names(register_db) == ["Beta Cloud", KEEP, DROP]


async def test_import_preview_says_possible_duplicate(register_db: Path, tmp_path: Path) -> None:
    from textual.widgets import Input, Log

    from supplier_register.tui.screens.import_screen import DataImportScreen

    sheet = tmp_path / "more.csv"
    sheet.write_text("Supplier,Category\nBeta Cloud Services Ltd,Cloud hosting\n", encoding="utf-8")
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
        log = "\n".join(screen.query_one(Log).lines)
        assert (
            "new supplier 'Beta Cloud Services Ltd' (row 2): possible duplicate of 'Beta Cloud'"
            in log
        )
        assert dump(register_db) == before

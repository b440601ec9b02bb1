"""The trust profile's form (key P, and the command palette): a bad figure is refused under its
field with nothing written, a good one saved with the day, and a profile somebody else saved
while the form was open is refused inline with the database left as it was."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from supplier_register.domain import TrustProfile
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.help import help_content
from tests.tui.tui_support import TODAY, dump, make_app, settle, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def stored(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT ics, digital_staff, commercial_staff, contractors, updated_on, version "
            "FROM trust_profile"
        ).fetchall()


def form(app: SupplierRegisterApp) -> FormScreen[Any, Any]:
    screen = app.screen
    assert isinstance(screen, FormScreen)
    return screen


def fill(screen: FormScreen[Any, Any], **values: str) -> None:
    for name, value in values.items():
        screen.query_one(f"#field-{name}", Input).value = value


def text(screen: FormScreen[Any, Any], selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.visual) if widget.display else ""


async def test_record_the_profile_in_its_form(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        edit = form(app)
        assert edit.initial_raw == {
            "ics": "",
            "digital_staff": "",
            "commercial_staff": "",
            "contractors": "",
        }
        fill(edit, ics="Fellside ICS", digital_staff="38", commercial_staff="-1")
        fill(edit, contractors="14.5")
        before = dump(register_db)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form(app) is edit  # refused under its field, nothing written
        assert text(edit, "#error-commercial_staff") == "input should be greater than or equal to 0"
        assert dump(register_db) == before
        fill(edit, commercial_staff="2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    assert stored(register_db) == [("Fellside ICS", 38.0, 2.0, 14.5, TODAY.isoformat(), 1)]


async def test_a_profile_saved_meanwhile_by_someone_else_is_refused_inline(
    register_db: Path,
) -> None:
    db = open_database(register_db)
    try:
        Repository(db).save_profile(TrustProfile(digital_staff=Decimal(10)), expected_version=0)
    finally:
        db.close()
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        edit = form(app)
        assert edit.initial_raw["digital_staff"] == "10.0"
        db = open_database(register_db)
        try:
            repo = Repository(db)
            record = repo.get_profile()
            assert record is not None
            repo.save_profile(record.model_copy(update={"contractors": Decimal(4)}), 1)
        finally:
            db.close()
        before = dump(register_db)
        fill(edit, digital_staff="12")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form(app) is edit
        error = text(edit, "#form-error")
        assert error.startswith("trust profile: changed by someone else since you opened it")
        assert edit.query_one("#field-digital_staff", Input).value == "12"
        assert dump(register_db) == before


async def test_the_profile_is_offered_in_the_palette_and_the_help(register_db: Path) -> None:
    shown = str(help_content())
    assert "The trust's profile: ICS, in-house digital and commercial staff, contractors" in shown
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        commands = {c.title: c for c in RegisterCommands(app.screen).commands()}
        title = "The trust's profile: ICS, in-house digital and commercial staff, contractors"
        assert commands[title].help == "Key: P"
        await commands[title].run()
        await settle(pilot)
        assert form(app).fields[0].name == "ics"

"""Dated assurance in the TUI: the supplier form saves the dates, the overview shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from supplier_register.domain import SupplierRecord
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import assurance_lines
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.test_tui_services import fill
from tests.tui.tui_support import make_app, settle, table_rows, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def stored(path: Path, name: str) -> SupplierRecord:
    db = open_database(path)
    try:
        return Repository(db).find_supplier(name)
    finally:
        db.close()


async def open_edit(
    app: SupplierRegisterApp, pilot: Pilot[None], name: str
) -> FormScreen[Any, Any]:
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


async def test_the_dates_round_trip_through_the_supplier_form(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_edit(app, pilot, "Beta Cloud")
        assert form.initial_raw["cyber_essentials_expiry"] == ""  # not recorded
        assert form.initial_raw["dpia_done"] is None  # unknown
        values = {
            "dspt_status": "standards_met",
            "dspt_year": "2025-26",
            "cyber_essentials": "plus",
            "cyber_essentials_expiry": "2026-03-03",
            "dpia_done": "yes",
            "dpia_date": "2025-06-12",
            "pen_test_date": "2026-05-18",
        }
        fill(form, **values)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        saved = stored(register_db, "Beta Cloud")
        assert saved.dspt_year == "2025-26"
        assert saved.cyber_essentials_expiry == dt.date(2026, 3, 3)
        assert (saved.dpia_done, saved.dpia_date) == (True, dt.date(2025, 6, 12))
        assert saved.pen_test_date == dt.date(2026, 5, 18)
        assert saved.dtac_date is None  # untouched: still not recorded
        again = await open_edit(app, pilot, "Beta Cloud")
        assert {k: again.initial_raw[k] for k in values} == values | {"dpia_done": True}


async def test_a_date_without_its_assurance_is_named_on_the_field(register_db: Path) -> None:
    before = table_rows(register_db, "suppliers"), table_rows(register_db, "audit_log")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_edit(app, pilot, "Beta Cloud")
        fill(form, dtac_date="2025-01-01")  # DTAC complete is still "unknown"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = form.query_one("#error-dtac_date", Static)
        assert error.display
        assert "a date needs DTAC complete to be 'yes'" in str(error.visual)
    assert (table_rows(register_db, "suppliers"), table_rows(register_db, "audit_log")) == before


def test_the_overview_flags_what_has_lapsed_and_says_what_is_not_recorded() -> None:
    supplier = SupplierRecord.model_validate(
        {
            "id": 1,
            "name": "Acme",
            "category": "epr",
            "criticality": "high",
            "dspt_status": "standards_met",
            "dspt_year": "2024-25",
            "cyber_essentials": "plus",
            "cyber_essentials_expiry": "2026-03-03",
            "dtac_complete": True,
            "clinical_safety_case": False,
            "dpia_done": True,
            "dpia_date": "2026-06-01",
            "pen_test_date": "2025-09-22",
        }
    )
    lines = [
        " ".join(line.plain.split()) for line in assurance_lines(supplier, dt.date(2026, 12, 7))
    ]
    fresh = supplier.model_copy(update={"cyber_essentials_expiry": dt.date(2027, 4, 30)})
    assert "Plus · expires 2027-04-30" in assurance_lines(fresh, dt.date(2026, 12, 7))[1].plain
    assert lines == [
        "DSPT status Standards met · 2024-25 · DSPT 2025-26 submission was due 2026-06-30",
        "Cyber Essentials Cyber Essentials Plus · expired 2026-03-03",
        "DTAC complete Yes · date not recorded",
        "Clinical safety case No",
        "DCB0160 assessment Unknown",
        "DPIA Yes · 2026-06-01",
        "Last pen test 2025-09-22 · penetration test was due 2026-09-22",
    ]

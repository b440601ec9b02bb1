"""The edit forms refuse dates, amounts and numbers outside the register's bounds, inline."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static

from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.services.reviews import start_review
from supplier_register.storage import Repository, open_database
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.review import ActionForm, ReviewScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.support.bounds import spoil
from tests.tui.tui_support import dump, make_app, settle, write_register_db

WINDOW = "must be between 1 Jan 1900 and 31 Dec 2200"


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def error_of(form: FormScreen, field: str) -> str:
    widget = form.query_one(f"#error-{field}", Static)
    assert widget.display
    return str(widget.visual)


async def test_contract_form_shows_bounds_errors_inline_and_saves_nothing(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        assert table.move_to_id(next(r.id for r in table.rows if r.name == "Cobalt Devices"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        before = dump(register_db)
        await pilot.press("2")
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        values = {
            "title": "Laptops",
            "what_is_bought": "commodity",
            "contract_type": "pay_as_you_go",
            "end_date": "9999-12-31",
            "start_date": "0001-01-05",
            "annual_value": "£2,000,000,000,000",
            "notice_period_days": "99999999999999999999",
        }
        for name, value in values.items():
            form.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open, showing the problems
        assert set(form.errors) == {"start_date", "end_date", "annual_value", "notice_period_days"}
        assert error_of(form, "end_date") == f"End date {WINDOW}"
        assert error_of(form, "start_date") == f"Start date {WINDOW}"
        assert error_of(form, "annual_value") == (
            "Annual value (£): '£2,000,000,000,000' is more than £1,000,000,000,000, the most "
            "an amount can be"
        )
        assert error_of(form, "notice_period_days") == "Notice period (days) must be at most 3650"
    assert dump(register_db) == before


async def test_supplier_form_refuses_a_last_review_in_year_9999(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        before = dump(register_db)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        values = {
            "name": "Echo Ltd",
            "category": "devices",
            "criticality": "low",
            "last_review": "9999-12-31",
            "review_cadence_months": "99999999999999999999",
        }
        for name, value in values.items():
            form.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert set(form.errors) == {"last_review", "review_cadence_months"}
        assert error_of(form, "last_review") == f"Last review {WINDOW}"
    assert dump(register_db) == before
    with sqlite3.connect(register_db) as conn:
        assert conn.execute(
            "SELECT count(*) FROM suppliers WHERE name = 'Echo Ltd'"
        ).fetchone() == (0,)


class ReviewHost(App[None]):
    """The smallest app the review screen runs in: a database path and a day."""

    def __init__(self, db_path: Path, today: dt.date) -> None:
        super().__init__()
        self.db_path = db_path
        self.today = today

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen())


async def test_review_action_form_refuses_a_due_date_in_year_9999(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    today = dt.date(2026, 11, 26)
    db = open_database(path)
    try:
        Repository(db).import_register(read_register_file(sample_register_path()))
        start_review(db, "2026-Q4", today)
    finally:
        db.close()
    app = ReviewHost(path, today)
    async with app.run_test(size=(140, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = dump(path)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        form.query_one("#what", Input).value = "Check the exit plan"
        form.query_one("#owner", Input).value = "Dana Whitfield"
        form.query_one("#due", Input).value = "9999-12-31"
        await pilot.click("#save")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is form
        assert f"Due {WINDOW}" in str(form.query_one("#error", Static).render())
    assert dump(path) == before


async def test_a_register_holding_values_outside_the_bounds_opens_and_scores(
    tmp_path: Path,
) -> None:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    spoil(path)
    app = make_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        assert all(row.score is not None for row in table.rows)  # every supplier scored
        for key in ("b", "escape", "v", "escape"):
            await pilot.press(key)
            await settle(pilot)
        assert table.move_to_id(table.rows[0].id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        for tab in "12345":
            await pilot.press(tab)
            await settle(pilot)

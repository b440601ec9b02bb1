"""Screenshots of the main screens at 120x40 and 80x24 (frozen date, cursors not blinking).

Update them with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update`` after an
intended change, and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import make_app, settle, still_cursor, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    """A register database file holding the known register."""
    return write_register_db(tmp_path)


SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]

Step = Callable[[Pilot[None], SupplierRegisterApp], Awaitable[None]]


def prepare(app: SupplierRegisterApp, step: Step | None = None) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app.sub_title = "register.db"  # not the temporary path
        if step is not None:
            await step(pilot, app)
            await settle(pilot)
        still_cursor(app)
        await pilot.pause()

    return run_before


async def open_acme(pilot: Pilot[None], app: SupplierRegisterApp) -> None:
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == "Acme [UK] Ltd"))
    await pilot.press("enter")


async def form_with_error(pilot: Pilot[None], app: SupplierRegisterApp) -> None:
    await pilot.press("a")
    await pilot.pause()
    app.screen.query_one("#field-name").value = "Delta [Health] 😀"  # type: ignore[attr-defined]
    app.screen.query_one("#field-company_number").value = "12-34"  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")


async def board(pilot: Pilot[None], app: SupplierRegisterApp) -> None:
    await pilot.press("b")


@pytest.mark.parametrize("size", SIZES)
def test_register_screen(snap_compare: Any, register_db: Path, size: tuple[int, int]) -> None:
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app))


@pytest.mark.parametrize("size", SIZES)
def test_supplier_screen(snap_compare: Any, register_db: Path, size: tuple[int, int]) -> None:
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, open_acme))


@pytest.mark.parametrize("size", SIZES)
def test_form_with_errors(snap_compare: Any, register_db: Path, size: tuple[int, int]) -> None:
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, form_with_error))


@pytest.mark.parametrize("size", SIZES)
def test_board_questions_screen(
    snap_compare: Any, register_db: Path, size: tuple[int, int]
) -> None:
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, board))


async def board_questions(pilot: Pilot[None], app: SupplierRegisterApp) -> None:
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("2")


def test_board_questions_tab(snap_compare: Any, register_db: Path) -> None:
    """The board questions: one ranked list, one numbering, the trust's own among them."""
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=(120, 40), run_before=prepare(app, board_questions))


async def deadlines(pilot: Pilot[None], app: SupplierRegisterApp) -> None:
    await pilot.press("D")
    await settle(pilot)
    await pilot.press("4")  # every deadline: overdue ones, and those years ahead


@pytest.mark.parametrize("size", SIZES)
def test_deadlines_screen(snap_compare: Any, register_db: Path, size: tuple[int, int]) -> None:
    """What falls due when, soonest first, the overdue ones in red with the days since."""
    app = make_app(register_db)
    assert snap_compare(app, terminal_size=size, run_before=prepare(app, deadlines))

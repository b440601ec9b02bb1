"""Live refresh (issue 17, point 5): while the TUI is open, another program changes the register;
the TUI shows the change without ctrl+r, the cursor staying on its supplier, and an open form on a
record changed or deleted meanwhile says so before saving."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

import supplier_register
from supplier_register.domain import Criticality, Register, Supplier
from supplier_register.interchange import dump_register_json
from supplier_register.services.register_view import FirstScreen
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import LIVE_REFRESH, SupplierRegisterApp
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import ContractList
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import HOSTILE_NAME, TODAY, make_app, settle, write_register_db

WAIT = 20.0
"""Seconds a test waits for something before it fails (a bound, never a timing assertion)."""


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


@contextmanager
def another_program(path: Path) -> Iterator[Repository]:
    """A repository on a connection of its own, as a second TUI or the CLI would have."""
    db = open_database(path)
    try:
        yield Repository(db)
    finally:
        db.close()


async def wait_until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT
    while not condition():
        assert loop.time() < deadline, f"never happened: {what}"
        await pilot.pause(0.05)


def names(table: RegisterTable) -> set[str]:
    return {row.name for row in table.rows}


def highlight(app: SupplierRegisterApp, name: str) -> int:
    table = app.screen.query_one(RegisterTable)
    supplier_id = next(row.id for row in table.rows if row.name == name)
    table.move_to_id(supplier_id)
    return supplier_id


def notes(app: SupplierRegisterApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("incremental_from", [2000, 1], ids=["full-read", "changed-only"])
async def test_a_change_made_elsewhere_shows_without_reload_and_the_cursor_stays(
    register_db: Path, incremental_from: int
) -> None:
    app = SupplierRegisterApp(
        register_db, today=TODAY, incremental_from=incremental_from, live_refresh=LIVE_REFRESH
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        cobalt = highlight(app, "Cobalt Devices")
        await pilot.pause()
        before = [row.id for row in table.rows]
        with another_program(register_db) as repo:
            beta = repo.find_supplier("Beta Cloud")
            repo.update_supplier(
                beta.id,
                beta.model_copy(update={"name": "Beta Cloud Services"}),
                expected_version=beta.version,
            )
            # Cobalt itself becomes strategic: it moves up the register, the cursor with it.
            mine = repo.find_supplier("Cobalt Devices")
            repo.update_supplier(
                mine.id,
                mine.model_copy(update={"criticality": Criticality.STRATEGIC}),
                expected_version=mine.version,
            )
            repo.delete_supplier(repo.find_supplier(HOSTILE_NAME).id)
        await wait_until(
            pilot,
            lambda: (
                names(table) == {"Acme [UK] Ltd", "Beta Cloud Services", "Cobalt Devices"}
                and app.snapshot is not None
                and app.snapshot.scores_current
                and not table.settling
            ),
            "the register shows the other program's changes",
        )
        await settle(pilot)
        assert app.screen.__class__ is RegisterScreen
        assert table.cursor_supplier_id == cobalt, "the cursor stayed on its supplier"
        assert [row.id for row in table.rows] != before
        shown = app.snapshot.supplier(cobalt) if app.snapshot else None
        assert shown is not None and shown.criticality is Criticality.STRATEGIC


async def test_a_supplier_imported_by_the_cli_in_another_process_shows_up(
    register_db: Path, tmp_path: Path
) -> None:
    app = make_app(register_db, live_refresh=LIVE_REFRESH)
    new = tmp_path / "new.json"
    new.write_text(
        dump_register_json(
            Register(
                suppliers=[Supplier(name="Delta Networks", category="other", criticality="high")]
            )
        ),
        encoding="utf-8",
    )
    source = str(Path(supplier_register.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "supplier_register", "--db", str(register_db), "import"]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        acme = highlight(app, "Acme [UK] Ltd")
        done = await asyncio.to_thread(
            subprocess.run, [*command, str(new)], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        await wait_until(
            pilot, lambda: "Delta Networks" in names(table), "the imported supplier is shown"
        )
        await settle(pilot)
        assert table.cursor_supplier_id == acme


async def test_an_open_form_says_when_its_record_is_changed_then_deleted_elsewhere(
    register_db: Path,
) -> None:
    app = make_app(register_db, live_refresh=LIVE_REFRESH)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        highlight(app, "Beta Cloud")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.stale_message is None
        with another_program(register_db) as repo:
            beta = repo.find_supplier("Beta Cloud")
            repo.update_supplier(
                beta.id,
                beta.model_copy(update={"notes": "Renewal agreed by the CFO"}),
                expected_version=beta.version,
            )
        await wait_until(pilot, lambda: form.stale_message is not None, "the form says so")
        changed = (
            "This supplier (Beta Cloud) was changed by someone else since you opened it; "
            "reload it (close this form and open it again) before saving."
        )
        assert form.stale_message == changed
        line = form.query_one("#form-stale", Static)
        assert line.display and str(line.visual) == changed
        # Saving a change anyway is refused, and the other program's change is kept.
        form.query_one("#field-company_number", Input).value = "07654321"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        with another_program(register_db) as repo:
            kept = repo.find_supplier("Beta Cloud")
            assert (kept.notes, kept.company_number) == ("Renewal agreed by the CFO", None)
            repo.delete_supplier(beta.id)
        deleted = (
            "This supplier (Beta Cloud) was deleted by someone else since you opened it; "
            "it can no longer be saved."
        )
        await wait_until(pilot, lambda: form.stale_message == deleted, "the form says deleted")
        assert str(form.query_one("#form-stale", Static).visual) == deleted


async def test_an_edit_form_never_opens_on_a_supplier_deleted_elsewhere(
    register_db: Path,
) -> None:
    # No live refresh: the register still shows the supplier when e is pressed.
    app = SupplierRegisterApp(register_db, today=TODAY, live_refresh=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        beta = highlight(app, "Beta Cloud")
        with another_program(register_db) as repo:
            repo.delete_supplier(beta)
        await pilot.press("e")
        await settle(pilot)
        assert not any(isinstance(screen, FormScreen) for screen in app.screen_stack)
        assert "Beta Cloud was deleted by someone else; it cannot be edited." in notes(app)
        table = app.screen.query_one(RegisterTable)
        assert "Beta Cloud" not in names(table), "the register was read again"


async def test_the_watch_sees_only_other_connections_commits(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's own saves do not read the register twice: a save is followed by one read."""
    app = make_app(register_db, live_refresh=LIVE_REFRESH)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reads: list[int] = []
        original = app._read_and_score

        def counted(refreshed: frozenset[int], first: FirstScreen | None = None) -> None:
            reads.append(1)
            original(refreshed, first)

        monkeypatch.setattr(app, "_read_and_score", counted)
        highlight(app, "Beta Cloud")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-company_number", Input).value = "07654321"
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Several looks of the watch later, still the one read that followed the save.
        looks = app._watch_looks
        await wait_until(pilot, lambda: app._watch_looks >= looks + 3, "three looks")
        await settle(pilot)
        assert len(reads) == 1
        with sqlite3.connect(register_db) as conn:
            assert conn.execute(
                "SELECT company_number FROM suppliers WHERE name = 'Beta Cloud'"
            ).fetchone() == ("07654321",)


async def test_an_open_contract_form_says_when_its_contract_is_changed_elsewhere(
    register_db: Path,
) -> None:
    app = make_app(register_db, live_refresh=LIVE_REFRESH)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        highlight(app, "Beta Cloud")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        app.screen.query_one(ContractList).focus()
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.stale_message is None
        with another_program(register_db) as repo:
            hosting = next(c for c in repo.list_contracts() if c.title == "Hosting")
            repo.update_contract(
                hosting.id,
                hosting.model_copy(update={"notice_period_days": 30}),
                expected_version=hosting.version,
                supplier_id=hosting.supplier_id,
            )
        await wait_until(pilot, lambda: form.stale_message is not None, "the form says so")
        assert form.stale_message == (
            "This contract (Hosting) was changed by someone else since you opened it; "
            "reload it (close this form and open it again) before saving."
        )


async def test_a_change_seen_while_a_write_is_unread_is_left_to_the_writes_refresh(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between a write's commit and its result reaching the app, the watch may already see
    the commit: it reads nothing then (the write's own refresh will), so one save is one read."""
    from supplier_register.tui.messages import RegisterChanged

    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        refreshes: list[int] = []
        monkeypatch.setattr(app, "_live_refresh", lambda previous, since: refreshes.append(since))
        app._writes_unread = 1  # a write committed, its Written not handled yet
        app.post_message(RegisterChanged(app._seen_mark + 5))
        await settle(pilot)
        assert refreshes == []
        app._writes_unread = 0  # once handled, a change by someone else is read
        app.post_message(RegisterChanged(app._seen_mark + 6))
        await settle(pilot)
        assert refreshes == [app._seen_mark]

"""Keys typed at full speed land where the user sees the cursor: after Tab in the next field,
after a key that opens a screen in that screen (issue 17, point 3).

``pilot.press`` waits for the app to go idle after every key, which hides the fault; a user
typing fast, or typing while the app is busy, delivers keys in a burst.  ``type_burst`` posts
every key to the app at once, as the terminal driver does with keys that arrived together.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from supplier_register.domain import SupplierRecord
from supplier_register.storage import Repository, open_database
from supplier_register.tui import app as app_module
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import make_app, settle, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


@pytest.fixture(autouse=True)
def patient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold keys as long as it takes: on a loaded test machine the app's one-second safety
    valve would otherwise release a key before the one ahead of it has had its effect."""
    monkeypatch.setattr(app_module, "KEY_HOLD_LIMIT", 60.0)


async def keys_done(pilot: Pilot[None]) -> None:
    """Wait until the app has taken every key typed, every held key has been sent on and
    handled, then for the workers."""
    app = pilot.app
    assert isinstance(app, SupplierRegisterApp)
    for _ in range(6000):  # at most a minute, however loaded the machine
        queued: list[object] = list(app._message_queue.values)
        typed_ahead = any(isinstance(m, events.Key) for m in queued)
        held = app._held_keys or app._key_releaser is not None or app._released_key is not None
        if not typed_ahead and not held:
            break
        await pilot.pause(0.01)
    await settle(pilot)


def type_burst(app: SupplierRegisterApp, keys: Sequence[str]) -> None:
    """Deliver ``keys`` to the app all at once, with no pause between them."""
    for key in keys:
        character = key if len(key) == 1 else None
        if character is not None and not character.isalnum():
            key = _character_to_key(character)  # " " is the key "space", as the driver names it
        event = events.Key(key, character)
        event.set_sender(app)
        app.post_message(event)


def stored(path: Path, name: str) -> SupplierRecord:
    db = open_database(path)
    try:
        return Repository(db).find_supplier(name)
    finally:
        db.close()


async def highlight(app: SupplierRegisterApp, name: str) -> int:
    table = app.screen.query_one(RegisterTable)
    supplier_id = next(row.id for row in table.rows if row.name == name)
    table.move_to_id(supplier_id)
    return supplier_id


async def test_keys_typed_after_tab_go_into_the_next_field(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await highlight(app, "Acme [UK] Ltd")
        await pilot.press("e")
        await keys_done(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        for name in ("annual_spend", "company_number", "review_cadence_months"):
            form.query_one(f"#field-{name}", Input).value = ""
        form.query_one("#field-annual_spend", Input).focus()
        await pilot.pause()
        # Spend, Tab, company number, Tabs past the yes/no, status and assurance fields to the
        # review cadence, then save: all in one burst.
        chain = form.focus_chain
        tabs = chain.index(form.query_one("#field-review_cadence_months", Input)) - chain.index(
            form.query_one("#field-company_number", Input)
        )
        assert tabs > 1
        type_burst(
            app,
            [*"180000", "tab", *"12345678", *["tab"] * tabs, *"12", "ctrl+s"],
        )
        await keys_done(pilot)
        assert isinstance(app.screen, RegisterScreen), "the form saved and closed"
    record = stored(register_db, "Acme [UK] Ltd")
    assert record.annual_spend == Decimal("180000")
    assert record.company_number == "12345678"
    assert record.review_cadence_months == 12


async def test_keys_typed_while_a_screen_opens_go_to_that_screen(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        register = app.screen
        table = register.query_one(RegisterTable)
        sort_before = (table.sort_key, table.sort_reverse)
        beta = await highlight(app, "Beta Cloud")
        # Enter opens the supplier; 3, pressed before it is drawn, is its score tab.
        type_burst(app, ["enter", "3"])
        await keys_done(pilot)
        screen = app.screen
        assert isinstance(screen, SupplierScreen) and screen.supplier_id == beta
        assert screen.query_one(TabbedContent).active == "score"
        assert (table.sort_key, table.sort_reverse) == sort_before, "the register kept its sort"
        # Back, edit, and retype the name (the form's first field) before the form is drawn,
        # then save.
        type_burst(app, ["escape", "e", "ctrl+u", *"Beta Hosting", "ctrl+s"])
        await keys_done(pilot)
        assert app.screen is register
        assert (table.sort_key, table.sort_reverse) == sort_before
    assert stored(register_db, "Beta Hosting").id == beta


async def test_a_tab_key_before_the_tabs_are_drawn_is_kept(register_db: Path) -> None:
    """A number key the supplier's screen receives before its tabs are mounted is not lost."""
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        beta = await highlight(app, "Beta Cloud")
        app.open_supplier(beta)
        screen = app.screen
        assert isinstance(screen, SupplierScreen) and not screen.tabs_mounted
        screen.action_show_tab("contracts")
        await settle(pilot)
        assert screen.tabs_mounted
        assert screen.query_one(TabbedContent).active == "contracts"

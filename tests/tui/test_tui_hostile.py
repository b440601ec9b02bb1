"""A few Pilot flows with a payload in every text field: the screens show them, clicks run nothing.

Every screen's blocks are checked with every payload in every field, without
an app, in ``test_tui_hostile_blocks.py``.  Here the register of
``tests/support/hostile.py`` is opened for real: the register, owners and
audit screens, and the supplier holding every payload (its tabs, questionnaire
and form), are rendered to plain text (what the terminal shows) and searched
for the payloads; then the payloads on screen are clicked, and the app must
still be running, with no bell rung and no screen dismissed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input

from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.audit import AuditScreen
from supplier_register.tui.screens.people import PeopleScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.support.hostile import (
    ACTIVE,
    EVERYTHING,
    PAYLOADS,
    every_field_register,
    person_name,
    supplier_name,
)
from tests.tui.tui_support import TODAY, make_app, settle, write_register_db

SIZE = (260, 70)


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path, every_field_register(TODAY))


def screen_text(app: SupplierRegisterApp) -> str:
    """The current screen as the terminal shows it, as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system=None,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


class Watch:
    """Counts what a payload's action would do: ring the bell, quit, dismiss a screen."""

    def __init__(self, app: SupplierRegisterApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bells = 0
        self.app = app

        def bell() -> None:
            self.bells += 1

        monkeypatch.setattr(app, "bell", bell)

    def check(self, depth: int) -> None:
        assert self.app.is_running and self.app.return_value is None
        assert self.bells == 0
        assert len(self.app.screen_stack) >= depth


async def click_payloads(pilot: Pilot[None], watch: Watch, most: int = 4) -> int:
    """Click payloads that look like action links (the first ``most``); return how many."""
    app = pilot.app
    assert isinstance(app, SupplierRegisterApp)
    depth = len(app.screen_stack)
    screen = app.screen
    clicked = 0
    for y, line in enumerate(screen_text(app).splitlines()):
        for marker in ACTIVE:
            x = line.find(marker)
            if x >= 0 and clicked < most:
                await pilot.click(offset=(x + 2, y))
                await pilot.pause()
                clicked += 1
                if app.screen is not screen:  # a click may open a record, never run a payload
                    await pilot.press("escape")
                    await settle(pilot)
                watch.check(depth)
    return clicked


def missing(text: str, expected: list[str]) -> list[str]:
    return [e for e in expected if e not in text]


async def test_register_people_and_audit_screens(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        names = [supplier_name(i) for i in range(len(PAYLOADS))]
        owners = [person_name(i) for i in range(len(PAYLOADS))]
        assert missing(screen_text(app), names) == []
        assert await click_payloads(pilot, watch) > 0

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert missing(screen_text(app), owners) == []
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        audit = screen_text(app)
        assert sum(name in audit for name in names + owners) >= 10
        await click_payloads(pilot, watch)
        watch.check(1)


async def open_supplier(pilot: Pilot[None], name: str) -> None:
    app = pilot.app
    await pilot.press("escape")  # back to the register from wherever we are
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SupplierScreen)


async def test_supplier_screen_overview_contracts_and_form(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supplier holding every payload: its overview, its contracts and its edit form."""
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(pilot)
        await open_supplier(pilot, EVERYTHING)
        overview = screen_text(app)
        assert EVERYTHING in overview
        assert missing(overview, PAYLOADS) == []  # its notes, one payload a line
        assert await click_payloads(pilot, watch) > 0

        await pilot.press("2")
        await settle(pilot)
        contracts = screen_text(app)
        assert EVERYTHING in contracts  # the title on every tab
        assert sum(f"{p} contract" in contracts for p in PAYLOADS) >= 4  # those in view
        assert await click_payloads(pilot, watch, most=2) > 0

        await pilot.press("e")
        await settle(pilot)
        assert EVERYTHING in [w.value for w in app.screen.query(Input)]
        assert EVERYTHING in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        watch.check(1)


async def test_notifications_show_user_text_literally(tmp_path: Path) -> None:
    # Error messages quote names and files: from the app or from a screen, a notification
    # never has its text read as markup (a '[/]' would fail to render, a '[@click' run).
    app = make_app(write_register_db(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for payload in PAYLOADS[:6]:
            app.notify(f"app: {payload}", timeout=30)
            app.screen.notify(f"screen: {payload}", timeout=30)
        await settle(pilot)
        assert app._notifications and not any(n.markup for n in app._notifications)
        messages = [n.message for n in app._notifications]
        for payload in PAYLOADS[:6]:
            assert f"app: {payload}" in messages and f"screen: {payload}" in messages


async def test_a_trust_name_with_control_characters_is_one_line_in_the_title(
    tmp_path: Path,
) -> None:
    """A trust name written behind the program's back cannot break or retitle the header."""
    import sqlite3

    path = write_register_db(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES ('trust', ?)",
            ["Evil\x1b]2;pwned\x07\nTrust"],
        )
    app = make_app(path)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert "Trust" in app.title and "Evil" in app.title
        assert not any(ch in app.title for ch in "\x1b\x07\n")

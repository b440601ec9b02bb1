"""``--read-only`` in the TUI: no screen can write the register.

Every binding of every screen is classified as a write or a read in one place
(``tui.readonly``); every write is tried on the sample register opened read-only, and each is
refused in one line, opens nothing, and leaves the database file byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from supplier_register.domain import Register, Supplier
from supplier_register.interchange import read_register_file, sample_register_path
from supplier_register.services.register import release_read_only
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands, bindings_of
from supplier_register.tui.keymap import binding_owners, known_bindings
from supplier_register.tui.readonly import (
    READ_ACTIONS,
    READ_ONLY_NOTICE,
    WRITE_ACTIONS,
    WRITE_SCREENS,
    writes_register,
)
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.import_screen import DataImportScreen
from supplier_register.tui.screens.importing import ImportScreen
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from tests.support.registers import dump
from tests.tui.tui_support import TODAY, settle, write_register_db


def test_every_binding_is_a_write_or_a_read_and_only_one() -> None:
    known = set(known_bindings())
    assert not WRITE_ACTIONS & READ_ACTIONS
    assert known - (WRITE_ACTIONS | READ_ACTIONS) == set(), "classify the new binding"
    assert (WRITE_ACTIONS | READ_ACTIONS) - known == set(), "a binding that no longer exists"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def sample(tmp_path: Path) -> Iterator[Path]:
    path = write_register_db(tmp_path, read_register_file(sample_register_path()))
    try:
        yield path
    finally:
        release_read_only(path)


def _owners_with_writes() -> dict[str, type[DOMNode]]:
    return {
        owner.__name__: owner
        for owner in binding_owners()
        if any(b.id in WRITE_ACTIONS for b in bindings_of(owner.BINDINGS))
    }


INSIDE_WRITE_SCREENS = {"AnswerList": "QuestionnaireScreen"}
"""Widgets with write bindings that live only on a screen that writes."""


async def _open(app: SupplierRegisterApp, owner: str) -> DOMNode | None:
    """A live node of ``owner`` in ``app`` (None: it is on a screen that never opens)."""
    if owner == "SupplierRegisterApp":
        return app
    if owner == "RegisterScreen":
        return app.screen
    opened = {
        "SupplierScreen": lambda: app.open_supplier(app.snapshot.suppliers[0].id),  # type: ignore[union-attr]
        "ContractList": lambda: app.open_supplier(app.snapshot.suppliers[0].id),  # type: ignore[union-attr]
        "DependencyList": lambda: app.open_supplier(app.snapshot.suppliers[0].id),  # type: ignore[union-attr]
        "PeopleScreen": app.action_people,
        "PeopleList": app.action_people,
        "ServicesScreen": app.action_services,
        "ServiceList": app.action_services,
        "ReviewScreen": app.action_review,
        "BoardScreen": app.action_board,
    }.get(owner)
    if opened is None:
        return None
    opened()
    return app.screen


@pytest.mark.parametrize("owner", sorted(_owners_with_writes()))
async def test_every_write_action_is_refused_read_only_and_changes_nothing(
    sample: Path, owner: str
) -> None:
    cls = _owners_with_writes()[owner]
    writes = [b for b in bindings_of(cls.BINDINGS) if b.id in WRITE_ACTIONS]
    before, rows = _digest(sample), dump(sample)
    app = SupplierRegisterApp(sample, today=TODAY, live_refresh=None, read_only=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = await _open(app, owner)
        await settle(pilot)
        if screen is None:  # bindings of a screen that writes: it never opens read-only
            home = INSIDE_WRITE_SCREENS.get(owner, owner)
            assert home in WRITE_SCREENS
            return
        node = screen if owner.endswith("Screen") or owner == "SupplierRegisterApp" else None
        if node is None:
            node = next(n for n in screen.walk_children(with_self=False) if isinstance(n, cls))
        stack = list(app.screen_stack)
        assert "READ-ONLY" in app.sub_title
        for binding in writes:
            app._notifications.clear()
            shown = {a.binding.id for a in app.screen.active_bindings.values()}
            assert binding.id not in shown  # not in the footer
            palette = RegisterCommands(app.screen).commands()
            assert binding.tooltip not in {c.title for c in palette}  # nor in the palette
            assert await app.run_action(binding.action, node)
            await settle(pilot)
            assert app.screen_stack == stack, binding.id  # nothing opened: no form, no question
            assert [n.message for n in app._notifications] == [READ_ONLY_NOTICE], binding.id
            assert _digest(sample) == before, binding.id
    assert _digest(sample) == before
    assert dump(sample) == rows


async def test_a_write_key_pressed_read_only_opens_no_form(sample: Path) -> None:
    """The keys themselves (a, e, d, Enter on an owner) do nothing but say why."""
    before = _digest(sample)
    app = SupplierRegisterApp(sample, today=TODAY, live_refresh=None, read_only=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        for key in ("a", "e", "d", "P", "I"):
            await pilot.press(key)
            await settle(pilot)
            assert len(app.screen_stack) == 1 and not isinstance(app.screen, FormScreen), key
        app.action_people()
        await settle(pilot)
        await pilot.press("enter", "a", "d")
        await settle(pilot)
        assert type(app.screen).__name__ == "PeopleScreen"
        assert READ_ONLY_NOTICE in [n.message for n in app._notifications]
    assert _digest(sample) == before


async def test_the_same_action_opens_a_form_when_not_read_only(sample: Path) -> None:
    """The refusal above is read-only's doing: without it the key opens the form."""
    app = SupplierRegisterApp(sample, today=TODAY, live_refresh=None)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert "add_supplier" in {a.binding.action for a in app.screen.active_bindings.values()}
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)


@pytest.mark.parametrize(
    "make",
    [lambda: QuestionnaireScreen(1), ImportScreen, DataImportScreen],
    ids=["questionnaire", "import", "data_import"],
)
async def test_a_screen_that_writes_is_never_opened_read_only(
    sample: Path, make: type[Screen[None]]
) -> None:
    app = SupplierRegisterApp(sample, today=TODAY, live_refresh=None, read_only=True)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = make()
        assert writes_register(screen)
        app.push_screen(screen)
        await settle(pilot)
        assert app.screen is not screen
        assert READ_ONLY_NOTICE in [n.message for n in app._notifications]


async def test_the_theme_is_not_written_read_only(sample: Path, tmp_path: Path) -> None:
    from supplier_register.storage.settings import read_ui_settings

    config = tmp_path / "config.toml"
    config.write_text('[tui]\ntheme = "nord"\n', encoding="utf-8")
    app = SupplierRegisterApp(
        sample,
        today=TODAY,
        live_refresh=None,
        read_only=True,
        settings=read_ui_settings(config),
    )
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"
        await settle(pilot)
    assert config.read_text(encoding="utf-8") == '[tui]\ntheme = "nord"\n'


async def test_help_leaves_out_the_keys_that_write_read_only(sample: Path) -> None:
    from supplier_register.tui.screens.help import HelpScreen

    for read_only in (True, False):
        app = SupplierRegisterApp(sample, today=TODAY, live_refresh=None, read_only=read_only)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            text = str(app.screen.query_one("#help-body").render())
            assert ("Add a supplier" in text) is not read_only
            assert ("Delete owner" in text) is not read_only
            assert "Filter suppliers as you type" in text
            assert ("open read-only" in text) is read_only
        release_read_only(sample)


def _shown(app: SupplierRegisterApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).visual)


@pytest.mark.parametrize("read_only", [True, False], ids=["read-only", "writable"])
async def test_no_screen_read_only_says_to_press_a_key_that_would_write(
    tmp_path: Path, read_only: bool
) -> None:
    """A board member is never told "press a to add" or "press s to start the review": those
    keys are refused read-only.  (Writable, the same screens still say so.)"""
    lone = Supplier(name="Delta Networks", category="other", criticality="high")
    path = write_register_db(tmp_path, Register(suppliers=[lone]))
    app = SupplierRegisterApp(path, today=TODAY, live_refresh=None, read_only=read_only)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            said: list[str] = []
            app.open_supplier(app.snapshot.suppliers[0].id)  # type: ignore[union-attr]
            await settle(pilot)
            said.append(_shown(app, "#contracts-empty"))
            for open_screen, selector in (
                (app.action_people, "#people-title"),
                (app.action_services, "#services-title"),
                (app.action_review, "#review-facts"),
            ):
                open_screen()
                await settle(pilot)
                said.append(_shown(app, selector))
            app.action_board()
            await settle(pilot)
            await pilot.press("3")  # the management actions: none has an owner
            await settle(pilot)
            said.append(_shown(app, "#board-detail"))
    finally:
        release_read_only(path)
    prompts = ("press a to add", "press s to start", "press c to add", "a asks for one")
    told = [p for p in prompts if any(p in line.casefold() for line in said)]
    assert told == ([] if read_only else list(prompts)), said


async def test_an_empty_register_read_only_offers_no_keys_to_add(tmp_path: Path) -> None:
    path = write_register_db(tmp_path, Register())
    app = SupplierRegisterApp(path, today=TODAY, live_refresh=None, read_only=True)
    try:
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(pilot)
            shown = _shown(app, "#empty-help")
    finally:
        release_read_only(path)
    assert "no suppliers yet" in shown and "read-only" in shown
    assert "add your first supplier" not in shown

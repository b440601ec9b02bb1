"""The TUI's data flow: screens open at once and fill from workers; nothing reads on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Static

from supplier_register.services import register_view
from supplier_register.services.register_view import Records, Scoring, SupplierView
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import bindings_of
from supplier_register.tui.screens import supplier as supplier_screen
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.edit import delete_supplier
from supplier_register.tui.screens.help import _sections
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.blocks import BlockView
from tests.tui.tui_support import make_app, settle, write_register_db


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def _shown(app: SupplierRegisterApp) -> Screen[Any]:
    return app.screen  # read again (past an earlier narrowing)


def _view(screen: SupplierScreen) -> SupplierView | None:
    return screen.view  # read again (past an earlier narrowing to None)


def _recording(calls: list[str], name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(f"{name} on {threading.current_thread().name}")
        return method(*args, **kwargs)

    return wrapper


async def test_screens_read_and_score_in_workers_never_on_the_ui_thread(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(Records, "own", _recording(calls, "read", Records.own))
    monkeypatch.setattr(Scoring, "full", _recording(calls, "score", Scoring.full))
    main = threading.main_thread().name
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        supplier = app.snapshot.suppliers[0]
        calls.clear()

        app.open_supplier(supplier.id)
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        view = app.screen.view
        assert view is not None and view.supplier.id == supplier.id and view.score is not None
        app.push_screen(QuestionnaireScreen(supplier.id))
        await settle(pilot)
        questionnaire = _shown(app)
        assert isinstance(questionnaire, QuestionnaireScreen)
        assert questionnaire.answers == {a.question_id: a for a in view.answers}
        delete_supplier(app, supplier.id)
        await settle(pilot)
        assert isinstance(_shown(app), ConfirmScreen)

        assert {c.split(" on ")[0] for c in calls} == {"read", "score"}
        assert not [c for c in calls if c.endswith(f" on {main}")], calls


async def test_the_supplier_screen_is_painted_before_the_supplier_is_read(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    read = register_view.supplier_view

    def held(*args: Any) -> Any:
        release.wait(10)
        return read(*args)

    monkeypatch.setattr(supplier_screen, "supplier_view", held)
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        supplier = app.snapshot.suppliers[0]
        app.open_supplier(supplier.id)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SupplierScreen) and screen.view is None
        title = str(screen.query_one("#supplier-title", Static).render())
        assert supplier.name in title and "reading…" in title
        release.set()
        await settle(pilot)
        assert _view(screen) is not None
        assert "reading…" not in str(screen.query_one("#supplier-title", Static).render())


async def test_a_hidden_tab_is_built_only_when_it_is_shown(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        app.open_supplier(app.snapshot.suppliers[0].id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SupplierScreen) and _view(screen) is not None
        shown = screen.query_one("#overview-body", BlockView)
        assert len(shown.query_children(Static)) == len(shown.blocks) > 0
        hidden = screen.query_one("#answers-body", BlockView)
        # Its page is known (``text`` has it) but no widget is made for it yet.
        assert "questions answered" in hidden.text
        assert len(hidden.query_children(Static)) == 0
        await pilot.press("4")
        await settle(pilot)
        assert len(hidden.query_children(Static)) == len(hidden.blocks)
        assert "questions answered" in str(hidden.query_children(Static).first().render())


async def test_a_worker_that_raises_is_one_notification_and_the_register_stays_open(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(supplier_screen, "supplier_view", broken)
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.snapshot is not None
        app.open_supplier(app.snapshot.suppliers[0].id)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, SupplierScreen)
        messages = [n.message for n in app._notifications]
        assert messages == ["supplier-view: RuntimeError: boom"]


def test_every_binding_has_an_id_and_no_two_share_one() -> None:
    ids: list[str | None] = [
        binding.id for _, bindings in _sections() for binding in bindings_of(bindings)
    ]
    assert None not in ids
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)  # type: ignore[type-var]

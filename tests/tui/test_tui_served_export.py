"""In a browser (``serve``), a file exported from the TUI is delivered to the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.export import ExportScreen
from tests.tui.tui_support import make_app, settle, write_register_db


@pytest.mark.parametrize("web", [True, False])
async def test_an_export_is_sent_to_the_browser_when_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, web: bool
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    delivered: list[tuple[Path, dict[str, Any]]] = []

    def deliver_binary(self: SupplierRegisterApp, path: Path, **options: Any) -> str:
        delivered.append((Path(path), options))
        return "key"

    monkeypatch.setattr(SupplierRegisterApp, "is_web", property(lambda self: web))
    monkeypatch.setattr(SupplierRegisterApp, "deliver_binary", deliver_binary)
    app = make_app(write_register_db(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        kinds = [c.kind for c in screen.choices]
        screen.query_one("#export-kind", OptionList).highlighted = kinds.index("csv")
        await pilot.pause()
        await pilot.click("#export-write")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    written = list(here.iterdir())
    assert len(written) == 1
    if web:
        assert delivered == [(written[0], {"save_filename": written[0].name})]
        assert any(f"sent to your browser as {written[0].name}" in n for n in notes), notes
    else:
        assert delivered == []
        assert not any("browser" in n for n in notes)

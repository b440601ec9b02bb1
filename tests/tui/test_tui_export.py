"""Export from the TUI (key E and the palette): each format into the current folder, a dated
name proposed, confirmation before replacing a file, the full path in the notification."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

from supplier_register.domain import Supplier
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.export import ExportScreen
from supplier_register.tui.screens.help import HelpScreen
from tests.tui.tui_support import TODAY, make_app, settle, write_register_db

TRUST = "St Elsewhere & District NHS Trust"


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    path = write_register_db(folder)
    db = open_database(path)
    try:
        Repository(db).set_trust_name(TRUST)
    finally:
        db.close()
    return path


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder, where the proposed file names land."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def _top(app: SupplierRegisterApp) -> object:
    """The screen shown (a call, so a check narrowing ``app.screen`` does not stick)."""
    return app.screen


async def _submit(screen: ExportScreen, pilot: Pilot[None]) -> None:
    """Enter in the path box (a second click on the button within its press effect is
    ignored by Textual, so the tests that export twice from one screen use the keyboard)."""
    screen.query_one("#export-path", Input).focus()
    await pilot.press("enter")


def _notes(app: SupplierRegisterApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def _open(app: SupplierRegisterApp, pilot: Pilot[None]) -> ExportScreen:
    await settle(pilot)
    await pilot.press("E")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


async def _export(app: SupplierRegisterApp, pilot: Pilot[None], kind: str) -> Path:
    """Choose ``kind``, accept the proposed name, export; the file's full path."""
    screen = await _open(app, pilot)
    kinds = [c.kind for c in screen.choices]
    screen.query_one("#export-kind", OptionList).highlighted = kinds.index(kind)
    await pilot.pause()
    proposed = screen.query_one("#export-path", Input).value
    await pilot.click("#export-write")
    await settle(pilot)
    assert not isinstance(app.screen, ExportScreen)
    out = (Path.cwd() / proposed).resolve()
    assert out.is_file()
    assert any(f"written to {out}" in n for n in _notes(app)), _notes(app)
    return out


async def test_each_format_is_written_under_a_dated_name_in_the_current_folder(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        html = await _export(app, pilot, "html")
        assert html == here / f"supplier-risk-{TODAY.isoformat()}.html"
        text = html.read_text(encoding="utf-8")
        assert "St Elsewhere &amp; District NHS Trust" in text
        assert "<html" in text.lower()

        md = await _export(app, pilot, "md")
        assert md.name == f"supplier-risk-{TODAY.isoformat()}.md"
        assert "St Elsewhere" in md.read_text(encoding="utf-8")

        csv_file = await _export(app, pilot, "csv")
        rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8"))))
        assert any("Beta Cloud" in row for row in rows)

        xlsx = await _export(app, pilot, "xlsx")
        book = load_workbook(xlsx, read_only=True)
        cells = {
            str(c)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for c in row
            if c is not None
        }
        book.close()
        assert "Cobalt Devices" in cells

        js = await _export(app, pilot, "json")
        assert js.name == f"supplier-register-{TODAY.isoformat()}.json"
        data = json.loads(js.read_text(encoding="utf-8"))
        assert data["trust"] == TRUST
        assert {s["name"] for s in data["suppliers"]} >= {"Acme [UK] Ltd", "Beta Cloud"}


async def test_an_existing_file_is_replaced_only_after_confirmation(
    register_db: Path, here: Path
) -> None:
    target = here / f"supplier-risk-{TODAY.isoformat()}.html"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await _submit(screen, pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert _top(app) is screen
        assert target.read_text(encoding="utf-8") == "keep me"
        await _submit(screen, pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert TRUST.replace("&", "&amp;") in target.read_text(encoding="utf-8")
        assert any(str(target) in n for n in _notes(app))


async def test_an_unwritable_place_is_one_line_and_the_screen_stays(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        screen.query_one("#export-path", Input).value = str(here / "missing" / "paper.html")
        await _submit(screen, pilot)
        await settle(pilot)
        assert _top(app) is screen
        error = str(screen.query_one("#export-error", Static).render())
        assert error == f"file: folder {here / 'missing'} does not exist"
        assert not screen.query_one("#export-write", Button).disabled
        screen.query_one("#export-path", Input).value = str(register_db)
        await _submit(screen, pilot)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert _top(app) is screen
        error = str(screen.query_one("#export-error", Static).render())
        assert "is the register; writing there would destroy it" in error
        assert not list(here.iterdir())


async def test_a_change_made_in_the_app_is_in_the_export(register_db: Path, here: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.write(
            lambda repo: repo.add_supplier(
                Supplier(name="Delta Telecoms", category="other", criticality="high")
            )
        )
        await settle(pilot)
        js = await _export(app, pilot, "json")
        names = {s["name"] for s in json.loads(js.read_text(encoding="utf-8"))["suppliers"]}
        assert "Delta Telecoms" in names
        html = await _export(app, pilot, "html")
        assert "Delta Telecoms" in html.read_text(encoding="utf-8")


async def test_the_review_pack_is_offered_once_there_is_a_review(
    register_db: Path, here: Path
) -> None:
    from supplier_register.services.reviews import start_review

    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        assert "review" not in [c.kind for c in screen.choices]
        await pilot.press("escape")
        db = open_database(register_db)
        try:
            start_review(db, "2026-Q4", TODAY)
        finally:
            db.close()
        pack = await _export(app, pilot, "review")
        assert pack.name == f"review-pack-2026-Q4-{TODAY.isoformat()}.html"
        assert "2026-Q4" in pack.read_text(encoding="utf-8")


async def test_the_palette_and_the_help_offer_the_export(register_db: Path, here: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in RegisterCommands(app.screen).commands()]
        export = [t for t in titles if t.startswith("Export")]
        assert len(export) == 1
        for word in ("export", "paper", "html", "csv"):
            assert word in export[0].lower()
        provider = RegisterCommands(app.screen)
        for word in ("export", "paper", "html", "csv"):
            hits = [str(hit.text) async for hit in provider.search(word)]
            assert any(h.startswith("Export") for h in hits), (word, hits)
        for word in ("export", "paper", "html"):  # the first hit: enter runs it
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*word)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen), word
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Export: board paper" in str(app.screen.query_one("#help-body", Static).visual)


async def test_in_the_demo_the_export_is_of_the_demos_current_state(
    tmp_path: Path, here: Path
) -> None:
    from supplier_register.services.register import make_demo_register

    folder = tmp_path / "demo"
    folder.mkdir()
    demo = make_demo_register(folder)
    app = SupplierRegisterApp(demo, today=TODAY, demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.write(
            lambda repo: repo.add_supplier(
                Supplier(name="Zephyr Demo Change Ltd", category="other", criticality="low")
            )
        )
        await settle(pilot)
        js = await _export(app, pilot, "json")
        names = {s["name"] for s in json.loads(js.read_text(encoding="utf-8"))["suppliers"]}
        assert "Zephyr Demo Change Ltd" in names
        assert len(names) > 1  # the sample's suppliers too


async def test_the_dialog_shows_every_choice_the_path_and_the_buttons(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(app, pilot)
        for selector in ("#export-kind", "#export-path", "#export-write", "#export-cancel"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24, (selector, region)
        assert screen.query_one("#export-kind", OptionList).option_count == 6


async def test_with_the_keyboard_alone_enter_chooses_then_enter_writes(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        await pilot.press("down", "down", "enter")  # the risk summary as CSV: not written yet
        await settle(pilot)
        assert _top(app) is screen and not list(here.iterdir())
        assert screen.query_one("#export-path", Input).has_focus
        await pilot.press("enter")
        await settle(pilot)
        written = here / f"supplier-risk-{TODAY.isoformat()}.csv"
        assert [p.name for p in here.iterdir()] == [written.name]
        assert any(f"Risk summary (CSV) written to {written}" in n for n in _notes(app))


async def test_a_typed_name_keeps_its_name_and_takes_the_formats_suffix(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot)
        path = screen.query_one("#export-path", Input)
        path.value = "[bold]board[red].html"  # a file name is data, never markup
        await pilot.pause()
        screen.query_one("#export-kind", OptionList).highlighted = 2  # risk summary (CSV)
        await pilot.pause()
        assert path.value == "[bold]board[red].csv"
        await _submit(screen, pilot)
        await settle(pilot)
        written = here / "[bold]board[red].csv"
        assert written.is_file()
        assert f"Risk summary (CSV) written to {written}" in _notes(app)

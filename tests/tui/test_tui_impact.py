"""The impact view and the concentration view in the TUI: keys, palette, worker reads, navigation."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.content import Content
from textual.widgets import OptionList, Static

from supplier_register.domain.models import Register, Service, Supplier
from supplier_register.services import impact as impact_service
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens import impact as impact_screen
from supplier_register.tui.screens.help import HelpScreen
from supplier_register.tui.screens.impact import (
    ConcentrationScreen,
    ConcentrationTable,
    ImpactList,
    ImpactScreen,
)
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.support.impact import impact_register
from tests.tui.tui_support import HOSTILE_NAME, make_app, settle, write_register_db


@pytest.fixture
def impact_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path, impact_register())


def option_texts(option_list: OptionList) -> list[str]:
    texts = []
    for i in range(option_list.option_count):
        prompt = option_list.get_option_at_index(i).prompt
        assert isinstance(prompt, Content)  # literal text, never parsed as markup
        texts.append(prompt.plain)
    return texts


def static_text(screen: Any, selector: str) -> str:
    widget = screen.query_one(selector, Static)
    return str(widget.visual)


def table_text(table: ConcentrationTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _select(app: Any, name: str) -> None:
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))


async def test_i_on_the_integration_engine_shows_what_it_carries(impact_db: Path) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        _select(app, "Ensemble")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        await pilot.press("i")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        assert screen.impact is not None and screen.impact.supplier == "Ensemble"
        assert "If Ensemble failed today, 5 services would stop (5 clinical)" in static_text(
            screen, "#impact-summary"
        )
        texts = option_texts(screen.query_one(ImpactList))
        joined = "\n".join(texts)
        for service, route in (
            ("ED triage", "through Veridane"),
            ("Radiology reporting", "through Lumen Imaging"),
            ("Pathology results", "through Corvid Labs"),
        ):
            entry = next(t for t in texts if t.startswith(f"{service}  clinical"))
            assert route in entry
        # clinical first, least tolerant first; the outlook sentence under each service
        first = [t.split("  ")[0] for t in texts if "  clinical · " in t.split("\n")[0]][:3]
        assert first == ["ED triage", "Radiology reporting", "Pathology results"]
        assert "ED triage can cope 2 hours without it; a manual fallback exists" in joined
        # who falls with it, the contracts with their decisions, the gaps
        assert (
            "Iris AI depends on Lumen Imaging (integration), which depends on Ensemble "
            "(integration)"
        ) in joined
        assert "Ensemble / Integration engine" in joined
        assert "decide by 3 October 2026 (passed 54 days ago)" in joined
        assert "Not recorded (8)" in joined  # its contract, those that fall with it, services
        assert "Service Maternity records: whether it has a fallback" in joined
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SupplierScreen)


async def test_w_on_the_register_opens_the_highlighted_suppliers_impact(
    impact_db: Path,
) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        _select(app, "Nimbus Hosting")
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        joined = "\n".join(option_texts(screen.query_one(ImpactList)))
        assert "Radiology reporting  clinical" in joined and "through Lumen Imaging" in joined
        assert "Pathology results  clinical" in joined and "through Corvid Labs" in joined
        assert "ED triage" not in joined


async def test_enter_on_a_dependent_opens_that_supplier(impact_db: Path) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        _select(app, "Ensemble")
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        impact_list = screen.query_one(ImpactList)
        texts = option_texts(impact_list)
        impact_list.highlighted = next(
            i for i, t in enumerate(texts) if t.startswith("Iris AI  Medium")
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert app.snapshot is not None
        supplier = app.snapshot.supplier(app.screen.supplier_id)
        assert supplier is not None and supplier.name == "Iris AI"
        # back, then a contract's supplier
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is impact_list.screen
        impact_list.highlighted = next(
            i for i, t in enumerate(texts) if t.startswith("Veridane / EPR")
        )
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        supplier = app.snapshot.supplier(app.screen.supplier_id)
        assert supplier is not None and supplier.name == "Veridane"


async def test_concentration_lists_the_integration_engine_first(impact_db: Path) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConcentrationScreen)
        rows = table_text(screen.query_one(ConcentrationTable))
        assert rows[0][:7] == ["Ensemble", "High", "5", "5", "0", "4", "integration"]
        assert rows[1][0] == "Nimbus Hosting" and rows[1][6] == "hosting"
        group = next(r for r in rows if r[0] == "Corvid Group (parent group)")
        assert group[7] == "Corvid Analytics, Corvid Labs"
        assert "AI fracture triage, ED triage" in static_text(screen, "#concentration-detail")
        # enter opens the impact of the highlighted supplier
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ImpactScreen)
        assert app.screen.impact is not None and app.screen.impact.supplier == "Nimbus Hosting"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConcentrationScreen)


async def test_palette_and_help_offer_both_views(impact_db: Path) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        titles = {c.title for c in RegisterCommands(app.screen).commands()}
        assert {
            "Impact: what stops if this supplier fails",
            "Concentration: which suppliers carry the most services",
        } <= titles
        _select(app, "Ensemble")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"impact: what")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImpactScreen)
        assert app.screen.impact is not None and app.screen.impact.supplier == "Ensemble"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"concentration")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConcentrationScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-body", Static).visual)
        assert "Impact: what stops if this supplier fails" in help_text
        assert "Concentration: which suppliers carry the most services" in help_text
        assert "Open the supplier a service, dependent or contract is about" in help_text


async def test_a_slow_earlier_read_never_replaces_a_newer_one(
    impact_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register changed while the impact was being read: only the newer read is shown."""
    release = threading.Event()
    real = impact_service.read_supplier_impact
    calls: list[int] = []

    def read(path: Path, supplier_id: int, today: dt.date) -> Any:
        calls.append(supplier_id)
        if len(calls) == 1:
            release.wait(10)  # the first read is slow, and answers about another supplier
            nimbus = next(s.id for s in app.snapshot.suppliers if s.name == "Nimbus Hosting")  # type: ignore[union-attr]
            return real(path, nimbus, today)
        return real(path, supplier_id, today)

    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(impact_screen, "read_supplier_impact", read)
        _select(app, "Veridane")
        await pilot.press("w")  # the screen is up at once; its first read is slow
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        assert screen.impact is None
        assert "reading" in static_text(screen, "#impact-title")
        assert app.snapshot is not None
        screen.show_snapshot(app.snapshot)  # the register changed: read again
        await pilot.pause()
        release.set()
        await settle(pilot)
        assert len(calls) == 2
        assert screen.impact is not None and screen.impact.supplier == "Veridane"


async def test_a_supplier_deleted_meanwhile_is_said_plainly(impact_db: Path) -> None:
    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.push_screen(ImpactScreen(999_999, "Gone Ltd"))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        assert "This supplier no longer exists." in static_text(screen, "#impact-summary")
        assert screen.query_one(ImpactList).option_count == 0


async def test_hostile_names_are_literal(tmp_path: Path) -> None:
    register = Register(
        suppliers=[Supplier(name=HOSTILE_NAME, category="epr", criticality="high")],
        services=[Service(name="[b]ED[/b] triage", clinical=True)],
    )
    path = write_register_db(tmp_path, register)
    app = make_app(path)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        _select(app, HOSTILE_NAME)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen) and app.is_running
        title = screen.query_one("#impact-title", Static).visual
        assert isinstance(title, Content) and HOSTILE_NAME in title.plain
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(screen.query_one("#impact-summary", Static).visual)
        assert "holds no current contract" in console.export_text()


async def test_a_storage_failure_is_worded_as_everywhere_else(
    impact_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that SQLite refuses (a damaged file) says so and how to restore, as the app's own
    load does, instead of SQLite's bare words."""

    def damaged(path: Path, supplier_id: int, today: dt.date) -> Any:
        raise sqlite3.DatabaseError("database disk image is malformed")

    app = make_app(impact_db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(impact_screen, "read_supplier_impact", damaged)
        _select(app, "Veridane")
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImpactScreen)
        shown = static_text(screen, "#impact-summary")
        assert "is damaged (SQLite reports: database disk image is malformed)" in shown
        assert str(impact_db) in shown.replace("\n", "")

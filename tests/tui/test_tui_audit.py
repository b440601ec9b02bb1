"""The audit screen driven with Pilot: one supplier's history, details, literal hostile text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Static

from supplier_register.domain import Contract, Supplier
from supplier_register.storage import Repository, open_database
from supplier_register.storage.audit import USER_ENV_VAR
from supplier_register.tui.screens.audit import AuditScreen
from tests.support.hostile import MARKUP_PAYLOADS
from tests.support.registers import small_register

HOSTILE = "[@click=app.quit]x[/] [b]not bold[/b] [link=file:///etc/passwd]y[/]"


class Host(App[None]):
    """The smallest app the audit screen runs in: a database path."""

    def __init__(self, db_path: Path, screen: AuditScreen) -> None:
        super().__init__()
        self.db_path = db_path
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "audit.db"
    monkeypatch.setenv(USER_ENV_VAR, "Dana Whitfield")
    db = open_database(path)
    repo = Repository(db)
    repo.import_register(small_register())
    monkeypatch.setenv(USER_ENV_VAR, f"{HOSTILE} (auditor)")
    beta = repo.find_supplier("Beta Cloud")
    repo.update_supplier(
        beta.id,
        beta.model_copy(update={"notes": HOSTILE, "annual_spend": Decimal("99.50")}),
        expected_version=beta.version,
    )
    repo.add_contract(
        Contract(
            supplier="Beta Cloud",
            title=HOSTILE,
            what_is_bought="commodity",
            contract_type="time_and_materials",
        )
    )
    db.close()
    return path


def cells(table: DataTable[Text]) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_supplier_history_newest_first_with_details(db_path: Path) -> None:
    db = open_database(db_path)
    beta_id = Repository(db).find_supplier("Beta Cloud").id
    db.close()
    app = Host(db_path, AuditScreen(supplier_id=beta_id, supplier_name="Beta Cloud"))
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one("#audit-table", DataTable)
        rows = cells(table)
        assert [r[2] for r in rows] == ["added", "changed", "added", "added"]
        assert rows[0][3] == f"Beta Cloud / {HOSTILE}"
        assert rows[1][1] == f"{HOSTILE} (auditor)"
        assert rows[-1][1] == "Dana Whitfield"
        status = str(screen.query_one("#audit-status", Static).render())
        assert "4 recorded changes to Beta Cloud" in status
        await pilot.press("down")
        detail = str(screen.query_one("#audit-detail", Static).render())
        assert f"notes: ''  ->  '{HOSTILE}'" in detail
        assert "annual_spend: empty  ->  £99.50" in detail
        # clicking the hostile cells runs nothing: the app is still here
        await pilot.click("#audit-table", offset=(60, 2))
        await pilot.click("#audit-detail", offset=(30, 1))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AuditScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, AuditScreen)


async def test_every_change_and_reload_after_a_new_edit(db_path: Path) -> None:
    app = Host(db_path, AuditScreen())
    async with app.run_test(size=(160, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#audit-table", DataTable)
        before = table.row_count
        assert before == 9  # 7 imported records, an edit and a new contract
        db = open_database(db_path)
        repo = Repository(db)
        repo.delete_supplier(repo.find_supplier("Acme [UK] Ltd").id)
        db.close()
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = cells(table)
        assert len(rows) == before + 3  # supplier, its contract and answer (cascade)
        assert {r[2] for r in rows[:3]} == {"deleted"}


async def test_markup_payloads_show_literally(tmp_path: Path) -> None:
    path = tmp_path / "hostile.db"
    db = open_database(path)
    repo = Repository(db)
    for i, payload in enumerate(MARKUP_PAYLOADS):
        repo.add_supplier(
            Supplier(name=f"S{i} {payload}", category="other", criticality="low", notes=payload)
        )
    db.close()
    app = Host(path, AuditScreen())
    async with app.run_test(size=(200, 60)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = cells(app.screen.query_one("#audit-table", DataTable))
        shown = {r[3] for r in rows}
        for i, payload in enumerate(MARKUP_PAYLOADS):
            assert f"S{i} {payload}".strip() in shown
        for i in range(len(rows)):
            app.screen.query_one("#audit-table", DataTable).move_cursor(row=i)
            await pilot.pause()
            detail = str(app.screen.query_one("#audit-detail", Static).render())
            assert rows[i][3] in detail
        assert app.is_running


async def test_missing_database_is_an_inline_error(tmp_path: Path) -> None:
    app = Host(tmp_path / "gone.db", AuditScreen())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#audit-status", Static).render())
        assert "does not exist" in status
        assert not (tmp_path / "gone.db").exists()


async def test_a_worker_that_raises_is_reported_not_left_reading(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected failure of the screen's read reaches the app as one notification."""
    from supplier_register.tui.screens import audit as audit_module

    def broken(*_args: object) -> object:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(audit_module, "read_audit_entries", broken)
    app = Host(db_path, AuditScreen())
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("disk went away" in m for m in messages), messages

"""Start-up from the scores kept in the database: the first screen at once, then the rest.

The whole register is held back (its read waits on an event) so each test can
look at the first screen, press keys while the rest loads, and then see it
replaced by the whole register.  The scoring engine, run on the records, is the
oracle for every score shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from supplier_register.domain import Criticality, Supplier
from supplier_register.interchange.synthetic import generate_register
from supplier_register.services.register_view import Records, load_snapshot
from supplier_register.storage import Repository, open_database
from supplier_register.tui import app as app_module
from supplier_register.tui.app import FIRST_SCREEN_ROWS, SupplierRegisterApp
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.tui.tui_support import TODAY, engine_scores, make_app, settle, write_register_db

SUPPLIERS = 120
"""More than the first screen holds at 80x24 (FIRST_SCREEN_ROWS)."""

FIRST = FIRST_SCREEN_ROWS


@pytest.fixture(scope="module")
def big_register_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic register of 120 suppliers, imported once for the module."""
    return write_register_db(tmp_path_factory.mktemp("big"), generate_register(SUPPLIERS, seed=3))


@pytest.fixture
def big_db(big_register_file: Path, tmp_path: Path) -> Path:
    """A copy of it for one test, its scores kept in the database (as any earlier run leaves it)."""
    path = tmp_path / "register.db"
    source = open_database(big_register_file)
    try:
        source.conn.execute("VACUUM INTO ?", [str(path)])
    finally:
        source.close()
    keep_scores(path)
    return path


def keep_scores(path: Path) -> None:
    """Score the register once, as the app and the CLI do, which keeps the scores."""
    load_snapshot(path, TODAY)


class HeldBack:
    """Holds back the app's read of the whole register until :meth:`release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = threading.Event()
        self._release = threading.Event()
        real = app_module.read_records

        def read_records(path: Path) -> Records:
            self.entered.set()
            self._release.wait(30)
            return real(path)

        monkeypatch.setattr(app_module, "read_records", read_records)

    def release(self) -> None:
        self._release.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldBack]:
    hold = HeldBack(monkeypatch)
    yield hold
    hold.release()  # never leave a worker waiting


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Let the app run until ``condition`` holds (no timing is asserted)."""
    for _ in range(2000):
        if condition():
            return
        await pilot.pause(0.005)
    raise AssertionError("the app never got there")


def status(app: SupplierRegisterApp) -> str:
    return str(app.screen.query_one("#status", Static).visual)


def shown(table: RegisterTable) -> list[tuple[str, int | None, str | None]]:
    return [(r.name, r.score, r.band.value if r.band else None) for r in table.view]


def oracle(path: Path) -> list[tuple[str, int | None, str | None]]:
    """Every supplier, highest priority first, as the scoring engine scores it now."""
    return [(s.supplier, s.score, s.band.value) for s in engine_scores(path).suppliers]


async def test_first_screen_from_kept_scores_then_the_whole_register(
    big_db: Path, held: HeldBack
) -> None:
    expected = oracle(big_db)
    app = make_app(big_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.first_screen_scored)
        table = app.screen.query_one(RegisterTable)
        assert app.snapshot is None  # the register itself is still being read
        assert table.partial and table.total == SUPPLIERS
        assert shown(table) == expected[:FIRST]
        assert status(app).startswith(f"showing {FIRST} of {SUPPLIERS} suppliers; loading…")
        await pilot.press("down", "down")
        chosen = table.cursor_supplier_id
        top = table.scroll_offset
        held.release()
        await settle(pilot)
        snapshot = app.snapshot
        assert snapshot is not None and snapshot.scores_current
        assert not table.partial and len(table.rows) == SUPPLIERS
        assert shown(table) == expected
        # The first screen filled in below: the cursor and the scroll did not move.
        assert table.cursor_row == 2 and table.cursor_supplier_id == chosen
        assert table.scroll_offset == top
        assert status(app).startswith(f"{SUPPLIERS} suppliers · sorted by priority ↓")


async def test_end_pressed_on_the_first_screen_is_carried_out_when_the_rest_arrives(
    big_db: Path, held: HeldBack
) -> None:
    expected = oracle(big_db)
    app = make_app(big_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.first_screen_scored)
        table = app.screen.query_one(RegisterTable)
        await pilot.press("end")
        assert table.cursor_row == FIRST - 1  # as far as the first screen goes, for now
        held.release()
        await settle(pilot)
        assert table.cursor_row == SUPPLIERS - 1
        assert table.cursor_supplier is not None
        assert table.cursor_supplier.name == expected[-1][0]


async def test_kept_scores_made_stale_outside_the_app_are_never_shown(
    big_db: Path, held: HeldBack
) -> None:
    # Another program changes the highest-priority supplier after the scores were kept.
    db = open_database(big_db)
    try:
        repo = Repository(db)
        top = repo.find_supplier(oracle(big_db)[0][0])
        fields = top.model_dump(include=set(Supplier.model_fields))
        repo.update_supplier(top.id, Supplier(**{**fields, "criticality": Criticality.LOW}))
    finally:
        db.close()
    expected = oracle(big_db)
    app = make_app(big_db)
    async with app.run_test() as pilot:
        # The start-up read has looked at the kept scores and gone on to read everything.
        await until(pilot, held.entered.is_set)
        await pilot.pause()
        table = app.screen.query_one(RegisterTable)
        assert not app.first_screen_scored
        assert table.rows == [] and app.snapshot is None
        held.release()
        await settle(pilot)
        assert app.first_screen_scored
        assert shown(table) == expected
        assert [row.name for row in table.view].index(top.name) > 0


async def test_typing_in_the_filter_while_the_rest_loads(big_db: Path, held: HeldBack) -> None:
    term = "llp"  # only in names: no owner, category, band or criticality has it
    register = engine_scores(big_db)
    assert not any(
        term in f"{s.supplier} {s.criticality.value}".casefold()
        and term not in s.supplier.casefold()
        for s in register.suppliers
    )
    everything = [s.supplier for s in register.suppliers if term in s.supplier.casefold()]
    app = make_app(big_db)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.first_screen_scored)
        table = app.screen.query_one(RegisterTable)
        first = [name for name, _, _ in oracle(big_db)[:FIRST]]
        await pilot.press("slash", *term)
        assert app.screen.query_one("#filter", Input).value == term
        among_first = [r.name for r in table.view]
        assert among_first == [name for name in first if term in name.casefold()]
        assert status(app).startswith(
            f"{len(among_first)} of the first {FIRST} of {SUPPLIERS} suppliers; loading…"
        )
        held.release()
        await settle(pilot)
        # Nothing typed was lost, and the filter now covers the whole register.
        assert app.screen.query_one("#filter", Input).value == term
        assert [r.name for r in table.view] == everything
        assert len(everything) > len(among_first)
        assert status(app).startswith(f"{len(everything)} of {SUPPLIERS} suppliers")


async def test_a_register_smaller_than_the_first_screen(tmp_path: Path, held: HeldBack) -> None:
    path = write_register_db(tmp_path)
    keep_scores(path)
    expected = oracle(path)
    app = make_app(path)
    async with app.run_test() as pilot:
        await until(pilot, lambda: app.first_screen_scored)
        table = app.screen.query_one(RegisterTable)
        assert not table.partial and shown(table) == expected
        assert status(app).startswith("4 suppliers; loading…")
        # Opening a supplier does not wait: its screen fills in once the register is read.
        await pilot.press("enter")
        assert isinstance(app.screen, SupplierScreen)
        assert app.screen.supplier_id == table.cursor_supplier_id
        held.release()
        await settle(pilot)
        title = str(app.screen.query_one("#supplier-title", Static).visual)
        assert title.startswith(expected[0][0])
        await pilot.press("escape")
        assert shown(app.screen.query_one(RegisterTable)) == expected


async def test_no_board_question_count_while_the_register_is_being_scored(
    big_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing kept (a first start, or after the scoring code changed): every row waits for
    # its score, and the status line must not claim "0 board questions" meanwhile.
    conn = open_database(big_db)
    try:
        conn.execute("DELETE FROM score_cache_state")
        conn.conn.commit()
    finally:
        conn.close()
    entered, release = threading.Event(), threading.Event()
    real = app_module.Scoring.score_all

    def score_all(self: object, records: Records, today: object) -> object:
        entered.set()
        release.wait(30)
        return real(self, records, today)  # type: ignore[arg-type]

    monkeypatch.setattr(app_module.Scoring, "score_all", score_all)
    app = make_app(big_db)
    try:
        async with app.run_test() as pilot:
            await until(pilot, lambda: entered.is_set() and "scoring…" in status(app))
            await pilot.pause()  # (not settle(): it would wait for the held-back worker)
            text = status(app)
            assert "scoring…" in text and "board question" not in text
            release.set()
            await until(pilot, lambda: app.snapshot is not None and app.snapshot.scores_current)
            await settle(pilot)
            expected = sum(len(s.questions) for s in engine_scores(big_db).suppliers)
            assert f"{expected:,} board questions" in status(app)
    finally:
        release.set()

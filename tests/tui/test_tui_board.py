"""The board screen: the board pack in tabs (decisions required, board questions with one
numbering, management actions, every question), filters that apply to every tab, enter opening
the supplier, and management actions turned into actions of the open quarterly review."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from rich.text import Text
from sqlite_utils import Database
from textual.widgets import DataTable, Input, Static, TabbedContent

from supplier_register.domain.enums import Criticality
from supplier_register.scoring.board import BoardPack
from supplier_register.scoring.config import ScoringConfig
from supplier_register.scoring.results import KeyQuestion
from supplier_register.services.board import BoardView, all_questions, board, board_view
from supplier_register.services.register_view import Scoring
from supplier_register.services.reviews import start_review
from supplier_register.storage import open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens import board as board_screen
from supplier_register.tui.screens.board import (
    NAME_CELL,
    BoardFilter,
    BoardScreen,
    no_open_review,
    short,
    summary,
)
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.screens.trust import TrustScreen
from tests.tui.tui_support import (
    HOSTILE_NAME,
    TODAY,
    dump,
    engine_scores,
    make_app,
    settle,
    write_register_db,
)


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def with_review(path: Path) -> Path:
    """The known register with the 2026-Q4 review started."""
    db = open_database(path)
    try:
        start_review(db, "2026-Q4", TODAY)
    finally:
        db.close()
    return path


def column(table: DataTable[object], index: int) -> list[str]:
    return [str(table.get_row_at(r)[index]) for r in range(table.row_count)]


def table(app: SupplierRegisterApp, tab_id: str) -> DataTable[object]:
    return app.screen.query_one(f"#table-{tab_id}", DataTable)


def text_of(app: SupplierRegisterApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def review_actions(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT supplier, what, owner, due FROM review_actions"))


def notes(app: SupplierRegisterApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_board(pilot: object, app: SupplierRegisterApp) -> BoardScreen:
    await settle(pilot)  # type: ignore[arg-type]
    await pilot.press("b")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def show_row(pilot: object, app: SupplierRegisterApp, tab_id: str, supplier: str) -> None:
    """Show a tab and move its cursor to the first row of ``supplier``."""
    await pilot.press(str(["decisions", "questions", "actions", "all"].index(tab_id) + 1))  # type: ignore[attr-defined]
    shown = table(app, tab_id)
    names = column(shown, 2 if tab_id == "actions" else 1)
    shown.move_cursor(row=names.index(supplier))
    await pilot.pause()  # type: ignore[attr-defined]


# ------------------------------------------------------------------- the lists


async def test_tabs_show_the_three_lists_and_every_question(register_db: Path) -> None:
    app = make_app(register_db)
    db = open_database(register_db)
    try:
        pack = board(db, TODAY)
    finally:
        db.close()
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        title = text_of(app, "#board-title")
        assert title == f"Board pack · {summary(pack)} · as of 2026-11-26"
        assert summary(pack) == (
            "1 decision (1 overdue) · 5 of 5 board questions · 4 management actions"
        )
        tabs = screen.query_one(TabbedContent)
        labels = [str(tabs.get_tab(f"tab-{t}").label) for t in ("decisions", "questions")]
        assert labels == ["1 Decisions required (1)", "2 Board questions (5)"]
        decisions = table(app, "decisions")
        assert [str(c) for c in decisions.get_row_at(0)][:6] == [
            "1",
            "Acme [UK] Ltd",
            "Strategic",
            "2025-10-02",
            "overdue by 420 days",
            "",
        ]
        # what happens if nothing is done, for the highlighted decision
        detail = text_of(app, "#board-detail")
        assert "If nothing is done: " + " ".join(pack.decisions[0].consequence.split()) in " ".join(
            detail.split()
        )
        assert "Dana Whitfield (chief executive)" in detail
        await pilot.press("3")
        actions = table(app, "actions")
        assert column(actions, 2) == [short(a.supplier, NAME_CELL) for a in pack.actions]
        assert column(actions, 3)[-1] == "no owner"  # Cobalt Devices has none
        assert tabs.active == "tab-actions" and actions.has_focus


async def test_one_numbering_across_the_key_questions_and_every_question_reachable(
    register_db: Path,
) -> None:
    config = ScoringConfig(top_questions=3)
    app = SupplierRegisterApp(register_db, today=TODAY, scoring=Scoring(config))
    db = open_database(register_db)
    try:
        every = all_questions(db, TODAY, config=config)
    finally:
        db.close()
    async with app.run_test(size=(160, 50)) as pilot:
        await open_board(pilot, app)
        assert "3 of 5 board questions" in text_of(app, "#board-title")
        questions = table(app, "questions")
        assert column(questions, 0) == ["1", "2", "3"]
        tags = column(questions, 2)
        assert len(set(tags)) > 1  # the numbering runs on across key questions
        listed = table(app, "all")
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        # every question is read once its tab is first shown (a large register's are many)
        assert screen.every is None and listed.row_count == 0
        await pilot.press("4")
        await settle(pilot)
        assert screen.every == every
        assert column(listed, 0) == [str(n) for n in range(1, 6)]
        assert [listed.get_row_at(r)[:4] for r in range(3)] == [
            questions.get_row_at(r)[:4] for r in range(3)
        ]
        # every board question of the register: the engine's, and the trust's own
        asked = {
            (q.supplier, q.key_question)
            for s in engine_scores(register_db).suppliers
            for q in s.questions
        }
        assert {(q.supplier, q.key_question) for q in every if q.scope == "supplier"} == asked
        assert column(listed, 1) == [q.supplier for q in every]
        # the detail pane has the whole question, what was merged in, and the evidence
        await show_row(pilot, app, "all", "Acme [UK] Ltd")
        first = next(q for q in every if q.supplier == "Acme [UK] Ltd")
        detail = " ".join(text_of(app, "#board-detail").split())
        assert " ".join(first.text.split()) in detail
        for also in first.also:
            assert " ".join(also.split()) in detail


async def test_filters_apply_to_every_tab_and_keep_the_numbers(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        await pilot.press("4")  # every question read, then back to the decisions
        await settle(pilot)
        await pilot.press("1")
        questions = table(app, "questions")
        everything = column(questions, 0)
        await pilot.press("slash")
        assert screen.query_one("#board-filter", Input).has_focus
        await pilot.press(*"acme")
        await pilot.pause()
        assert column(table(app, "decisions"), 1) == ["Acme [UK] Ltd"]
        assert set(column(questions, 1)) == {"Acme [UK] Ltd"}
        assert column(questions, 0) == ["2", "3", "4"]  # the trust's #1 is hidden
        assert column(table(app, "actions"), 2) == ["Acme [UK] Ltd"]
        assert set(column(table(app, "all"), 1)) == {"Acme [UK] Ltd"}
        tabs = screen.query_one(TabbedContent)
        assert str(tabs.get_tab("tab-questions").label) == "2 Board questions (3 of 5)"
        await pilot.press("enter")  # back to the table
        await pilot.press("k")  # skills
        assert screen.filter == BoardFilter("acme", KeyQuestion.SKILLS)
        assert column(questions, 2) == ["Skills"]
        assert table(app, "decisions").row_count == 0  # decisions are about if it went wrong
        await pilot.press("escape")  # clears every filter
        assert screen.filter == BoardFilter()
        assert column(questions, 0) == everything
        await pilot.press("c")  # strategic
        assert screen.filter.criticality is not None
        assert set(column(table(app, "actions"), 2)) == {"Acme [UK] Ltd"}
        await pilot.press("c", "c", "c")  # low
        assert column(table(app, "actions"), 2) == ["Cobalt Devices"]
        assert column(questions, 1) == ["Cobalt Devices"]
        await pilot.press("c")  # all again
        assert screen.filter == BoardFilter()


async def test_a_filtered_table_fits_the_screen_with_its_text_cut_at_a_word(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_board(pilot, app)
        await pilot.press("2")
        questions = table(app, "questions")
        await pilot.press("slash", *"acme")
        await pilot.pause()
        assert set(column(questions, 1)) == {"Acme [UK] Ltd"}
        # the columns are as wide as what they show now, not the widest name seen before
        supplier = next(c for c in questions.columns.values() if str(c.label) == "Supplier")
        shown = supplier.get_render_width(questions) - 2 * questions.cell_padding
        assert shown == len("Acme [UK] Ltd")
        assert questions.virtual_size.width <= questions.scrollable_content_region.width
        assert all(q.endswith("…") for q in column(questions, 4) if len(q) > 30)


async def test_at_80_columns_the_tabs_and_the_filters_fit_when_filtered(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot, app)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("1", "k", "k", "k", "c", "slash", *"a")  # if it went wrong, strategic
        await pilot.pause()
        tabs = screen.query_one(TabbedContent)
        labels = [str(tabs.get_tab(f"tab-{t}").label) for t, _ in board_screen.TABS]
        assert labels == [
            "1 Decisions (1)",
            "2 Questions (1/5)",
            "3 Actions (0/4)",
            "4 All Qs (1/5)",
        ]
        assert all(tabs.get_tab(f"tab-{t}").region.right <= 80 for t, _ in board_screen.TABS)
        filters = screen.query_one("#board-filters", Static)
        assert str(filters.render()) == "  k: If it went wrong · c: Strategic"
        assert Text(str(filters.render())).cell_len <= filters.content_region.width


async def test_keys_pressed_while_the_pack_is_read_are_kept_or_answered(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_review(register_db)
    release = threading.Event()
    read = board_view

    def slow_view(
        db: Database, today: dt.date, *, config: ScoringConfig | None = None
    ) -> BoardView:
        release.wait(60)  # until the keys below have been pressed
        return read(db, today, config=config)

    monkeypatch.setattr(board_screen, "board_view", slow_view)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.view is None
        await pilot.press("3", "c", "a", "A")
        await pilot.pause()
        assert notes(app) == [board_screen.STILL_READING, board_screen.STILL_READING]
        release.set()
        await settle(pilot)
        assert screen.view is not None
        assert screen.query_one(TabbedContent).active == "tab-actions"
        assert set(column(table(app, "actions"), 2)) == {"Acme [UK] Ltd"}  # strategic only
        assert not isinstance(app.screen, ConfirmScreen)
        assert review_actions(register_db) == []


async def test_enter_opens_the_supplier_or_the_trusts_findings(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_board(pilot, app)
        await pilot.press("enter")  # the first decision: Acme
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert app.snapshot is not None
        acme = next(s for s in app.snapshot.suppliers if s.name == "Acme [UK] Ltd")
        assert app.screen.supplier_id == acme.id
        await pilot.press("escape")
        await settle(pilot)
        await show_row(pilot, app, "actions", "Cobalt Devices")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        cobalt = next(s for s in app.snapshot.suppliers if s.name == "Cobalt Devices")
        assert app.screen.supplier_id == cobalt.id
        await pilot.press("escape")
        await settle(pilot)
        await show_row(pilot, app, "questions", "The trust")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrustScreen)


# ------------------------------------------------------- actions to the review


async def test_no_open_review_is_one_line_saying_how_to_start_one(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_board(pilot, app)
        before = dump(register_db)
        await show_row(pilot, app, "actions", "Beta Cloud")
        await pilot.press("a")
        await settle(pilot)
        line = no_open_review(TODAY)
        assert line == (
            "No quarterly review is open: press v, then s, to start the 2026-Q4 review."
        )
        assert notes(app) == [line]
        assert text_of(app, "#board-review") == line
        await pilot.press("A")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert notes(app) == [line, line]
        assert dump(register_db) == before


async def test_a_turns_the_highlighted_action_into_a_review_action(register_db: Path) -> None:
    with_review(register_db)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        assert screen.view is not None
        beta = next(a for a in screen.view.pack.actions if a.supplier == "Beta Cloud")
        assert "Open review: 2026-Q4" in text_of(app, "#board-review")
        await show_row(pilot, app, "actions", "Beta Cloud")
        await pilot.press("a")
        await settle(pilot)
        assert review_actions(register_db) == [
            ("Beta Cloud", beta.review_text, "Sam Okafor (CIO / CDO)", beta.due.isoformat())
        ]
        assert "1 action added to the 2026-Q4 review" in notes(app)
        row = column(table(app, "actions"), 2).index("Beta Cloud")
        assert column(table(app, "actions"), 4)[row] == "in 2026-Q4"
        await pilot.press("a")  # already there: not added twice
        await settle(pilot)
        assert len(review_actions(register_db)) == 1
        assert "This is already an open action of the 2026-Q4 review." in notes(app)


async def test_an_action_without_owner_asks_for_one_inline(register_db: Path) -> None:
    with_review(register_db)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        await show_row(pilot, app, "actions", "Cobalt Devices")
        await pilot.press("a")
        await pilot.pause()
        owner = screen.query_one("#board-owner", Input)
        assert owner.has_focus and screen.query_one("#board-owner-row").display
        assert "Owner of the action for Cobalt Devices" in str(
            screen.query_one("#board-owner-label", Static).render()
        )
        await pilot.press("enter")  # nothing typed: asked again, nothing written
        await settle(pilot)
        assert review_actions(register_db) == []
        await pilot.press(*"Ann [b]Lee[/b]", "enter")
        await settle(pilot)
        assert [(r[0], r[2]) for r in review_actions(register_db)] == [
            ("Cobalt Devices", "Ann [b]Lee[/b]")
        ]
        assert not screen.query_one("#board-owner-row").display


async def test_an_action_already_in_the_review_asks_for_no_owner(register_db: Path) -> None:
    with_review(register_db)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        await show_row(pilot, app, "actions", "Cobalt Devices")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Ann Lee", "enter")
        await settle(pilot)
        assert [(r[0], r[2]) for r in review_actions(register_db)] == [
            ("Cobalt Devices", "Ann Lee")
        ]
        before = dump(register_db)
        await show_row(pilot, app, "actions", "Cobalt Devices")
        detail = text_of(app, "#board-detail")
        assert "Already an open action of the 2026-Q4 review." in detail
        assert "Owner: none recorded\n" in detail  # a would ask for none
        await pilot.press("a")  # in the review: no owner to ask for, nothing to write
        await settle(pilot)
        assert not screen.query_one("#board-owner-row").display
        assert "This is already an open action of the 2026-Q4 review." in notes(app)
        assert dump(register_db) == before
        # every action shown: the one already there is neither counted nor asked about
        await pilot.press("A")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        said = " ".join(str(s.render()) for s in confirm.query(Static))
        assert "Add 3 management actions to the 2026-Q4 review?" in said
        assert "(1 action already there is left as it is)" in said
        await pilot.press("y")
        await settle(pilot)
        assert not screen.query_one("#board-owner-row").display  # the others all have owners
        assert "3 actions added to the 2026-Q4 review (1 already there)" in notes(app)
        owners = {r[0]: r[2] for r in review_actions(register_db)}
        assert owners["Cobalt Devices"] == "Ann Lee"  # kept as it was
        await pilot.press("A")  # all there now: said so, no confirmation
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "All 4 are already open actions of the 2026-Q4 review." in notes(app)


async def test_every_action_shown_to_the_review_after_a_confirmation(register_db: Path) -> None:
    with_review(register_db)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        await pilot.press("3", "c", "c")  # high only
        assert column(table(app, "actions"), 2) == ["Beta Cloud"]
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert review_actions(register_db) == []
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert [r[0] for r in review_actions(register_db)] == ["Beta Cloud"]
        # every action: the one without an owner asks for one, for all of them at once
        await pilot.press("c", "c", "c")
        assert screen.filter == BoardFilter()
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "1 of these actions have no owner" in str(
            screen.query_one("#board-owner-label", Static).render()
        )
        await pilot.press(*"Sam Okafor", "enter")
        await settle(pilot)
        added = review_actions(register_db)
        assert sorted(str(r[0]) for r in added) == sorted(
            ["Acme [UK] Ltd", "Beta Cloud", HOSTILE_NAME, "Cobalt Devices"]
        )
        assert "3 actions added to the 2026-Q4 review (1 already there)" in notes(app)


async def test_a_from_the_palette_on_another_tab_adds_nothing(register_db: Path) -> None:
    with_review(register_db)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        assert not screen.check_action("to_review", ())  # not in the footer here
        await app.run_action("to_review", screen)  # as the palette would run it
        await settle(pilot)
        assert review_actions(register_db) == []
        screen.action_to_review()  # and were it run anyway
        await settle(pilot)
        assert review_actions(register_db) == []
        assert notes(app) == ["Choose a management action first (3 shows them)."]


async def test_a_register_that_cannot_be_read_is_one_line_in_the_title(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        register_db.write_bytes(b"not a database, " * 512)
        screen.load()
        await settle(pilot)
        title = text_of(app, "#board-title")
        assert title.startswith("Board pack · could not be read: ")
        assert "\n" not in title
        assert table(app, "decisions").row_count == 1  # what was read before stays shown


async def test_a_tab_shows_at_most_its_first_rows(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(board_screen, "ROWS_SHOWN", 2)
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_board(pilot, app)
        await pilot.press("4")
        await settle(pilot)
        assert column(table(app, "all"), 0) == ["1", "2"]
        label = str(screen.query_one(TabbedContent).get_tab("tab-all").label)
        assert label == "4 All questions (2 of 5)"
        await pilot.press("slash", *"acme")
        await pilot.pause()
        assert column(table(app, "all"), 0) == ["2", "3"]  # the first two the filter keeps


def test_summary_counts_with_thousands_separators() -> None:
    pack = BoardPack(
        today=TODAY,
        decisions=(),
        questions=(),
        actions=(),
        question_total=14_631,
        horizon_days=90,
        decisions_from=Criticality.HIGH,
    )
    assert summary(pack) == "0 decisions · 0 of 14,631 board questions · 0 management actions"

"""The review screen driven with Pilot: lists, adding an action, marking it done, closing, trends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Input, Sparkline, Static, TabbedContent

from supplier_register.review.quarters import Quarter
from supplier_register.services import reviews as review_service
from supplier_register.storage import Repository, open_database
from supplier_register.storage.reviews import ReviewStore
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.review import (
    ActionForm,
    ReviewScreen,
    block_sparkline,
)
from tests.support.review_scenario import Q2_CLOSE, Q2_START, Q3_START, A, C, register, scores

HOSTILE = "[@click=app.quit]x[/] [b]not bold[/b]"


class Host(App[None]):
    """The smallest app the review screen runs in: a database path and a day."""

    def __init__(self, db_path: Path, today: dt.date) -> None:
        super().__init__()
        self.db_path = db_path
        self.today = today

    def on_mount(self) -> None:
        self.push_screen(ReviewScreen())


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "review.db"
    db = open_database(path)
    try:
        Repository(db).import_register(register(3))
        store = ReviewStore(db)
        store.start(Quarter(2026, 2), Q2_START, register(2), scores(2, Q2_START))
        store.add_action(
            Quarter(2026, 2),
            {"supplier": A, "what": HOSTILE, "owner": "Sam", "due": dt.date(2026, 8, 31)},
            Q2_START,
        )
        review_service.close(store, Quarter(2026, 2), Q2_CLOSE)
        store.start(Quarter(2026, 3), Q3_START, register(3), scores(3, Q3_START))
    finally:
        db.close()
    return path


async def settle(app: App[None], pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


def cells(table: DataTable[object], row: int) -> list[str]:
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(row)]


def actions_in_db(path: Path) -> list[tuple[object, ...]]:
    db = open_database(path)
    try:
        return [
            tuple(r) for r in db.execute("SELECT id, what, owner, due, done_on FROM review_actions")
        ]
    finally:
        db.close()


def test_block_sparkline_uses_a_fixed_scale() -> None:
    assert block_sparkline([0, 50, 100]) == " ▄█"
    assert block_sparkline([]) == ""


async def test_review_lists_and_trends(db_path: Path) -> None:
    app = Host(db_path, Q3_START)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        head = screen.query_one("#review-title", Static)
        assert "Quarterly supplier review 2026-Q3: Started 20 September 2026; open" in str(
            head.render()
        )
        movers = screen.query_one("#table-movers", DataTable)
        assert [cells(movers, i)[0] for i in range(movers.row_count)] == [C, A, "Echo Apps"]
        assert cells(movers, 1)[2:5] == ["60", "70", "▲ 10"]
        actions = screen.query_one("#table-actions", DataTable)
        first = cells(actions, 0)
        assert first[3] == HOSTILE  # literal: never markup
        assert first[-1] == "Overdue" and "carried forward" in first[1]
        due = screen.query_one("#table-due", DataTable)
        assert cells(due, 0)[0] == A and cells(due, 0)[-1] == "Overdue"
        trends = screen.query_one("#table-trends", DataTable)
        assert cells(trends, 0)[3] == "60 → 70"
        assert screen.query_one("#trend-spark", Sparkline).data == [60.0, 70.0]
        screen.query_one(TabbedContent).active = "tab-trends"
        await pilot.pause()
        trends.focus()
        await pilot.press("down")
        await pilot.pause()
        second = cells(trends, 1)[0]
        expected = [float(v) for v in cells(trends, 1)[3].split(" → ")]
        assert screen.query_one("#trend-spark", Sparkline).data == expected, second
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert "2026-Q2" in str(screen.query_one("#review-title", Static).render())
        assert "closed 30 June 2026" in str(screen.query_one("#review-title", Static).render())


async def test_add_action_with_inline_errors_then_done_then_close(db_path: Path) -> None:
    app = Host(db_path, Q3_START)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        before = actions_in_db(db_path)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        form.query_one("#supplier", Input).value = "cobalt labs"
        form.query_one("#what", Input).value = "Name an owner [b]now[/b]"
        form.query_one("#owner", Input).value = "Dana Whitfield"
        form.query_one("#due", Input).value = "31/13/2026"
        await pilot.click("#save")
        await settle(app, pilot)
        error = form.query_one("#error", Static)
        assert "Due: '31/13/2026' is not a date: month 13 (dates are read day first)" in str(
            error.render()
        )
        due = form.query_one("#due", Input)
        due.value = "2026-01-01"
        due.focus()
        await pilot.press("enter")  # Enter in any field saves, like the Save button
        await settle(app, pilot)
        assert "due: 2026-01-01 is before today (2026-09-20)" in str(error.render())
        assert actions_in_db(db_path) == before  # nothing written
        due.value = "2026-12-31"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        after = actions_in_db(db_path)
        assert after[-1][1:] == ("Name an owner [b]now[/b]", "Dana Whitfield", "2026-12-31", None)
        new_id = str(after[-1][0])

        screen = app.screen
        actions = screen.query_one("#table-actions", DataTable)
        keys = [
            actions.coordinate_to_cell_key((i, 0)).row_key.value for i in range(actions.row_count)
        ]
        assert new_id in keys
        screen.query_one(TabbedContent).active = "tab-actions"
        await pilot.pause()
        actions.focus()
        actions.move_cursor(row=keys.index(new_id))
        await pilot.press("d")
        await settle(app, pilot)
        assert actions_in_db(db_path)[-1][-1] == "2026-09-20"

        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        db = open_database(db_path)
        try:
            closed = db.execute(
                "SELECT closed_on FROM reviews WHERE quarter = '2026-Q3'"
            ).fetchone()
        finally:
            db.close()
        assert closed == ("2026-09-20",)
        assert "closed 20 September 2026" in str(
            app.screen.query_one("#review-title", Static).render()
        )

        await pilot.press("a")  # closed: refused with a notification, no form
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert any("is closed" in n.message for n in app._notifications)


async def test_start_the_first_review(tmp_path: Path) -> None:
    path = tmp_path / "first.db"
    db = open_database(path)
    try:
        Repository(db).import_register(register(3))
    finally:
        db.close()
    app = Host(path, dt.date(2026, 11, 26))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        text = str(app.screen.query_one("#review-facts", Static).render())
        assert "Press s to start the review of 2026-Q4." in text
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await settle(app, pilot)
        title = str(app.screen.query_one("#review-title", Static).render())
        assert "Quarterly supplier review 2026-Q4: Started 26 November 2026; open" in title
        trends = app.screen.query_one("#table-trends", DataTable)
        assert trends.row_count == 4
        await pilot.press("s")  # the same quarter again: refused, one line, nothing changed
        await pilot.pause()
        await pilot.click("#yes")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("was already started on 2026-11-26" in m for m in messages)


async def test_the_register_app_opens_the_review_with_v(tmp_path: Path) -> None:
    from tests.tui.tui_support import HOSTILE_NAME, make_app, table_rows, write_register_db

    path = write_register_db(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(app, pilot)
        assert [r[1:4] for r in table_rows(path, "reviews")] == [("2026-Q4", "2026-11-26", None)]
        trends = screen.query_one("#table-trends", DataTable)
        names = [cells(trends, i)[0] for i in range(trends.row_count)]
        assert HOSTILE_NAME in names  # literal, not markup
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReviewScreen)


async def test_a_snapshot_this_release_cannot_read_is_one_notification(db_path: Path) -> None:
    """A review snapshot crafted behind the program's back: one line, and the screen stays."""
    import json
    import sqlite3

    from supplier_register.storage.reviews import decode_snapshot, encode_snapshot

    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER review_snapshots_no_update")
    (sid, stored) = conn.execute(
        "SELECT s.id, s.data FROM review_snapshots s JOIN reviews r ON r.id = s.review_id "
        "WHERE r.closed_on IS NULL ORDER BY s.position LIMIT 1"
    ).fetchone()
    data = json.loads(decode_snapshot(stored))
    data["supplier"]["criticality"] = "bogus"
    conn.execute(
        "UPDATE review_snapshots SET data = ? WHERE id = ?",
        [encode_snapshot(json.dumps(data)), sid],
    )
    conn.commit()
    conn.close()
    app = Host(db_path, Q3_START)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("the register holds a record this release cannot read" in m for m in messages)
        assert any("criticality" in m for m in messages)


async def test_a_slow_read_of_an_earlier_quarter_never_replaces_the_one_asked_for_since(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stepping between quarters quickly: only the last quarter asked for is shown."""
    import threading

    from supplier_register.services.register_view import read_review as real
    from supplier_register.tui.screens import review as review_module

    release = threading.Event()

    def read(path: Path, quarter: str | None, today: dt.date) -> object:
        if quarter == "2026-Q2":
            release.wait(10)  # the earlier quarter's read is slow
        return real(path, quarter, today)

    app = Host(db_path, Q3_START)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        monkeypatch.setattr(review_module, "read_review", read)
        screen._read(db_path, "2026-Q2", Q3_START)  # slow
        screen._read(db_path, "2026-Q3", Q3_START)  # asked for after it, finishes first
        await pilot.pause()
        release.set()
        await settle(app, pilot)
        assert screen.quarter == "2026-Q3"

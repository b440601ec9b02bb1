"""The deadlines screen (key D and the palette): the core's deadlines soonest first, overdue ones
flagged with the days since, a window (keys 1 to 4) and a supplier filter, enter opening the
supplier (back keeps the row), and the deadlines shown written as an .ics calendar."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any, cast

import pytest
from icalendar import Calendar
from rich.text import Text
from textual.widgets import Input, Static

from supplier_register.domain import Contract, Register
from supplier_register.scoring import deadlines as core
from supplier_register.services.deadlines import (
    DEFAULT_DAYS,
    Deadline,
    deadlines_calendar,
    register_deadlines,
)
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens import deadlines as deadlines_screen
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.deadlines import (
    CalendarScreen,
    DeadlinesScreen,
    DeadlineTable,
    deadline_cells,
    deadline_detail,
)
from supplier_register.tui.screens.help import HelpScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from tests.tui.tui_support import (
    HOSTILE_NAME,
    TODAY,
    dump,
    known_register,
    make_app,
    settle,
    write_register_db,
)


def register() -> Register:
    """The known register, with a contract of the hostile-named supplier that renews
    automatically unless notice is given within a fortnight."""
    known = known_register()
    hostile = Contract(
        supplier=HOSTILE_NAME,
        title="App [b]hosting[/b]",
        what_is_bought="commodity",
        contract_type="subscription_saas",
        end_date=dt.date(2026, 12, 20),
        notice_period_days=10,
        auto_renewal=True,
    )
    return known.model_copy(update={"contracts": [*known.contracts, hostile]})


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    folder.mkdir()
    return write_register_db(folder, register())


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder, where the proposed file name lands."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def expected(path: Path, days: int | None) -> list[Deadline]:
    """The core's deadlines of the register (the oracle the screen must show as it is)."""
    db = open_database(path)
    try:
        return register_deadlines(Repository(db), TODAY, days)
    finally:
        db.close()


async def open_deadlines(app: SupplierRegisterApp, pilot: object) -> DeadlinesScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await pilot.press("D")
    screen = app.screen
    assert isinstance(screen, DeadlinesScreen)  # at once, before the list is read
    await settle(pilot)
    return screen


def keys(screen: DeadlinesScreen) -> list[str]:
    table = screen.query_one(DeadlineTable)
    return [str(row.value) for row in table.rows]


def row_text(screen: DeadlinesScreen, key: str) -> list[Text]:
    return list(screen.query_one(DeadlineTable).get_row(key))


def _top(app: SupplierRegisterApp) -> object:
    """The screen shown (a call, so a check narrowing ``app.screen`` does not stick)."""
    return app.screen


def _notes(app: SupplierRegisterApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_lists_the_cores_deadlines_soonest_first_overdue_flagged(register_db: Path) -> None:
    want = expected(register_db, DEFAULT_DAYS)
    overdue = [d for d in want if d.overdue]
    assert overdue and len(overdue) < len(want)  # the register has both kinds
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deadlines(app, pilot)
        assert keys(screen) == [d.key for d in want]
        dates = [d.date for d in want]
        assert dates == sorted(dates)
        for d in want:
            date, days, what, supplier, contract = row_text(screen, d.key)
            assert date.plain == d.date.isoformat()
            assert what.plain == d.label
            assert supplier.plain == d.supplier
            assert contract.plain == (d.contract or "")
            if d.overdue:
                assert days.plain == f"{-d.days_left} days overdue"
                assert "red" in str(days.style) and "bold" in str(days.style)
            else:
                assert "overdue" not in days.plain
                assert "red" not in str(days.style)
        title = str(screen.query_one("#deadlines-title", Static).visual)
        assert f"{len(want)} deadlines ({len(overdue)} overdue)" in title
        assert f"as of {TODAY.isoformat()}" in title
        detail = str(screen.query_one("#deadlines-detail", Static).visual)
        assert "OVERDUE" in detail and want[0].meaning in detail


async def test_the_screen_opens_at_once_and_fills_when_the_worker_has_read(
    register_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    read = register_deadlines

    def slow(repo: Repository, today: dt.date, days: int | None = DEFAULT_DAYS) -> list[Deadline]:
        release.wait(60)  # until the screen has been seen empty
        return read(repo, today, days)

    monkeypatch.setattr(deadlines_screen, "register_deadlines", slow)
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen) and screen.found is None
        assert "reading" in str(screen.query_one("#deadlines-title", Static).visual)
        await pilot.press("x")  # nothing to write yet: said, not done
        await pilot.pause()
        assert _top(app) is screen and "still being read" in _notes(app)[-1]
        await pilot.press("1")  # a window chosen meanwhile is kept
        release.set()
        await settle(pilot)
        assert keys(screen) == [d.key for d in expected(register_db, 30)]


async def test_the_window_keys_and_the_supplier_filter(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deadlines(app, pilot)
        for key, days in (("1", 30), ("3", 365), ("4", None), ("2", DEFAULT_DAYS)):
            await pilot.press(key)
            await pilot.pause()
            assert keys(screen) == [d.key for d in expected(register_db, days)], key
        assert len(expected(register_db, None)) > len(expected(register_db, 365))
        # every overdue deadline whatever the window
        await pilot.press("1")
        await pilot.pause()
        assert {d.key for d in expected(register_db, None) if d.overdue} <= set(keys(screen))

        await pilot.press("4", "slash")
        await pilot.press(*"beta")
        await pilot.pause()
        assert screen.query_one("#deadlines-filter", Input).value == "beta"
        beta = [d.key for d in expected(register_db, None) if d.supplier == "Beta Cloud"]
        assert beta and keys(screen) == beta
        await pilot.press("escape")  # leaves the box, then clears the filter
        await pilot.press("escape")
        await pilot.pause()
        assert keys(screen) == [d.key for d in expected(register_db, None)]
        await pilot.press("slash", *"no such supplier")
        await pilot.pause()
        assert keys(screen) == []
        assert "No deadline with this filter" in str(
            screen.query_one("#deadlines-detail", Static).visual
        )


async def test_user_text_is_shown_as_typed(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deadlines(app, pilot)
        hostile = [d for d in expected(register_db, DEFAULT_DAYS) if d.supplier == HOSTILE_NAME]
        assert [d.kind for d in hostile] == ["notice_by", "contract_end"]
        _, _, _, supplier, contract = row_text(screen, hostile[0].key)
        assert supplier.plain == HOSTILE_NAME and not supplier.spans
        assert contract.plain == "App [b]hosting[/b]"
        table = screen.query_one(DeadlineTable)
        table.move_cursor(row=keys(screen).index(hostile[0].key))
        await pilot.pause()
        detail = str(screen.query_one("#deadlines-detail", Static).visual)
        assert HOSTILE_NAME in detail and "App [b]hosting[/b]" in detail
        assert app.is_running  # the [@click=app.quit] in the name did nothing


def test_a_kind_is_shown_by_its_words_whatever_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kinds come from the core's KIND_LABEL: a kind the screen has never heard of shows too."""
    labels = cast(dict[str, str], core.KIND_LABEL)
    monkeypatch.setitem(labels, "assurance_expiry", "assurance expires")
    kind = cast(Any, "assurance_expiry")
    deadline = Deadline(1, "Acme", None, None, kind, TODAY, 0, False, "Cyber Essentials expires.")
    cells = deadline_cells(deadline, 20, 20)
    assert [c.plain for c in cells] == [TODAY.isoformat(), "today", "assurance expires", "Acme", ""]


def test_an_expiring_assurance_names_what_expires() -> None:
    """An assurance deadline has no contract: its row and detail name the assurance instead."""
    deadline = Deadline(
        1,
        "Acme",
        None,
        None,
        "assurance_expiry",
        TODAY,
        -3,
        True,
        "The Cyber Essentials Plus certificate expired on ...",
        item="cyber_essentials",
        detail="Cyber Essentials Plus certificate",
    )
    cells = deadline_cells(deadline, 20, 40)
    assert cells[4].plain == "Cyber Essentials Plus certificate"
    shown = deadline_detail(deadline).plain
    assert "Acme · Cyber Essentials Plus certificate" in shown
    assert "assurance expires: Cyber Essentials Plus certificate: " in shown


async def test_enter_opens_the_supplier_and_back_keeps_the_row(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_deadlines(app, pilot)
        want = expected(register_db, DEFAULT_DAYS)
        target = next(i for i, d in enumerate(want) if d.supplier == HOSTILE_NAME and i > 0)
        table = screen.query_one(DeadlineTable)
        table.move_cursor(row=target)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
        assert app.screen.supplier_id == want[target].supplier_id
        await pilot.press("escape")
        await settle(pilot)  # the list is read again on the way back
        assert _top(app) is screen
        assert table.cursor_row == target
        assert keys(screen)[table.cursor_row] == want[target].key


async def test_the_calendar_is_written_read_back_and_replaced_only_when_confirmed(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deadlines(app, pilot)
        await pilot.press("slash", *"acme", "enter")
        await pilot.pause()
        shown = [d for d in expected(register_db, DEFAULT_DAYS) if d.supplier == "Acme [UK] Ltd"]
        assert keys(screen) == [d.key for d in shown]
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, CalendarScreen)
        path = app.screen.query_one("#calendar-path", Input)
        assert path.value == f"./deadlines-{TODAY.isoformat()}.ics"
        await pilot.press("enter")
        await settle(pilot)
        out = here / f"deadlines-{TODAY.isoformat()}.ics"
        assert _top(app) is screen
        assert f"written to {out.absolute()}" in _notes(app)[-1]
        calendar = Calendar.from_ical(out.read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert [str(e["uid"]).split("@")[0] for e in events] == [d.key for d in shown]
        assert [e.decoded("dtstart") for e in events] == [d.date for d in shown]
        assert all("Acme [UK] Ltd" in str(e["summary"]) for e in events)
        assert any(str(e["summary"]).startswith("OVERDUE") for e in events)

        before = out.read_bytes()
        await pilot.press("4", "x")  # every deadline of Acme now
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert out.read_bytes() == before
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        everything = [d for d in expected(register_db, None) if d.supplier == "Acme [UK] Ltd"]
        assert len(everything) > len(shown)
        events = list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
        assert [str(e["uid"]).split("@")[0] for e in events] == [d.key for d in everything]


async def test_the_calendar_dialog_writes_with_ctrl_s_like_every_form(
    register_db: Path, here: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_deadlines(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, CalendarScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _top(app) is screen
        out = here / f"deadlines-{TODAY.isoformat()}.ics"
        assert list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))


async def test_the_calendar_is_the_one_due_writes_for_the_same_window(
    register_db: Path, here: Path
) -> None:
    """Unfiltered, the file is byte for byte ``due --days N --format ics`` (the same core)."""
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deadlines(app, pilot)
        for key, days in (("3", 365), ("1", 30)):
            await pilot.press(key, "x")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, CalendarScreen)
            dialog.query_one("#calendar-path", Input).value = f"due-{days}.ics"
            await pilot.press("enter")
            await settle(pilot)
            written = (here / f"due-{days}.ics").read_bytes()
            assert written == deadlines_calendar(expected(register_db, days), TODAY)


async def test_the_calendar_is_never_written_over_the_register(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_deadlines(app, pilot)
        before = dump(register_db)  # once the app has kept its scores
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CalendarScreen)
        dialog.query_one("#calendar-path", Input).value = str(register_db)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")  # even when asked to replace it
        await settle(pilot)
        assert app.screen is dialog
        error = dialog.query_one("#calendar-error", Static)
        assert error.display and str(register_db.name) in str(error.visual)
        assert dump(register_db) == before


async def test_the_palette_and_the_help_offer_the_deadlines(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = RegisterCommands(app.screen)
        for word in ("deadlines", "notice", "calendar"):
            hits = [str(hit.text) async for hit in provider.search(word)]
            assert any(h.startswith("Deadlines") for h in hits), (word, hits)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"deadlines")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeadlinesScreen)
        titles = [c.title for c in RegisterCommands(app.screen).commands()]
        assert any("calendar (.ics)" in t for t in titles)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#help-body", Static).visual)
        assert "Deadlines: decide-by" in body and "calendar (.ics)" in body

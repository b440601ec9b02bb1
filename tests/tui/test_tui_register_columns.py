"""The register's columns that say what to do next: priority (each supplier's place in the
register's first order, explained in the help and the header's tooltip) and notice by, beside
decide by (the next last day to give notice on a current auto-renewing contract)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.widgets import Static

from supplier_register.domain import Contract, Register
from supplier_register.scoring import SupplierOverview
from supplier_register.services.rows import SupplierRow, next_notice_by
from supplier_register.tui.screens.help import HelpScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.widgets.register_table import (
    NOTICE_HELP,
    PRIORITY,
    PRIORITY_HELP,
    RegisterTable,
    sort_rows,
)
from tests.support.oracles import score_register
from tests.tui.tui_support import TODAY, known_register, make_app, settle, write_register_db


def register() -> Register:
    """The known register (Acme's EPR licence: notice by 2 Oct 2026, passed), and Acme with a
    second auto-renewing contract whose notice is due by 1 Apr 2027, Beta with one ended and one
    whose notice period is not recorded."""
    known = known_register()
    extra = [
        Contract(
            supplier="Acme [UK] Ltd",
            title="Support desk",
            what_is_bought="commodity",
            contract_type="subscription_saas",
            end_date=dt.date(2027, 6, 30),
            notice_period_days=90,
            auto_renewal=True,
        ),
        Contract(
            supplier="Beta Cloud",
            title="Old hosting",
            what_is_bought="commodity",
            contract_type="subscription_saas",
            end_date=dt.date(2026, 1, 31),
            notice_period_days=30,
            auto_renewal=True,
        ),
        Contract(
            supplier="Beta Cloud",
            title="Backup",
            what_is_bought="commodity",
            contract_type="subscription_saas",
            end_date=dt.date(2027, 2, 28),
            auto_renewal=True,
        ),
    ]
    return known.model_copy(update={"contracts": [*known.contracts, *extra]})


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path, register())


def test_scoring_gives_the_notice_dates_of_current_auto_renewing_contracts() -> None:
    scores = {s.supplier: s for s in score_register(register(), today=TODAY).suppliers}
    acme, beta = scores["Acme [UK] Ltd"], scores["Beta Cloud"]
    # Acme: the EPR licence (2027-03-31 less 180 days) and the support desk (less 90 days);
    # the interface contract does not renew automatically.
    assert acme.notice_dates == [dt.date(2026, 10, 2), dt.date(2027, 4, 1)]
    # Beta: the old hosting has ended; the backup's notice period is not recorded (not guessed).
    assert beta.notice_dates == []
    assert SupplierOverview.of(acme).notice_dates == tuple(acme.notice_dates)


def test_the_next_notice_by_date_is_the_first_not_passed_else_the_last() -> None:
    dates = [dt.date(2026, 10, 2), dt.date(2027, 4, 1), dt.date(2027, 9, 1)]
    assert next_notice_by(dates, TODAY) == dt.date(2027, 4, 1)
    assert next_notice_by(dates, dt.date(2027, 4, 1)) == dt.date(2027, 4, 1)  # the day itself
    assert next_notice_by(dates[:1], TODAY) == dt.date(2026, 10, 2)  # passed: still shown
    assert next_notice_by([], TODAY) is None


def _row(table: RegisterTable, name: str) -> SupplierRow:
    return next(r for r in table.rows if r.name == name)


def _line(table: RegisterTable, row: SupplierRow) -> int:
    """The screen line of ``row`` (the header is line 0)."""
    return 1 + [r.id for r in table.view].index(row.id) - int(table.scroll_offset.y)


async def test_notice_by_beside_decide_by_at_80_columns(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        header = table.render_line(0).text
        assert "Decide by  Notice by" in header
        assert header.rstrip().endswith("Notice by")
        assert len(header) <= 80
        acme = _row(table, "Acme [UK] Ltd")
        assert acme.notice_by == dt.date(2027, 4, 1)  # the next one, not the passed one
        assert _row(table, "Beta Cloud").notice_by is None  # nothing recorded: blank
        line = table.render_line(_line(table, acme)).text
        assert line.rstrip().endswith(f"{acme.decide_by} 2027-04-01")


async def test_a_passed_notice_by_is_shown_in_red(tmp_path: Path) -> None:
    app = make_app(write_register_db(tmp_path))  # the known register: only the EPR licence
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        acme = _row(table, "Acme [UK] Ltd")
        assert acme.notice_by == dt.date(2026, 10, 2)
        table.move_to_id(_row(table, "Beta Cloud").id)  # the cursor bar mutes colours
        await pilot.pause()
        strip = table.render_line(_line(table, acme))
        red = [seg.text for seg in strip if seg.style is not None and seg.style.bold]
        assert "2026-10-02" in red


async def test_priority_is_the_whole_registers_order_whatever_the_view(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(RegisterTable)
        first = sort_rows(table.rows, PRIORITY, True)
        rank = {r.id: n for n, r in enumerate(first, start=1)}
        assert table.sort_key == PRIORITY and [r.id for r in table.view] == [r.id for r in first]

        def shown() -> dict[int, str]:
            """Each row's supplier id and the rank drawn in its priority cell."""
            out = {}
            for y, row in enumerate(table.view, start=1):
                out[row.id] = table.render_line(y).text.split()[0]
            return out

        assert shown() == {r.id: str(rank[r.id]) for r in first}
        await pilot.press("1")  # by name: the ranks go with their suppliers
        await pilot.pause()
        assert table.sort_key == "name"
        assert shown() == {r.id: str(rank[r.id]) for r in first}
        table.filter_text = "beta"  # a filter hides rows, never renumbers them
        await pilot.pause()
        beta = _row(table, "Beta Cloud")
        assert shown() == {beta.id: str(rank[beta.id])} and rank[beta.id] > 1


async def test_the_header_tooltip_and_the_help_say_what_the_columns_are(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        table = app.screen.query_one(RegisterTable)
        header = table.render_line(0).text
        await pilot.hover(RegisterTable, offset=(header.index("Pri."), 0))
        assert isinstance(table.tooltip, str) and table.tooltip.startswith(PRIORITY_HELP)
        await pilot.hover(RegisterTable, offset=(header.index("Notice by") + 2, 0))
        assert isinstance(table.tooltip, str) and table.tooltip.startswith(NOTICE_HELP)
        await pilot.hover(RegisterTable, offset=(header.index("Decide by"), 0))
        assert isinstance(table.tooltip, str) and "renew or leave" in table.tooltip
        await pilot.hover(RegisterTable, offset=(header.index("Score"), 0))
        assert table.tooltip == "Score. Click to sort by it (again: the other way)."
        await pilot.hover(RegisterTable, offset=(header.index("Pri."), 2))  # a row: none
        assert table.tooltip is None
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = str(app.screen.query_one("#help-body", Static).visual)
        assert PRIORITY_HELP in body and NOTICE_HELP in body

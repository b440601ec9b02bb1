"""The trust's own findings in the terminal interface: one line on the register screen, always
in view; the full findings on their own screen (key T, and the palette); the board's questions
about the trust itself, which open that screen.  All of it literal text, never markup."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from supplier_register.domain import TrustProfile
from supplier_register.scoring.config import ScoringConfig, TrustThresholds
from supplier_register.services.register_view import Scoring
from supplier_register.storage import Repository, open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.commands import RegisterCommands
from supplier_register.tui.screens.board import BoardScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.trust import TrustScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from supplier_register.tui.widgets.trust_line import TrustLine
from tests.tui.tui_support import TODAY, make_app, settle, write_register_db

ICS = "[b]Fellside[/b] ICS $x"


def with_profile(path: Path, profile: TrustProfile) -> Path:
    db = open_database(path)
    try:
        Repository(db).save_profile(profile, 0)
    finally:
        db.close()
    return path


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    profile = TrustProfile(
        ics=ICS,
        digital_staff=Decimal(10),
        commercial_staff=Decimal(4),
        contractors=Decimal(10),
    )
    return with_profile(write_register_db(tmp_path), profile)


def plain(widget: Static) -> str:
    return str(widget.visual)


async def test_register_line_shows_the_trusts_findings(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        line = app.screen.query_one(TrustLine)
        assert line.display
        assert plain(line) == (
            "The trust: only 0% bought jointly; contractor dependence 50% · T: the trust's findings"
        )


async def test_line_says_when_only_the_profile_is_missing(tmp_path: Path) -> None:
    app = make_app(write_register_db(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(TrustLine)
        assert "staffing not recorded" in plain(line)


async def test_t_opens_the_findings_in_full(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrustScreen)
        body = plain(screen.query_one("#trust-findings", Static))
        assert "The digital team depends on contractors" in body
        assert "Contractors and interims are 10 FTE of the 20 FTE" in body
        assert "contractors' share of the digital team: 50%" in body
        assert "To make smart buying decisions, you need digital and commercial experts" in body
        assert f"integrated care system: {ICS}" in body  # literal, not markup
        title = plain(screen.query_one("#trust-title", Static))
        count = re.search(r" · (\d+) (findings?) · as of ", title)
        assert count is not None, title  # the count says what it counts
        assert count[2] == ("finding" if count[1] == "1" else "findings")
        assert int(count[1]) == body.count("Principle 6, ")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)


async def test_palette_offers_the_trusts_findings(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in RegisterCommands(app.screen).commands()]
        assert any("The trust's own findings" in t for t in titles)


async def test_board_asks_about_the_trust_and_opens_its_findings(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen) and screen.view is not None
        questions = screen.view.pack.questions
        # the trust's two questions rank among the suppliers', in the one numbering
        ranks = [n for n, q in enumerate(questions, start=1) if q.scope == "trust"]
        assert [questions[n - 1].key_question.value for n in ranks] == ["contracting", "skills"]
        table = screen.query_one("#table-questions", DataTable)
        rows = [table.get_row_at(r) for r in range(table.row_count)]
        assert [str(row[0]) for row in rows if str(row[3]) == "The trust"] == [
            str(n) for n in ranks
        ]
        # the title counts them with the suppliers' questions
        total = screen.view.pack.question_total
        snapshot = app.snapshot
        assert snapshot is not None
        from_suppliers = sum(row.questions or 0 for row in snapshot.rows)
        assert total == from_suppliers + 2
        assert f"{len(questions)} of {total} board questions" in plain(
            screen.query_one("#board-title", Static)
        )
        await pilot.press("2")
        table.move_cursor(row=ranks[1] - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrustScreen)


async def test_line_follows_a_change_to_one_supplier(register_db: Path) -> None:
    """Re-scoring only the changed supplier still works the trust's findings out again."""
    app = SupplierRegisterApp(register_db, today=TODAY, incremental_from=0)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        line = app.screen.query_one(TrustLine)
        assert "only 0% bought jointly" in plain(line)
        table = app.screen.query_one(RegisterTable)
        # Acme's contract is the only valued one of a strategic or high supplier
        assert table.move_to_id(next(r.id for r in table.rows if r.name == "Acme [UK] Ltd"))
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert all(r.name != "Acme [UK] Ltd" for r in table.rows)
        assert plain(line) == ("The trust: contractor dependence 50% · T: the trust's findings")
        scores = app.snapshot.scores if app.snapshot else None
        assert scores is not None
        asked = [q for key in scores.board.ranked for q in scores.board.ranked[key]]
        assert [q.finding_codes for q in asked if q.scope == "trust"] == [
            ["trust.contractor_dependence"]
        ]


async def test_the_apps_scoring_config_sets_where_the_findings_start(register_db: Path) -> None:
    # Contractors are 50% of the digital team: no finding when the config starts it at 60%.
    config = ScoringConfig(trust=TrustThresholds(contractor_share=0.6))
    app = SupplierRegisterApp(register_db, today=TODAY, scoring=Scoring(config))
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        line = plain(app.screen.query_one(TrustLine))
        assert "only 0% bought jointly" in line
        assert "contractor" not in line
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, TrustScreen)
        body = plain(app.screen.query_one("#trust-findings", Static))
        assert "contractors' share of the digital team: 50%" in body
        assert "The digital team depends on contractors" not in body

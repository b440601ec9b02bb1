"""Markup payloads in every text field show literally on every screen and never run an action.

The register holds each payload of ``tests/hostile.py`` as a supplier name,
an owner's name and contact, notes, a contract title, extension options,
questionnaire evidence and the name of whoever answered.  Every screen is
rendered to plain text (what the terminal shows) and searched for the
payloads; then the payloads on screen are clicked, and the app must still be
running, with no bell rung and no screen dismissed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from supplier_register.domain import Answer, Contract, Person, Register, Supplier
from supplier_register.scoring.questions import default_question_bank
from supplier_register.services import reviews as service
from supplier_register.storage import open_database
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.screens.audit import AuditScreen
from supplier_register.tui.screens.board import BoardScreen
from supplier_register.tui.screens.people import PeopleScreen
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.review import ReviewScreen
from supplier_register.tui.screens.supplier import TABS, SupplierScreen
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.support.hostile import MARKUP_PAYLOADS
from tests.tui.tui_support import TODAY, make_app, settle, write_register_db

SIZE = (260, 70)
PAYLOADS = [p.strip() for p in MARKUP_PAYLOADS]
ACTIVE = ("[@click", "[link=")


def supplier(i: int) -> str:
    return f"{PAYLOADS[i]} #{i}"


def person(i: int) -> str:
    return f"{PAYLOADS[i]} ~{i}"


EVERYTHING = "[@click=app.quit]every field[/] [link=file:///etc/passwd]x[/]"
"""A supplier holding every payload at once: contracts, partners, evidence, notes."""


def hostile_register() -> Register:
    n = len(PAYLOADS)
    questions = [q.id for q in default_question_bank().questions][:n]
    everything = Register(
        suppliers=[
            Supplier(
                name=EVERYTHING,
                category="epr",
                criticality="strategic",
                owner=person(1),
                notes="\n".join(PAYLOADS),
                shared_with=[f"{p} partner" for p in PAYLOADS],
            )
        ],
        contracts=[
            Contract(
                supplier=EVERYTHING,
                title=f"{p} contract",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=p,
            )
            for p in PAYLOADS
        ],
        answers=[
            Answer(
                supplier=EVERYTHING,
                question_id=q,
                answer="partly",
                evidence=p,
                answered_by=person(i),
            )
            for i, (p, q) in enumerate(zip(PAYLOADS, questions, strict=True))
        ],
    )
    return Register(
        people=[
            Person(name=person(i), role="senior_manager", contact=PAYLOADS[i]) for i in range(n)
        ],
        suppliers=[
            Supplier(
                name=supplier(i),
                category="other",
                criticality=["low", "medium", "high", "strategic"][i % 4],
                owner=person(i),
                notes=PAYLOADS[i],
                shared_with=[f"{PAYLOADS[i]} partner"],
            )
            for i in range(n)
        ]
        + everything.suppliers,
        contracts=[
            Contract(
                supplier=supplier(i),
                title=f"{PAYLOADS[i]} contract",
                what_is_bought="commodity",
                contract_type="time_and_materials",
                extension_options=PAYLOADS[i],
                end_date=TODAY.replace(year=TODAY.year + 1),
                auto_renewal=True,
            )
            for i in range(n)
        ]
        + everything.contracts,
        answers=[
            Answer(
                supplier=supplier(i),
                question_id="options.bulk_export",
                answer="no",
                evidence=PAYLOADS[i],
                answered_by=person(i),
            )
            for i in range(n)
        ]
        + everything.answers,
    )


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    path = write_register_db(tmp_path, hostile_register())
    db = open_database(path)
    try:
        service.start_review(db, "2026-Q4", TODAY)
    finally:
        db.close()
    return path


def screen_text(app: SupplierRegisterApp) -> str:
    """The current screen as the terminal shows it, as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system=None,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


class Watch:
    """Counts what a payload's action would do: ring the bell, quit, dismiss a screen."""

    def __init__(self, app: SupplierRegisterApp, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bells = 0
        self.app = app

        def bell() -> None:
            self.bells += 1

        monkeypatch.setattr(app, "bell", bell)

    def check(self, depth: int) -> None:
        assert self.app.is_running and self.app.return_value is None
        assert self.bells == 0
        assert len(self.app.screen_stack) >= depth


async def click_payloads(pilot: Pilot[None], watch: Watch, most: int = 4) -> int:
    """Click payloads that look like action links (the first ``most``); return how many."""
    app = pilot.app
    assert isinstance(app, SupplierRegisterApp)
    depth = len(app.screen_stack)
    screen = app.screen
    clicked = 0
    for y, line in enumerate(screen_text(app).splitlines()):
        for marker in ACTIVE:
            x = line.find(marker)
            if x >= 0 and clicked < most:
                await pilot.click(offset=(x + 2, y))
                await pilot.pause()
                clicked += 1
                if app.screen is not screen:  # a click may open a record, never run a payload
                    await pilot.press("escape")
                    await settle(pilot)
                watch.check(depth)
    return clicked


def missing(text: str, expected: list[str]) -> list[str]:
    return [e for e in expected if e not in text]


async def test_register_people_board_review_and_audit_screens(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        names = [supplier(i) for i in range(len(PAYLOADS))]
        owners = [person(i) for i in range(len(PAYLOADS))]
        assert missing(screen_text(app), names) == []
        assert await click_payloads(pilot, watch) > 0

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        assert missing(screen_text(app), owners) == []
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        board = screen_text(app)
        assert sum(name in board for name in names) >= 3  # the top suppliers are named
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        app.screen.query_one(TabbedContent).active = "tab-due"  # every supplier is due a review
        await settle(pilot)
        review = screen_text(app)
        assert missing(review, names) == []
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        audit = screen_text(app)
        assert sum(name in audit for name in names + owners) >= 10
        await click_payloads(pilot, watch)
        watch.check(1)


async def open_supplier(pilot: Pilot[None], name: str) -> None:
    app = pilot.app
    await pilot.press("escape")  # back to the register from wherever we are
    await settle(pilot)
    table = app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, SupplierScreen)


async def test_supplier_screen_tabs_history_questionnaire_and_form(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supplier holding every payload: each tab, its history, questionnaire and form."""
    app = make_app(hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app, monkeypatch)
        await settle(pilot)
        await open_supplier(pilot, EVERYTHING)
        seen = ""
        clicked = 0
        for n in range(1, len(TABS) + 1):
            await pilot.press(str(n))
            await settle(pilot)
            text = screen_text(app)
            seen += text
            assert EVERYTHING in text  # the title on every tab
            clicked += await click_payloads(pilot, watch)
        assert clicked >= len(TABS)
        assert missing(seen, [f"{p} contract" for p in PAYLOADS]) == []
        assert missing(seen, [f"{p} partner" for p in PAYLOADS]) == []
        assert missing(seen, PAYLOADS) == []  # notes, evidence and extension options

        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        history = screen_text(app)
        assert missing(history, [f"{EVERYTHING} / {p} contract" for p in PAYLOADS]) == []
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuestionnaireScreen)
        assert EVERYTHING in screen_text(app)
        await click_payloads(pilot, watch)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("e")
        await settle(pilot)
        assert EVERYTHING in [w.value for w in app.screen.query(Input)]
        assert EVERYTHING in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        # the suppliers whose names are action payloads, title and owner shown as typed
        for index, payload in enumerate(PAYLOADS):
            if not payload.startswith(ACTIVE):
                continue
            await open_supplier(pilot, supplier(index))
            text = screen_text(app)
            assert supplier(index) in text and person(index) in text
            await click_payloads(pilot, watch)
        watch.check(1)


async def test_notifications_show_user_text_literally(tmp_path: Path) -> None:
    # Error messages quote names and files: from the app or from a screen, a notification
    # never has its text read as markup (a '[/]' would fail to render, a '[@click' run).
    app = make_app(write_register_db(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for payload in PAYLOADS[:6]:
            app.notify(f"app: {payload}", timeout=30)
            app.screen.notify(f"screen: {payload}", timeout=30)
        await settle(pilot)
        assert app._notifications and not any(n.markup for n in app._notifications)
        messages = [n.message for n in app._notifications]
        for payload in PAYLOADS[:6]:
            assert f"app: {payload}" in messages and f"screen: {payload}" in messages

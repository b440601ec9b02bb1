"""Forms for daily work: ctrl+s saves every form, Escape discards after one question,
notifications are plain text, the footer fits 80 columns, amounts and dates typed as the
spreadsheet importer reads them."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from supplier_register.domain import Contract
from supplier_register.review.quarters import Quarter
from supplier_register.storage import Repository, open_database
from supplier_register.storage.reviews import ReviewStore
from supplier_register.tui.app import SupplierRegisterApp
from supplier_register.tui.forms import CONTRACT_FIELDS, SUPPLIER_FIELDS, validate
from supplier_register.tui.screens.confirm import ConfirmScreen
from supplier_register.tui.screens.export import ExportScreen
from supplier_register.tui.screens.form import FormScreen
from supplier_register.tui.screens.questionnaire import QuestionnaireScreen
from supplier_register.tui.screens.register import RegisterScreen
from supplier_register.tui.screens.review import ActionForm, ReviewScreen
from supplier_register.tui.screens.supplier import SupplierScreen
from supplier_register.tui.widgets.footer import KeyFooter
from supplier_register.tui.widgets.register_table import RegisterTable
from tests.support.review_scenario import register, scores
from tests.tui.tui_support import TODAY, dump, make_app, settle, write_register_db

AppPilot = Pilot[None]


@pytest.fixture
def register_db(tmp_path: Path) -> Path:
    return write_register_db(tmp_path)


def fill(screen: object, **values: object) -> None:
    for name, value in values.items():
        screen.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]


def one(path: Path, sql: str, *params: object) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return tuple(row)


async def open_supplier(pilot: AppPilot, name: str) -> SupplierScreen:
    table = pilot.app.screen.query_one(RegisterTable)
    assert table.move_to_id(next(r.id for r in table.rows if r.name == name))
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SupplierScreen)
    return screen


async def open_form(pilot: AppPilot, *keys: str) -> FormScreen[Any, Any]:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, FormScreen)
    return form


# ------------------------------------------------------------------ ctrl+s saves


async def test_a_supplier_form_saves_with_ctrl_s_taking_250k_and_a_uk_date(
    register_db: Path,
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, "a")
        fill(form, name="Delta", category="devices", criticality="low")
        fill(form, annual_spend="£250k", last_review="31/03/2025")
        form.query_one("#field-name", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
    assert one(
        register_db, "SELECT annual_spend_pence, last_review FROM suppliers WHERE name = 'Delta'"
    ) == (25_000_000, "2025-03-31")


async def test_a_contract_form_takes_1_2m_and_dates_in_words(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_supplier(pilot, "Beta Cloud")
        form = await open_form(pilot, "c")
        fill(
            form,
            title="Backup",
            what_is_bought="commodity",
            contract_type="subscription_saas",
            start_date="1/4/26",
            end_date="31 March 2029",
            annual_value="1.2m",
            total_value="£3,600,000",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
    assert one(
        register_db,
        "SELECT start_date, end_date, annual_value_pence, total_value_pence FROM contracts"
        " WHERE title = 'Backup'",
    ) == ("2026-04-01", "2029-03-31", 120_000_000, 360_000_000)


async def test_a_bad_amount_or_date_is_one_line_naming_the_field(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)
        form = await open_form(pilot, "a")
        fill(form, name="Delta", category="devices", criticality="low")
        fill(form, annual_spend="$250k", last_review="31/13/2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form.errors == {
            "annual_spend": "Annual spend (£): '$250k' is not in pounds",
            "last_review": "Last review: '31/13/2025' is not a date: month 13 "
            "(dates are read day first)",
        }
        assert str(form.query_one("#error-annual_spend", Static).visual) == (
            "Annual spend (£): '$250k' is not in pounds"
        )
    assert dump(register_db) == before


@pytest.mark.parametrize(
    ("keys", "values", "check"),
    [
        (
            ("e",),
            {"name": "Acme UK Ltd"},
            ("SELECT count(*) FROM suppliers WHERE name = ?", "Acme UK Ltd"),
        ),
        (
            ("o", "a"),
            {"name": "Lee Chan", "role": "commercial_lead"},
            ("SELECT count(*) FROM people WHERE name = ?", "Lee Chan"),
        ),
        (
            ("t", "a"),
            {"name": "Pharmacy", "clinical": "yes"},
            ("SELECT count(*) FROM services WHERE name = ?", "Pharmacy"),
        ),
        (
            ("P",),
            {"ics": "North ICS"},
            ("SELECT count(*) FROM trust_profile WHERE ics = ?", "North ICS"),
        ),
    ],
    ids=["edit supplier", "add owner", "add service", "trust profile"],
)
async def test_every_record_form_saves_with_ctrl_s(
    register_db: Path, keys: tuple[str, ...], values: dict[str, str], check: tuple[str, str]
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        form = await open_form(pilot, *keys)
        fill(form, **values)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormScreen)
    assert one(register_db, check[0], check[1]) == (1,)


async def test_a_dependency_form_saves_with_ctrl_s(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_supplier(pilot, "Acme [UK] Ltd")
        form = await open_form(pilot, "n")
        fill(form, depends_on="Beta Cloud", kind="hosting")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SupplierScreen)
    assert one(register_db, "SELECT count(*) FROM dependencies") == (1,)


async def test_the_questionnaire_saves_the_evidence_with_ctrl_s(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_supplier(pilot, "Acme [UK] Ltd")
        await pilot.press("q")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen)
        question = screen.question
        assert question is not None
        await pilot.press("p")  # answer "partly"
        await settle(pilot)
        await pilot.press("e")
        await pilot.press(*"clause 14")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    assert one(
        register_db, "SELECT answer, evidence FROM answers WHERE question_id = ?", question.id
    ) == ("partly", "clause 14")


async def test_the_export_form_writes_with_ctrl_s(
    register_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = "./paper.html"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
    assert (tmp_path / "paper.html").read_text(encoding="utf-8").startswith("<!")


# --------------------------------------------------------------- review action


@pytest.fixture
def review_db(tmp_path: Path) -> Path:
    path = tmp_path / "review.db"
    db = open_database(path)
    try:
        Repository(db).import_register(register(3))
        ReviewStore(db).start(Quarter.of(TODAY), TODAY, register(3), scores(3, TODAY))
    finally:
        db.close()
    return path


def actions(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT what, owner, due FROM review_actions"))


async def open_action_form(pilot: AppPilot) -> ActionForm:
    await settle(pilot)
    if not isinstance(pilot.app.screen, ReviewScreen):
        await pilot.press("v")
        await settle(pilot)
    assert isinstance(pilot.app.screen, ReviewScreen)
    await pilot.press("a")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, ActionForm)
    return form


async def test_the_review_action_form_saves_with_ctrl_s_taking_a_uk_date(
    review_db: Path,
) -> None:
    app = make_app(review_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_action_form(pilot)
        form.query_one("#what", Input).value = "Test the exit plan"
        form.query_one("#owner", Input).value = "Sam"
        form.query_one("#due", Input).value = "31/03/2027"
        form.query_one("#what", Input).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
    assert actions(review_db) == [("Test the exit plan", "Sam", "2027-03-31")]


async def test_the_review_action_form_names_a_missing_field_by_its_label(
    review_db: Path,
) -> None:
    app = make_app(review_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_action_form(pilot)
        form.query_one("#what", Input).value = "Test the exit plan"
        form.query_one("#due", Input).value = "31/03/2027"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        error = str(form.query_one("#error", Static).visual)
        assert error == "Owner is required"
        assert form.focused is form.query_one("#owner", Input)
    assert actions(review_db) == []


async def test_the_review_action_form_asks_before_discarding(review_db: Path) -> None:
    app = make_app(review_db)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_action_form(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        form = await open_action_form(pilot)
        form.query_one("#what", Input).focus()
        await pilot.press(*"Renew")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing: everything typed still there
        await pilot.pause()
        assert app.screen_stack[-1] is form
        assert form.query_one("#what", Input).value == "Renew"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    assert actions(review_db) == []


# ------------------------------------------------------------ escape asks once


async def test_escape_on_a_changed_form_asks_once_even_when_escapes_arrive_together(
    register_db: Path,
) -> None:
    """Two Escapes read from the terminal together: the second was routed to the form, but
    Textual looked its binding up on the question just opened, which closed it at once."""
    app = make_app(register_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = dump(register_db)
        form = await open_form(pilot, "e")
        form.query_one("#field-name", Input).focus()
        await pilot.press("x")
        app.post_message(events.Key("escape", "\x1b"))
        app.post_message(events.Key("escape", "\x1b"))
        await pilot.pause()
        await pilot.pause()
        assert [type(s) for s in app.screen_stack[-2:]] == [FormScreen, ConfirmScreen]
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # pressed with the question on screen: keep editing
        await pilot.pause()
        assert app.screen_stack[-1] is form
        assert form.query_one("#field-name", Input).value.endswith("x")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")  # nothing changed: no question
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
    assert dump(register_db) == before


# --------------------------------------------------------------- notifications


async def test_ctrl_c_says_how_to_quit_without_markup(register_db: Path) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "Press ctrl+q to quit." in messages
        assert not any("[" in m for m in messages)


async def test_a_saved_screenshot_is_reported_without_markup(
    register_db: Path, tmp_path: Path
) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shot = tmp_path / "shot [1].svg"
        app.post_message(events.DeliveryComplete(key="k", path=shot, name="screenshot"))
        await pilot.pause()
        assert [n.message for n in app._notifications] == [f"Saved the screenshot to {shot}."]


# ----------------------------------------------------------------------- footer


def footer_line(app: SupplierRegisterApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1])


def check_footer(app: SupplierRegisterApp, name: str, width: int) -> int:
    """The footer is one line of ``width`` cells ending with the palette key, every key in
    it whole and in order; returns how many keys it shows."""
    line = footer_line(app)
    assert len(line) == width, name
    assert line.rstrip().endswith("▏^p palette"), (name, line)
    footer = app.screen.query_one(KeyFooter)
    shown = [
        k for k in footer.query(FooterKey) if k.display and not k.has_class("-command-palette")
    ]
    assert shown, name
    left = line[: line.index("▏")]
    position = 0
    for key in shown:
        text = f"{key.key_display} {key.description}"
        found = left.find(text, position)
        assert found >= 0, (name, text, line)
        position = found + len(text)
    return len(shown)


@pytest.mark.parametrize(
    "keys",
    [(), ("enter",), ("b",), ("v",), ("o",), ("t",)],
    ids=["register", "supplier", "board", "review", "owners", "services"],
)
async def test_the_footer_fits_80_columns(register_db: Path, keys: tuple[str, ...]) -> None:
    app = make_app(register_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        name = type(app.screen).__name__
        narrow = check_footer(app, name, 80)
        await pilot.resize_terminal(160, 30)  # wider: keys hidden at 80 columns come back
        await settle(pilot)
        assert check_footer(app, name, 160) > narrow


# ----------------------------------------------------------------------- units


def test_form_messages_name_the_field_by_its_label() -> None:
    result = validate(
        Contract,
        {
            "title": "T",
            "what_is_bought": "commodity",
            "contract_type": "subscription_saas",
            "start_date": "01/01/2027",
            "end_date": "2026-06-30",
            "notice_period_days": "-1",
        },
        CONTRACT_FIELDS,
        {"supplier": "A"},
    )
    assert result.model is None
    assert result.errors["end_date"] == "End date must not be before the start date, 1 Jan 2027"
    assert result.errors["notice_period_days"] == "Notice period (days) must be at least 0"


def test_form_money_and_dates_read_as_the_importer_reads_them() -> None:
    from supplier_register.domain import Supplier

    raw = {
        "name": "Z",
        "category": "devices",
        "criticality": "low",
        "annual_spend": "£1.2m",
        "last_review": "31 Mar 2025",
    }
    result = validate(Supplier, raw, SUPPLIER_FIELDS)
    assert result.model is not None
    assert str(result.model.annual_spend) == "1200000.00"
    assert result.model.last_review == dt.date(2025, 3, 31)
    missing = validate(Supplier, {**raw, "name": ""}, SUPPLIER_FIELDS)
    assert missing.errors == {"name": "Name must not be empty"}
